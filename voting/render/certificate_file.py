"""What makes a certificate PDF verifiable on its own. No Flask here.

Two things travel inside the file:
- the signed record, as two embedded files (PDF attachments any reader lists):
  `record.json`, the exact canonical bytes that were hashed and signed, and
  `record.sig`, JSON {"algorithm": "Ed25519", "signature", "key_fingerprint",
  "record_sha256", "certificate_id"};
- a signature of the whole document, in one PDF comment line appended after
  `%%EOF`: `%VOTING-SIGNATURE Ed25519 <key fingerprint> <base64 signature>`,
  the signature covering every byte before that line. With it a changed byte
  anywhere in the file (a page's text, not only the record) is caught offline,
  with nothing but the public key.

Interface: `attach_files(canvas, files)`, `append_signature(pdf, fingerprint, sign)`,
`read_certificate_file(data) -> CertificateFile` (raises UnreadableCertificate).
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Callable, Mapping

RECORD_FILE = "record.json"
SIGNATURE_FILE = "record.sig"
TRAILER_PREFIX = b"%VOTING-SIGNATURE "
_TRAILER = re.compile(rb"%VOTING-SIGNATURE Ed25519 ([0-9a-f]{64}) ([A-Za-z0-9+/=]{86,88})\n\Z")


class UnreadableCertificate(Exception):
    """The bytes are not a certificate PDF of this system (or are damaged beyond reading)."""


def attach_files(canvas, files: Mapping[str, tuple[bytes, str, str]]) -> None:
    """Embed `files` {name: (data, mime type, description)} in the PDF being drawn on `canvas` (ReportLab).

    ReportLab has no API for attachments, so this writes the PDF objects itself:
    an /EmbeddedFile stream per file, its /Filespec, and the catalog's
    /Names /EmbeddedFiles tree (names sorted, as the PDF name tree requires).
    """
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString, PDFZCompress

    doc = canvas._doc
    names = []
    for name in sorted(files):
        data, mime, description = files[name]
        stream = PDFStream(
            PDFDictionary(
                {
                    "Type": PDFName("EmbeddedFile"),
                    "Subtype": PDFName(mime.replace("/", "#2F")),
                    "Params": PDFDictionary({"Size": len(data)}),
                }
            ),
            data,
            filters=[PDFZCompress],
        )
        spec = PDFDictionary(
            {
                "Type": PDFName("Filespec"),
                "F": PDFString(name),
                "UF": PDFString(name),
                "Desc": PDFString(description),
                "EF": PDFDictionary({"F": doc.Reference(stream)}),
                "AFRelationship": PDFName("Source"),
            }
        )
        names.extend([PDFString(name), doc.Reference(spec)])
    canvas.setCatalogEntry("Names", PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": PDFArray(names)})}))


def append_signature(pdf: bytes, key_fingerprint: str, sign: Callable[[bytes], str]) -> bytes:
    """`pdf` with the signature line of its bytes appended (`sign` returns a base64 Ed25519 signature)."""
    if not pdf.endswith(b"%%EOF\n"):
        pdf = pdf.rstrip(b"\r\n") + b"\n"
    return pdf + TRAILER_PREFIX + b"Ed25519 " + key_fingerprint.encode("ascii") + b" " + sign(pdf).encode("ascii") + b"\n"


@dataclass(frozen=True)
class CertificateFile:
    """What a certificate PDF carries: the signed record and the document's own signature."""

    record: bytes  # the canonical record, exactly as signed
    record_signature: dict  # the contents of record.sig
    body: bytes  # the PDF bytes the document signature covers
    document_signature: str | None  # base64, None when the signature line is missing
    document_key_fingerprint: str | None

    @property
    def certificate_id(self) -> int | None:
        """The certificate id the file claims (from record.sig, else the record's sequence)."""
        value = self.record_signature.get("certificate_id")
        if isinstance(value, int):
            return value
        try:
            sequence = json.loads(self.record.decode("utf-8")).get("sequence")
        except ValueError:
            return None
        return sequence if isinstance(sequence, int) else None


def split_signature(data: bytes) -> tuple[bytes, str | None, str | None]:
    """(bytes covered, signature, key fingerprint): the document signature line taken off the end."""
    at = data.rfind(b"\n" + TRAILER_PREFIX)
    if at < 0:
        return data, None, None
    match = _TRAILER.match(data, at + 1)
    if match is None:
        return data, None, None
    return data[: at + 1], match.group(2).decode("ascii"), match.group(1).decode("ascii")


def read_certificate_file(data: bytes) -> CertificateFile:
    """Read the embedded record and both signatures. Raises UnreadableCertificate."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise UnreadableCertificate("not a PDF")
    body, signature, fingerprint = split_signature(data)
    try:
        attachments = PdfReader(io.BytesIO(data)).attachments
        record = attachments.get(RECORD_FILE, [None])[0]
        sig = attachments.get(SIGNATURE_FILE, [None])[0]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise UnreadableCertificate(f"damaged PDF: {error}") from None
    if record is None or sig is None:
        raise UnreadableCertificate("no signed record inside")
    try:
        record_signature = json.loads(sig.decode("utf-8"))
    except ValueError:
        raise UnreadableCertificate("unreadable record signature") from None
    if not isinstance(record_signature, dict):
        raise UnreadableCertificate("unreadable record signature")
    return CertificateFile(record, record_signature, body, signature, fingerprint)
