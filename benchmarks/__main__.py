"""``python -m benchmarks``: every speed figure against its floor; writes benchmarks/results.json.

Exits 1 when a target is missed. Options: ``--only`` with a comma-separated subset of ``ALL`` (engine, links,
batch, batch_bounds, batch_page, pages, cold, memory, memory_release, concurrency, cds, server_cpu, capacity,
scaleout), and ``--rows N`` for
the batch size (default 100,000).
"""

from __future__ import annotations

import argparse
import json
import platform
import signal
import sys
import traceback
from pathlib import Path

from . import measures

RESULTS = Path(__file__).resolve().parent / "results.json"
ALL = ("engine", "links", "batch", "batch_bounds", "batch_page", "pages", "cold", "memory", "memory_release",
       "concurrency", "cds", "server_cpu", "capacity", "scaleout")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--only", default=",".join(ALL), help="comma-separated subset of " + ", ".join(ALL))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true", help="do not write results.json")
    args = parser.parse_args(argv)
    # A stopped run still stops what it started (servers, HAProxy, PostgreSQL): their context managers run.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in ALL]
    if unknown:
        print(f"--only: unknown figure(s) {', '.join(unknown)}; choose from {', '.join(ALL)}", file=sys.stderr)
        return 2
    figures: dict[str, dict] = {}
    for name in chosen:
        print(f"measuring {name} …", file=sys.stderr, flush=True)
        try:
            if name in ("batch", "batch_page"):
                figures.update(getattr(measures, name)(args.rows))
            else:
                figures.update(getattr(measures, name)())
        except Exception as exc:  # one broken measurement must not lose the others' figures
            traceback.print_exc()
            figures[f"{name}.error"] = measures._figure(0, "", "measured without error", False,
                                                        extra={"error": f"{type(exc).__name__}: {exc}"[:500]})
    print(measures.table(figures))
    missed = [key for key, fig in figures.items() if not fig["ok"]]
    if not args.no_write:
        previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        previous.update(figures)
        previous["_machine"] = {"cpus": measures.cpu_count(), "platform": platform.platform(),
                                "python": platform.python_version(), "processor": measures.cpu_model()}
        RESULTS.write_text(json.dumps(previous, indent=2, sort_keys=True) + "\n")
        print(f"wrote {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    if missed:
        print("targets missed: " + ", ".join(missed), file=sys.stderr)
        return 1
    print("all targets met")
    return 0


sys.exit(main())
