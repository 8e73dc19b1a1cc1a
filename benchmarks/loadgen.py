"""A protocol-level load generator: simulated browser sessions that speak Streamlit's own websocket protocol.

No browser: each session opens ``/_stcore/stream`` and exchanges the protobuf messages the Streamlit
frontend exchanges (``BackMsg`` up, ``ForwardMsg`` down, both shipped inside the ``streamlit`` package):

1. like a browser loading a page, an HTTP ``GET`` of the page URL first (a load balancer's stickiness
   cookie is kept in the session's own cookie jar and sent with the websocket upgrade);
2. the first ``BackMsg`` is a ``rerun_script`` carrying the shareable link's query string and the page
   name (the app reads the link on a session's first run only);
3. every few seconds, one widget change: a ``rerun_script`` with the widget states of the widgets the
   server last sent (their ids echoed from the ``ForwardMsg`` deltas, values kept as the browser keeps
   them), the page script hash from ``navigation`` and the query string as the server last set it
   (``page_info_changed``). The figure is the time from sending the change to the ``script_finished``
   message that ends that rerun.
4. when the connection drops (a replica stopped), the session does what the frontend does: polls
   ``/_stcore/health`` until it answers, opens a new websocket and sends ``rerun_script`` with the address
   bar's query string, which a new server session reads as a shareable link. The time from the drop to
   the first finished rerun on the new connection is the session's unanswered window.

Bounded: at most :data:`MAX_SESSIONS` sessions and :data:`MAX_DURATION` seconds per run; loopback only.

Not simulated: the browser's ``cached_message_hashes`` (the server then sends every message in full, as
to a fresh tab), ``context_info`` (time zone, locale), and the widgets whose values the options page
does not need (the server keeps a widget's previous value when the browser does not send it).
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import random
import statistics
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

MAX_SESSIONS = 400
MAX_DURATION = 600.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WIDGET_TYPES = ("checkbox", "button_group", "slider", "number_input", "selectbox", "text_input", "button")


class ProtocolError(RuntimeError):
    """The server answered something the load generator did not expect (a script error, a wrong page)."""


@dataclass(frozen=True)
class Change:
    """One kind of input change: the widget's key (the ``key=`` the page gave it) and how to pick the next value.

    ``pick(widget, current, i)`` gets the widget's element proto, the value the browser holds and the change
    number, and returns the new value (bool for a toggle/checkbox, str for a segmented control, a list of floats
    for a slider, a float for a number input)."""

    key: str
    pick: Callable[[Any, Any, int], Any]


def toggle(key: str) -> Change:
    return Change(key, lambda _el, current, _i: not current)


def cycle_options(key: str) -> Change:
    """A single-select segmented control: the next option after the current one."""
    def pick(el: Any, current: Any, _i: int) -> str:
        options = [o.content for o in el.options]
        now = current[0] if current else None
        return options[(options.index(now) + 1) % len(options)] if now in options else options[0]
    return Change(key, pick)


def slide(key: str, low: int, high: int) -> Change:
    """A slider moved to a value it did not hold just before (low..high)."""
    def pick(_el: Any, current: Any, i: int) -> list[float]:
        now = int(current[0]) if current else low
        value = low + (i * 7) % (high - low + 1)
        return [float(value if value != now else low + (value - low + 1) % (high - low + 1))]
    return Change(key, pick)


#: The options page: what a clinician does during a consultation (switch the guideline profile, the
#: visual aid, the profile comparison), in turn.
OPTIONS_CHANGES: tuple[Change, ...] = (cycle_options("opt.profile"), cycle_options("opt.aid"), toggle("opt.compare"))
#: The floor page (benchmarks/floor_app.py): its one slider.
FLOOR_CHANGES: tuple[Change, ...] = (slide("floor.slider", 5, 40),)


@dataclass
class _Widget:
    id: str
    kind: str
    element: Any


def _user_key(widget_id: str) -> str | None:
    """The ``key=`` of a widget from its id (``$$ID-<hash>-<key>``), or None."""
    if widget_id.startswith("$$ID-"):
        parts = widget_id.split("-", 2)
        if len(parts) == 3 and parts[2] != "None":
            return parts[2]
    return None


def _initial_value(kind: str, el: Any) -> Any:
    """The value a browser holds for a freshly rendered widget (the server's ``value`` when it set one)."""
    if kind == "checkbox":
        return bool(el.value) if el.set_value else bool(el.default)
    if kind == "button_group":
        if el.set_value:
            return list(el.value) if hasattr(el, "value") else []
        return [el.options[i].content for i in el.default if 0 <= i < len(el.options)]
    if kind == "slider":
        return list(el.value) if el.set_value else list(el.default)
    if kind == "number_input":
        return float(el.value) if el.set_value else float(el.default)
    if kind == "text_input":
        return el.value if el.set_value else el.default
    if kind == "selectbox":
        if el.set_value:
            return el.raw_value
        return el.options[el.default] if 0 <= el.default < len(el.options) else None
    return None  # buttons: a trigger, sent only in the rerun that clicks them


def _to_state(widget: _Widget, value: Any) -> WidgetState | None:
    state = WidgetState(id=widget.id)
    if widget.kind == "checkbox":
        state.bool_value = bool(value)
    elif widget.kind == "button_group":
        state.string_array_value.data.extend(value if isinstance(value, list) else [value])
    elif widget.kind == "slider":
        state.double_array_value.data.extend(value if isinstance(value, list) else [value])
    elif widget.kind == "number_input":
        state.double_value = float(value)
    elif widget.kind in ("text_input", "selectbox"):
        state.string_value = str(value)
    else:
        return None
    return state


@dataclass
class Sample:
    """One timed change: when it was sent (seconds since the run started), how long until script_finished."""

    at: float
    seconds: float
    key: str


@dataclass
class SessionReport:
    index: int
    open_seconds: float | None = None
    samples: list[Sample] = field(default_factory=list)
    errors: list[tuple[float, str]] = field(default_factory=list)  # (at, what)
    outages: list[tuple[float, float]] = field(default_factory=list)  # (dropped at, answered again after s)
    reconnects: int = 0
    restored_query: list[bool] = field(default_factory=list)  # after each reconnect: the case came back
    backends: list[str] = field(default_factory=list)  # stickiness cookie values seen, in order


class Session:
    """One simulated browser tab on one page of a Streamlit app."""

    def __init__(self, base_url: str, page: str, query: str, index: int = 0, *, timeout: float = 60.0,
                 cookie_name: str | None = None, expect_text: str | None = None, capture_text: bool = False) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.hostname not in LOOPBACK:
            raise ValueError(f"the load generator only talks to loopback, not {parsed.hostname}")
        self.base_url = base_url.rstrip("/")
        self.ws_url = ("wss" if parsed.scheme == "https" else "ws") + "://" + parsed.netloc + "/_stcore/stream"
        self.page = page
        self.query = query
        self.timeout = timeout
        self.cookie_name = cookie_name
        self.expect_text = expect_text
        self.capture_text = capture_text or expect_text is not None
        self.report = SessionReport(index)
        self.jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.ws: Any = None
        self.page_hash = ""
        self.widgets: dict[str, _Widget] = {}  # user key -> widget of the last run
        self.values: dict[str, Any] = {}  # widget id -> value the browser holds
        self.last_text: list[str] = []

    # --- HTTP (cookies as a browser keeps them) -----------------------------------------------------

    def _get(self, path: str) -> int:
        request = urllib.request.Request(self.base_url + path, headers={"User-Agent": "ci-dss-loadgen"})
        with self._opener.open(request, timeout=5) as response:
            response.read()
            return int(response.status)

    def _cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def backend(self) -> str | None:
        """The load balancer's stickiness cookie value (which replica this session is pinned to)."""
        for cookie in self.jar:
            if cookie.name == self.cookie_name:
                return cookie.value
        return None

    def _note_backend(self) -> None:
        value = self.backend()
        if value is not None and (not self.report.backends or self.report.backends[-1] != value):
            self.report.backends.append(value)

    def _absorb_set_cookie(self, headers: Any) -> None:
        """A Set-Cookie on the websocket upgrade response (HAProxy may pin or re-pin the session there)."""
        for raw in headers.get_all("Set-Cookie") if hasattr(headers, "get_all") else []:
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            cookie = http.cookiejar.Cookie(0, name.strip(), value, None, False, urllib.parse.urlsplit(self.base_url).hostname,
                                           False, False, "/", True, False, None, False, None, None, {})
            self.jar.set_cookie(cookie)

    # --- the websocket protocol -----------------------------------------------------------------

    async def _connect(self) -> None:
        headers = {"User-Agent": "ci-dss-loadgen"}
        cookie = self._cookie_header()
        if cookie:
            headers["Cookie"] = cookie
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], additional_headers=headers,
                                           max_size=None, open_timeout=self.timeout, compression=None,
                                           ping_interval=None)
        response = getattr(self.ws, "response", None)
        if response is not None:
            self._absorb_set_cookie(response.headers)
        self._note_backend()

    async def open(self) -> float:
        """Load the page like a browser opening the shareable link; seconds until the first run finished."""
        t0 = time.perf_counter()
        await asyncio.to_thread(self._get, f"/{self.page}?{self.query}" if self.query else f"/{self.page}")
        await self._connect()
        await self._run_script(first=True)
        self.report.open_seconds = time.perf_counter() - t0
        return self.report.open_seconds

    def _rerun_message(self, first: bool, click: str | None = None) -> BackMsg:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        rerun.page_name = self.page if first else ""
        if not first and self.page_hash:
            rerun.page_script_hash = self.page_hash
        for widget in self.widgets.values():
            value = self.values.get(widget.id)
            if value is None:
                continue
            state = _to_state(widget, value)
            if state is not None:
                rerun.widget_states.widgets.append(state)
        if click is not None:
            rerun.widget_states.widgets.append(WidgetState(id=click, trigger_value=True))
        return msg

    async def _run_script(self, first: bool = False, click: str | None = None) -> None:
        """Send ``rerun_script`` and read until ``script_finished``; learn the widgets and the query string."""
        await self.ws.send(self._rerun_message(first, click).SerializeToString())
        seen: dict[str, _Widget] = {}
        texts: list[str] = []
        capture = self.capture_text
        async with asyncio.timeout(self.timeout):  # one timer per rerun, not one per message
            while True:
                msg = ForwardMsg()
                msg.ParseFromString(await self.ws.recv())
                kind = msg.WhichOneof("type")
                if kind == "delta":
                    delta = msg.delta
                    if delta.WhichOneof("type") != "new_element":
                        continue
                    element = delta.new_element
                    etype = element.WhichOneof("type")
                    if etype in WIDGET_TYPES:
                        el = getattr(element, etype)
                        key = _user_key(el.id)
                        if key is not None:
                            seen[key] = _Widget(el.id, etype, el)
                        if el.id not in self.values or getattr(el, "set_value", False):
                            self.values[el.id] = _initial_value(etype, el)
                    elif etype == "exception":
                        raise ProtocolError(f"the page raised: {element.exception.message[:200]}")
                    elif capture and etype in ("markdown", "alert"):
                        texts.append(getattr(element, etype).body)
                elif kind == "navigation":  # st.navigation: the page that ran (its hash goes with every rerun)
                    self.page_hash = msg.navigation.page_script_hash
                elif kind == "new_session" and not self.page_hash:
                    self.page_hash = msg.new_session.page_script_hash
                elif kind == "page_info_changed":
                    self.query = msg.page_info_changed.query_string
                elif kind == "page_not_found":
                    raise ProtocolError(f"page not found: {self.page}")
                elif kind == "script_finished":
                    status = msg.script_finished
                    if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        raise ProtocolError("the page did not compile")
                    if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue  # the page asked for a rerun (st.rerun / switch_page): its next run ends it
                    break
        live = {w.id for w in seen.values()}
        self.values = {wid: v for wid, v in self.values.items() if wid in live}
        self.widgets = seen
        self.last_text = texts

    def widget(self, key: str) -> _Widget:
        """The widget with ``key=`` on the page as the server last sent it (ProtocolError if it is not there)."""
        found = self.widgets.get(key)
        if found is None:
            raise ProtocolError(f"widget {key!r} is not on the page")
        return found

    def keys(self, prefix: str = "") -> list[str]:
        return [k for k in self.widgets if k.startswith(prefix)]

    async def act(self, values: dict[str, Any] | None = None, click: str | None = None) -> float:
        """Set widgets (by key) and/or click a button, in one rerun; seconds until ``script_finished``."""
        for key, value in (values or {}).items():
            self.values[self.widget(key).id] = value
        trigger = self.widget(click).id if click else None
        t0 = time.perf_counter()
        await self._run_script(click=trigger)
        return time.perf_counter() - t0

    def text(self) -> str:
        """The markdown and alert texts of the last run (when made with ``capture_text`` or ``expect_text``)."""
        return "\n".join(self.last_text)

    async def change(self, change: Change, i: int) -> float:
        """Apply one input change; seconds from sending it to ``script_finished``."""
        widget = self.widgets.get(change.key)
        if widget is None:
            raise ProtocolError(f"widget {change.key!r} is not on the page")
        self.values[widget.id] = change.pick(widget.element, self.values.get(widget.id), i)
        t0 = time.perf_counter()
        await self._run_script()
        return time.perf_counter() - t0

    async def reconnect(self, dropped_at: float, clock0: float, give_up: float) -> None:
        """What the frontend does after a drop: poll /_stcore/health, reconnect, rerun with the address bar's link."""
        delay = 0.1
        before = self.query
        while True:
            if time.perf_counter() > give_up:
                raise TimeoutError("the app did not come back")
            try:
                await asyncio.to_thread(self._get, "/_stcore/health")
                await self._connect()
                self.widgets, self.values, self.page_hash = {}, {}, ""
                await self._run_script(first=True)
                break
            except (OSError, websockets.exceptions.WebSocketException, TimeoutError):
                await asyncio.sleep(delay)
                delay = min(delay * 1.5, 1.0)
        self.report.reconnects += 1
        self.report.outages.append((dropped_at - clock0, time.perf_counter() - dropped_at))
        if self.expect_text is not None:  # the case came back from the link, and the link did not change
            self.report.restored_query.append(self.query == before and any(self.expect_text in t for t in self.last_text))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


