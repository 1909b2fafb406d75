"""The certificate PDF of one ballot's result: an A4 document a 人大 office files (ReportLab, no Flask).

Everything printed comes from the signed record (domain-rules §8.1), so the
same record always gives the same bytes: the PDF's dates are the certification
time, its document id a digest of its content (ReportLab's invariant mode).
A crashed job that renders again therefore stores the very same file.

Layout, as a 公文 reads: the body's name in red over a red rule with the
certificate number (like a 发文字号), the title (meeting + 表决结果), the facts
(item, kind, method, rule, times), attendance (应到/实到/请假/缺席, quorum), the
result table of the kind, the result statement, then the integrity block (hashes,
key fingerprint, QR code to the verification page). Page numbers 第 1 页 共 N 页.

Text comes through `translate` (flask_babel.gettext in the worker, under the
body's locale): message ids are English (the names of stored codes from
voting.labels, shared with the pages), the Chinese lives in messages.po.

Interface: `render_certificate(record, *, record_bytes, record_signature, certificate_id,
verify_url, translate, font=None) -> bytes` (without the document signature line,
see voting.render.certificate_file), and `formal_title(body_name, meeting_title)`.
"""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Mapping
from xml.sax.saxutils import escape

from voting.labels import CERTIFICATE_KINDS, CHOICE_COUNTS, GRADES, OUTCOMES, VOTING_METHODS
from voting.render.certificate_file import RECORD_FILE, SIGNATURE_FILE, attach_files
from voting.render.fonts import CjkFont, cjk_font

BEIJING = timezone(timedelta(hours=8))  # all of China, no daylight saving
RED = "#c00000"


def label(_, table: Mapping[str, str], code: str) -> str:
    """The translated label of a stored code (`table` maps codes to message ids)."""
    return _(table[code])


def formal_title(body_name: str, meeting_title: str) -> str:
    """The meeting's full name: the body's name joined to the meeting's title where they overlap.

    "XX市第十八届人大常委会" + "第十八届人大常委会第二十次会议" → "XX市第十八届人大常委会第二十次会议";
    a title that already starts with the body's name is kept as it is.
    """
    for size in range(min(len(body_name), len(meeting_title)), 0, -1):
        if meeting_title.startswith(body_name[-size:]):
            return body_name[:-size] + meeting_title
    return body_name + meeting_title


def _local(iso: str | None) -> datetime | None:
    """A record time ("...Z", UTC) in Beijing time."""
    if not iso:
        return None
    return datetime.fromisoformat(iso.rstrip("Z")).replace(tzinfo=timezone.utc).astimezone(BEIJING)


def local_time_text(_, iso: str | None) -> str:
    """2025年3月18日 09:30:05 (Beijing time)."""
    moment = _local(iso)
    if moment is None:
        return "—"
    day = _("%(y)d-%(m)02d-%(d)02d", y=moment.year, m=moment.month, d=moment.day)
    return f"{day} {moment:%H:%M:%S}"


def rule_text(_, record: Mapping[str, Any]) -> str:
    """通过所需：赞成 ≥ 18（全体组成人员35人的过半数）, in the words of the ballot's kind and rules."""
    rules, rule, kind = record["rules"], record["rule"], record["kind"]
    if kind == "satisfaction":
        choice = label(_, CHOICE_COUNTS, "satisfied")
    elif rules.get("form") == "up_to_k":
        choice = _("Votes")
    else:
        choice = label(_, CHOICE_COUNTS, "yes")
    two_thirds = rule["threshold"] == "two_thirds"
    if rule["pass_base"] == "cast":
        text = (
            _("%(choice)s: two-thirds or more of the votes cast on the item", choice=choice)
            if two_thirds
            else _("%(choice)s: more than half of the votes cast on the item", choice=choice)
        )
    else:
        if rule["pass_base"] == "present":
            base = _("members present")
        elif record["body"]["kind"] == "people_congress":
            base = _("all representatives")
        else:
            base = _("all members")
        params = {"choice": choice, "needed": rule["needed"], "base": base, "count": rule["base"]}
        text = (
            _("%(choice)s ≥ %(needed)s (two-thirds or more of the %(count)s %(base)s)", **params)
            if two_thirds
            else _("%(choice)s ≥ %(needed)s (more than half of the %(count)s %(base)s)", **params)
        )
    if kind == "selection" and rules.get("seats"):
        text += _("; the %(seats)s projects with most votes are selected", seats=rules["seats"])
    if kind == "satisfaction":
        grading = rules.get("grading")
        if grading == "tiered":
            text += _("; otherwise satisfied plus basically satisfied reaching it: basically satisfied")
        elif grading == "rates":
            text = _("Rates only, no grade")
    return text


