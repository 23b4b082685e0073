"""Sync version vector and the PDF file registry.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vv",
        sa.Column("device_id", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "pdf_files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("paper_key", sa.Text, nullable=False),
        sa.Column("version", sa.Integer),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("created", sa.String(40), nullable=False),
    )
    op.create_index("ix_pdf_files_paper_key", "pdf_files", ["paper_key"])


def downgrade() -> None:
    op.drop_index("ix_pdf_files_paper_key", "pdf_files")
    op.drop_table("pdf_files")
    op.drop_table("vv")