@dataclass
class RunResult:
    sessions: int
    period: float
    duration: float
    reports: list[SessionReport]
    started: float  # time.perf_counter() at the start of the measured window
    wall: float  # seconds of the measured window

    @property
    def samples(self) -> list[float]:
        return [s.seconds for r in self.reports for s in r.samples]

    def percentile(self, q: float) -> float:
        return percentile(self.samples, q)

    @property
    def errors(self) -> list[tuple[float, str]]:
        return sorted(e for r in self.reports for e in r.errors)

    def summary(self) -> dict[str, Any]:
        values = self.samples
        outages = [o for r in self.reports for o in r.outages]
        errors = self.errors
        out: dict[str, Any] = {
            "sessions": self.sessions, "period_s": self.period, "window_s": round(self.wall, 1),
            "changes": len(values), "errors": len(errors),
            "p50_ms": round(1000 * percentile(values, 0.50), 1) if values else None,
            "p95_ms": round(1000 * percentile(values, 0.95), 1) if values else None,
            "p99_ms": round(1000 * percentile(values, 0.99), 1) if values else None,
            "max_ms": round(1000 * max(values), 1) if values else None,
            "open_median_s": round(statistics.median([r.open_seconds for r in self.reports if r.open_seconds]), 3)
            if any(r.open_seconds for r in self.reports) else None,
        }
        if errors:
            out["error_window_s"] = [round(errors[0][0], 2), round(errors[-1][0], 2)]
        if outages:
            out["reconnects"] = len(outages)
            out["unanswered_max_s"] = round(max(o[1] for o in outages), 2)
            out["unanswered_median_s"] = round(statistics.median(o[1] for o in outages), 2)
            restored = [ok for r in self.reports for ok in r.restored_query]
            if restored:
                out["case_restored"] = f"{sum(restored)}/{len(restored)}"
        return out


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def _open(session: Session, clock0: float) -> bool:
    try:
        await session.open()
        return True
    except Exception as exc:
        session.report.errors.append((time.perf_counter() - clock0, f"open: {type(exc).__name__}: {exc}"[:200]))
        await session.close()
        return False


