#!/usr/bin/env python3
"""Writes two-pages.pdf: a minimal PDF 1.4 file written by hand (no library), two pages,
Helvetica text. Page 1: "Hello PDF world" / "Second line here."; page 2: "Page two text."
Run: python3 make_pdf.py  (in this folder)."""

pages = [["Hello PDF world", "Second line here."], ["Page two text."]]

objects = []
objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
font_number = 3 + 2 * len(pages)
for i, lines in enumerate(pages):
    content_number = 4 + 2 * i
    objects.append(
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_number} 0 R "
        f"/Resources << /Font << /F1 {font_number} 0 R >> >> >>".encode())
    ops = ["BT", "/F1 24 Tf", "72 700 Td", "28 TL"]
    for line in lines:
        ops.append(f"({line}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode()
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")

out = bytearray(b"%PDF-1.4\n")
offsets = []
for number, body in enumerate(objects, start=1):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n" % (len(objects) + 1)
out += b"0000000000 65535 f \n"
for offset in offsets:
    out += b"%010d 00000 n \n" % offset
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
open("two-pages.pdf", "wb").write(out)
