"""PDFs on the remote: content-addressed blobs, written once, verified by hash when fetched.

A blob lives at ``blob/<name[:2]>/<name>`` where the name is the PDF's SHA-256, or with E2EE an
HMAC of it under the data key (equal PDFs are then not linkable by name).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from readinglist.services.library import Library
from readinglist.sync import state
from readinglist.sync.crypto import Sealer
from readinglist.sync.storage_api import RemoteStorage, SyncError

log = logging.getLogger(__name__)


def blob_path(sealer: Sealer, sha256: str) -> str:
    name = sealer.blob_name(sha256)
    return f"blob/{name[:2]}/{name}"


def push_blobs(library: Library, remote: RemoteStorage, sealer: Sealer, pdf_root: Path) -> int:
    """Upload PDFs registered since the last round; returns how many were sent."""
    cursor = int(state.get_meta(library, "pdf_cursor", 0))
    with library.store.transaction() as conn:
        rows = conn.exec_driver_sql(
            "SELECT rowid, sha256, path FROM pdf_files WHERE rowid > ? ORDER BY rowid",
            (cursor,)).all()
    sent = 0
    for rowid, sha, relative in rows:
        try:
            data = (pdf_root / relative).read_bytes()
        except OSError:
            data = b""
        if data and hashlib.sha256(data).hexdigest() == sha:
            path = blob_path(sealer, sha)
            if remote.put_new(path, sealer.seal(path, data)):
                sent += 1
        else:
            log.info("skipping PDF %s: missing or changed on disk", relative)
        state.set_meta(library, {"pdf_cursor": int(rowid)})
    return sent


def fetch_blob(remote: RemoteStorage, sealer: Sealer, sha256: str, dest: Path) -> Path | None:
    """Download a PDF by content hash into ``dest`` (atomically); None if the remote lacks it.

    Raises:
        SyncError: the download does not match its hash (nothing is written then).
    """
    path = blob_path(sealer, sha256)
    data = remote.get(path)
    if data is None:
        return None
    plain = sealer.open(path, data)
    if hashlib.sha256(plain).hexdigest() != sha256:
        raise SyncError(f"the PDF {sha256[:12]}… from the remote does not match its hash; "
                        "it was not saved")
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".sync-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(plain)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest
