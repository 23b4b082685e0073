"""SQLAlchemy 2.0 typed models: the library schema.

Materialised tables (papers, tags, notes, annotations, positions, synced settings) are what the
UI reads; ``ops`` is the append-only operation log they are derived from (see ``core.ops``).
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base for every table."""


class Device(Base):
    """This install: its sync identity, next sequence number and clock state (one row)."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hlc: Mapped[str] = mapped_column(String(24), default="")
    created: Mapped[str] = mapped_column(String(40))


class OpRecord(Base):
    """One operation of the log; ``(device_id, seq)`` is its identity everywhere."""

    __tablename__ = "ops"

    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    hlc: Mapped[str] = mapped_column(String(24), index=True)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[str | None] = mapped_column(Text)  # JSON
    deps: Mapped[str | None] = mapped_column(Text)  # JSON list of op ids


class Meta(Base):
    """Small key/value facts about this library (sync cursors, schema notes)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PaperModel(Base):
    """A paper with its merged metadata and materialised triage state."""

    __tablename__ = "papers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    arxiv_id: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int | None] = mapped_column(Integer)
    doi: Mapped[str | None] = mapped_column(Text, index=True)
    url: Mapped[str | None] = mapped_column(Text)
    pdf_url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    authors: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, ordered
    authors_text: Mapped[str] = mapped_column(Text, default="")  # "A, B, C" for list and FTS
    abstract: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    primary_category: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10))  # YYYY-MM-DD
    updated: Mapped[str | None] = mapped_column(String(10))
    journal_ref: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    hf_upvotes: Mapped[int | None] = mapped_column(Integer)
    withdrawn: Mapped[bool] = mapped_column(default=False)
    listed_on: Mapped[str | None] = mapped_column(String(10), index=True)
    added_at: Mapped[str] = mapped_column(String(40))
    meta_rank: Mapped[str] = mapped_column(Text, default="")
    meta_lag: Mapped[str | None] = mapped_column(Text)  # JSON {field: rank} below meta_rank
    read: Mapped[bool] = mapped_column(default=False)
    starred: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)
    archived_at: Mapped[str | None] = mapped_column(String(40))
    deleted: Mapped[bool] = mapped_column(default=False)
    tags_text: Mapped[str] = mapped_column(Text, default="")  # "a b c", materialised
    sources_text: Mapped[str] = mapped_column(Text, default="")  # "hf-daily arxiv-rss"
    note: Mapped[str] = mapped_column(Text, default="")
    note_conflict: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_papers_inbox", "archived", "deleted", "published", "id"),
        Index("ix_papers_published", "deleted", "published", "id"),
    )


class PaperSource(Base):
    """A source a paper was seen in, with the first time it was seen there."""

    __tablename__ = "paper_sources"

    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"),
                                          primary_key=True)
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_seen: Mapped[str] = mapped_column(String(40))

    __table_args__ = (Index("ix_paper_sources_source", "source", "paper_id"),)


class FieldClock(Base):
    """The winning (hlc, device) of a last-writer-wins register."""

    __tablename__ = "field_clocks"

    entity: Mapped[str] = mapped_column(String(16), primary_key=True)
    entity_id: Mapped[str] = mapped_column(Text, primary_key=True)
    field: Mapped[str] = mapped_column(Text, primary_key=True)
    hlc: Mapped[str] = mapped_column(String(24))
    device_id: Mapped[str] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(Text)  # JSON of the winning value


