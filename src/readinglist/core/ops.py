"""Operations: every change to the library, as recorded in the op log and replayed by sync.

An operation is ``(device_id, seq, hlc, entity, entity_id, kind, field, value, deps)``.
Merge rules per entity (see SYNC.md §3.4):

========== ========= ============================================================
entity     kind      rule
========== ========= ============================================================
paper      upsert    metadata from the highest version (ties: latest HLC), categories
                     and sources united (``source``+``seen_at`` or ``sources`` {name: seen}),
                     upvotes and withdrawn last-writer-wins
paper      set       LWW register per field: read, starred, archived, deleted
                     (``field`` empty: ``value`` is a dict setting several flags)
tag        add       add-wins OR-set: the op id is the add's identity
tag        remove    removes the add ids listed in ``value`` (the adds observed)
note       edit      multi-value register; ``deps`` names the versions edited from
annotation create    a new annotation (``entity_id`` is its UUID)
annotation set       LWW per field: color, comment, deleted, …
position   set       LWW per (paper, device); ``field`` is the device id
setting    set       LWW per key (subscriptions, saved searches); value None deletes
========== ========= ============================================================
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

ENTITIES = ("paper", "tag", "note", "annotation", "position", "setting")
PAPER_FLAGS = ("read", "starred", "archived", "deleted")
ANNOTATION_FIELDS = ("color", "comment", "deleted", "kind", "text", "quads", "page")


@dataclass(frozen=True, slots=True)
class Op:
    """One recorded change."""

    device_id: str
    seq: int
    hlc: str
    entity: str
    entity_id: str
    kind: str
    field: str = ""
    value: Any = None
    deps: tuple[str, ...] = dc_field(default_factory=tuple)

    @property
    def op_id(self) -> str:
        return f"{self.device_id}:{self.seq}"

    @property
    def order_key(self) -> tuple[str, str]:
        """Total LWW order identical on every replica: (hlc, device id)."""
        return (self.hlc, self.device_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "d": self.device_id, "s": self.seq, "h": self.hlc, "e": self.entity,
            "i": self.entity_id, "k": self.kind, "f": self.field, "v": self.value,
            "p": list(self.deps),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Op":
        return cls(
            device_id=str(data["d"]), seq=int(data["s"]), hlc=str(data["h"]),
            entity=str(data["e"]), entity_id=str(data["i"]), kind=str(data["k"]),
            field=str(data.get("f") or ""), value=data.get("v"),
            deps=tuple(str(d) for d in data.get("p") or ()),
        )

    def dumps(self) -> str:
        return json.dumps(self.to_json(), separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class OpDraft:
    """An operation before the service layer stamps it with device, seq and clock."""

    entity: str
    entity_id: str
    kind: str
    field: str = ""
    value: Any = None
    deps: tuple[str, ...] = ()
