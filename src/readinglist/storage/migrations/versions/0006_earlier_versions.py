"""The text of a paper's earlier arXiv versions, kept when a newer version replaces it.

Derived from the merges this library makes (local fetches and other machines' operations
alike), so it is machine-local and not in the op log; papers revised before this revision have
no earlier text here.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "earlier_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("paper_key", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("replaced_by", sa.Integer, nullable=False),
        sa.Column("replaced_at", sa.String(40), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("authors_text", sa.Text, nullable=False),
        sa.Column("abstract", sa.Text, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("journal_ref", sa.Text, nullable=False),
    )
    op.create_index("ix_earlier_versions_paper", "earlier_versions", ["paper_key", "version"],
                    unique=True)


def downgrade() -> None:
    op.drop_index("ix_earlier_versions_paper", "earlier_versions")
    op.drop_table("earlier_versions")
