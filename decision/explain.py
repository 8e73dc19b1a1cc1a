"""Explanations (clinical-spec.md section 10): what decided each status.

``decided_by`` lists the case inputs (field path and value, ``None`` meaning absent / not
measured) and the profile thresholds (id, value, sources) that the deciding rules read, as
recorded by :mod:`decision.record` while they ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from . import ga as galib
from .case import Case, GestationalAge, _cross_field_errors
from .kb import Knowledge, Profile, Value, Window
from .record import CRITERION, POLICY

# Contract field order (contract.md, input): the order inputs are listed and tried in.
INPUT_ORDER: tuple[str, ...] = (
    "gestational_age",
    "plurality",
    "history.second_trimester_losses_painless_dilation",
    "history.spontaneous_preterm_births_before_34w",
    "history.prior_cerclage_for_painless_dilation",
    "history.cervical_surgery",
    "history.in_utero_des_exposure",
    "history.uterine_or_cervical_anomaly",
    "history.cervical_trauma",
    "cervix.length_mm",
    "cervix.dilation_cm",
    "cervix.funneling",
    "cervix.membranes_at_or_beyond_external_os",
    "cervix.membranes_prolapsed_into_vagina",
    "serial_cervical_lengths",
    "membranes.status",
    "membranes.rupture_gestational_age",
    "cerclage_in_place",
    "cerclage_type",
    "treatments.antenatal_corticosteroids_ga",
    "treatments.antenatal_corticosteroid_courses",
    "rhd_negative",
    "red_flags.regular_contractions_or_labor",
    "red_flags.vaginal_bleeding",
    "red_flags.signs_of_intraamniotic_infection",
    "red_flags.fetal_demise",
    "red_flags.lethal_fetal_anomaly",
)
_RANK = {path: i for i, path in enumerate(INPUT_ORDER)}


def input_value(case: Case, path: str) -> Any:
    """The case's value at a contract field path, as JSON (GA as ``W+D``; ``None`` when absent)."""
    node: Any = case
    for part in path.split("."):
        node = getattr(node, part)
    if path == "serial_cervical_lengths":
        return [f"{m.gestational_age.label}: {m.length_mm:g} mm" for m in node] or None
    if hasattr(node, "total_days"):
        return galib.label(node.total_days)
    return node


def _threshold(p: Profile, key: str) -> tuple[Any, tuple[str, ...]]:
    if key == CRITERION:
        return p.history_cerclage.label, tuple(p.history_cerclage.sources)
    if key == POLICY:
        return "ultrasound-indicated cerclage and progesterone policy", tuple(p.ultrasound_cerclage.sources)
    item: Window | Value = p.windows[key] if key in p.windows else p.values[key]
    if isinstance(item, Window):
        return item.text, tuple(item.sources)
    return item.value, tuple(item.sources)


def threshold_sources(p: Profile, key: str) -> tuple[str, ...]:
    return _threshold(p, key)[1]


_OWN: dict[tuple[int, str], tuple[Knowledge, frozenset[str]]] = {}


def _own(profile: str, kb: Knowledge) -> frozenset[str]:
    default = kb.profiles["acog"]
    p = kb.profiles[profile]
    if p is default:
        return frozenset()
    keys = {k for k in p.windows if p.windows[k] != default.windows.get(k)}
    keys |= {k for k in p.values if p.values[k] != default.values.get(k)}
    if p.history_cerclage != default.history_cerclage:
        keys.add(CRITERION)
    if p.ultrasound_cerclage != default.ultrasound_cerclage:
        keys.add(POLICY)
    return frozenset(keys)


def profile_own_thresholds(kb: Knowledge, profile: str) -> frozenset[str]:
    """The thresholds a non-default profile sets differently from ``acog`` (its own sources cite it)."""
    cached = _OWN.get((id(kb), profile))
    if cached is None or cached[0] is not kb:
        cached = (kb, _own(profile, kb))
        _OWN[(id(kb), profile)] = cached
    return cached[1]


_ENTRIES: dict[tuple[int, str], tuple[Profile, Mapping[str, Any]]] = {}