def result_statement(_, record: Mapping[str, Any]) -> list[str]:
    """The result as the chair announces it, one line per item (表决结果：通过)."""
    items, kind = record["items"], record["kind"]
    lines = []
    if kind == "satisfaction":
        for item in items:
            grade = label(_, GRADES, item["grade"]) if item.get("grade") else _("see the rates")
            lines.append(_("Assessment result: %(title)s: %(grade)s", title=item["title"], grade=grade))
        return lines
    if kind == "motion":
        if len(items) == 1:
            return [_("Result: %(outcome)s", outcome=label(_, OUTCOMES, items[0]["outcome"]))]
        for item in items:
            lines.append(
                _("Result: %(title)s: %(outcome)s", title=item["title"], outcome=label(_, OUTCOMES, item["outcome"]))
            )
        return lines
    selected = [item["title"] for item in items if item["outcome"] == "selected"]
    lines.append(_("Result: %(n)s projects selected: %(titles)s", n=len(selected), titles="、".join(selected) or "—"))
    tally = record["tally"]
    if tally.get("runoff"):
        tied = [item["title"] for item in items if item["id"] in tally["runoff"]["items"]]
        lines.append(
            _("Tied for the last %(seats)s seats, a run-off is needed: %(titles)s", seats=tally["runoff"]["seats"],
              titles="、".join(tied))
        )
    if tally.get("shortfall"):
        lines.append(_("%(n)s seats stay empty: too few projects reached the needed votes", n=tally["shortfall"]))
    return lines


def result_table(_, record: Mapping[str, Any]) -> tuple[list[list[str]], list[float]]:
    """The rows (header first) and relative column widths of the kind's result table."""
    kind, rules, items = record["kind"], record["rules"], record["items"]
    not_voted = _("Did not vote")
    if kind == "motion":
        header = [_("No."), _("Matter voted on"), *(label(_, CHOICE_COUNTS, c) for c in ("yes", "no", "abstain")), not_voted, _("Outcome")]
        rows = [
            [str(i), item["title"], *(str(item["counts"][c]) for c in ("yes", "no", "abstain")),
             str(item["not_voted"]), label(_, OUTCOMES, item["outcome"])]
            for i, item in enumerate(items, 1)
        ]
        return [header, *rows], [0.8, 4.2, 0.9, 0.9, 0.9, 0.9, 1.2]
    if kind == "selection":
        ranked = sorted(items, key=lambda item: (item["rank"] is None, item["rank"] or 0))
        if rules.get("form") == "up_to_k":
            header = [_("Rank"), _("Project"), _("Votes"), _("Share of ballots"), _("Outcome")]
            rows = [
                [str(item["rank"] or "—"), item["title"], str(item["counts"]["approve"]),
                 _percent(item["rates"].get("approve")), label(_, OUTCOMES, item["outcome"])]
                for item in ranked
            ]
            return [header, *rows], [0.8, 4.6, 1.0, 1.3, 1.6]
        header = [_("Rank"), _("Project"), *(label(_, CHOICE_COUNTS, c) for c in ("yes", "no", "abstain")), not_voted,
                  _("Outcome")]
        rows = [
            [str(item["rank"] or "—"), item["title"], *(str(item["counts"][c]) for c in ("yes", "no", "abstain")),
             str(item["not_voted"]), label(_, OUTCOMES, item["outcome"])]
            for item in ranked
        ]
        return [header, *rows], [0.8, 3.6, 0.8, 0.8, 0.8, 0.8, 1.6]
    choices = ["satisfied", "basically_satisfied", "dissatisfied"] + (["abstain"] if rules.get("abstain_option") else [])
    header = [_("No."), _("Assessed"), *(label(_, CHOICE_COUNTS, c) for c in choices), not_voted,
              _("Satisfaction rate"), _("Combined rate"), _("Assessment grade")]
    rows = [
        [str(i), item["title"], *(str(item["counts"][c]) for c in choices), str(item["not_voted"]),
         _percent(item["rates"].get("satisfied")), _percent(item["rates"].get("combined")),
         label(_, GRADES, item["grade"]) if item.get("grade") else "—"]
        for i, item in enumerate(items, 1)
    ]
    widths = [0.8, 2.2, 0.9, 1.3, 1.1, *([0.9] if rules.get("abstain_option") else []), 0.9, 1.15, 1.55, 1.3]
    return [header, *rows], widths