class Tag(Base):
    """A tag name, unique without regard to case."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text(collation="NOCASE"), unique=True)


class PaperTag(Base):
    """Materialised membership: the paper carries the tag (an add not covered by a remove)."""

    __tablename__ = "paper_tags"

    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"),
                                          primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"),
                                        primary_key=True, index=True)


class TagAdd(Base):
    """One add of the add-wins OR-set; ``add_id`` is the op id that added it."""

    __tablename__ = "tag_adds"

    add_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    paper_key: Mapped[str] = mapped_column(Text)
    tag: Mapped[str] = mapped_column(Text(collation="NOCASE"))
    removed: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (Index("ix_tag_adds_paper_tag", "paper_key", "tag"),)


class TagTombstone(Base):
    """An add id that a remove has covered (kept even if the add has not arrived yet)."""

    __tablename__ = "tag_tombstones"

    add_id: Mapped[str] = mapped_column(String(48), primary_key=True)


class NoteVersion(Base):
    """One edit of a paper's note; ``deps`` lists the op ids it was edited from."""

    __tablename__ = "note_versions"

    op_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    paper_key: Mapped[str] = mapped_column(Text, index=True)
    text: Mapped[str] = mapped_column(Text)
    deps: Mapped[str] = mapped_column(Text, default="[]")
    hlc: Mapped[str] = mapped_column(String(24))
    device_id: Mapped[str] = mapped_column(String(32))
    superseded: Mapped[bool] = mapped_column(default=False)


class AnnotationModel(Base):
    """A highlight, underline or sticky note, keyed to the PDF's content hash."""

    __tablename__ = "annotations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    paper_key: Mapped[str] = mapped_column(Text, index=True)
    pdf_hash: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    page: Mapped[int] = mapped_column(Integer)
    quads: Mapped[str] = mapped_column(Text, default="[]")
    text: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(16), default="#ffd400")
    created: Mapped[str] = mapped_column(String(40))
    modified: Mapped[str] = mapped_column(String(40))
    deleted: Mapped[bool] = mapped_column(default=False)


class Position(Base):
    """Reading position of a paper on one device."""

    __tablename__ = "positions"

    paper_key: Mapped[str] = mapped_column(Text, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    page: Mapped[int] = mapped_column(Integer)
    offset: Mapped[float] = mapped_column(Float, default=0.0)
    hlc: Mapped[str] = mapped_column(String(24))


class SyncedSetting(Base):
    """A synced setting (subscriptions, saved searches): key -> JSON value."""

    __tablename__ = "synced_settings"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class FetchState(Base):
    """Per-URL conditional-GET validators and last fetch result (machine-local)."""

    __tablename__ = "fetch_state"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str | None] = mapped_column(Text)



class VersionVector(Base):
    """Highest contiguous sequence number applied from each device (sync)."""

    __tablename__ = "vv"

    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)


class PdfFile(Base):
    """A PDF known for a paper: downloaded or attached, addressed by its content hash."""

    __tablename__ = "pdf_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    paper_key: Mapped[str] = mapped_column(Text, index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)  # relative to the PDF cache folder
    size: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16))  # "download" | "attached"
    url: Mapped[str | None] = mapped_column(Text)
    created: Mapped[str] = mapped_column(String(40))


class FtsPause(Base):
    """Non-empty only inside a bulk insert, while the per-row FTS trigger is paused."""

    __tablename__ = "fts_pause"

    paused: Mapped[int] = mapped_column(Integer, primary_key=True)


class PdfPage(Base):
    """The text of one page of a PDF on this machine (indexed in ``pdf_text_fts``)."""

    __tablename__ = "pdf_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    page: Mapped[int] = mapped_column(Integer)  # 0-based
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_pdf_pages_sha256", "sha256", "page"),)


class PdfTextState(Base):
    """A PDF whose text was read (or could not be: ``error``), so it is not read again."""

    __tablename__ = "pdf_text_state"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    pages: Mapped[int] = mapped_column(Integer)
    chars: Mapped[int] = mapped_column(Integer)
    indexed_at: Mapped[str] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)


class EarlierVersionModel(Base):
    """A paper's text as it was before a newer arXiv version replaced it (machine-local)."""

    __tablename__ = "earlier_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    paper_key: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    replaced_by: Mapped[int] = mapped_column(Integer)
    replaced_at: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    authors_text: Mapped[str] = mapped_column(Text)
    abstract: Mapped[str] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text)
    journal_ref: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_earlier_versions_paper", "paper_key", "version", unique=True),)
