"""Texts derived from one engine result, built once per result instead of once per rerun.

``state.assessment()`` hands back the same immutable :class:`~decision.engine.Assessment` object for the same
case and profile (a process-wide cache), and most reruns of the options page do not change the case (a toggle,
a visual aid, a disclosure). The plan, the checklist and the cards' Markdown are pure functions of that
object, so they are kept beside it: keyed on the object's identity (the object itself is held, so an identity
is never reused for another result) and the other, hashable, arguments.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
MAX_ENTRIES = 1024


def by_identity(fn: Callable[..., T]) -> Callable[..., T]:
    """Memoise ``fn(result, *args)`` on ``result``'s identity and ``args`` (hashable); keyword arguments that are
    not hashable (the case dict that produced ``result``) are passed through and not part of the key: the
    result determines them."""
    cache: OrderedDict[tuple[Any, ...], tuple[object, T]] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(result: object, *args: Any, **kwargs: Any) -> T:
        key = (id(result), *args)
        with lock:
            hit = cache.get(key)
            if hit is not None and hit[0] is result:
                cache.move_to_end(key)
                return hit[1]
        value = fn(result, *args, **kwargs)
        with lock:
            cache[key] = (result, value)
            while len(cache) > MAX_ENTRIES:
                cache.popitem(last=False)
        return value

    wrapper.cache_clear = cache.clear  # type: ignore[attr-defined]
    return wrapper
