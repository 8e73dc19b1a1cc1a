"""Batch evaluation equals evaluating every row on its own (the grouping is only a speed-up)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.data import synthetic_frame
from decision import ASSESSMENT_IDS, OPTION_IDS
from decision.batch import _row_errors, evaluate_rows, read_csv
from decision.flat import COLUMNS

# Cell values per column kind, valid and invalid, including every threshold neighbourhood.
NUMBERS = {
    "ga_weeks": ["", "4", "11", "12", "13", "14", "15", "16", "19", "20", "21", "22", "23", "24", "25", "27", "28",
                 "33", "34", "35", "36", "37", "42", "43", "3", "19.5", "x", "nan", "true"],
    "ga_days": ["", "0", "3", "6", "7", "-1", "2.0"],
    "rupture_ga_weeks": ["", "14", "19", "20", "23", "24", "30", "34", "50"],
    "rupture_ga_days": ["", "0", "6", "9"],
    "plurality": ["", "1", "2", "3", "4", "5", "0"],
    "second_trimester_losses_painless_dilation": ["", "0", "1", "2", "3", "4", "21", "-1"],
    "spontaneous_preterm_births_before_34w": ["", "0", "1", "2", "3", "x"],
    "length_mm": ["", "0", "5", "9.9", "10", "15", "20", "20.5", "21", "24.9", "25", "25.1", "30", "45", "80", "81",
                  "inf", "abc"],
    "dilation_cm": ["", "0", "0.5", "1", "2", "4", "4.5", "6", "10", "11", "-0.5"],
}
BOOLEANS = ["", "true", "false", "yes", "no", "1", "0", "TRUE", "maybe"]
TEXT = ["", "intact", "ruptured", "Ruptured", "broken"]
SERIAL = ["", "16+0:31", "16+0:31;18+0:24", "30+0:20", "16+9:20", "16+0:abc", "16+0:90", "garbage"]


def cell(column: str) -> st.SearchStrategy[str]:
    kind = COLUMNS[column][1]
    if column in NUMBERS:
        return st.sampled_from(NUMBERS[column])
    if kind == "bool":
        return st.sampled_from(BOOLEANS) | st.sampled_from(["", "false"])  # mostly false, like real files
    if kind == "text":
        return st.sampled_from(TEXT)
    return st.sampled_from(SERIAL)


rows = st.lists(st.fixed_dictionaries({column: cell(column) for column in COLUMNS}), min_size=1, max_size=40)


def csv_text(records: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def assert_equals_per_row(text: str, profile: str) -> None:
    frame = read_csv(io.StringIO(text))
    result = evaluate_rows(frame, profile).frame()
    columns = list(frame.columns)
    for i, cells in enumerate(frame.itertuples(index=False)):
        statuses, message = _row_errors(dict(zip(columns, cells, strict=True)), profile)
        expected = [statuses[o] for o in OPTION_IDS] if statuses else [""] * len(OPTION_IDS)
        got = [str(v) for v in result.iloc[i][list(OPTION_IDS)]]
        assert (got, result.iloc[i]["errors"]) == (expected, message), (i, frame.iloc[i].to_dict())


@pytest.mark.parametrize("profile", ["acog", "rcog"])
@settings(max_examples=60, deadline=None)
@given(records=rows)
def test_batch_statuses_and_errors_equal_evaluating_each_row(records: list[dict[str, str]], profile: str) -> None:
    assert_equals_per_row(csv_text(records), profile)


@pytest.mark.parametrize("profile", ["acog", "rcog"])
def test_synthetic_clinic_file_equals_per_row(profile: str) -> None:
    assert_equals_per_row(synthetic_frame(1500, seed=11).to_csv(index=False), profile)


def test_good_rows_are_kept_next_to_bad_ones() -> None:
    text = "ga_weeks,ga_days,membranes_status,rupture_ga_weeks,dilation_cm\n19,0,ruptured,19,\n43,0,,,\n20,0,,,2\n"
    result = evaluate_rows(read_csv(io.StringIO(text)), "acog")
    frame = result.frame()
    assert result.error_count == 1
    assert frame.loc[0, "previable_pprom_counseling"] == "recommended"
    assert frame.loc[1, "errors"].startswith("ga_weeks: must be a whole number from 4 to 42")
    assert frame.loc[1, "delivery"] == ""
    assert frame.loc[2, "physical_exam_indicated_cerclage"] == "consider"
    out = io.StringIO()
    result.write_csv(out)
    written = list(csv.reader(io.StringIO(out.getvalue())))
    assert written[0] == ["row", *OPTION_IDS, *ASSESSMENT_IDS, "errors"] and len(written) == 4
    assert written[2][0] == "2" and written[2][1:-1] == [""] * len(OPTION_IDS)
    assert written[2][-1].startswith("ga_weeks: must be a whole number from 4 to 42")
    assert written[1][list(OPTION_IDS).index("previable_pprom_counseling") + 1] == "recommended"
