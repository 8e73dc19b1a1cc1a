"""The engine's fast paths give what the plain definitions give.

``facts.from_values`` builds :class:`Facts` positionally (each value named in a comment), the engine
renders reason texts with templates compiled once and fills case parameters lazily, and the plain
``rules.apply`` inlines section 3.0 and skips rules an override discards. Each is checked here
against the straightforward form it replaces.
"""

from __future__ import annotations

import inspect
import re

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import valid_cases

from decision import knowledge, parse_case
from decision.engine import CASE_PARAMS, _case_params, _compile, _lazy_params, _tables_for
from decision.facts import Facts, derive, flat_values, from_values
from decision.record import run
from decision.rules import apply, resolve
from decision.teaching import load_all

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_from_values_names_every_fact_in_order() -> None:
    body = inspect.getsource(from_values).split("return _new(Facts, (", 1)[1]
    assert tuple(re.findall(r"#\s*(\w+)", body)) == Facts._fields


@pytest.mark.parametrize("profile", ["acog", "rcog"])
def test_compiled_templates_format_like_format_map(profile: str) -> None:
    kb = knowledge()
    for tc in load_all():
        params = _case_params(derive(parse_case(dict(tc.case)), kb.profiles[profile]), profile)
        for values in ("X", 7, 2.5, "{ga} }{"):
            filled = {**params, **dict.fromkeys(
                ("which", "rupture", "first", "first_ga", "latest", "drop", "steroids_given", "steroid_days", "courses",
                 "pe_status"), values)}
            for reason in kb.reasons.values():
                for text in (reason.text, *(v.text for v in reason.profiles.values() if v.text)):
                    assert _compile(text)(filled) == text.format_map(filled), reason.id


@pytest.mark.parametrize("template", ["plain", "{a}", "x{a}y{b}z", "{{a}} {a}", "{a!r}", "{a:>5}", "{a.real}", "{0}"])
def test_compile_keeps_format_semantics(template: str) -> None:
    params = {"a": 3, "b": "bee", "0": "zero"}
    try:
        expected: object = template.format_map(params)
    except (KeyError, AttributeError, ValueError, IndexError) as exc:
        expected = type(exc)
    try:
        got: object = _compile(template)(params)
    except (KeyError, AttributeError, ValueError, IndexError) as exc:
        got = type(exc)
    assert got == expected


@SETTINGS
@given(valid_cases())
def test_fast_paths_match_the_plain_definitions(data: dict) -> None:
    case = parse_case(data)
    for profile in ("acog", "rcog"):
        prof = knowledge().profiles[profile]
        facts = derive(case, prof)
        values = flat_values(case)
        # from_values: plain Python types, equal to the values the rules read
        assert facts == from_values(values, prof, facts.shortening)
        assert all(type(x) in (bool, int, float, str, tuple, type(None)) or x is facts.shortening for x in facts)
        # apply: the recorded run (every rule run, resolve() as written) settles the same board
        plain = apply(facts, prof)
        recorded, _reads = run(facts, prof)
        assert list(plain.status.items()) == list(recorded.status.items())
        assert plain.reasons == recorded.reasons
        assert plain.alerts == recorded.alerts
        for item, proposals in plain.reasons.items():
            assert resolve(item, proposals, facts) == (plain.status[item], proposals)
        # lazy parameters: the same values as computing all of them
        lazy, eager = _lazy_params(facts, profile), _case_params(facts, profile)
        assert {key: lazy[key] for key in eager} == eager
        assert set(CASE_PARAMS) <= set(eager)
        assert [item for item, *_rest in _tables_for(knowledge(), profile).plan] == list(plain.status)
