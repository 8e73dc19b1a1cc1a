"""Command line: ``python -m decision evaluate | batch | cases check | summary`` (contract.md)."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from pathlib import Path
from typing import Any

from .errors import CaseValidationError, KnowledgeError
from .inputs import os_problem
from .kb import PROFILES

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit 2 with usage; keep that, but one line
        self.print_usage(sys.stderr)
        print(f"usage: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INVALID)


def _read_case(source: str) -> Any:
    """The validated case in ``source`` (a path or '-'), or None after printing one line per problem.

    The document is read by :mod:`decision.inputs` (bounded: size, nesting, encoding, strict YAML,
    duplicate keys), so every failure is a ``field.path: message`` or ``(input): file: message`` line.
    """
    from .case import parse_case
    from .inputs import InputError, read_document

    try:
        return parse_case(read_document(source))
    except (InputError, CaseValidationError) as exc:
        for problem in exc.problems if isinstance(exc, InputError) else exc.errors:
            print(str(problem), file=sys.stderr)
    return None


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .engine import evaluate_case

    case = _read_case(args.file)
    if case is None:
        return EXIT_INVALID
    assessment = evaluate_case(case, args.profile)
    json.dump(assessment.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import BatchFileError, BatchOutputError, run

    output = args.output or sys.stdout
    try:
        result = run(args.input, output, args.profile, show_progress=not args.quiet)
    except BatchOutputError as exc:
        print(f"(output): {exc}", file=sys.stderr)
        if output is sys.stdout:
            _silence_stdout()
        return EXIT_INVALID
    except BatchFileError as exc:
        print(f"(file): {exc}", file=sys.stderr)
        return EXIT_INVALID
    bad = result.error_count
    print(f"batch: {len(result)} rows, {len(result) - bad} evaluated, {bad} with errors", file=sys.stderr)
    return EXIT_OK


def cmd_cases(args: argparse.Namespace) -> int:
    from .teaching import CASES_DIR, check_cases

    directory = Path(args.directory) if args.directory else CASES_DIR
    problems, notes = check_cases(directory)
    count = len(list(directory.glob("*.yaml")))
    for problem in problems:
        print(problem, file=sys.stderr)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    known = f", {len(notes)} known engine disagreement(s) with the spec" if notes else ""
    print(f"cases check: {count} case files, {len(problems)} problem(s){known}", file=sys.stderr)
    return EXIT_FAIL if problems else EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    """One case to a consultation summary (PDF, self-contained HTML or Markdown); see :mod:`reports`."""
    from .case import case_to_dict

    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower() if args.output != "-" else ""
        fmt = {".pdf": "pdf", ".html": "html", ".htm": "html"}.get(suffix, "md")
    if fmt == "pdf" and args.output == "-":
        print("(output): a PDF needs a file path: -o FILE.pdf", file=sys.stderr)
        return EXIT_INVALID
    case = _read_case(args.file)  # validated before importing the (heavier) report renderers
    if case is None:
        return EXIT_INVALID
    from reports import build_summary, render

    content = render(build_summary(case_to_dict(case), args.profile, audience="patient" if args.patient else "clinician"), fmt)
    if args.output == "-":
        sys.stdout.write(content.decode("utf-8"))
        sys.stdout.flush()
        return EXIT_OK
    try:
        Path(args.output).write_bytes(content)
    except OSError as exc:
        print(f"(output): {args.output}: {os_problem(exc, writing=True)}", file=sys.stderr)
        return EXIT_INVALID
    print(f"summary: wrote {args.output} ({fmt}, {len(content)} bytes)", file=sys.stderr)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m decision", description="Cervical insufficiency decision support (engine).")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ev = sub.add_parser("evaluate", help="one case (JSON or YAML) to the assessment JSON")
    ev.add_argument("file", nargs="?", default="-", help="case file, or - for stdin (default)")
    ev.add_argument("--profile", choices=PROFILES, default="acog")
    ev.set_defaults(func=cmd_evaluate)
    ba = sub.add_parser("batch", help="a CSV of cases to a CSV of statuses")
    ba.add_argument("input", help="input CSV (columns: see README)")
    ba.add_argument("-o", "--output", help="output CSV (default: stdout)")
    ba.add_argument("--profile", choices=PROFILES, default="acog")
    ba.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    ba.set_defaults(func=cmd_batch)
    ca = sub.add_parser("cases", help="teaching cases")
    ca_sub = ca.add_subparsers(dest="action", required=True, parser_class=_Parser)
    check = ca_sub.add_parser("check", help="validate every teaching case against the engine")
    check.add_argument("--directory", help="cases folder (default: data/cases)")
    check.set_defaults(func=cmd_cases)
    su = sub.add_parser("summary", help="one case to a consultation summary (PDF, HTML or Markdown)")
    su.add_argument("file", help="case file (JSON or YAML), or - for stdin")
    su.add_argument("--format", choices=("pdf", "html", "md"),
                    help="output format (default: from the -o extension, else md)")
    su.add_argument("-o", "--output", default="-", help="output file, or - for stdout (md and html only; default -)")
    su.add_argument("--profile", choices=PROFILES, default="acog")
    su.add_argument("--patient", action="store_true", help="the plain-language patient handout")
    su.set_defaults(func=cmd_summary)
    return parser


class _ClosedStdout:
    """Stands in for a closed standard output (``>&-``): writing to it fails like a closed file."""

    name = "<stdout>"

    def write(self, _text: str) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")

    def flush(self) -> None:
        return None


def _silence_stdout() -> None:
    """After stdout failed, send what is left to /dev/null so the interpreter's last flush stays quiet."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (open for the rest of the process)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if sys.stdout is None:  # started with stdout closed
        sys.stdout = _ClosedStdout()  # type: ignore[assignment]
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a full or closed stdout fails here, not in the interpreter's exit
        return code
    except KnowledgeError as exc:
        print(f"knowledge base: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # writing the result to stdout (evaluate, summary -o -, batch without -o)
        print(f"(output): stdout: {os_problem(exc, writing=True)}", file=sys.stderr)
        _silence_stdout()
        return EXIT_INVALID
    except (MemoryError, RecursionError) as exc:  # defensive: the readers bound size and nesting first
        print(f"(input): too large or too deeply nested to process ({type(exc).__name__})", file=sys.stderr)
        return EXIT_INVALID
