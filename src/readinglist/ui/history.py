"""Back and forward between lists, as in a browser or NetNewsWire: after ``l``, a pasted id or
a sidebar switch, Alt+Left returns to the list you came from with the paper you were on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    """A list and the paper that was current in it."""

    entry_ident: str
    search: str
    key: str | None


class History:
    """Two stacks of places; a new visit clears the forward stack."""

    LIMIT = 50

    def __init__(self) -> None:
        self.back: list[Place] = []
        self.forward: list[Place] = []

    def visit(self, left: Place) -> None:
        """``left`` is the place being left for a new one."""
        if self.back and self.back[-1] == left:
            return
        self.back.append(left)
        del self.back[:-self.LIMIT]
        self.forward.clear()

    def go_back(self, here: Place) -> Place | None:
        """The place to return to (``here`` becomes reachable with ``go_forward``)."""
        if not self.back:
            return None
        self.forward.append(here)
        return self.back.pop()

    def go_forward(self, here: Place) -> Place | None:
        if not self.forward:
            return None
        self.back.append(here)
        return self.forward.pop()