def _percent(rate: Mapping[str, Any] | None) -> str:
    """A stored rate as "89.3%" (its exact counts are in the record)."""
    return "—" if not rate else f"{rate['percent']}%"


def render_certificate(
    record: Mapping[str, Any],
    *,
    record_bytes: bytes,
    record_signature: Mapping[str, Any],
    certificate_id: int,
    verify_url: str,
    translate: Callable[..., str],
    font: CjkFont | None = None,
) -> bytes:
    """The certificate PDF (bytes) of `record`, with `record_bytes` and `record_signature` embedded.

    `record_signature` is {"algorithm", "signature", "key_fingerprint", "record_sha256",
    "certificate_id"}; it is embedded as record.sig, its hash and key printed.
    The result comes first; the last page is the verification page.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    _ = translate
    font = font or cjk_font()
    kit = _Kit(font.name, A4[0] - 54 * mm)
    body, meeting, item = record["body"], record["meeting"], record["agenda_item"]
    full_title = formal_title(body["name"], meeting["title"])
    story = [
        *_result_pages(_, kit, record, full_title, certificate_id),
        PageBreak(),
        *_verification_page(_, kit, record, record_signature, verify_url),
    ]
    footer = _("Certificate No. %(id)s", id=certificate_id) + " · SHA-256 " + record_signature["record_sha256"][:16]
    files = {
        RECORD_FILE: (record_bytes, "application/json", "signed record (canonical JSON, UTF-8)"),
        SIGNATURE_FILE: (
            json.dumps(dict(record_signature), sort_keys=True, separators=(",", ":")).encode("ascii"),
            "application/json",
            "Ed25519 signature of record.json",
        ),
    }
    certified_at = _local(record["times"]["certified_at"]).astimezone(timezone.utc)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=22 * mm,
        bottomMargin=24 * mm,
        title=full_title + _("Voting result") + ": " + item["title"],
        author=body["name"],
        subject=_("Certified result of %(item)s", item=item["title"]),
        keywords=[_("Certificate No. %(id)s", id=certificate_id), f"certificate:{certificate_id}",
                  f"sha256:{record_signature['record_sha256']}"],
        creator=f"{record['software']['name']} {record['software']['version']}",
        invariant=1,
        lang="zh-CN",
    )
    doc.build(story, canvasmaker=_numbered_canvas(font.name, _, footer, certified_at, files))
    return out.getvalue()


class _Kit:
    """Paragraph styles and table helpers of one document, in its CJK face."""

    def __init__(self, face: str, width: float) -> None:
        """Styles for `face`; `width` is the frame's width in points (tables span it)."""
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm

        self.face, self.width, self.colors, self.mm = face, width, colors, mm

        def style(name, size, leading=None, align=TA_LEFT, color=colors.black, **extra):
            """A paragraph style in the document's face, wrapping as Chinese wraps (between any characters)."""
            return ParagraphStyle(name, fontName=face, fontSize=size, leading=leading or size * 1.45,
                                  alignment=align, textColor=color, wordWrap="CJK", **extra)

        self.masthead = style("masthead", 24, 32, TA_CENTER, colors.HexColor(RED))
        self.number = style("number", 11, 16, TA_RIGHT)
        self.subtitle = style("subtitle", 16, 23, TA_CENTER)
        self.title = style("title", 22, 30, TA_CENTER, spaceBefore=1 * mm)
        self.heading = style("heading", 13, 19, spaceBefore=3.5 * mm, spaceAfter=1.5 * mm)
        self.text = style("text", 11, 17)
        self.cell = style("cell", 10, 14)
        self.cell_center = style("cell_center", 10, 14, TA_CENTER)
        self.statement = style("statement", 16, 24, spaceBefore=3 * mm)
        self.note = style("note", 9.5, 15)

    def p(self, value: Any, style=None):
        """A paragraph of plain text (escaped)."""
        from reportlab.platypus import Paragraph

        return Paragraph(escape(str(value)), style or self.text)

    def code(self, hex_digest: str, size: float = 9.5):
        """A hash in a fixed-width face, in groups of eight, four groups a line (read out and compared)."""
        from reportlab.platypus import Paragraph

        groups = [hex_digest[i : i + 8] for i in range(0, len(hex_digest), 8)]
        lines = "<br/>".join(" ".join(groups[i : i + 4]) for i in range(0, len(groups), 4))
        return Paragraph(f'<font face="Courier" size="{size}">{lines}</font>', self.cell)

    def table(self, rows, widths, header_row: bool = False, header_column: bool = False, repeat: int = 0):
        """A ruled table, the header row or column shaded."""
        from reportlab.platypus import Table, TableStyle

        table = Table(rows, colWidths=widths, repeatRows=repeat)
        grey = self.colors.HexColor("#f2f2f2")
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.6, self.colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        if header_row:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), grey))
        if header_column:
            commands.append(("BACKGROUND", (0, 0), (0, -1), grey))
        table.setStyle(TableStyle(commands))
        return table