def _threshold_entry(p: Profile, key: str) -> Mapping[str, Any]:
    cached = _ENTRIES.get((id(p), key))
    if cached is None or cached[0] is not p:
        value, sources = _threshold(p, key)
        entry = {"threshold": key, "value": value, "source": sources[0] if sources else None, "sources": list(sources)}
        cached = (p, entry)
        _ENTRIES[(id(p), key)] = cached
    return cached[1]


class DecidedBy:
    """Builds ``decided_by`` entries for one case: input values are read once per case."""

    __slots__ = ("_inputs", "_p")

    def __init__(self, case: Case, p: Profile):
        self._inputs = {path: {"input": path, "value": input_value(case, path)} for path in INPUT_ORDER}
        self._p = p

    def __call__(self, inputs: Iterable[str], thresholds: Iterable[str]) -> tuple[Mapping[str, Any], ...]:
        """Inputs (contract order) then thresholds (by id), each with its value; thresholds with sources."""
        entries = self._inputs
        out: list[Mapping[str, Any]] = [entries[path] for path in sorted(inputs, key=_RANK.__getitem__)]
        out.extend(_threshold_entry(self._p, key) for key in sorted(thresholds))
        return tuple(out)


# ---------------------------------------------------------------- would_change (section 10)
# Clinical words for each input, for the phrases of would_change and for display.
INPUT_LABELS: dict[str, str] = {
    "gestational_age": "GA",
    "plurality": "fetuses",
    "history.second_trimester_losses_painless_dilation": "second-trimester losses from painless dilation",
    "history.spontaneous_preterm_births_before_34w": "spontaneous preterm births before 34 weeks",
    "history.prior_cerclage_for_painless_dilation": "a prior cerclage for painless dilation",
    "history.cervical_surgery": "cervical surgery (cone, LEEP)",
    "history.in_utero_des_exposure": "in-utero DES exposure",
    "history.uterine_or_cervical_anomaly": "a uterine or cervical anomaly",
    "history.cervical_trauma": "cervical trauma",
    "cervix.length_mm": "cervical length",
    "cervix.dilation_cm": "dilation",
    "cervix.funneling": "funneling",
    "cervix.membranes_at_or_beyond_external_os": "membranes at or beyond the external os",
    "cervix.membranes_prolapsed_into_vagina": "membranes prolapsed into the vagina",
    "serial_cervical_lengths": "earlier cervical lengths",
    "membranes.status": "membranes",
    "membranes.rupture_gestational_age": "GA at rupture",
    "cerclage_in_place": "a cerclage in place",
    "cerclage_type": "cerclage type",
    "treatments.antenatal_corticosteroids_ga": "GA of the last steroid course",
    "treatments.antenatal_corticosteroid_courses": "steroid courses given",
    "rhd_negative": "RhD status",
    "red_flags.regular_contractions_or_labor": "regular contractions or labor",
    "red_flags.vaginal_bleeding": "active vaginal bleeding",
    "red_flags.signs_of_intraamniotic_infection": "signs of intra-amniotic infection",
    "red_flags.fetal_demise": "fetal demise",
    "red_flags.lethal_fetal_anomaly": "a lethal fetal anomaly",
}
MAX_CHANGES = 3
_GA_MIN, _GA_MAX = 4 * 7, 42 * 7 + 6


class Candidate(NamedTuple):
    path: str
    value: Any  # the new value (GA as total days)
    distance: float  # from today's value, in the input's own unit (days, mm, cm, count); booleans rank after
    numeric: bool
    phrase: str


