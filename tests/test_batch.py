"""Batch evaluation equals evaluating every row on its own (the grouping is only a speed-up)."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.data import synthetic_frame
from decision import ASSESSMENT_IDS, OPTION_IDS
from decision.batch import BatchFileError, _row_errors, evaluate_rows, read_batch
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
    frame = read_batch(io.StringIO(text)).frame
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
    result = evaluate_rows(read_batch(io.StringIO(text)), "acog")
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
    assert written[2][0] == "2" and written[2][1:-1] == [""] * (len(OPTION_IDS) + len(ASSESSMENT_IDS))
    assert written[2][-1].startswith("ga_weeks: must be a whole number from 4 to 42")
    assert written[1][list(OPTION_IDS).index("previable_pprom_counseling") + 1] == "recommended"


# --- strict reading (finding 2 of issue 14): no index guessing, no padding ---------------------

PROGESTERONE = "vaginal_progesterone"


def _statuses(text: str, profile: str = "acog") -> tuple[list[dict], list[str]]:
    result = evaluate_rows(read_batch(io.StringIO(text)), profile).frame()
    return result[list(OPTION_IDS)].astype(str).to_dict("records"), result["errors"].tolist()


def test_a_trailing_comma_row_is_a_row_error_naming_its_line_not_shifted() -> None:
    rows, errors = _statuses("ga_weeks,length_mm\n20,18,\n20,18\n")
    assert errors[0] == ("line 2: has 3 fields but the header has 2 (a trailing comma or an extra separator?); "
                         "the row was not evaluated")
    assert set(rows[0].values()) == {""}  # not evaluated (it used to read as 18 weeks, no length)
    assert errors[1] == ""
    assert rows[1][PROGESTERONE] == "recommended"  # the same values without the trailing comma


@pytest.mark.parametrize(("line", "fields"), [("20", 1), ("20,18,,", 4), ("20,18,0,1,2,3", 6)])
def test_short_and_long_rows_are_row_errors_naming_their_line(line: str, fields: int) -> None:
    text = f"ga_weeks,length_mm\n\n21,30\n{line}\n22,30\n"
    batch = read_batch(io.StringIO(text))
    assert batch.lines.tolist() == [3, 4, 5]
    rows, errors = _statuses(text)
    word = "field" if fields == 1 else "fields"
    hint = "a missing cell" if fields < 2 else "a trailing comma"
    assert errors[1].startswith(f"line 4: has {fields} {word} but the header has 2 ({hint}")
    assert errors[0] == errors[2] == ""
    assert rows[0] == rows[2] and rows[0]["routine_prenatal_care"] == "recommended"


def test_quoted_cells_may_hold_commas_and_line_breaks_and_are_counted_as_one_field() -> None:
    text = ('ga_weeks,length_mm,serial_cervical_lengths\r\n20,18,"16+0:31,18+0:24"\r\n"21",30,"16+0:31;\n18+0:30"\r\n'
            '22,30,"x",\r\n23,30,""\r\n')
    batch = read_batch(io.StringIO(text))
    assert batch.lines.tolist() == [2, 3, 5, 6]
    assert batch.row_errors == {2: "line 5: has 4 fields but the header has 3 (a trailing comma or an extra "
                                   "separator?); the row was not evaluated"}
    assert batch.frame["serial_cervical_lengths"].iloc[0] == "16+0:31,18+0:24"
    _rows, errors = _statuses(text)
    assert errors[0] == errors[1] == errors[3] == ""


def _unechoed(message: str) -> str:
    """A row's message without the values it echoes ("(got 81)" and "(got 81.0)" are the same error)."""
    return re.sub(r" \(got [^;]*\)(?=;|$)", "", message)


@settings(max_examples=40, deadline=None)
@given(records=rows, quote=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]), crlf=st.booleans(),
       damaged=st.sets(st.integers(0, 39), max_size=5), blank=st.sets(st.integers(0, 39), max_size=3))
def test_damaged_rows_are_errors_in_place_and_the_others_unchanged(records, quote, crlf, damaged, blank) -> None:
    """Adding or removing a field on some rows (and blank lines) changes those rows only, quoted or not."""
    newline = "\r\n" if crlf else "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=quote, lineterminator=newline)
    writer.writerow(COLUMNS)
    lines_of_rows = []
    line = 1
    for i, record in enumerate(records):
        cells = [record[c] for c in COLUMNS]
        if i in damaged:
            cells = [*cells, ""] if i % 2 else cells[:-1]
        if i in blank:
            buffer.write(newline)
            line += 1
        writer.writerow(cells)
        line += 1
        lines_of_rows.append(line)
    damaged_text = buffer.getvalue()
    batch = read_batch(io.StringIO(damaged_text))
    assert batch.lines.tolist() == lines_of_rows
    assert set(batch.row_errors) == {i for i in damaged if i < len(records)}
    got_rows, got_errors = _statuses(damaged_text)
    want_rows, want_errors = _statuses(csv_text(records))
    for i in range(len(records)):
        if i in damaged:
            assert got_errors[i].startswith(f"line {lines_of_rows[i]}: has ")
            assert set(got_rows[i].values()) == {""}
        else:  # pandas infers a column's type from its cells, so a removed row may change how a value is echoed
            assert (got_rows[i], _unechoed(got_errors[i])) == (want_rows[i], _unechoed(want_errors[i]))