def _result_pages(_, kit: _Kit, record: Mapping[str, Any], full_title: str, certificate_id: int) -> list:
    """Masthead, title, facts, attendance, the result table and the statement."""
    from reportlab.platypus import HRFlowable, Spacer

    mm, width = kit.mm, kit.width
    body, meeting, item = record["body"], record["meeting"], record["agenda_item"]
    attendance, times = record["attendance"], record["times"]
    story: list = [
        kit.p(body["name"], kit.masthead),
        Spacer(1, 2 * mm),
        kit.p(_("Certificate No. %(id)s", id=certificate_id), kit.number),
        HRFlowable(width="100%", thickness=2, color=kit.colors.HexColor(RED), spaceBefore=1 * mm, spaceAfter=5 * mm),
        kit.p(full_title, kit.subtitle),
        kit.p(_("Voting result"), kit.title),
        Spacer(1, 4 * mm),
    ]
    when_where = " ".join(x for x in (
        _("%(y)d-%(m)02d-%(d)02d", **_ymd(meeting["date"])) if meeting.get("date") else "",
        meeting.get("location") or "",
    ) if x)
    facts = [
        (_("Meeting"), full_title),
        (_("Date and place"), when_where or "—"),
        (_("Agenda item"), _("Item %(n)s: %(title)s", n=item["position"], title=item["title"])),
        (_("Kind of vote"), label(_, CERTIFICATE_KINDS, record["kind"])),
        (_("Voting method"), label(_, VOTING_METHODS, record["method"])),
        (_("Needed to pass"), rule_text(_, record)),
        (_("Voting opened"), local_time_text(_, times["opened_at"]) + " " + _("(Beijing time)")),
        (_("Voting closed"), local_time_text(_, times["closed_at"]) + " " + _("(Beijing time)")),
    ]
    story.append(kit.table([[kit.p(k, kit.cell), kit.p(v, kit.cell)] for k, v in facts],
                           [32 * mm, width - 32 * mm], header_column=True))

    quorum = attendance.get("quorum") or {}
    met = (_("Met") if quorum.get("met") else _("Not met")) if quorum else "—"
    labels = (_("Expected"), _("Present"), _("On leave"), _("Absent"), _("Quorum"), _("Quorum met"))
    values = (attendance["expected"], attendance["present"], attendance["on_leave"], attendance["absent"],
              quorum.get("required", "—"), met)
    story.append(kit.p(_("Attendance"), kit.heading))
    story.append(kit.table([[kit.p(x, kit.cell_center) for x in labels], [kit.p(x, kit.cell_center) for x in values]],
                           [width / 6] * 6, header_row=True))

    story.append(kit.p(_("How the vote went"), kit.heading))
    rows, weights = result_table(_, record)
    scale = width / sum(weights)
    story.append(kit.table(
        [[kit.p(v, kit.cell if c == 1 else kit.cell_center) for c, v in enumerate(row)] for row in rows],
        [w * scale for w in weights], header_row=True, repeat=1,
    ))
    story.append(Spacer(1, 2 * mm))
    story.append(kit.p(
        _("Ballots cast: %(cast)s of %(present)s present", cast=record["tally"]["cast"], present=attendance["present"])
        + _("Recounted from the %(n)s sealed ballots: identical to the result announced at the close.",
            n=record["ballots"]["count"])
    ))
    story.extend(kit.p(line, kit.statement) for line in result_statement(_, record))
    return story