def _set_value(case: Case, path: str, value: Any) -> Case | None:
    """``case`` with one input changed, or None when the changed case is not valid (section 5)."""
    parts = path.split(".")
    if parts[-1] in ("gestational_age", "rupture_gestational_age", "antenatal_corticosteroids_ga") and value is not None:
        value = GestationalAge(weeks=value // 7, days=value % 7)
    try:
        if len(parts) == 1:
            changed = case.model_copy(update={parts[0]: value})
        else:
            section = getattr(case, parts[0])
            changed = case.model_copy(update={parts[0]: section.model_copy(update={parts[1]: value})})
    except (TypeError, ValueError):
        return None
    return None if _cross_field_errors(changed) else changed


def _ga_candidates(today: int, edges: Iterable[int], path: str = "gestational_age") -> list[Candidate]:
    """The first day on the other side of each edge (an edge is the first day of a new region)."""
    out = []
    for edge in sorted(set(edges)):
        new = edge if today < edge else edge - 1
        if new == today or not (_GA_MIN <= new <= _GA_MAX):
            continue
        later = new > today
        phrase = f"{INPUT_LABELS[path]} {galib.label(new)} or {'later' if later else 'earlier'}"
        out.append(Candidate(path, new, abs(new - today), True, phrase))
    return out


def _edges(p: Profile, thresholds: Iterable[str]) -> list[int]:
    edges: list[int] = []
    for key in thresholds:
        if key in p.windows:
            w = p.windows[key]
            if w.start_days is not None:
                edges.append(w.start_days)
            edges.append(w.end_days + 1)
        elif key in p.values and isinstance(p.values[key].value, str):
            edges.append(p.values[key].days)
    return edges


def _number_candidates(path: str, today: float | None, points: Iterable[float], step: float, unit: str,
                       low: float, high: float) -> list[Candidate]:
    """Values either side of and at each threshold, phrased by the threshold crossed on the way there."""
    marks = sorted(set(points))
    near: set[float] = set()
    for point in marks:  # the first value on the other side of each threshold, for either comparison (< or <=)
        if today is None:
            near.update((point - step, point))
        elif today > point:
            near.update((point, point - step))
        elif today < point:
            near.update((point, point + step))
        else:
            near.update((point - step, point + step))
    values = sorted({v for v in near if low <= v <= high} - {today})
    out: list[Candidate] = []
    label = INPUT_LABELS[path]
    for new in values:
        if new in marks:
            phrase = f"{label} {new:g} {unit}"
        elif (today is not None and new < today) or (today is None and new < marks[-1]):
            phrase = f"{label} below {min(m for m in marks if m > new):g} {unit}"
        else:
            phrase = f"{label} above {max(m for m in marks if m < new):g} {unit}"
        nearest = min(abs(new - m) for m in marks)
        distance = abs(new - today) if today is not None else 1000 + nearest
        out.append(Candidate(path, new, distance, True, phrase))
    return out


def _flip(path: str, value: Any) -> list[Candidate]:
    label = INPUT_LABELS[path]
    if path == "rhd_negative":
        names = {True: "RhD-negative", False: "RhD-positive", None: "RhD status unknown"}
        return [Candidate(path, v, 0, False, names[v]) for v in (True, False, None) if v != value]
    if path == "cerclage_type":
        return [Candidate(path, v, 0, False, f"{v} cerclage") for v in ("transvaginal", "transabdominal") if v != value]
    if path == "membranes.status":
        new = "intact" if value == "ruptured" else "ruptured"
        return [Candidate(path, new, 0, False, f"membranes {new}")]
    return [Candidate(path, not value, 0, False, f"{label}: {'yes' if not value else 'no'}")]


class Candidates:
    """Single-input changes to try (section 10), built once per case and filtered per option.

    Candidates are the edges of the thresholds an option read, for the inputs it read: GA on the
    first day on the other side of each window edge, lengths 1 mm either side of each length
    threshold, dilation 0.5 cm either side of each dilation threshold, each yes/no flipped,
    plurality 1 vs 2, counts at the history criterion. Ranked by distance from today's value in
    the input's own unit, numbers before yes/no, ties in the contract's field order.
    """

    def __init__(self, case: Case, p: Profile):
        self.case = case
        self.p = p
        self._by_path: dict[str, list[Candidate]] = {}
        self._ga: dict[int, list[Candidate]] = {}

    def _path(self, path: str) -> list[Candidate]:
        found = self._by_path.get(path)
        if found is None:
            found = self._by_path[path] = _candidates_for(self.case, self.p, path)
        return found

    def _ga_edge(self, edge: int) -> list[Candidate]:
        found = self._ga.get(edge)
        if found is None:
            found = self._ga[edge] = _ga_candidates(self.case.gestational_age.total_days, [edge])
        return found

    def __call__(self, inputs: Iterable[str], thresholds: Iterable[str]) -> list[Candidate]:
        out: list[Candidate] = []
        for path in inputs:
            if path == "gestational_age":
                for edge in set(_edges(self.p, thresholds)):
                    out += self._ga_edge(edge)
            else:
                out += self._path(path)
        out.sort(key=lambda c: (not c.numeric, c.distance, _RANK[c.path], str(c.value)))
        return out


def _candidates_for(case: Case, p: Profile, path: str) -> list[Candidate]:
    value = input_value(case, path)
    out: list[Candidate] = []
    if path == "membranes.rupture_gestational_age":
        rupture = case.membranes.rupture_gestational_age
        if rupture is not None:
            out += _ga_candidates(rupture.total_days, [p.value("viability_threshold").days], path)
    elif path == "treatments.antenatal_corticosteroids_ga":
        given = case.treatments.antenatal_corticosteroids_ga
        if given is not None:
            now = case.gestational_age.total_days
            edges = [now - int(p.value(k).number) for k in ("repeat_steroids_after_days", "rescue_steroids_after_days")]
            out += _ga_candidates(given.total_days, [e + 1 for e in edges] + edges, path)
    elif path == "cervix.length_mm":
        points = [v.number for k, v in p.values.items() if k.endswith("_mm") and k != "shortening_min_drop_mm"]
        out += _number_candidates(path, case.current_length_mm, points, 1.0, "mm", 0, 80)
    elif path == "cervix.dilation_cm":
        points = [0.0, *(v.number for k, v in p.values.items() if k.endswith("_cm"))]
        out += _number_candidates(path, case.cervix.dilation_cm, points, 0.5, "cm", 0, 10)
    elif path == "plurality":
        new = 2 if case.plurality == 1 else 1
        out.append(Candidate(path, new, abs(new - case.plurality), True, "twins or more" if new > 1 else "a singleton"))
    elif path.startswith("history.") and isinstance(value, int) and not isinstance(value, bool):
        for new in sorted({0, 1, p.history_cerclage.min_count - 1, p.history_cerclage.min_count} - {value}):
            if new >= 0:
                out.append(Candidate(path, new, abs(new - value), True, f"{new} {INPUT_LABELS[path]}"))
    elif path == "treatments.antenatal_corticosteroid_courses":
        if case.treatments.antenatal_corticosteroids_ga is not None:
            for new in (1, 2):
                if new != (value or 1):
                    out.append(Candidate(path, new, 1, True, f"{new} steroid course(s) given"))
    elif path != "serial_cervical_lengths":
        out += _flip(path, value)
    return out


def _set_json(path: str, value: Any) -> dict[str, Any]:
    if path in ("gestational_age", "membranes.rupture_gestational_age", "treatments.antenatal_corticosteroids_ga"):
        value = {"weeks": value // 7, "days": value % 7}
    return {path: value}


def would_change(case: Case, item: str, status: str, tried: list[Candidate],
                 statuses_after: Callable[[Case], Mapping[str, str]], cache: dict[tuple[str, Any], Any]
                 ) -> tuple[Mapping[str, Any], ...]:
    """The nearest single-input changes (at most three) that change ``item``'s status, each verified.

    ``statuses_after`` evaluates a changed case (every option and assessment status); ``cache``
    holds its results per (path, value) so that one case's items share the evaluations.
    """
    out: list[Mapping[str, Any]] = []
    taken: set[tuple[str, str]] = set()
    for cand in tried:
        key = (cand.path, cand.value)
        if key not in cache:
            changed = _set_value(case, cand.path, cand.value)
            cache[key] = None if changed is None else statuses_after(changed)
        after = cache[key]
        if after is None or after[item] == status or (cand.path, after[item]) in taken:
            continue
        taken.add((cand.path, after[item]))
        out.append({"change": f"{cand.phrase}: {after[item].replace('_', ' ')}",
                    "set": _set_json(cand.path, cand.value), "status": after[item]})
        if len(out) == MAX_CHANGES:
            break
    return tuple(out)


def apply_set(data: Mapping[str, Any], edit: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the contract case ``data`` with a would_change ``set`` applied (field path -> value)."""
    import copy

    out = copy.deepcopy(dict(data))
    for path, value in edit.items():
        node = out
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def what_if_rows(before: Any, after: Any) -> list[tuple[str, str, str, str]]:
    """(id, title, status before, status after) for every option and assessment whose status differs."""
    old = {i.id: i for i in (*before.options, *before.assessments)}
    return [(i.id, i.title, old[i.id].status, i.status) for i in (*after.options, *after.assessments)
            if old[i.id].status != i.status]
