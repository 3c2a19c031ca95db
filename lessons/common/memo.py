"""Values derived from a finished object (a trained run, a model), kept for as long as that object lives.

A run the class shares is one object in every session (ui.training hands each the pool's result), so what a page
derives from it, keyed here by that object, is computed once for the whole class, not once per page and rerun.
Only for objects nothing changes after they are made; the owner is held weakly, so a session that lets its run go
takes the derived values with it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

V = TypeVar("V")

# id(owner) -> (a weak reference to it, its values)
_KEPT: dict[int, tuple[weakref.ref, dict[Hashable, object]]] = {}
_LOCK = threading.RLock()  # re-entrant: a collection inside a locked section may run _forget on this thread
_MISSING = object()


def kept(owner: object, key: Hashable, build: Callable[[], V]) -> V:
    """build()'s value for (owner, key): computed on the first call, then the same object while owner lives.

    Keyed by the owner's identity, not its equality (frozen dataclasses of tensors and arrays do not hash)."""
    with _LOCK:
        entry = _KEPT.get(id(owner))
        known = entry[1].get(key, _MISSING) if entry is not None and entry[0]() is owner else _MISSING
    if known is _MISSING:
        known = build()  # outside the lock: two sessions may both build it once; both values are equal
        with _LOCK:
            entry = _KEPT.get(id(owner))
            if entry is None or entry[0]() is not owner:
                entry = _KEPT[id(owner)] = (weakref.ref(owner, _forget(id(owner))), {})
            known = entry[1].setdefault(key, known)
    return known  # type: ignore[return-value]


def _forget(ident: int) -> Callable[[weakref.ref], None]:
    """The callback that drops an owner's values when it is collected (unless its id already has a new owner).

    It holds the table and the lock itself: an owner collected at interpreter exit calls it after the module's
    globals are gone."""
    table, lock = _KEPT, _LOCK

    def drop(ref: weakref.ref) -> None:
        with lock:
            if ident in table and table[ident][0] is ref:
                del table[ident]

    return drop


def owners() -> int:
    """How many live objects have values kept (for tests)."""
    with _LOCK:
        return len(_KEPT)
