"""``python -m decision`` through a subprocess: exit codes, ``field.path: message`` lines, no traceback."""

from __future__ import annotations

import csv
import io
import json
import os
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


# --- finding 6 of issue 14: one bounded input reader, I/O failures as lines, exit 2 ------------------

OK_CASE = '{"gestational_age": {"weeks": 20}}'


def run_raw(*args: str, stdin: bytes | None = None, **popen: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "decision", *args], cwd=ROOT, input=stdin, capture_output="stdout" not in popen,
                          timeout=120, **popen)


def assert_one_line(result: subprocess.CompletedProcess, prefix: str, *words: str) -> str:
    """Exit 2, no traceback, stderr is exactly one line starting with ``prefix``, containing ``words``."""
    stderr = result.stderr.decode() if isinstance(result.stderr, bytes) else result.stderr
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(prefix), lines
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


@pytest.mark.parametrize("command", ["evaluate", "summary"])
@pytest.mark.parametrize("stdin", ["[" * 50_000, "case: " + "[" * 40_000], ids=["json", "yaml-flow"])
def test_deeply_nested_documents_are_refused_naming_the_input(command: str, stdin: str) -> None:
    """Python's RecursionError (in the JSON or the YAML parser) used to reach the user as a traceback."""
    assert_one_line(run(command, "-", stdin=stdin), "(input): stdin: ", "nested too deeply", "20 levels")


def test_deeply_nested_yaml_is_refused_naming_the_field(tmp_path: Path) -> None:
    case = tmp_path / "deep.yaml"
    case.write_text("".join("  " * i + "b:\n" for i in range(200)))
    line = assert_one_line(run("summary", str(case)), "b.b.b.b.b", "nested too deeply (more than 20 levels")
    assert line.startswith("b." * 20 + "b: ")


