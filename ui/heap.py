"""Keep Streamlit's per-run garbage collection small: freeze the long-lived heap of imported modules.

After every script run Streamlit calls ``gc.collect(2)`` (``runner.postScriptGC``, on by default, so
cyclic garbage does not build up between runs). A full collection walks every tracked object in the
process, and this app's imports (Streamlit, Plotly, pydantic, SQLAlchemy, pandas on some pages, the
knowledge base) are ~150,000 of them: profiled with py-spy under the protocol load test, that walk was
more than half of the server's CPU per rerun of the options page, far more than the page itself.

Objects that live as long as the process (modules, classes, the validated knowledge base) never become
garbage, so they are moved to the permanent generation with :func:`gc.freeze`, which full collections
skip. The post-run collection then walks only what sessions and reruns created, and still frees their
cycles. Freezing happens once per process after a collection, and again only when a page imported new
modules (each page's imports run before it calls ``page_header``): a handful of times per process.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable

_lock = threading.Lock()
_modules_at_freeze = 0


def freeze_long_lived() -> bool:
    """Collect, then freeze everything alive, if modules were imported since the last freeze. True if it froze."""
    global _modules_at_freeze
    if len(sys.modules) <= _modules_at_freeze:
        return False
    with _lock:
        if len(sys.modules) <= _modules_at_freeze:
            return False
        from decision import knowledge

        knowledge()  # loaded and validated once per process: long-lived
        gc.collect()
        gc.freeze()
        _modules_at_freeze = len(sys.modules)
        return True


# --- giving freed memory back -------------------------------------------------------------------------------
# glibc's allocator keeps the pages of freed memory (a 25 MB upload parsed into a data frame, then its session
# reaped) inside the process instead of returning them; the resident size only falls when ``malloc_trim`` is
# called. One daemon thread per process calls it every TRIM_INTERVAL seconds (a few milliseconds each time).
TRIM_INTERVAL = 10.0
_trimmer: threading.Thread | None = None


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc: nothing to do
        return None


def start_trimmer(interval: float = TRIM_INTERVAL) -> bool:
    """Start, once per process, the thread that gives freed heap pages back to the system. True if running."""
    global _trimmer
    if _trimmer is not None:
        return True
    trim = _malloc_trim()
    if trim is None:
        return False
    with _lock:
        if _trimmer is None:
            def run() -> None:
                while True:
                    time.sleep(interval)
                    trim(0)

            _trimmer = threading.Thread(target=run, name="ci-dss-malloc-trim", daemon=True)
            _trimmer.start()
    return True
