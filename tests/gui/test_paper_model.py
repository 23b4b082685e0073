"""The paper list model: Qt's model contract, lazy pages, sorting in SQL, bold unread."""

from __future__ import annotations

from readinglist.ui.models.paper_table import COLUMNS, ID_ROLE, KEY_ROLE, PaperTableModel
from readinglist.ui.qt import QFont, Qt
from tests.gui.helpers import add_papers


def test_model_passes_qtmodeltester(qtmodeltester, library):
    add_papers(library, 450)
    library.mark(["2611.00003"], "read", True)
    model = PaperTableModel(library.rows)
    ids = library.ids(library.make_filter("all"))
    model.set_ids(ids)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 450 and model.columnCount() == len(COLUMNS)


def test_rows_load_lazily_in_pages_and_the_cache_is_bounded(library):
    add_papers(library, 1200)
    loaded: list[int] = []

    def loader(ids):
        loaded.append(len(ids))
        return library.rows(ids)

    model = PaperTableModel(loader)
    model.MAX_PAGES = 3
    model.set_ids(library.ids(library.make_filter("all")))
    assert loaded == []  # nothing read until a row is needed
    assert model.data(model.index(0, 0))
    assert loaded == [PaperTableModel.PAGE]
    model.data(model.index(5, 1))  # same page: no new read
    assert loaded == [PaperTableModel.PAGE]
    for position in (250, 450, 650, 850):
        model.data(model.index(position, 0))
    assert len(model.cached_rows()) <= 3 * PaperTableModel.PAGE


def test_unread_rows_are_bold_and_keys_and_ids_are_exposed(library):
    keys = add_papers(library, 3)
    library.mark([keys[0]], "read", True)
    model = PaperTableModel(library.rows)
    model.set_ids(library.ids(library.make_filter("all"), "title", False))
    fonts = {model.data(model.index(r, 0), KEY_ROLE): model.data(model.index(r, 0),
                                                                 Qt.ItemDataRole.FontRole)
             for r in range(3)}
    assert fonts[keys[0]] is None
    assert isinstance(fonts[keys[1]], QFont) and fonts[keys[1]].bold()
    assert model.data(model.index(0, 0), ID_ROLE) == model.ids()[0]


def test_sorting_asks_for_an_sql_query(library):
    add_papers(library, 5)
    model = PaperTableModel(library.rows)
    asked = []
    model.on_sort = lambda key, descending: asked.append((key, descending))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.sort(4, Qt.SortOrder.DescendingOrder)
    assert asked == [("title", False), ("upvotes", True)]


def test_patch_and_remove_rows(library):
    keys = add_papers(library, 4)
    model = PaperTableModel(library.rows)
    model.set_ids(library.ids(library.make_filter("all"), "title", False))
    first = model.row_at(0)
    model.patch_rows([first.id], starred=True, read=True)
    assert model.row_at(0).starred and model.row_at(0).read
    assert model.data(model.index(0, 0)).startswith("★ ")
    model.remove_ids([first.id])
    assert model.rowCount() == 3 and first.id not in model.ids()
    assert model.position_of(model.ids()[0]) == 0
    assert set(keys) >= {model.row_at(p).key for p in range(3)}



def test_a_delegate_gets_every_role_of_a_cell_in_one_multidata_call(qtbot, library):
    """Delegates read a cell through ``multiData``; what they get must agree with ``data``."""
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    calls = {"multi": 0}

    class Counting(PaperTableModel):
        def multiData(self, index, span):  # noqa: N802
            calls["multi"] += 1
            super().multiData(index, span)

    keys = add_papers(library, 5)
    library.mark([keys[1]], "read", True)
    library.mark([keys[2]], "archived", True)
    model = Counting(library.rows)
    model.set_ids(library.ids(library.make_filter("all")))
    delegate = QStyledItemDelegate()
    for row in range(5):
        for column in range(len(COLUMNS)):
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)
            assert option.text == model.data(index), (row, column)
            font = model.data(index, Qt.ItemDataRole.FontRole)
            assert option.font.bold() == bool(font and font.bold())
            assert int(option.displayAlignment.value) == model.data(
                index, Qt.ItemDataRole.TextAlignmentRole)
    assert calls["multi"] == 5 * len(COLUMNS)
    bold = [model.data(model.index(r, 0), Qt.ItemDataRole.FontRole) for r in range(5)]
    assert sum(1 for f in bold if f is not None) == 4


def test_long_author_lists_are_shortened_with_the_whole_list_as_tooltip(library):
    from tests.foundation.factories import record

    many = tuple(f"Author {n}" for n in range(1, 41))
    library.merge_records([record(arxiv_id="2401.00001", authors=many),
                           record(arxiv_id="2401.00002", authors=many[:3])])
    model = PaperTableModel(library.rows)
    model.set_ids(library.ids(library.make_filter("all"), "title", False))
    column = [c.name for c in COLUMNS].index("authors")
    cells = {model.data(model.index(r, 0), KEY_ROLE): model.index(r, column) for r in range(2)}
    long_cell, short_cell = cells["2401.00001"], cells["2401.00002"]
    assert model.data(long_cell) == "Author 1, Author 2, Author 3 et al."
    assert model.data(long_cell, Qt.ItemDataRole.ToolTipRole) == ", ".join(many)
    assert model.data(long_cell, Qt.ItemDataRole.AccessibleTextRole).endswith("Author 40")
    assert model.data(short_cell) == "Author 1, Author 2, Author 3"