async def _session_loop(session: Session, changes: Sequence[Change], period: float, start: float, end: float,
                        clock0: float, phase: float, reconnect: bool) -> None:
    """Changes from ``start + phase``, one every ``period`` seconds, until ``end``."""
    report = session.report
    next_at = start + phase
    i = 0
    try:
        while next_at < end:
            now = time.perf_counter()
            if next_at > now:
                # Between changes, like the frontend: a dropped connection is noticed at once, not at the next change.
                closed = asyncio.ensure_future(session.ws.wait_closed())
                done, _ = await asyncio.wait({closed}, timeout=next_at - now)
                if not done:
                    closed.cancel()
                elif reconnect:
                    dropped = time.perf_counter()
                    report.errors.append((dropped - clock0, "connection closed"))
                    await session.reconnect(dropped, clock0, end + 60)
                    continue
                else:
                    report.errors.append((time.perf_counter() - clock0, "connection closed"))
                    return
            change = changes[i % len(changes)]
            sent = time.perf_counter()
            try:
                seconds = await session.change(change, i + report.index)
                report.samples.append(Sample(sent - clock0, seconds, change.key))
            except (websockets.exceptions.WebSocketException, OSError, TimeoutError) as exc:
                report.errors.append((sent - clock0, f"{change.key}: {type(exc).__name__}"))
                if not reconnect:
                    return
                await session.reconnect(sent, clock0, end + 60)
            i += 1
            next_at = max(next_at + period, time.perf_counter())
    except Exception as exc:
        report.errors.append((time.perf_counter() - clock0, f"{type(exc).__name__}: {exc}"[:200]))
    finally:
        await session.close()


