"""Adding papers by hand in the app: a pasted arXiv id or link finds the paper, or fetches it
from arXiv (a real HTTP server on 127.0.0.1 in the API's format); JSON Lines files import on
the writer thread with errors in the banner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.ui.qt import Qt
from tests.gui.conftest import idle
from tests.gui.helpers import record
from tests.helpers.httpserver import Request, Response
from tests.sources.wire import ATOM_TYPE, api_entry, api_feed


def shown_keys(window):
    model = window.papers.model
    return {model.row_at(p).key for p in range(model.rowCount())}


def search_for(qtbot, window, text: str) -> None:
    window.view.search.setText(text)
    window.search.apply()
    idle(qtbot, window)


@pytest.fixture
def arxiv_api(http_server, monkeypatch):
    """Answers id_list requests with an entry per id, as the arXiv API does."""
    def answer(request: Request) -> Response:
        ids = request.query["id_list"][0].split(",")
        entries = [api_entry(i, 2, f"Fetched paper {i}") for i in ids]
        return Response(200, api_feed(entries, query=""), ATOM_TYPE)

    http_server.route("/api/query", answer)
    monkeypatch.setenv("READINGLIST_ARXIV_API_URL", f"{http_server.url}/api/query")
    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0")
    return http_server


def test_a_pasted_link_finds_the_paper_in_another_view(qtbot, make_window, library):
    library.merge_records([record(1), record(2)])
    library.mark(["2611.00002"], "archived", True)
    window = make_window()
    search_for(qtbot, window, "https://arxiv.org/abs/2611.00002v3")
    assert shown_keys(window) == set()
    assert window.view.welcome.isVisible()
    assert window.view.welcome.title.text() == "Not in Inbox"
    assert window.view.welcome.primary.text() == "Look in All papers"
    window.view.welcome.primary.click()
    idle(qtbot, window)
    assert window.papers.state.entry.label == "All"
    assert shown_keys(window) == {"2611.00002"}


def test_an_id_not_in_the_library_is_fetched_from_arxiv(qtbot, make_window, library,
                                                        arxiv_api):
    window = make_window()
    window.sidebar.select_label("All")
    search_for(qtbot, window, "arXiv:2611.04242")
    assert window.view.welcome.title.text() == "Not in your library"
    assert window.view.welcome.primary.text() == "Fetch from arXiv"
    window.view.welcome.primary.click()
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.04242"}, timeout=10_000)
    assert library.get("2611.04242").title == "Fetched paper 2611.04242"
    assert [r.query["id_list"] for r in arxiv_api.requests] == [["2611.04242"]]
    assert window.view.status_text.text() == "Fetched 2611.04242 from arXiv"


def test_add_papers_shows_known_ones_and_fetches_only_the_missing(qtbot, make_window, library,
                                                                  arxiv_api):
    library.merge_records([record(1)])
    window = make_window()
    window.adder().ask_text = lambda: "https://arxiv.org/pdf/2611.00001v1  2611.07777v2"
    window.actions["add_papers"].trigger()
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.00001", "2611.07777"}, timeout=10_000)
    assert window.papers.state.entry.label == "All"
    assert window.view.search.text() == "2611.00001 2611.07777"
    assert [r.query["id_list"] for r in arxiv_api.requests] == [["2611.07777"]]
    assert library.get("2611.00001").title == record(1).title  # not refetched


def test_add_papers_refuses_text_that_names_no_paper(qtbot, make_window, library):
    window = make_window()
    messages = []
    window.adder().message.connect(messages.append)
    assert not window.adder().add_ids("attention is all you need")
    assert messages and "Not a paper id or link" in messages[0]
    assert window.view.search.text() == ""


def test_an_unreachable_arxiv_is_reported_and_the_search_stays(qtbot, make_window, library):
    window = make_window()  # the API points at a closed port (conftest)
    window.sidebar.select_label("All")
    search_for(qtbot, window, "2611.04242")
    window.fetch.fetch_ids(["2611.04242"])
    qtbot.waitUntil(lambda: window.view.banner.isVisible(), timeout=10_000)
    assert window.view.banner.label.text().startswith("Could not fetch 2611.04242: ")
    assert window.view.search.text() == "2611.04242"
    assert window.view.welcome.title.text() == "Not in your library"


def test_import_a_file_and_a_malformed_one(qtbot, make_window, library, tmp_path: Path):
    good = tmp_path / "papers.jsonl"
    good.write_text("\n".join(json.dumps({"arxiv_id": f"2611.0900{n}", "title": f"Imported {n}",
                                          "authors": ["A. Author"], "starred": n == 1})
                              for n in range(2)) + "\n", encoding="utf-8")
    window = make_window()
    window.sidebar.select_label("All")
    window.adder().import_file(str(good))
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.09000", "2611.09001"}, timeout=10_000)
    assert window.view.status_text.text() == "Imported papers.jsonl: 2 new, 0 updated"
    assert library.get("2611.09001").starred

    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"arxiv_id": "2611.09100", "title": "Fine"}\n{"arxiv_id": \n',
                   encoding="utf-8")
    window.adder().ask_file = lambda: str(bad)
    window.actions["import_papers"].trigger()
    qtbot.waitUntil(lambda: window.view.banner.isVisible(), timeout=10_000)
    text = window.view.banner.label.text()
    assert text == f"Import failed — {bad}: line 2: not valid JSON (Expecting value at column " \
        "1); nothing was imported"
    assert window.view.status_text.text() == "Nothing imported from broken.jsonl"
    idle(qtbot, window)
    assert shown_keys(window) == {"2611.09000", "2611.09001"}  # nothing from the bad file


def test_no_matches_offers_an_arxiv_search_that_adds_papers(qtbot, make_window, library,
                                                            http_server, monkeypatch):
    def answer(request: Request) -> Response:
        assert request.query["search_query"] == ['all:okapi AND au:garcia ANDNOT all:survey']
        entries = [api_entry("2611.05001", 1, "Okapi herds observed"),
                   api_entry("2611.05002", 1, "Counting okapis")]
        return Response(200, api_feed(entries), ATOM_TYPE)

    http_server.route("/api/query", answer)
    monkeypatch.setenv("READINGLIST_ARXIV_API_URL", f"{http_server.url}/api/query")
    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0")
    library.merge_records([record(1)])
    window = make_window()
    search_for(qtbot, window, "okapi author:garcia -survey")
    assert window.view.welcome.title.text() == "No matches"
    assert window.view.welcome.primary.text() == "Search arXiv"
    window.view.welcome.primary.click()
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.05001", "2611.05002"}, timeout=10_000)
    assert window.view.status_text.text() == "arXiv search: 2 new papers"
    assert window.view.search.text() == "okapi author:garcia -survey"
    assert http_server.requests[0].query["max_results"] == ["50"]


def test_searches_arxiv_cannot_answer_offer_no_arxiv_search(qtbot, make_window, library):
    window = make_window()
    search_for(qtbot, window, "tag:nothing is:unread")
    assert window.view.welcome.title.text() == "No matches"
    assert window.view.welcome.primary.text() == "Clear search"
    window.sidebar.select_label("Starred")
    search_for(qtbot, window, "okapi")
    labels = [b.text() for b in window.view.welcome.buttons if b.isVisibleTo(window.view)]
    assert labels == ["Search the text of your PDFs", "Clear search"]  # arXiv's would not be here


def test_export_the_list_or_the_selection(qtbot, make_window, library, tmp_path: Path):
    library.merge_records([record(1), record(2), record(3)])
    library.tag(["2611.00002", "2611.00003"], add=["long context"])
    window = make_window()
    window.sidebar.select_label("All")
    idle(qtbot, window)
    asked = []
    exporter = window.exporter()

    def ask(title, stem):
        asked.append((title, stem))
        return str(tmp_path / stem), "jsonl"

    exporter.ask_path = ask
    messages = []
    exporter.message.connect(messages.append)
    window.actions["export_papers"].trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert asked == [("Export the papers in All", "all")]
    assert messages == ["Exported 3 papers to all.jsonl"]
    lines = (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["arxiv_id"] for line in lines] == \
        [window.papers.model.row_at(p).key for p in range(3)]  # in the list's order

    window.papers.select_position(0)
    qtbot.keyClick(window.view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert len(window.papers.selected_ids()) == 2
    exporter.ask_path = lambda title, stem: (str(tmp_path / "two.bib"), "bibtex")
    exporter.export()
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=10_000)
    assert messages[-1] == "Exported 2 papers to two.bib"
    assert (tmp_path / "two.bib").read_text(encoding="utf-8").count("@misc{") == 2


def _drop(window, urls=(), text=""):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    if urls:
        mime.setUrls([QUrl.fromLocalFile(u) if u.startswith("/") else QUrl(u) for u in urls])
    if text:
        mime.setText(text)
    event = QDropEvent(QPointF(400, 300), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.view.dropEvent(event)


def test_dropping_a_file_imports_it_and_dropping_a_link_finds_the_paper(
        qtbot, make_window, library, tmp_path: Path):
    library.merge_records([record(1)])
    path = tmp_path / "dropped.jsonl"
    path.write_text(json.dumps({"arxiv_id": "2611.09500", "title": "Dropped in"}) + "\n",
                    encoding="utf-8")
    window = make_window()
    idle(qtbot, window)
    _drop(window, urls=[str(path)])
    qtbot.waitUntil(lambda: window.view.status_text.text() ==
                    "Imported dropped.jsonl: 1 new, 0 updated", timeout=10_000)
    assert library.get("2611.09500").title == "Dropped in"
    bib = tmp_path / "zotero.bib"  # a reference manager's export
    bib.write_text("@article{a, title={From {Zotero}}, eprint={2611.09501}, "
                   "archivePrefix={arXiv}}\n@book{b, title={No identifier}}\n", encoding="utf-8")
    _drop(window, urls=[str(bib)])
    qtbot.waitUntil(lambda: window.view.status_text.text() == "Imported zotero.bib: 1 new, 0 "
                    "updated; 1 without an arXiv id, DOI or URL skipped", timeout=10_000)
    assert library.get("2611.09501").title == "From Zotero"

    _drop(window, urls=["https://arxiv.org/abs/2611.00001v2"])
    idle(qtbot, window)
    assert window.view.search.text() == "2611.00001"
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.00001"}, timeout=10_000)

    messages = []
    window.adder().message.connect(messages.append)
    _drop(window, text="just some words")
    assert messages and messages[0].startswith("Not a paper id or link")


def test_export_takes_the_format_from_the_typed_name_else_the_filter(qtbot, make_window,
                                                                     library, tmp_path: Path):
    library.merge_records([record(1)])
    window = make_window()
    exporter = window.exporter()
    messages = []
    exporter.message.connect(messages.append)
    exporter.ask_path = lambda title, stem: (str(tmp_path / "refs.ris"), "bibtex")
    exporter.export()
    qtbot.waitUntil(lambda: len(messages) == 1, timeout=10_000)
    assert (tmp_path / "refs.ris").read_text(encoding="utf-8").startswith("TY  - ")
    exporter.ask_path = lambda title, stem: (str(tmp_path / "inbox"), "csl-json")
    exporter.export()
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=10_000)
    assert messages[-1] == "Exported 1 paper to inbox.json"
    assert json.loads((tmp_path / "inbox.json").read_text(encoding="utf-8"))[0]["type"] == \
        "article"


def test_add_papers_by_doi_finds_the_paper_with_it(qtbot, make_window, library):
    import dataclasses

    library.merge_records([dataclasses.replace(record(1), doi="10.1000/abc")])
    window = make_window()
    assert window.adder().add_ids("https://doi.org/10.1000/ABC")
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.00001"}, timeout=10_000)
    assert window.view.search.text() == "id:doi:10.1000/abc"


def test_ctrl_shift_f_searches_arxiv_even_with_local_matches(qtbot, make_window, library,
                                                             http_server, monkeypatch):
    def answer(request: Request) -> Response:
        assert request.query["search_query"] == ["all:okapi"]
        return Response(200, api_feed([api_entry("2611.05001", 1, "Okapi herds")]), ATOM_TYPE)

    http_server.route("/api/query", answer)
    monkeypatch.setenv("READINGLIST_ARXIV_API_URL", f"{http_server.url}/api/query")
    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0")
    library.merge_records([record(1, title="Okapi in the library")])
    window = make_window()
    messages = []
    window.view.statusBar().messageChanged.connect(messages.append)
    window.actions["search_arxiv"].trigger()  # nothing typed yet: says what to do
    assert messages and "in the search first" in messages[-1]
    search_for(qtbot, window, "okapi")
    assert shown_keys(window) == {"2611.00001"}
    window.actions["search_arxiv"].trigger()
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.00001", "2611.05001"}, timeout=10_000)
    assert window.view.status_text.text() == "arXiv search: 1 new paper"


def test_export_notes_to_a_markdown_folder(qtbot, make_window, library, tmp_path: Path):
    library.merge_records([record(1), record(2)])
    library.set_note("2611.00001", "Read §3 again")
    window = make_window()
    exporter = window.exporter()
    exporter.ask_folder = lambda: str(tmp_path / "vault")
    messages = []
    exporter.message.connect(messages.append)
    window.actions["export_vault"].trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    assert messages[0] == f"Notes: 1 page written, 0 unchanged in {tmp_path / 'vault'}"
    assert "Read §3 again" in (tmp_path / "vault" / "2611.00001.md").read_text(encoding="utf-8")


def test_importing_a_zotero_export_offers_its_pdfs(qtbot, make_window, library,
                                                  tmp_path: Path):
    from tests.pdf.pdfgen import make_paper

    make_paper(tmp_path / "a.pdf", pages=2)
    bib = tmp_path / "zotero.bib"
    bib.write_text(f"@article{{a, title={{With PDF}}, eprint={{2611.09600}}, "
                   f"archivePrefix={{arXiv}}, file={{{tmp_path / 'a.pdf'}}}}}\n"
                   f"@article{{b, title={{Gone}}, doi={{10.1234/gone}}, "
                   f"file={{{tmp_path / 'gone.pdf'}}}}}\n", encoding="utf-8")
    window = make_window()
    adder = window.adder()
    asked = []
    adder.ask_attach = lambda name, count: asked.append((name, count)) or True
    adder.import_file(str(bib))
    qtbot.waitUntil(lambda: window.view.status_text.text().startswith("Attached"),
                    timeout=10_000)
    assert asked == [("zotero.bib", 2)]
    assert window.view.status_text.text() == "Attached 1 of 2 PDFs from zotero.bib"
    assert "gone.pdf: missing" in window.view.banner.label.text()
    assert [p.key for p in library.list(view="all", query="pdf:needle")] == ["2611.09600"]
