"""The batch audit page (views/9_batch_audit.py) under AppTest: uploads good and bad, the counts,
the error rows, the charts, the downloads, the cache, and a clear message for every unusable file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.data import synthetic_frame
from decision import ASSESSMENT_IDS, OPTION_IDS
from decision.batch import evaluate_rows, read_batch
from decision.flat import COLUMNS
from ui import batch_view

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "9_batch_audit.py")

GOOD_AND_BAD = (
    "ga_weeks,ga_days,length_mm,dilation_cm,membranes_at_or_beyond_external_os,membranes_status,vaginal_bleeding,"
    "signs_of_intraamniotic_infection\n"
    "20,1,18,,,,,\n"            # short cervix
    "21,0,90,,,,,\n"            # bad: length out of range
    "22,0,,,,ruptured,true,\n"  # PPROM with bleeding
    "19,3,,0,true,,,\n"         # bad: membranes at the os with a closed os
    "23,0,,,,,,true\n"          # infection
)


def _page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _upload(at: AppTest, data: bytes | str, name: str = "cases.csv") -> AppTest:
    content = data.encode() if isinstance(data, str) else data
    at.file_uploader(key="batch.upload").set_value((name, content, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


# AppTest does not expose a dataframe's key: find each table by its first column.
TABLES = {"batch.errors": "Row", "batch.option_table": "Option", "batch.alert_table": "Alert", "batch.columns": "Column"}


def _frame(at: AppTest, key: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if list(d.value.columns)[:1] == [TABLES[key]])


def _has_frame(at: AppTest, key: str) -> bool:
    return any(list(d.value.columns)[:1] == [TABLES[key]] for d in at.dataframe)


def _shown(markdown: str) -> str:
    """The text a Markdown string shows (backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _charts(at: AppTest) -> list:
    return list(at.get("plotly_chart"))


def test_page_before_upload_states_the_limits_and_offers_the_template():
    at = _page()
    assert at.title[0].value == "Batch audit"
    text = " ".join(i.value for i in at.info)
    assert "25 MiB" in text and "200,000 rows" in text and "1,000 characters" in text
    assert at.file_uploader(key="batch.upload").label.startswith("Batch file (CSV, up to 25 MiB and 200,000 rows)")
    assert at.file_uploader(key="batch.upload").allowed_type == [".csv"]
    assert at.download_button(key="batch.template").label == "Download the template (CSV)"
    assert at.radio(key="batch.profile").value == "acog"
    assert not _charts(at)
    assert not at.error


def test_template_has_every_column_and_one_bad_row():
    text = batch_view.template_csv()
    frame = read_batch(io.StringIO(text)).frame
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == 3
    outcome = batch_view.evaluate_upload(text.encode(), "batch_template.csv", "acog")
    assert outcome.problem is None
    assert (outcome.rows, outcome.evaluated, outcome.error_count) == (3, 2, 1)
    assert outcome.error_rows["Row"].tolist() == [3]
    assert "ga_weeks" in outcome.error_rows["Reason"].iloc[0]


def test_good_and_bad_rows_give_counts_error_rows_charts_and_downloads():
    at = _upload(_page(), GOOD_AND_BAD)
    assert not at.error
    assert [(m.label, m.value) for m in at.metric] == [("Rows", "5"), ("Evaluated", "3"), ("With errors", "2")]
    errors = _frame(at, "batch.errors")
    assert errors["Row"].tolist() == [2, 4]
    assert errors["CSV line"].tolist() == [3, 5]
    assert "length_mm: must be a number from 0 to 80 mm" in errors["Reason"].iloc[0]
    assert "membranes_at_or_beyond_external_os" in errors["Reason"].iloc[1]
    charts = _charts(at)
    assert len(charts) == 2
    assert at.download_button(key="batch.results").label == "Download the results (CSV)"
    alerts = _frame(at, "batch.alert_table").set_index("Alert")["Cases"]
    assert alerts["Ruptured membranes"] == 1
    assert alerts["Vaginal bleeding"] == 1
    assert alerts["Intra-amniotic infection"] == 1
    assert alerts["Fetal demise"] == 0
    options = _frame(at, "batch.option_table").set_index("Option")
    assert options["Recommended"].sum() > 0
    # The summary agrees with the engine run directly on the same file.
    result = evaluate_rows(read_batch(io.StringIO(GOOD_AND_BAD)), "acog").frame()
    valid = result[result["errors"] == ""]
    assert options["Recommended"].tolist() == [int((valid[o] == "recommended").sum()) for o in batch_view.OPTION_IDS]
    assert options["Consider"].tolist() == [int((valid[o] == "consider").sum()) for o in batch_view.OPTION_IDS]
    captions = " ".join(c.value for c in at.caption)
    assert "Bar chart of the 3 evaluated cases" in captions


def test_figures_have_titles_units_alt_text_and_okabe_ito_colours():
    outcome = batch_view.evaluate_upload(GOOD_AND_BAD.encode(), "cases.csv", "rcog")
    for fig in (batch_view.options_figure(outcome.option_counts, outcome.evaluated, "RCOG / NICE"),
                batch_view.alerts_figure(outcome.alert_counts, outcome.evaluated)):
        assert fig.layout.title.text
        assert fig.layout.xaxis.title.text == "Cases (count)"
        assert fig.layout.meta["alt"].startswith("Bar chart")
        colours = set()
        for trace in fig.data:
            colour = trace.marker.color
            colours |= set(colour) if isinstance(colour, (list, tuple)) else {colour}
        assert colours <= set(batch_view.OKABE_ITO)


def test_results_csv_matches_the_batch_command():
    outcome = batch_view.evaluate_upload(GOOD_AND_BAD.encode(), "cases.csv", "acog")
    buffer = io.StringIO()
    outcome.result.write_csv(buffer)
    written = pd.read_csv(io.StringIO(buffer.getvalue()), keep_default_na=False)
    assert list(written.columns) == ["row", *OPTION_IDS, *ASSESSMENT_IDS, "errors"]
    assert written["errors"].ne("").tolist() == [False, True, False, True, False]


def test_evaluation_is_cached_per_upload_and_profile(monkeypatch):
    calls = []
    real = batch_view.evaluate_rows

    def counting(frame, profile, progress=None):
        calls.append(profile)
        return real(frame, profile, progress)

    monkeypatch.setattr(batch_view, "evaluate_rows", counting)
    at = _upload(_page(), GOOD_AND_BAD)
    assert calls == ["acog"]
    at.run()  # a rerun (any widget) reuses the evaluation
    assert calls == ["acog"]
    at.radio(key="batch.profile").set_value("rcog").run()
    assert calls == ["acog", "rcog"]
    assert not at.exception
    assert [m.value for m in at.metric] == ["5", "3", "2"]
    _upload(at, GOOD_AND_BAD + "24,0,,,,,,\n")  # a new upload is evaluated again
    assert calls == ["acog", "rcog", "rcog"]
    assert [m.value for m in at.metric] == ["6", "4", "2"]


def test_a_synthetic_clinic_list():
    data = synthetic_frame(2_000, seed=3).to_csv(index=False)
    at = _upload(_page(), data)
    rows, evaluated, errors = (int(m.value.replace(",", "")) for m in at.metric)
    assert rows == 2_000 and evaluated + errors == rows and errors > 0
    assert len(_frame(at, "batch.errors")) == errors
    assert len(_charts(at)) == 2


@pytest.mark.parametrize(("data", "name", "message"), [
    ("ga_weeks,length_mm\n20,18\n".encode("utf-16"), "cases.csv", "not UTF-8 text"),
    (b"\xff\xfe\x00garbage", "cases.csv", "not UTF-8 text"),
    (b"", "cases.csv", "is empty"),
    (b"   \n\n", "cases.csv", "is empty"),
    (b"patient_name,ga_weeks\nX,20\n", "cases.csv", "unknown column(s): patient_name"),
    (b"length_mm\n18\n", "cases.csv", "column ga_weeks is required"),
    (b'ga_weeks,length_mm\n20,"18\n', "cases.csv", "cannot be read"),
    (b"ga_weeks\n" + b"20\n" * 200_001, "cases.csv", "the limit is 200,000 rows per file"),
    (b"ga_weeks,length_mm\n" + b"20,18.00000\n" * 2_200_000, "big.csv", "the limit is 25 MiB"),
], ids=["utf16", "binary", "empty", "blank", "unknown-column", "no-ga", "unclosed-quote", "rows", "size"])
def test_unusable_files_get_a_clear_message_and_no_traceback(data, name, message):
    at = _upload(_page(), data, name)
    assert len(at.error) == 1
    assert message in _shown(at.error[0].value)
    assert not at.metric
    assert not _charts(at)
    assert not _has_frame(at, "batch.errors")
    with pytest.raises(KeyError):
        at.download_button(key="batch.results")


def test_other_file_types_are_refused():
    # The uploader (type=["csv"]) refuses them in the browser; the page checks again on the server.
    outcome = batch_view.evaluate_upload(b"ga_weeks\n20\n", "cases.txt", "acog")
    assert outcome.problem is not None
    assert "only .csv files are accepted (limit 25 MiB, 200,000 rows)" in outcome.problem
    assert batch_view.evaluate_upload(b"ga_weeks\n20\n", "CASES.CSV", "acog").problem is None


def test_header_only_file():
    at = _upload(_page(), "ga_weeks,length_mm\n")
    assert not at.error
    assert "no rows" in at.info[-1].value


def test_all_rows_bad():
    at = _upload(_page(), "ga_weeks,length_mm\n50,18\n20,-3\n")
    assert [m.value for m in at.metric] == ["2", "0", "2"]
    assert len(_frame(at, "batch.errors")) == 2
    assert not _charts(at)
    assert "No row could be evaluated" in at.warning[-1].value


def test_evaluation_failure_is_reported_not_raised(monkeypatch):
    def broken(frame, profile, progress=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(batch_view, "evaluate_rows", broken)
    at = _upload(_page(), GOOD_AND_BAD)
    assert "could not be evaluated (RuntimeError: boom)" in _shown(at.error[0].value)


def test_progress_callback_reaches_the_end():
    seen = []
    batch_view.evaluate_upload(synthetic_frame(1_500, seed=5).to_csv(index=False).encode(), "x.csv", "acog",
                               lambda g, n: seen.append((g, n)))
    assert seen and seen[-1][0] == seen[-1][1]


def test_a_trailing_comma_row_is_a_row_error_on_the_page_not_shifted_data():
    """Finding 2 of issue 14: ``20,18,`` under ``ga_weeks,length_mm`` was read as 18 weeks, 0 errors."""
    at = _upload(_page(), "ga_weeks,length_mm\n20,18,\n20,18\n\n21\n")
    assert not at.error
    assert [(m.label, m.value) for m in at.metric] == [("Rows", "3"), ("Evaluated", "1"), ("With errors", "2")]
    errors = _frame(at, "batch.errors")
    assert errors["Row"].tolist() == [1, 3]
    assert errors["CSV line"].tolist() == [2, 5]
    assert errors["Reason"].iloc[0].startswith("line 2: has 3 fields but the header has 2 (a trailing comma")
    assert errors["Reason"].iloc[1].startswith("line 5: has 1 field but the header has 2 (a missing cell")
    options = _frame(at, "batch.option_table")
    assert options.set_index("Option")["Recommended"].sum() > 0  # the good row: 20 weeks, 18 mm


def test_results_csv_echoes_the_key_inputs_and_the_alerts():
    """Issue 13: the page's results CSV repeats GA, length, dilation, membranes and flags, and the alerts."""
    outcome = batch_view.evaluate_upload(GOOD_AND_BAD.encode(), "cases.csv", "acog")
    table = pd.read_csv(io.StringIO(batch_view.results_csv(outcome)), keep_default_na=False, dtype=str)
    assert list(table.columns[:6]) == ["row", *batch_view.ECHO_COLUMNS]
    assert list(table.columns[-2:]) == ["alerts", "errors"]
    assert table["ga"].tolist() == ["20+1", "21+0", "22+0", "19+3", "23+0"]
    assert table["length_mm"].tolist() == ["18", "90", "", "", ""]
    assert table["dilation_cm"].tolist() == ["", "", "", "0", ""]
    assert table["membranes_status"].tolist() == ["", "", "ruptured", "", ""]
    assert table["flags"].tolist() == ["", "", "vaginal_bleeding", "membranes_at_or_beyond_external_os",
                                       "signs_of_intraamniotic_infection"]
    assert table["alerts"].tolist() == ["", "", "vaginal_bleeding; ruptured_membranes", "", "intraamniotic_infection"]
    assert table["errors"].ne("").tolist() == [False, True, False, True, False]  # bad rows still echo their inputs
    assert table.loc[0, "physical_exam_indicated_cerclage"] == "not_applicable"


def test_batch_charts_have_whole_number_ticks():
    outcome = batch_view.evaluate_upload(GOOD_AND_BAD.encode(), "cases.csv", "acog")
    for fig in (batch_view.options_figure(outcome.option_counts, outcome.evaluated, "ACOG / SMFM"),
                batch_view.alerts_figure(outcome.alert_counts, outcome.evaluated)):
        axis = fig.layout.xaxis
        assert axis.tickmode == "linear" and axis.tick0 == 0 and axis.dtick == 1 and axis.tickformat == ",d"
    big = batch_view.alerts_figure({alert: 40 * (i + 1) for i, alert in enumerate(batch_view.ALERTS)}, 500)
    assert big.layout.xaxis.dtick == 50 and float(big.layout.xaxis.dtick).is_integer()


def test_the_upload_limit_is_the_same_number_of_bytes_everywhere():
    """Streamlit counts server.maxUploadSize and max_upload_size in MiB; the page says MiB and checks MiB."""
    import tomllib

    config = tomllib.loads((Path(PAGE).parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == batch_view.MAX_MIB == 25
    assert batch_view.MAX_BYTES == 25 * 2**20
    header = b"ga_weeks\n"
    at_limit = (header + b"20\n" * (batch_view.MAX_BYTES // 3))[: batch_view.MAX_BYTES]
    assert "MiB" not in batch_view.evaluate_upload(at_limit, "x.csv", "acog").problem  # refused for its rows only
    assert batch_view.evaluate_upload(at_limit + b"\n", "x.csv", "acog").problem == (
        "“x.csv” is 25.0 MiB: the limit is 25 MiB per file. Split it into smaller files.")


def test_a_24_mb_serial_cell_is_a_row_error_stating_the_cell_limit():
    """Finding 4 of issue 14: one 24 MB serial cell took 30 s and 1.9 GB (and stayed cached)."""
    cell = ";".join(["16+0:31"] * 3_000_000)  # 24 MB
    data = f"ga_weeks,serial_cervical_lengths\n20,{cell}\n20,16+0:31\n".encode()
    outcome = batch_view.evaluate_upload(data, "x.csv", "acog")
    assert outcome.problem is None and (outcome.rows, outcome.evaluated) == (2, 1)
    reason = outcome.error_rows["Reason"].iloc[0]
    assert reason == ("line 2: serial_cervical_lengths: 23,999,999 characters, but a cell may have at most 1,000; "
                      "the row was not evaluated")


@pytest.mark.parametrize("name", ["**urgent** [see](http://example.org).csv", "x_$1+1$_:smile:.csv"])
def test_the_uploaded_file_name_is_shown_as_plain_text_not_markdown(name: str):
    """Finding 7 of issue 14: the name was rendered as Markdown (bold, links, LaTeX, emoji)."""
    at = _upload(_page(), b"patient,ga_weeks\nx,20\n", name)
    shown = at.error[0].value
    assert _shown(shown).startswith(f"“{name}” cannot be read")
    for special in "*[]()_$:":
        assert all(shown[i - 1] == "\\" for i, ch in enumerate(shown) if ch == special), (special, shown)
    at = _upload(_page(), b"ga_weeks,length_mm\n", name)
    assert _shown(at.info[-1].value).startswith(f"“{name}” has a header but no rows")
    assert "**urgent**" not in at.info[-1].value
