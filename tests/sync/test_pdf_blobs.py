"""Optional PDF sync: blobs by content hash, uploaded before the ops, fetched and verified."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pymupdf
import pytest

from readinglist.services.library import Library
from readinglist.services.paths import library_paths
from readinglist.services.pdfs import PdfService
from readinglist.services.sync import SyncService
from readinglist.sync.storage_api import SyncError
from tests.sync.helpers import record

KEY = "2401.00001"


def make_pdf(path: Path, text: str) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    doc.save(path)
    doc.close()
    return path


def device(home: Path) -> tuple[Library, SyncService]:
    paths = library_paths(home)
    lib = Library(paths.database)
    return lib, SyncService(lib, paths)


@pytest.mark.parametrize("passphrase", [None, "blob secret"], ids=["plain", "encrypted"])
def test_a_pdf_attached_on_one_machine_opens_on_another(tmp_path: Path, monkeypatch,
                                                        passphrase: str | None) -> None:
    shared = tmp_path / "shared"
    laptop, laptop_sync = device(tmp_path / "laptop")
    desktop, desktop_sync = device(tmp_path / "desktop")
    laptop_sync.setup_folder(shared, passphrase, pdfs=True)
    desktop_sync.setup_folder(shared, passphrase, pdfs=True)
    laptop.merge_records([record(1)])
    attached = PdfService(laptop, library_paths(tmp_path / "laptop")).attach_pdf(
        KEY, make_pdf(tmp_path / "paper.pdf", "A secret result"))
    data = attached.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    laptop.add_annotation(KEY, "highlight", 0, [[1, 2, 3, 4]], "result", pdf_hash=sha)
    report = laptop_sync.sync_once()
    assert report.pdfs_sent == 1 and "sent 1 PDF(s)" in report.lines()
    assert laptop_sync.sync_once().pdfs_sent == 0  # written once
    desktop_sync.sync_once()
    [note] = desktop.annotations(KEY)
    fetched = desktop_sync.fetch_pdf(note.pdf_hash, tmp_path / "desktop" / "got.pdf")
    assert fetched is not None and fetched.read_bytes() == data
    blobs = [p for p in (shared / "blob").rglob("*") if p.is_file()]
    assert len(blobs) == 1
    assert (blobs[0].name == sha) == (passphrase is None)  # keyed names when encrypted
    if passphrase:
        assert b"A secret result" not in blobs[0].read_bytes() and data not in blobs[0].read_bytes()
    assert desktop_sync.fetch_pdf("0" * 64, tmp_path / "none.pdf") is None
    laptop.close()
    desktop.close()


def test_a_damaged_blob_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    laptop, laptop_sync = device(tmp_path / "laptop")
    desktop, desktop_sync = device(tmp_path / "desktop")
    laptop_sync.setup_folder(shared, pdfs=True)
    desktop_sync.setup_folder(shared, pdfs=True)
    laptop.merge_records([record(1)])
    path = PdfService(laptop, library_paths(tmp_path / "laptop")).attach_pdf(
        KEY, make_pdf(tmp_path / "paper.pdf", "text"))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    laptop_sync.sync_once()
    blob = shared / "blob" / sha[:2] / sha
    blob.write_bytes(blob.read_bytes()[:-10])
    target = tmp_path / "desktop" / "got.pdf"
    with pytest.raises(SyncError, match="does not match its hash"):
        desktop_sync.fetch_pdf(sha, target)
    assert not target.exists()
    laptop.close()
    desktop.close()


def test_opening_the_paper_on_the_other_machine_uses_the_synced_pdf(
        tmp_path: Path, monkeypatch) -> None:
    # the arXiv PDF address is a closed local port: only the synced copy can serve the PDF
    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", "http://127.0.0.1:9/pdf")
    shared = tmp_path / "shared"
    laptop, laptop_sync = device(tmp_path / "laptop")
    desktop, desktop_sync = device(tmp_path / "desktop")
    laptop_sync.setup_folder(shared, None, pdfs=True)
    desktop_sync.setup_folder(shared, None, pdfs=True)
    laptop.merge_records([record(1)])
    attached = PdfService(laptop, library_paths(tmp_path / "laptop")).attach_pdf(
        KEY, make_pdf(tmp_path / "paper.pdf", "Read on the train"))
    sha = hashlib.sha256(attached.read_bytes()).hexdigest()
    laptop.add_annotation(KEY, "highlight", 0, [[1, 2, 3, 4]], "train", pdf_hash=sha)
    laptop_sync.sync_once()
    desktop_sync.sync_once()
    pdfs = PdfService(desktop, library_paths(tmp_path / "desktop"))
    opened = pdfs.ensure_pdf(KEY)
    assert opened.read_bytes() == attached.read_bytes()
    assert pdfs.cached(KEY) == opened  # registered: the next open needs no remote
