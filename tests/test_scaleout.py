"""Scale-out, tested: two replicas behind HAProxy sharing one PostgreSQL (deploy/cluster.py), one stopped mid-run.

Sessions speak Streamlit's protocol through the balancer (benchmarks/loadgen.py): options-page sessions
opened from a shareable link change an input every second or so, and quiz sessions save attempts. Both
replicas serve sessions and save attempts; then one replica is killed (SIGKILL, like a crash). Checked:
every attempt the app said it saved is in the database; the sessions of the killed replica reconnect to the
survivor and their case comes back from the link; the other replica's sessions never notice; the load
generator reports the error window. The figures go to ``artifacts/scaleout.json``.

Needs Debian's haproxy and postgresql (``.ci/run`` installs them); never skipped on CI.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from support import require

from benchmarks import loadgen
from decision.querystring import case_to_params
from progress.store import AttemptRow

ROOT = Path(__file__).resolve().parent.parent
ARTIFACT = ROOT / "artifacts" / "scaleout.json"
CASE = {"gestational_age": {"weeks": 20, "days": 1}, "cervix": {"dilation_cm": 2,
                                                                "membranes_at_or_beyond_external_os": True}}
EXPECT = "GA 20+1"  # the options page's caption once the case is read from the link
OPTION_SESSIONS = 6
QUIZ_SESSIONS = 4
PERIOD = 1.5
DURATION = 22.0
KILL_AFTER = 8.0


@pytest.fixture(scope="module")
def cluster():
    from deploy.cluster import deployment, haproxy_binary
    from tools import pg

    require(shutil.which("haproxy") is not None or Path("/usr/sbin/haproxy").exists(),
            "HAProxy is not installed (apt-get install haproxy)")
    require(pg.available(), "PostgreSQL is not installed (apt-get install postgresql)")
    haproxy_binary()
    with deployment(replicas=2, check_interval="500ms") as d:
        yield d


def test_two_replicas_share_postgresql_and_survive_losing_one(cluster) -> None:
    from urllib.parse import urlencode

    query = urlencode(case_to_params(CASE))
    kill: dict[str, object] = {}

    async def scenario() -> tuple[loadgen.RunResult, list[list[loadgen.QuizOutcome]], list[loadgen.Session]]:
        clock0 = kill["clock0"] = time.perf_counter()
        sessions: list[loadgen.Session] = []
        quiz_sessions = [loadgen.Session(cluster.url, "quiz", "", i, cookie_name="CIDSS", capture_text=True)
                         for i in range(QUIZ_SESSIONS)]
        for s in quiz_sessions:
            await s.open()
        started: dict[str, float] = {}

        async def killer() -> None:
            while "t" not in started:
                await asyncio.sleep(0.05)
            await asyncio.sleep(KILL_AFTER)
            # Kill the replica holding the first options session (both replicas hold sessions: checked below).
            victim = sessions[0].backend()
            kill["replica"] = victim
            kill["backends_before"] = sorted({s.backend() for s in sessions + quiz_sessions})
            kill["at"] = await asyncio.to_thread(cluster.stop_replica, victim, signal.SIGKILL)

        async def quizzes() -> list[list[loadgen.QuizOutcome]]:
            while "t" not in started:
                await asyncio.sleep(0.05)
            until = started["t"] + DURATION
            return await asyncio.gather(*(loadgen.quiz_loop(cluster.url, f"resident{i}", until, clock0,
                                                            pause=0.7, session=s)
                                          for i, s in enumerate(quiz_sessions)))

        run, quiz, _ = await asyncio.gather(
            loadgen.run_async(cluster.url, "options", query, OPTION_SESSIONS, period=PERIOD, duration=DURATION,
                              ramp=2.0, reconnect=True, cookie_name="CIDSS", expect_text=EXPECT,
                              on_start=lambda t: started.setdefault("t", t), created=sessions),
            quizzes(), killer())
        return run, quiz, sessions

    run, quiz, sessions = asyncio.run(scenario())
    victim = kill["replica"]
    survivor = next(r.name for r in cluster.replicas if r.name != victim)
    assert kill["backends_before"] == ["r1", "r2"], "both replicas must hold sessions before one is stopped"

    # Attempts: saved on both replicas before the kill, and every one the app said it saved is in PostgreSQL.
    outcomes = [o for per_session in quiz for o in per_session]
    confirmed = [o for o in outcomes if o.saved]
    killed_at = kill["at"] - kill["clock0"]  # on the quiz sessions' clock
    assert {o.backend for o in confirmed if o.at < killed_at} == {"r1", "r2"}, "attempts saved through both replicas"
    assert any(o.at > killed_at + 1 for o in confirmed), "attempts saved through the survivor after the stop"
    engine = create_engine(cluster.database_url)
    with engine.connect() as conn:
        found = {nick: conn.execute(select(func.count()).where(AttemptRow.nickname == nick)).scalar_one()
                 for nick in (f"resident{i}" for i in range(QUIZ_SESSIONS))}
    engine.dispose()
    for i, per_session in enumerate(quiz):
        said_saved = sum(1 for o in per_session if o.saved)
        submitted = len(per_session)
        assert said_saved <= found[f"resident{i}"] <= submitted, (i, said_saved, found, submitted)
    assert not any(o.saved is False for o in outcomes), "PostgreSQL stayed up: no attempt may be 'not saved'"

    # Sessions: those on the killed replica came back on the survivor with their case; the others never noticed.
    moved = [s for s in sessions if s.report.backends[:1] == [victim]]
    stayed = [s for s in sessions if s.report.backends[:1] == [survivor]]
    assert moved and stayed
    for s in moved:
        assert s.report.reconnects >= 1 and s.report.backends[-1] == survivor, s.report
        assert s.report.restored_query and all(s.report.restored_query), "the case must come back from the link"
        assert s.report.samples and s.report.samples[-1].at > max(o[0] for o in s.report.outages)
    for s in stayed:
        assert not s.report.errors and not s.report.reconnects, s.report.errors
    unanswered = [o[1] for s in moved for o in s.report.outages]
    summary = run.summary()
    assert summary["errors"] >= len(moved) and "error_window_s" in summary
    assert max(unanswered) < 20, unanswered

    figures = {
        "replicas": 2, "stopped": victim, "signal": "SIGKILL", "options_sessions": OPTION_SESSIONS,
        "quiz_sessions": QUIZ_SESSIONS, "period_s": PERIOD, "window_s": DURATION,
        "sessions_moved": len(moved), "sessions_unaffected": len(stayed),
        "unanswered_max_s": round(max(unanswered), 2), "unanswered_median_s": round(sorted(unanswered)[len(unanswered) // 2], 2),
        "case_restored": f"{sum(all(s.report.restored_query) for s in moved)}/{len(moved)}",
        "attempts_submitted": len(outcomes), "attempts_saved": len(confirmed),
        "attempts_found": sum(found.values()), "attempts_unanswered": sum(1 for o in outcomes if o.saved is None),
        "saved_per_replica": {r: sum(1 for o in confirmed if o.backend == r) for r in ("r1", "r2")},
        "load": summary,
    }
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures))