def test_deeply_nested_teaching_case_is_a_problem_of_its_file(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text("id: deep\ncase:\n" + "".join("  " * i + "b:\n" for i in range(1, 250)))
    result = run("cases", "check", "--directory", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("deep.yaml: case.b.b.b")
    assert "nested too deeply" in result.stderr


def test_dev_zero_as_a_case_is_refused_with_the_size_limit() -> None:
    assert_one_line(run("evaluate", "/dev/zero"), "(input): /dev/zero: ", "larger than 100 kB")


def test_dev_zero_as_a_batch_is_refused_with_the_size_limit(tmp_path: Path) -> None:
    assert_one_line(run("batch", "/dev/zero", "-o", str(tmp_path / "out.csv")), "(file): /dev/zero: ",
                    "larger than 100 MB, the limit for a batch file")
    assert not (tmp_path / "out.csv").exists()


def test_a_case_that_is_not_utf8_is_refused_naming_the_file(tmp_path: Path) -> None:
    case = tmp_path / "latin1.yaml"
    case.write_bytes("gestational_age: {weeks: 20}  # é\n".encode("latin-1"))
    assert_one_line(run("evaluate", str(case)), f"(input): {case}: ", "not UTF-8")
    assert_one_line(run_raw("evaluate", "-", stdin=b"\xff\xfe{}"), "(input): stdin: ", "not UTF-8 text (byte 1)")


def test_a_directory_as_a_case_or_a_batch_is_refused(tmp_path: Path) -> None:
    assert_one_line(run("evaluate", str(tmp_path)), f"(input): {tmp_path}: ", "is a directory")
    assert_one_line(run("batch", str(tmp_path), "-o", str(tmp_path / "out.csv")), f"(file): {tmp_path}: ", "is a directory")


@pytest.fixture
def batch_file(tmp_path: Path) -> Path:
    source = tmp_path / "cases.csv"
    source.write_text("ga_weeks,length_mm\n20,18\n")
    return source


def test_batch_output_into_a_missing_folder(batch_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "out.csv"
    assert_one_line(run("batch", str(batch_file), "-o", str(target)), f"(output): {target}: ", "folder", "does not exist")


def test_batch_output_onto_a_directory(batch_file: Path, tmp_path: Path) -> None:
    assert_one_line(run("batch", str(batch_file), "-o", str(tmp_path)), f"(output): {tmp_path}: ", "is a directory")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a disk that is always full)")
def test_batch_output_onto_a_full_disk(batch_file: Path) -> None:
    assert_one_line(run("batch", str(batch_file), "-o", "/dev/full"), "(output): /dev/full: ", "the disk is full")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a disk that is always full)")
@pytest.mark.parametrize("command", ["evaluate", "batch"])
def test_a_full_stdout_is_reported(command: str, batch_file: Path) -> None:
    args = ("evaluate", "-") if command == "evaluate" else ("batch", str(batch_file))
    with open("/dev/full", "wb") as full:
        result = run_raw(*args, stdin=OK_CASE.encode(), stdout=full, stderr=subprocess.PIPE)
    assert_one_line(result, "(output): stdout: ", "the disk is full")


@pytest.mark.parametrize("command", ["evaluate", "batch", "summary"])
def test_a_stdout_closed_by_the_reader_is_reported(command: str, batch_file: Path) -> None:
    """Like ``| head -c0``: the reading end of the pipe is closed before anything is written."""
    args = {"evaluate": ("evaluate", "-"), "batch": ("batch", str(batch_file)), "summary": ("summary", "-")}[command]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run_raw(*args, stdin=OK_CASE.encode(), stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    assert_one_line(result, "(output): stdout: ", "broken pipe")


@pytest.mark.parametrize("command", ["evaluate", "batch"])
def test_a_closed_stdout_file_descriptor_is_reported(command: str, batch_file: Path) -> None:
    """Like ``>&-``: the program starts without file descriptor 1."""
    args = ("evaluate", "-") if command == "evaluate" else ("batch", str(batch_file))
    result = run_raw(*args, stdin=OK_CASE.encode(), stdout=None, stderr=subprocess.PIPE,
                     preexec_fn=lambda: os.close(1))
    assert_one_line(result, "(output): stdout: ", "is closed")


@pytest.mark.parametrize(("text", "shown"), [("030", "'030'"), ("1:30", "'1:30'"), ("0x1e", "'0x1e'"), ("1_0", "'1_0'")])
def test_yaml_numbers_that_are_not_plain_decimals_are_errors_naming_the_field(tmp_path: Path, text: str, shown: str) -> None:
    """YAML 1.1 reads 030 as 24 (octal) and 1:30 as 90 (base 60): silently wrong before."""
    case = tmp_path / "case.yaml"
    case.write_text(f"gestational_age:\n  weeks: {text}\n")
    assert_one_line(run("evaluate", str(case)), "gestational_age.weeks: ", f"{shown} is not a plain decimal number")
    case.write_text(f"gestational_age: {{weeks: 20}}\ncervix:\n  length_mm: {text}.5\n" if ":" in text else
                    f"gestational_age: {{weeks: 20}}\ncervix: {{length_mm: 18}}\nplurality: {text}\n")
    assert_one_line(run("evaluate", str(case)), "cervix.length_mm: " if ":" in text else "plurality: ",
                    "is not a plain decimal number")


@pytest.mark.parametrize(("stdin", "path"), [
    ('{"gestational_age": {"weeks": 20, "weeks": 30}}', "gestational_age.weeks"),
    ("gestational_age:\n  weeks: 20\n  days: 1\n  weeks: 30\n", "gestational_age.weeks"),
    ('{"gestational_age": {"weeks": 20}, "gestational_age": {"weeks": 30}}', "gestational_age"),
], ids=["json", "yaml", "json-top"])
def test_duplicate_keys_are_refused_naming_the_field(stdin: str, path: str) -> None:
    line = assert_one_line(run("evaluate", "-", stdin=stdin), f"{path}: ", "given more than once")
    if "days" in stdin:
        assert "line 4" in line  # YAML: the line of the repeated key


def test_yaml_errors_are_reported_at_their_own_line_and_reason() -> None:
    line = assert_one_line(run("evaluate", "-", stdin="gestational_age:\n  weeks: 20\n cervix: [1\n"),
                           "(input): stdin: not valid YAML at line 3")
    assert "JSON" not in line
    json_line = assert_one_line(run("evaluate", "-", stdin='{"gestational_age":\n {"weeks": 20 "days": 1}}'),
                                "(input): stdin: not valid JSON at line 2, column 15")  # meant as JSON: JSON's position
    assert "Expecting ',' delimiter" in json_line


@pytest.mark.parametrize("stdin", ['{"gestational_age": {"weeks": ' + "1" * 5000 + "}}",
                                   "gestational_age: {weeks: " + "1" * 5000 + "}"], ids=["json", "yaml"])
def test_very_long_integers_are_a_field_message(stdin: str) -> None:
    assert_one_line(run("evaluate", "-", stdin=stdin), "gestational_age.weeks: ",
                    "a whole number of 5,000 digits is too long (at most 100)")


def test_echoed_values_are_cut_in_every_message(tmp_path: Path) -> None:
    value = "x" * 90_000
    line = assert_one_line(run("evaluate", "-", stdin=json.dumps({"gestational_age": {"weeks": value}})),
                           "gestational_age.weeks: ", "(90,000 characters)")
    assert len(line) < 300
    source = tmp_path / "cases.csv"
    source.write_text(f"ga_weeks,serial_cervical_lengths,cervical_surgery\n{value},,\n20,{value},\n20,,{value}\n")
    out = tmp_path / "out.csv"
    result = run("batch", str(source), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    errors = [row["errors"] for row in csv.DictReader(out.open())]
    assert len(errors) == 3 and all(e and len(e) < 400 for e in errors), [len(e) for e in errors]
