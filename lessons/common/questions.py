"""A lesson's questions as data: what is asked, which answer is right, and what "show me" sets on the page.

A question's texts live in its page's strings.py under `q.<id>.*`: `prompt`, `opt.<option>` for each option,
`why` (the explanation shown after checking) and `show` (the label of the "show me" button, if it has one).
Where the right answer depends on the machine (PyTorch's int8 kernels add differently on CPUs with and without
VNNI), `correct` maps each `regime` to its option, `regime()` measures which one holds here, and each has its
own `why.<regime>`; the test then holds `derive()` to `correct[regime()]`, two measurements that must agree.
Every text of a question is formatted with the same `facts()`: the numbers it states, computed from qlib or
the lesson's own code, never typed in. `derive()` works the right answer out from the same code, and
tests/lessons/test_questions.py holds `correct` to it, so a question cannot state a wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

WidgetValue = int | float | str | bool | tuple[float, float]


def _no_facts() -> Mapping[str, object]:
    return {}


class Computed(Mapping[str, WidgetValue]):
    """The "show me" values worked out from the library on first use (a sample that shows it, say), then kept."""

    def __init__(self, compute: Callable[[], Mapping[str, WidgetValue]]) -> None:
        self._compute = cache(compute)

    def __getitem__(self, key: str) -> WidgetValue:
        return self._compute()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._compute())

    def __len__(self) -> int:
        return len(self._compute())


def _once(facts: Callable[[], Mapping[str, object]]) -> Callable[[], Mapping[str, object]]:
    """`facts` computed on the first call and kept, read-only."""
    if getattr(facts, "once", False):
        return facts

    @cache
    def kept() -> Mapping[str, object]:
        return MappingProxyType(dict(facts()))

    kept.once = True  # type: ignore[attr-defined]
    return kept


@dataclass(frozen=True)
class Question:
    """One question: its id, its options' ids, the right one, the widget values that show it, its numbers."""

    id: str  # stable: strings `q.<id>.*`, widgets `q_<page>_<id>*`
    options: tuple[str, ...]
    correct: str | Mapping[str, str]  # the right option, or per regime: regime -> option
    derive: Callable[[], str]  # the right option, worked out from the library (the test compares it)
    # widget key -> value (or a Computed one); empty: no "show me" button
    show: Mapping[str, WidgetValue] = field(default_factory=dict)
    facts: Callable[[], Mapping[str, object]] = _no_facts  # the numbers the texts put in
    regime: Callable[[], str] | None = None  # which of `correct`'s regimes holds on this machine

    def __post_init__(self) -> None:
        per_regime = not isinstance(self.correct, str)
        if per_regime != (self.regime is not None):
            raise ValueError(f"question {self.id}: a correct answer per regime needs regime(), and only then")
        answers = tuple(self.correct.values()) if per_regime else (self.correct,)
        if not answers or any(a not in self.options for a in answers):
            raise ValueError(f"question {self.id}: {self.correct!r} is not one of {self.options}")
        if per_regime:
            object.__setattr__(self, "correct", MappingProxyType(dict(self.correct)))
        if len(set(self.options)) != len(self.options) or not 2 <= len(self.options) <= 5:
            raise ValueError(f"question {self.id}: 2 to 5 distinct options, got {self.options}")
        # the numbers are the library's and never change: worked out once per process (on first use, so
        # importing a page computes nothing), not on every rerun of the page
        object.__setattr__(self, "facts", _once(self.facts))
        # a Computed one stays lazy: importing a page computes nothing
        if not isinstance(self.show, Computed):
            object.__setattr__(self, "show", MappingProxyType(dict(self.show)))

    def key(self, part: str) -> str:
        """The string key of one of its texts: 'prompt', 'why', 'show' or 'opt.<option>'."""
        return f"q.{self.id}.{part}"

    def answer(self) -> str:
        """The right option here: `correct`, or its option for the regime this machine is in."""
        return self.correct if isinstance(self.correct, str) else self.correct[self.regime()]

    def why_part(self) -> str:
        """The part of the explanation shown here: 'why', or 'why.<regime>' for this machine's regime."""
        return "why" if self.regime is None else f"why.{self.regime()}"

    def why_parts(self) -> tuple[str, ...]:
        """Every explanation the question has: 'why', or one per regime."""
        return ("why",) if isinstance(self.correct, str) else tuple(f"why.{r}" for r in self.correct)

    def string_keys(self) -> tuple[str, ...]:
        """Every string key the question needs (the test checks both languages have them)."""
        show = ("show",) if self.show else ()
        return tuple(
            self.key(p) for p in ("prompt", *self.why_parts(), *show, *(f"opt.{o}" for o in self.options))
        )

    def widget_key(self, page: str, part: str = "") -> str:
        """A stable widget key: `q_<page>_<id>` for the choice, with `_<part>` for its buttons."""
        return f"q_{page}_{self.id}" + (f"_{part}" if part else "")