@pytest.mark.parametrize(("text", "message"), [
    ("ga_weeks,length_mm,\n20,18,\n", "header (line 1): column 3 has no name (a trailing comma in the header?)"),
    ("ga_weeks,ga_weeks\n20,21\n", "header (line 1): column(s) named more than once: ga_weeks"),
    ("\n \n", "(input): empty file"),
    ("ga_days\n1\n", "column ga_weeks is required"),
])
def test_unusable_headers_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(BatchFileError) as caught:
        read_batch(io.StringIO(text))
    assert str(caught.value).startswith(message)


# --- bounds (finding 4 of issue 14) -------------------------------------------------------------


def test_200000_invalid_rows_each_get_their_own_error() -> None:
    """Each row has a different bad value, so nothing can be shared between rows but the work per value."""
    n = 200_000
    weeks = np.arange(43, 43 + n)
    text = "ga_weeks,length_mm,cervical_surgery\n" + "".join(
        f"{w},{'x' * (i % 7)}{i % 90},{'maybe' if i % 3 == 0 else ''}\n" for i, w in enumerate(weeks.tolist()))
    result = evaluate_rows(read_batch(io.StringIO(text)), "acog").frame()
    assert len(result) == n and (result["errors"] != "").all()
    assert result["errors"].iloc[0] == ("ga_weeks: must be a whole number from 4 to 42 weeks (got 43); "
                                        "cervical_surgery: must be true or false (got 'maybe')")
    frame = read_batch(io.StringIO(text)).frame
    columns = list(frame.columns)
    for i in [1, 2, 3, 8, 99_999, n - 1]:  # a sample checked against the ordinary per-case path
        expected = _row_errors(dict(zip(columns, frame.iloc[i].tolist(), strict=True)), "acog")[1]
        assert result["errors"].iloc[i] == expected


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ga_weeks", "ga_days", "length_mm", "plurality", "cervical_surgery",
                                           "membranes_status", "rupture_ga_weeks", "serial_cervical_lengths"]),
                          st.one_of(st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=False).map(str),
                                    st.text(alphabet="0123456789+:;.x ", max_size=12))),
                min_size=1, max_size=60))
def test_many_distinct_bad_values_give_the_per_row_messages(cells: list[tuple[str, str]]) -> None:
    """The column-by-column messages (one check per distinct value) equal the per-case path's, row by row."""
    records = [{c: "" for c in COLUMNS} | {"ga_weeks": "20", column: value} for column, value in cells]
    assert_equals_per_row(csv_text(records), "acog")


def test_a_24_mb_cell_is_a_row_error_stating_the_limit_in_plain_and_quoted_files() -> None:
    cell = "16+0:31;" * 3_000_000
    for quote in ("", '"'):
        batch = read_batch(io.StringIO(f"ga_weeks,serial_cervical_lengths\n20,{quote}{cell}{quote}\n21,16+0:31\n"))
        assert len(batch) == 2 and len(batch.parsed) == 1
        assert batch.row_errors[0].startswith("line 2: ")
        assert "1,000" in batch.row_errors[0] and "the row was not evaluated" in batch.row_errors[0]
    just = "16+0:31;" * 125  # 1,000 characters: the limit itself is allowed
    assert read_batch(io.StringIO(f"ga_weeks,serial_cervical_lengths\n20,{just}\n")).row_errors == {}


def test_no_module_level_state_grows_with_the_files_evaluated() -> None:
    """Finding 4: a module-level serial cache kept every distinct cell (one of 24 MB) until restart."""
    import sys

    def sizes() -> dict[str, int]:
        out = {}
        for name, module in list(sys.modules.items()):
            if name.split(".")[0] in {"decision", "ui", "progress", "figures", "reports"}:
                for attr, value in vars(module).items():
                    if isinstance(value, (dict, list, set)):
                        out[f"{name}.{attr}"] = len(value)
        return out

    evaluate_rows(read_batch(io.StringIO("ga_weeks,serial_cervical_lengths\n20,16+0:31\n")), "acog")
    before = sizes()
    rows = "".join(f"20,16+{i % 7}:{i % 80};{i}\n" for i in range(5_000))
    evaluate_rows(read_batch(io.StringIO("ga_weeks,serial_cervical_lengths\n" + rows)), "acog")
    after = sizes()
    assert {k: (before.get(k), v) for k, v in after.items() if v > before.get(k, 0)} == {}
