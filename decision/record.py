"""Recorders for what the rules read (clinical-spec.md section 10, ``decided_by``).

The rules in :mod:`decision.rules` read facts, thresholds and other options' statuses through
their arguments. :func:`run` hands them recorders instead of the plain objects, so every read is
noted against the option or assessment being decided. The facts read become case inputs through
:data:`~decision.facts.FACT_INPUTS`; thresholds are the profile's windows and values by id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .facts import FACT_INPUTS, FACT_THRESHOLDS, Facts
from .kb import Profile, Value, Window
from .rules import Board, apply

CRITERION = "history_cerclage_criterion"
POLICY = "ultrasound_cerclage_policy"


class _Reads:
    __slots__ = ("current", "facts", "statuses", "thresholds")

    def __init__(self) -> None:
        self.facts: dict[str, set[str]] = {}
        self.thresholds: dict[str, set[str]] = {}
        self.statuses: dict[str, set[str]] = {}
        self.current = ""

    def start(self, item: str) -> None:
        self.current = item
        self.facts[item] = set()
        self.thresholds[item] = set()
        self.statuses[item] = set()


class _FactReader:
    __slots__ = ("_f", "_reads")

    def __init__(self, f: Facts, reads: _Reads):
        self._f = f
        self._reads = reads

    def __getattr__(self, name: str) -> Any:
        self._reads.facts[self._reads.current].add(name)
        return getattr(self._f, name)


class _ThresholdReader:
    __slots__ = ("_p", "_reads")

    def __init__(self, p: Profile, reads: _Reads):
        self._p = p
        self._reads = reads

    def window(self, key: str) -> Window:
        self._reads.thresholds[self._reads.current].add(key)
        return self._p.window(key)

    def value(self, key: str) -> Value:
        self._reads.thresholds[self._reads.current].add(key)
        return self._p.value(key)

    @property
    def ultrasound_cerclage(self) -> Any:
        self._reads.thresholds[self._reads.current].add(POLICY)
        return self._p.ultrasound_cerclage

    @property
    def history_cerclage(self) -> Any:
        self._reads.thresholds[self._reads.current].add(CRITERION)
        return self._p.history_cerclage


class _StatusReader(Mapping[str, str]):
    __slots__ = ("_reads", "_s")

    def __init__(self, reads: _Reads, statuses: dict[str, str]):
        self._reads = reads
        self._s = statuses

    def __getitem__(self, key: str) -> str:
        self._reads.statuses[self._reads.current].add(key)
        return self._s[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._s)

    def __len__(self) -> int:
        return len(self._s)


class Recorded:
    """What each option and assessment read: input paths and threshold ids, transitively closed over
    the other statuses it read (``inputs``, ``thresholds``: what decided it) and its own rule's reads
    alone (``direct_inputs``, ``direct_thresholds``: where its would-change candidates come from)."""

    __slots__ = ("direct_inputs", "direct_thresholds", "inputs", "thresholds")

    def __init__(self, inputs: dict[str, frozenset[str]], thresholds: dict[str, frozenset[str]],
                 direct_inputs: dict[str, frozenset[str]], direct_thresholds: dict[str, frozenset[str]]):
        self.inputs = inputs
        self.thresholds = thresholds
        self.direct_inputs = direct_inputs
        self.direct_thresholds = direct_thresholds


def run(f: Facts, p: Profile) -> tuple[Board, Recorded]:
    """Apply the rules with recorders; return the board and, per item, the inputs and thresholds read."""
    reads = _Reads()
    fr, tr = _FactReader(f, reads), _ThresholdReader(p, reads)
    board = apply(f, p, f_reader=fr, t_reader=tr, on_item=reads.start,
                  status_view=lambda statuses: _StatusReader(reads, statuses))
    inputs: dict[str, frozenset[str]] = {}
    thresholds: dict[str, frozenset[str]] = {}
    direct_inputs: dict[str, frozenset[str]] = {}
    direct_thresholds: dict[str, frozenset[str]] = {}
    for item in board.status:  # decision order: what an item read was settled before it
        own_inputs: set[str] = set()
        own_thresholds = set(reads.thresholds[item])
        for fact in reads.facts[item]:
            own_inputs.update(FACT_INPUTS[fact])
            own_thresholds.update(FACT_THRESHOLDS.get(fact, ()))
        direct_inputs[item] = frozenset(own_inputs)
        direct_thresholds[item] = frozenset(own_thresholds)
        for other in reads.statuses[item]:
            own_inputs |= inputs[other]
            own_thresholds |= thresholds[other]
        inputs[item] = frozenset(own_inputs)
        thresholds[item] = frozenset(own_thresholds)
    return board, Recorded(inputs, thresholds, direct_inputs, direct_thresholds)

