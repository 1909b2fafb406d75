"""Rendering without Flask: QR codes, card sheets and other PDFs."""
