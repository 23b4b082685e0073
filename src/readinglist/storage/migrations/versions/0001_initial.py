"""Initial library: papers, sources, tags, notes, op log, FTS.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

# Frozen copies of storage/fts.py as of this revision: a migration must not change later.
CREATE_FTS = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS papers_fts USING fts5(
        title, abstract, authors_text, tags_text, note,
        content='papers', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2")""",
    "CREATE TABLE IF NOT EXISTS fts_pause (paused INTEGER NOT NULL PRIMARY KEY)",
    """CREATE TRIGGER IF NOT EXISTS papers_fts_ai AFTER INSERT ON papers
        WHEN NOT EXISTS (SELECT 1 FROM fts_pause) BEGIN
        INSERT INTO papers_fts(rowid, title, abstract, authors_text, tags_text, note)
        VALUES (new.id, new.title, new.abstract, new.authors_text, new.tags_text, new.note);
    END""",
    """CREATE TRIGGER IF NOT EXISTS papers_fts_ad AFTER DELETE ON papers BEGIN
        INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors_text, tags_text, note)
        VALUES ('delete', old.id, old.title, old.abstract, old.authors_text, old.tags_text, old.note);
    END""",
    """CREATE TRIGGER IF NOT EXISTS papers_fts_au
        AFTER UPDATE OF title, abstract, authors_text, tags_text, note ON papers
        WHEN NOT EXISTS (SELECT 1 FROM fts_pause) BEGIN
        INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors_text, tags_text, note)
        VALUES ('delete', old.id, old.title, old.abstract, old.authors_text, old.tags_text, old.note);
        INSERT INTO papers_fts(rowid, title, abstract, authors_text, tags_text, note)
        VALUES (new.id, new.title, new.abstract, new.authors_text, new.tags_text, new.note);
    END""",
]
DROP_FTS = [
    "DROP TRIGGER IF EXISTS papers_fts_au",
    "DROP TRIGGER IF EXISTS papers_fts_ad",
    "DROP TRIGGER IF EXISTS papers_fts_ai",
    "DROP TABLE IF EXISTS papers_fts",
    "DROP TABLE IF EXISTS fts_pause",
]

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hlc", sa.String(24), nullable=False),
        sa.Column("created", sa.String(40), nullable=False),
    )
    op.create_table(
        "ops",
        sa.Column("device_id", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("hlc", sa.String(24), nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("deps", sa.Text),
    )
    op.create_index("ix_ops_hlc", "ops", ["hlc"])
    op.create_table(
        "meta",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "papers",
        # small, often-filtered columns first: SQLite reads a row's columns in order and the
        # long texts (abstract, note) spill into overflow pages
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("arxiv_id", sa.Text),
        sa.Column("version", sa.Integer),
        sa.Column("published", sa.String(10)),
        sa.Column("updated", sa.String(10)),
        sa.Column("listed_on", sa.String(10)),
        sa.Column("read", sa.Boolean, nullable=False),
        sa.Column("starred", sa.Boolean, nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("hf_upvotes", sa.Integer),
        sa.Column("note_conflict", sa.Boolean, nullable=False),
        sa.Column("primary_category", sa.Text),
        sa.Column("categories", sa.Text, nullable=False),
        sa.Column("doi", sa.Text),
        sa.Column("archived_at", sa.String(40)),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("sources_text", sa.Text, nullable=False),
        sa.Column("tags_text", sa.Text, nullable=False),
        sa.Column("meta_rank", sa.Text, nullable=False),
        sa.Column("meta_lag", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("pdf_url", sa.Text),
        sa.Column("journal_ref", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("authors_text", sa.Text, nullable=False),
        sa.Column("authors", sa.Text, nullable=False),
        sa.Column("abstract", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_papers_doi", "papers", ["doi"])
    op.create_index("ix_papers_listed_on", "papers", ["listed_on"])
    op.create_index("ix_papers_inbox", "papers", ["archived", "deleted", "published", "id"])
    op.create_index("ix_papers_published", "papers", ["deleted", "published", "id"])
    op.create_index("ix_papers_arxiv_id", "papers", ["arxiv_id"])
    op.create_table(
        "paper_sources",
        sa.Column("paper_id", sa.Integer, sa.ForeignKey("papers.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("source", sa.String(32), primary_key=True),
        sa.Column("first_seen", sa.String(40), nullable=False),
    )
    op.create_index("ix_paper_sources_source", "paper_sources", ["source", "paper_id"])
    op.create_table(
        "field_clocks",
        sa.Column("entity", sa.String(16), primary_key=True),
        sa.Column("entity_id", sa.Text, primary_key=True),
        sa.Column("field", sa.Text, primary_key=True),
        sa.Column("hlc", sa.String(24), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("value", sa.Text),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text(collation="NOCASE"), nullable=False, unique=True),
    )
    op.create_table(
        "paper_tags",
        sa.Column("paper_id", sa.Integer, sa.ForeignKey("papers.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("tag_id", sa.Integer, sa.ForeignKey("tags.id", ondelete="CASCADE"),
                  primary_key=True),
    )
    op.create_index("ix_paper_tags_tag_id", "paper_tags", ["tag_id"])
    op.create_table(
        "tag_adds",
        sa.Column("add_id", sa.String(48), primary_key=True),
        sa.Column("paper_key", sa.Text, nullable=False),
        sa.Column("tag", sa.Text(collation="NOCASE"), nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
    )
    op.create_index("ix_tag_adds_paper_tag", "tag_adds", ["paper_key", "tag"])
    op.create_table("tag_tombstones", sa.Column("add_id", sa.String(48), primary_key=True))
    op.create_table(
        "note_versions",
        sa.Column("op_id", sa.String(48), primary_key=True),
        sa.Column("paper_key", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("deps", sa.Text, nullable=False),
        sa.Column("hlc", sa.String(24), nullable=False),
        sa.Column("device_id", sa.String(32), nullable=False),
        sa.Column("superseded", sa.Boolean, nullable=False),
    )
    op.create_index("ix_note_versions_paper_key", "note_versions", ["paper_key"])
    op.create_table(
        "synced_settings",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    for statement in CREATE_FTS:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_FTS:
        op.execute(statement)
    for table in ("synced_settings", "note_versions", "tag_tombstones", "tag_adds", "paper_tags",
                  "tags", "field_clocks", "paper_sources", "papers", "meta", "ops", "device"):
        op.drop_table(table)