def _verification_page(_, kit: _Kit, record: Mapping[str, Any], record_signature: Mapping[str, Any],
                       verify_url: str) -> list:
    """The last page: hashes, key, chain position, the QR code and how to verify."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.platypus import Spacer, Table, TableStyle

    mm, width = kit.mm, kit.width
    times, previous = record["times"], record["previous_sha256"]
    rows = [
        (_("Certified at"), kit.p(local_time_text(_, times["certified_at"]) + " " + _("(Beijing time)"), kit.cell)),
        (_("Chain position"), kit.p(_("No. %(n)s in the chain of this system's certificates", n=record["sequence"]),
                                    kit.cell)),
        (_("Record SHA-256"), kit.code(record_signature["record_sha256"])),
        (_("Previous certificate"), kit.code(previous) if previous else kit.p(_("none (first certificate)"), kit.cell)),
        (_("Sealed ballots digest"), kit.code(record["ballots"]["digest"].removeprefix("sha256:"))),
        (_("Signing key (Ed25519)"), kit.code(record_signature["key_fingerprint"])),
        (_("Software"), kit.p(f"{record['software']['name']} {record['software']['version']}", kit.cell)),
    ]
    label_width = 44 * mm
    story: list = [
        kit.p(_("Verification"), kit.title),
        Spacer(1, 5 * mm),
        kit.table([[kit.p(k, kit.cell), v] for k, v in rows], [label_width, width - label_width], header_column=True),
        Spacer(1, 8 * mm),
    ]
    qr = QrCodeWidget(verify_url, barLevel="M")
    x1, y1, x2, y2 = qr.getBounds()
    side = 42 * mm
    drawing = Drawing(side, side, transform=[side / (x2 - x1), 0, 0, side / (y2 - y1), 0, 0])
    drawing.add(qr)
    steps = [
        _("Scan the code, or open %(url)s: the page shows this record and whether its signature and chain "
          "check out, and accepts this PDF for checking.", url=verify_url),
        _("The signed original is attached to this file as %(file)s; its SHA-256 is the record hash above, and "
          "its Ed25519 signature (%(sig)s) checks with the public key published at /verify/key.",
          file=RECORD_FILE, sig=SIGNATURE_FILE),
        _("Offline: voting verify this-file.pdf --key public-key.pem"),
    ]
    howto = [kit.p(_("How to verify"), kit.heading)] + [kit.p(f"{i}. {step}", kit.note) for i, step in enumerate(steps, 1)]
    box = Table([[drawing, howto]], colWidths=[side + 6 * mm, width - side - 6 * mm])
    box.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    story.append(box)
    return story


def _ymd(iso_date: str) -> dict[str, int]:
    """"2025-03-18" as {"y", "m", "d"} for the date message."""
    year, month, day = (int(x) for x in iso_date.split("-"))
    return {"y": year, "m": month, "d": day}


def _numbered_canvas(face: str, _, footer: str, certified_at: datetime, files):
    """A ReportLab canvas class that prints 第 n 页 共 N 页, dates the file, and embeds `files`."""
    from reportlab.lib.units import mm
    from reportlab.lib.utils import TimeStamp
    from reportlab.pdfgen.canvas import Canvas

    stamp = TimeStamp(invariant=1)  # fixed fields, then set to the certification time (UTC)
    stamp.t = certified_at.timestamp()
    stamp.lt = certified_at.timetuple()
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"

    class NumberedCanvas(Canvas):
        """Keeps every page until the end, when the page count is known."""

        def __init__(self, *args, **kwargs):
            """A canvas dated at the certification time."""
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = stamp
            self._pages: list[dict] = []

        def showPage(self):
            """Keep the finished page's state; it is drawn for real in save()."""
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            """Number every page (now that their count is known), attach the files, write the PDF."""
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.setFont(face, 10)
                self.drawCentredString(width / 2, 13 * mm, _("Page %(page)s of %(pages)s", page=number, pages=total))
                self.setFont(face, 7)
                self.setFillGray(0.4)
                self.drawRightString(width - 26 * mm, 13 * mm, footer)
                super().showPage()
            attach_files(self, files)
            super().save()

    return NumberedCanvas
