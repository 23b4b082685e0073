"""A tag renamed on one machine is renamed on the others, saved searches included."""

from __future__ import annotations

from readinglist.services import tag_admin
from readinglist.services.library import Library
from readinglist.sync.folder import FolderStorage
from tests.sync.helpers import canonical, record, sync


def tags_of(library: Library) -> dict[str, list[str]]:
    return {p.key: sorted(p.tags) for p in library.list(view="all") if p.tags}


def test_a_rename_syncs_and_a_concurrent_new_use_of_the_old_name_survives(
        replicas: list[Library], folder_remote: FolderStorage) -> None:
    a, b, _ = replicas
    a.merge_records([record(1), record(2), record(3)])
    a.tag(["2401.00001", "2401.00002"], add=["rl"])
    a.save_search("RL", "tag:rl is:unread")
    sync(a, folder_remote)
    sync(b, folder_remote)
    assert tags_of(b) == {"2401.00001": ["rl"], "2401.00002": ["rl"]}

    tag_admin.rename_tag(a, "rl", "reinforcement learning")
    b.tag(["2401.00003"], add=["rl"])  # offline on the other machine meanwhile
    for library in (a, b, a):
        sync(library, folder_remote)

    expected = {"2401.00001": ["reinforcement learning"],
                "2401.00002": ["reinforcement learning"], "2401.00003": ["rl"]}
    assert tags_of(a) == tags_of(b) == expected
    assert [s.query for s in b.saved_searches()] == ['tag:"reinforcement learning" is:unread']
    assert canonical(a)["tags"] == canonical(b)["tags"]
