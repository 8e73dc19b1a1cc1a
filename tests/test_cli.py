"""``python -m decision`` through a subprocess: exit codes, ``field.path: message`` lines, no traceback."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from decision import OPTION_IDS, PLACEMENT_OPTIONS
from decision.teaching import CASES_DIR

ROOT = Path(__file__).resolve().parent.parent
PPROM = {"gestational_age": {"weeks": 19, "days": 0},
         "membranes": {"status": "ruptured", "rupture_gestational_age": {"weeks": 19, "days": 0}}}
LINE = re.compile(r"^[\w.\[\]()]+: \S.*$")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "decision", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=120)


def assert_clean_failure(result: subprocess.CompletedProcess[str], *paths: str) -> list[str]:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    for path in paths:
        assert any(line.startswith(f"{path}: ") for line in lines), (path, lines)
    return lines


def test_evaluate_stdin_pprom_19w_counseling_and_contraindicated_cerclage() -> None:
    result = run("evaluate", "-", stdin=json.dumps(PPROM))
    assert result.returncode == 0, result.stderr
    assessment = json.loads(result.stdout)
    statuses = {o["id"]: o["status"] for o in assessment["options"]}
    assert list(statuses) == list(OPTION_IDS)
    assert statuses["previable_pprom_counseling"] == "recommended"
    assert all(statuses[o] == "contraindicated" for o in PLACEMENT_OPTIONS)
    assert assessment["profile"] == "acog" and assessment["gestational_age"]["label"] == "19+0"


def test_evaluate_yaml_file_with_the_rcog_profile(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("gestational_age: {weeks: 26, days: 0}\ncervix: {dilation_cm: 2}\n")
    result = run("evaluate", str(case), "--profile", "rcog")
    assert result.returncode == 0, result.stderr
    assessment = json.loads(result.stdout)
    statuses = {o["id"]: o["status"] for o in assessment["options"]}
    assert assessment["profile"] == "rcog"
    assert statuses["physical_exam_indicated_cerclage"] == "consider"  # RCOG: up to 27+6
    acog = json.loads(run("evaluate", str(case)).stdout)
    assert {o["id"]: o["status"] for o in acog["options"]}["physical_exam_indicated_cerclage"] == "not_recommended"


@pytest.mark.parametrize(("stdin", "paths"), [
    ('{"gestational_age": {"weeks": 19', ("(input)",)),
    ("", ("(input)",)),
    ("[1, 2]", ("(case)",)),
    ('{"gestational_age": {"weeks": "nineteen"}}', ("gestational_age.weeks",)),
    ('{"gestational_age": {"weeks": 43, "days": 7}}', ("gestational_age.weeks", "gestational_age.days")),
    ('{"gestational_age": {"weeks": 19}, "cervix": {"lenght_mm": 18}}', ("cervix.lenght_mm",)),
    ('{"gestational_age": {"weeks": 19}, "colour": "red"}', ("colour",)),
    ('{"cervix": {"length_mm": 18}}', ("gestational_age",)),
    ('{"gestational_age": {"weeks": 19}, "membranes": {"status": "ruptured", '
     '"rupture_gestational_age": {"weeks": 20}}}', ("membranes.rupture_gestational_age",)),
], ids=["malformed-json", "empty", "not-an-object", "wrong-type", "out-of-range", "unknown-nested",
        "unknown-top", "missing-ga", "rupture-after-ga"])
def test_evaluate_bad_input_exits_2_with_one_line_per_problem(stdin: str, paths: tuple[str, ...]) -> None:
    lines = assert_clean_failure(run("evaluate", "-", stdin=stdin), *paths)
    if "gestational_age.weeks" in paths and "43" in stdin:
        assert "from 4 to 42" in " ".join(lines)


def test_evaluate_missing_file_and_unknown_profile_exit_2() -> None:
    assert_clean_failure(run("evaluate", "no/such/case.json"), "(input)")
    result = run("evaluate", "-", "--profile", "nice", stdin=json.dumps(PPROM))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "acog" in result.stderr


def test_batch_keeps_good_rows_and_reports_bad_ones(tmp_path: Path) -> None:
    source = tmp_path / "cases.csv"
    source.write_text("ga_weeks,ga_days,membranes_status,rupture_ga_weeks,dilation_cm,cervical_surgery\n"
                      "19,0,ruptured,19,,\n"
                      "43,0,,,,\n"
                      "20,0,,,2,maybe\n"
                      "20,0,,,2,no\n")
    out = tmp_path / "out.csv"
    result = run("batch", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "4 rows, 2 evaluated, 2 with errors" in result.stderr and "Traceback" not in result.stderr
    rows = list(csv.DictReader(out.open()))
    assert [r["row"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["previable_pprom_counseling"] == "recommended" and rows[0]["errors"] == ""
    assert rows[1]["errors"].startswith("ga_weeks: must be a whole number from 4 to 42")
    assert rows[1]["delivery"] == ""
    assert rows[2]["errors"].startswith("cervical_surgery: must be true or false")
    assert rows[3]["physical_exam_indicated_cerclage"] == "consider"


def test_batch_to_stdout_with_a_progress_bar_for_long_files(tmp_path: Path) -> None:
    source = tmp_path / "cases.csv"
    source.write_text("ga_weeks,length_mm\n" + "20,18\n" * 1500)
    result = run("batch", str(source))
    assert result.returncode == 0
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(table) == 1500 and table[0]["vaginal_progesterone"] == "recommended"
    assert "cases:" in result.stderr and "1500/1500" in result.stderr  # tqdm on stderr


@pytest.mark.parametrize(("content", "message"), [
    (None, "file not found"),
    ("patient_name,ga_weeks\nX,20\n", "unknown column(s): patient_name"),
    ("length_mm\n18\n", "column ga_weeks is required"),
], ids=["missing", "unknown-column", "no-ga-column"])
def test_batch_unreadable_file_exits_2(tmp_path: Path, content: str | None, message: str) -> None:
    source = tmp_path / "cases.csv"
    if content is not None:
        source.write_text(content)
    result = run("batch", str(source))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert message in result.stderr


def test_cases_check_passes_on_the_library_and_fails_on_a_wrong_answer(tmp_path: Path) -> None:
    ok = run("cases", "check")
    assert ok.returncode == 0, ok.stderr
    assert re.search(r"cases check: \d+ case files, 0 problem\(s\)", ok.stderr)
    broken = tmp_path / "cases"
    broken.mkdir()
    shutil.copy(CASES_DIR / "previable_pprom_19w.yaml", broken)
    path = broken / "previable_pprom_19w.yaml"
    path.write_text(path.read_text().replace("previable_pprom_counseling: recommended",
                                             "previable_pprom_counseling: not_recommended"))
    bad = run("cases", "check", "--directory", str(broken))
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "previable_pprom_19w.yaml: expected.acog.previable_pprom_counseling" in bad.stderr
