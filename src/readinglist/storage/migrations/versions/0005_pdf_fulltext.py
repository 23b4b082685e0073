"""Full-text index of the PDFs on this machine: page texts, their FTS5 index, what was indexed.

The text is derived from PDF files (like the FTS index from the papers), so it is machine-local
and not in the op log: each machine indexes the PDFs it has.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The index over pdf_pages, kept in step by triggers (pages are only inserted and deleted).
CREATE_FTS = [
    """CREATE VIRTUAL TABLE pdf_text_fts USING fts5(
        text, content='pdf_pages', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER pdf_pages_ai AFTER INSERT ON pdf_pages BEGIN
        INSERT INTO pdf_text_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER pdf_pages_ad AFTER DELETE ON pdf_pages BEGIN
        INSERT INTO pdf_text_fts(pdf_text_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
]


def upgrade() -> None:
    op.create_table(
        "pdf_pages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_pdf_pages_sha256", "pdf_pages", ["sha256", "page"])
    op.create_table(
        "pdf_text_state",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("chars", sa.Integer, nullable=False),
        sa.Column("indexed_at", sa.String(40), nullable=False),
        sa.Column("error", sa.Text),
    )
    for statement in CREATE_FTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS pdf_pages_ad")
    op.execute("DROP TRIGGER IF EXISTS pdf_pages_ai")
    op.execute("DROP TABLE IF EXISTS pdf_text_fts")
    op.drop_table("pdf_text_state")
    op.drop_index("ix_pdf_pages_sha256", "pdf_pages")
    op.drop_table("pdf_pages")