async def run_async(base_url: str, page: str, query: str, sessions: int, *, period: float = 3.0,
                    duration: float = 30.0, ramp: float | None = None, changes: Sequence[Change] = OPTIONS_CHANGES,
                    seed: int = 12, reconnect: bool = False, cookie_name: str | None = None,
                    expect_text: str | None = None, on_start: Callable[[float], Any] | None = None,
                    created: list[Session] | None = None) -> RunResult:
    """Open ``sessions`` sessions (spread over ``ramp`` seconds, each from the shareable link), wait until all
    are open, then let each change an input every ``period`` seconds (at a random phase) for ``duration``
    seconds. ``on_start(t)`` is called when that measured window starts; ``created`` receives the sessions."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"sessions must be 1..{MAX_SESSIONS}")
    if not 0 < duration <= MAX_DURATION:
        raise ValueError(f"duration must be at most {MAX_DURATION:.0f} s")
    ramp = min(max(1.0, sessions / 10), 30.0) if ramp is None else ramp
    rng = random.Random(seed)
    clock0 = time.perf_counter()
    pool = [Session(base_url, page, query, i, cookie_name=cookie_name, expect_text=expect_text) for i in range(sessions)]
    if created is not None:
        created.extend(pool)

    async def staggered(i: int, session: Session) -> bool:
        await asyncio.sleep(ramp * i / sessions)
        return await _open(session, clock0)

    opened = await asyncio.gather(*(staggered(i, s) for i, s in enumerate(pool)))
    await asyncio.sleep(0.5)
    start = time.perf_counter()
    if on_start is not None:
        on_start(start)
    end = start + duration
    live = [s for s, ok in zip(pool, opened, strict=True) if ok]
    await asyncio.gather(*(_session_loop(s, changes, period, start, end, clock0, rng.uniform(0, period), reconnect)
                           for s in live))
    return RunResult(sessions, period, duration, [s.report for s in pool], start, time.perf_counter() - start)


def run(*args: Any, **kwargs: Any) -> RunResult:
    return asyncio.run(run_async(*args, **kwargs))


# --- the quiz page: attempts saved to the teaching database ---------------------------------------------

SAVED = "Saved to the progress of"
NOT_SAVED = "Not saved"


@dataclass
class QuizOutcome:
    at: float  # seconds since the run started, when the answer was submitted
    saved: bool | None  # True: the page said saved; False: said not saved; None: no answer (connection lost)
    backend: str | None  # the stickiness cookie's replica when it was submitted


PASSPHRASE = "load generator passphrase"


async def quiz_attempt(session: Session, nickname: str, passphrase: str = PASSPHRASE) -> bool:
    """One attempt on the quiz page (the default case, one option offered), signed in with ``nickname`` and
    ``passphrase`` (the first passphrase claims a new nickname): True if the page said it was saved."""
    nick = session.widget("quiz.nickname")
    if session.values.get(nick.id) != nickname:
        await session.act({"quiz.nickname": nickname})
    if "quiz.passphrase" in session.widgets:  # the history is not open in this session yet
        await session.act({"quiz.passphrase": passphrase})
    await session.act(click="quiz.start")
    offers = sorted(k for k in session.keys("quiz.g") if ".offer." in k)
    if not offers:
        raise ProtocolError("the quiz did not show the options to offer")
    await session.act({offers[0]: True}, click="quiz.submit")
    if "quiz.show_feedback" in session.widgets:  # the follow-up question comes first
        await session.act(click="quiz.show_feedback")
    text = session.text()
    if SAVED not in text and NOT_SAVED not in text:
        raise ProtocolError("the quiz gave no feedback on saving")
    saved = SAVED in text
    await session.act(click="quiz.another")
    return saved


async def quiz_loop(base_url: str, nickname: str, until: float, clock0: float, *, pause: float = 0.5,
                    cookie_name: str | None = None, session: Session | None = None) -> list[QuizOutcome]:
    """Attempt after attempt until ``until`` (time.perf_counter()); after a drop, reconnect and go on."""
    session = session or Session(base_url, "quiz", "", cookie_name=cookie_name, capture_text=True)
    outcomes: list[QuizOutcome] = []
    if session.ws is None:
        await session.open()
    try:
        while time.perf_counter() < until:
            backend = session.backend()
            sent = time.perf_counter() - clock0
            try:
                outcomes.append(QuizOutcome(sent, await quiz_attempt(session, nickname), backend))
            except (websockets.exceptions.WebSocketException, OSError, TimeoutError, ProtocolError) as exc:
                outcomes.append(QuizOutcome(sent, None, backend))
                session.report.errors.append((sent, f"quiz: {type(exc).__name__}"))
                dropped = time.perf_counter()
                await session.close()
                await session.reconnect(dropped, clock0, until + 60)
            await asyncio.sleep(pause)
    finally:
        await session.close()
    return outcomes
