"""``readinglist config`` and the settings file: every value checked, nothing else touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli.main import run
from readinglist.core.errors import InputError
from readinglist.services.config import RULES, Settings


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_lists_every_setting_with_its_default(capsys, isolated_home: Path) -> None:
    code, out, _ = cli(capsys, "config")
    assert code == 0
    lines = dict(line.split(None, 1) for line in out.splitlines())
    assert set(lines) == set(RULES)
    assert lines["pdf_max_mb"] == "200" and lines["rss_include_replacements"] == "false"
    code, out, _ = cli(capsys, "config", "--json")
    assert json.loads(out) == Settings().values()
    assert not (isolated_home / "config.json").exists()  # reading writes nothing


def test_set_get_and_reset_are_saved(capsys, isolated_home: Path) -> None:
    assert cli(capsys, "config", "pdf-max-mb", "400") == (0, "pdf_max_mb = 400\n", "")
    assert cli(capsys, "config", "rss_include_replacements", "yes")[1] == \
        "rss_include_replacements = true\n"
    assert cli(capsys, "config", "theme", "Dark")[1] == "theme = dark\n"
    assert cli(capsys, "config", "pdf_max_mb") == (0, "400\n", "")
    saved = json.loads((isolated_home / "config.json").read_text(encoding="utf-8"))
    assert (saved["pdf_max_mb"], saved["rss_include_replacements"], saved["theme"]) == \
        (400, True, "dark")
    assert cli(capsys, "config", "--reset", "pdf_max_mb") == (0, "pdf_max_mb = 200\n", "")
    code, out, _ = cli(capsys, "config", "--json", "theme")
    assert (code, json.loads(out)) == (0, {"theme": "dark"})
    assert Settings.load(isolated_home / "config.json").pdf_max_mb == 200


@pytest.mark.parametrize(("args", "message"), [
    (("theme", "purple"), "theme takes system | light | dark, not 'purple'"),
    (("hf_backfill_days", "9"), "hf_backfill_days takes 1–7 days, not '9'"),
    (("pdf_max_mb", "lots"), "pdf_max_mb takes 1–4096 MB, not 'lots'"),
    (("fetch_on_start", "maybe"), "fetch_on_start takes true or false, not 'maybe'"),
    (("colour", "red"), "no setting 'colour'; the settings are: fetch_on_start"),
    (("sync", "x"), "sync is set with 'readinglist sync setup folder|webdav'"),
])
def test_bad_names_and_values_are_refused_and_change_nothing(
        capsys, isolated_home: Path, args: tuple[str, str], message: str) -> None:
    cli(capsys, "config", "pdf_max_mb", "300")
    before = (isolated_home / "config.json").read_bytes()
    code, out, err = cli(capsys, "config", *args)
    assert code == 1 and out == ""
    assert err.startswith(f"readinglist: error: {message}")
    assert "Traceback" not in err
    assert (isolated_home / "config.json").read_bytes() == before


def test_setting_a_value_keeps_the_sync_settings(capsys, isolated_home: Path) -> None:
    Settings(sync={"transport": "folder", "path": "/srv/sync"}).save(isolated_home / "config.json")
    cli(capsys, "config", "mark_read", "never")
    saved = Settings.load(isolated_home / "config.json")
    assert saved.mark_read == "never"
    assert saved.sync == {"transport": "folder", "path": "/srv/sync"}


def test_a_hand_edited_file_with_wrong_values_falls_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"theme": "purple", "hf_backfill_days": 60, "pdf_max_mb": True,
                                "mark_read": "select", "unknown": 1}), encoding="utf-8")
    settings = Settings.load(path)
    assert (settings.theme, settings.hf_backfill_days, settings.pdf_max_mb) == \
        ("system", 7, 200)
    assert settings.mark_read == "select"


def test_reload_updates_a_running_apps_settings_in_place(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    settings = Settings(mark_read="never")
    settings.reload(path)  # no file yet: nothing changes
    assert settings.mark_read == "never"
    on_disk = Settings(mark_read="select", rss_include_replacements=True)
    on_disk.save(path)
    settings.reload(path)
    assert (settings.mark_read, settings.rss_include_replacements) == ("select", True)


def test_set_text_parses_each_type() -> None:
    settings = Settings()
    assert settings.set_text("FETCH_ON_START", " off ") is False
    assert settings.set_text("fetch-interval-minutes", "0") == 0
    with pytest.raises(InputError, match="200–10000 ms"):
        settings.set_text("mark_read_dwell_ms", "50")


def test_help_lists_what_each_setting_takes(capsys) -> None:
    with pytest.raises(SystemExit):
        run(["config", "--help"])
    out = capsys.readouterr().out
    for name, rule in RULES.items():
        assert name in out
    assert "1–7 days (default 7)" in out
