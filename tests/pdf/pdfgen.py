"""Real PDFs for the tests, generated with PyMuPDF: papers with text, outline, links, annotations."""

from __future__ import annotations

from pathlib import Path

import pymupdf

WORDS = ("attention transformer gradient descent convolution residual network benchmark "
         "dataset evaluation baseline ablation embedding token sequence model training").split()


def _paragraph(seed: int, lines: int) -> list[str]:
    out = []
    for i in range(lines):
        words = [WORDS[(seed * 7 + i * 3 + j * 5) % len(WORDS)] for j in range(11)]
        out.append(" ".join(words))
    return out


def make_paper(path: Path, pages: int = 5, *, outline: bool = True, links: bool = True,
               annotations: bool = False, lines_per_page: int = 30,
               title: str = "A Study of Synthetic Papers") -> Path:
    """A paper: title and 'Introduction' on page 1, 'Section N' headings, body text, 'needle'
    once on page 2 and twice on page 4 (when there are enough pages)."""
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page(width=612, height=792)
        y = 72.0
        if number == 0:
            page.insert_text((72, y), title, fontsize=18)
            y += 30
            page.insert_text((72, y), "Introduction", fontsize=14)
        else:
            page.insert_text((72, y), f"Section {number + 1}", fontsize=14)
        y += 24
        for line in _paragraph(number, lines_per_page):
            page.insert_text((72, y), line, fontsize=10)
            y += 14
        if number == 1:
            page.insert_text((72, y + 10), "The needle appears once here.", fontsize=10)
        if number == 3:
            page.insert_text((72, y + 10), "A needle and another needle on this page.",
                             fontsize=10)
    if links and pages >= 3:
        first = doc[0]
        first.insert_text((72, 700), "See section three. Project page.", fontsize=10)
        first.insert_link({"kind": pymupdf.LINK_GOTO, "from": pymupdf.Rect(72, 690, 160, 704),
                           "page": 2, "to": pymupdf.Point(72, 100)})
        first.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(170, 690, 240, 704),
                           "uri": "https://example.org/project"})
    if outline:
        toc = [[1, "Introduction", 1]] + [[1, f"Section {n + 1}", n + 1] for n in range(1, pages)]
        if pages >= 3:
            toc.insert(2, [2, "Details", 2])
        doc.set_toc(toc)
    if annotations:
        page = doc[0]
        hits = page.search_for("Introduction", quads=True)
        annot = page.add_highlight_annot(hits)
        annot.set_colors(stroke=(0.4, 0.8, 0.2))
        annot.set_info(content="key section")
        annot.update()
        second = doc[min(1, pages - 1)]
        note = second.add_text_annot((400, 80), "check this claim")
        note.update()
        underline = second.add_underline_annot(second.search_for("needle", quads=True))
        underline.set_colors(stroke=(0.9, 0.1, 0.1))
        underline.update()
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return Path(path)


def paper_bytes(tmp: Path, **kwargs: object) -> bytes:
    path = make_paper(tmp / "source.pdf", **kwargs)  # type: ignore[arg-type]
    return path.read_bytes()


def make_corrupt(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    return path


def make_truncated(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def make_encrypted(path: Path) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "secret")
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="user")
    doc.close()
    return path


def make_zero_pages(path: Path) -> Path:
    """A syntactically valid PDF whose page tree is empty (PyMuPDF refuses to save one)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
