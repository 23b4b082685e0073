"""Annotations, per-device reading positions and per-URL fetch state.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "annotations",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("paper_key", sa.Text, nullable=False),
        sa.Column("pdf_hash", sa.String(64)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("quads", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("color", sa.String(16), nullable=False),
        sa.Column("created", sa.String(40), nullable=False),
        sa.Column("modified", sa.String(40), nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
    )
    op.create_index("ix_annotations_paper_key", "annotations", ["paper_key"])
    op.create_table(
        "positions",
        sa.Column("paper_key", sa.Text, primary_key=True),
        sa.Column("device_id", sa.String(32), primary_key=True),
        sa.Column("page", sa.Integer, nullable=False),
        sa.Column("offset", sa.Float, nullable=False),
        sa.Column("hlc", sa.String(24), nullable=False),
    )
    op.create_table(
        "fetch_state",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("fetched_at", sa.String(40)),
        sa.Column("status", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("fetch_state")
    op.drop_table("positions")
    op.drop_index("ix_annotations_paper_key", "annotations")
    op.drop_table("annotations")
