"""Feed rules: saved and synced like settings, run on the papers each fetch brings."""

from __future__ import annotations

import json
from datetime import date

import pytest

from readinglist.cli.main import run
from readinglist.core.errors import InputError
from readinglist.services.fetch import FetchService
from readinglist.services.library import Library
from readinglist.services.rules import RuleBook
from tests.foundation.test_library import _log
from tests.helpers.httpserver import Request, Response, TestServer
from tests.sources.wire import JSON_TYPE, hf_item, json_bytes


def serve_day(server: TestServer) -> None:
    items = [hf_item("2608.00001", "Diffusion models for video", listed=date(2026, 8, 11)),
             hf_item("2608.00002", "A survey of diffusion", listed=date(2026, 8, 11)),
             hf_item("2608.00003", "Protein folding at scale", listed=date(2026, 8, 11))]

    def handler(request: Request) -> Response:
        return Response(200, json_bytes(items), JSON_TYPE)

    server.route("/api/daily_papers", handler)


def test_rules_run_on_the_papers_a_fetch_brings(service: FetchService, server: TestServer,
                                                library: Library) -> None:
    book = RuleBook(library)
    book.save("vision", "diffusion -survey", ["star"], ["Video Gen"])
    book.save("no surveys", "survey", ["read", "archive"])
    serve_day(server)
    [result] = service.fetch_hf_daily(date(2026, 8, 11))
    assert result.ok and result.new == 3
    assert "rule 'vision': 1 paper" in result.note and "rule 'no surveys': 1 paper" in result.note
    video, survey, protein = (library.get(f"2608.0000{i}") for i in (1, 2, 3))
    assert video.starred and video.tags == ("video gen",) and not video.read
    assert survey.read and survey.archived and not survey.starred
    assert not (protein.starred or protein.read or protein.archived or protein.tags)
    library.mark([video.key], "starred", False)  # rules act on arrival only
    [again] = service.fetch_hf_daily(date(2026, 8, 11))
    assert again.new == 0 and "rule" not in again.note
    assert not library.get(video.key).starred


def test_rules_are_validated_listed_deleted_and_synced(library: Library, tmp_path) -> None:
    book = RuleBook(library)
    with pytest.raises(InputError, match="needs an action"):
        book.save("x", "diffusion")
    with pytest.raises(InputError, match="unknown rule action"):
        book.save("x", "diffusion", ["delete"])
    with pytest.raises(InputError):
        book.save("x", "since:notadate", ["star"])
    with pytest.raises(InputError, match="needs a name"):
        book.save("  ", "diffusion", ["star"])
    book.save("Ideas", "tag:todo", tags=["later"])
    assert [(r.name, r.describe()) for r in book.all()] == [("Ideas", "tag:todo → tag later")]
    other = Library(tmp_path / "other.sqlite3")
    other.apply_remote(_log(library))
    assert [r.name for r in RuleBook(other).all()] == ["Ideas"]
    book.delete("Ideas")
    with pytest.raises(InputError, match="no rule"):
        book.delete("Ideas")
    assert book.all() == []
    other.close()


def test_rule_commands(isolated_home, capsys: pytest.CaptureFixture[str]) -> None:
    lines = isolated_home / "papers.jsonl"
    lines.write_text("\n".join(json.dumps(p) for p in [
        {"arxiv_id": "2401.00001", "title": "Sparse attention", "published": "2024-01-01"},
        {"arxiv_id": "2401.00002", "title": "Dense retrieval", "published": "2024-01-02"},
    ]) + "\n", encoding="utf-8")
    assert run(["import", str(lines)]) == 0
    assert run(["rule", "add", "attn", "attention", "--star", "--tag", "llm"]) == 0
    assert "rule 'attn': attention → star, tag llm" in capsys.readouterr().out
    assert run(["rules", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"name": "attn", "query": "attention", "flags": ["star"], "tags": ["llm"]}]
    assert run(["rule", "run", "attn"]) == 0
    assert "rule 'attn': 1 paper" in capsys.readouterr().out
    assert run(["list", "--view", "starred", "--json"]) == 0
    starred = json.loads(capsys.readouterr().out)
    assert [p["arxiv_id"] for p in starred] == ["2401.00001"] and starred[0]["tags"] == ["llm"]
    assert run(["rule", "add", "bad", "attention"]) == 1
    assert "needs an action" in capsys.readouterr().err
    assert run(["rule", "remove", "attn"]) == 0
    assert run(["rules"]) == 0
    assert "no rules" in capsys.readouterr().out
    assert run(["rule", "remove", "attn"]) == 1
