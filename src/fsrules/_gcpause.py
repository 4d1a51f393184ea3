"""Pausing the cyclic garbage collector around bulk work that makes no garbage cycles.

A load builds hundreds of thousands of facts that all stay alive, and a run
makes findings, evidence and index tuples that also hold no reference cycles.
Whenever allocations outnumber deallocations the collector walks every
tracked object again (all the facts each time) and finds nothing to free: a
third of a load's time, a fifth of a run's. Reference counting still frees
everything those steps discard.

:func:`paused_gc` switches the collector off for the block and back on
afterwards only if it was on when the block started, so nested pauses and a
caller who disabled it themselves are respected. It changes the
interpreter's collector setting for the duration of the block, which is
process-wide: another thread allocating cycles meanwhile collects them later.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off (restored afterwards if it was on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
