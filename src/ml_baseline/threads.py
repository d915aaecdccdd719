"""How many threads the native pools (OpenMP in the gradient-boosted trees, BLAS) may use.

OpenMP threads wait for each other at every step of a tree's growth: when another process
holds one of the cores, each wait lasts a time slice of the scheduler, and on a 2-core machine
a 1 s fit took 17 s beside the plot worker and 13 s beside another user's tests. So the pools
get the cores that are idle when a step starts (measured, not assumed; low-priority work such
as our own plot worker counts as idle, because it yields its core), one thread for a small
problem (where starting threads costs more than it saves), and never more than a limit the user
set in the environment (OMP_NUM_THREADS and friends).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator

# The variables the thread pools read at start-up; a user's value is an upper bound here.
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)
SMALL_PROBLEM = 100_000  # rows x columns below which one thread is faster (bench/shapes.py)
_SAMPLE_SECONDS = 0.05  # how long idle time is measured


def usable_cores() -> int:
    """Return the cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def user_limit() -> int | None:
    """Return the smallest thread count the user set in THREAD_VARIABLES, or None."""
    limits = []
    for name in THREAD_VARIABLES:
        with contextlib.suppress(ValueError):
            value = int(os.environ.get(name, "").split(",")[0])
            if value > 0:
                limits.append(value)
    return min(limits) if limits else None


def idle_cores() -> int:
    """Return how many of the machine's cores were idle over the last few milliseconds (this
    process sleeps meanwhile, so its own work is not counted), at least 1 and at most the
    usable cores. Where /proc/stat cannot be read, the usable cores."""
    cores = usable_cores()
    try:
        first = _idle_ticks()
        time.sleep(_SAMPLE_SECONDS)
        second = _idle_ticks()
    except (OSError, ValueError, IndexError):
        return cores
    busy, idle = second[0] - first[0], second[1] - first[1]
    if busy + idle <= 0:
        return cores
    machine = os.cpu_count() or cores
    return max(1, min(cores, round(machine * idle / (busy + idle))))


def _idle_ticks() -> tuple[int, int]:
    """Return (busy, idle) clock ticks of all cores since boot, from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as stat:
        return busy_and_idle(stat.readline())


def busy_and_idle(cpu_line: str) -> tuple[int, int]:
    """Return (busy, idle) clock ticks from the "cpu" line of /proc/stat (user, nice, system,
    idle, iowait, ...). Low-priority (niced) work, such as the plot worker, yields its core to
    this process's threads at once: its time counts as idle."""
    fields = [int(value) for value in cpu_line.split()[1:]]
    idle = fields[1] + fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, idle


def thread_count(cells: int) -> int:
    """Return the threads for a problem of `cells` (rows x columns): one when small, else the
    idle cores, within the user's limit."""
    threads = 1 if cells < SMALL_PROBLEM else idle_cores()
    limit = user_limit()
    return threads if limit is None else min(threads, limit)


@contextlib.contextmanager
def native_threads(cells: int) -> Iterator[int]:
    """Limit the OpenMP and BLAS pools of this process to `thread_count(cells)` threads
    within the block; yield that count."""
    from threadpoolctl import threadpool_limits

    threads = thread_count(cells)
    with threadpool_limits(limits=threads):
        yield threads
