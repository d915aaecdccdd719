"""The Dask engine: score the pieces of a prediction as tasks on a Dask cluster.

Each piece (a part file, or row groups of a large Parquet part; see parts.py) is one task
running `scoring.score_piece` on a worker: read, check against the schema, score, write its
staged output, return its input report and drift counts. The client merges those in order
and writes the output (scoring.py), exactly as the local engine does, so the two give the
same bytes.

What travels over the network: the run's verified model and schema once per worker (the
client has checked the model's sha256; workers never read it from a path), a small
description of each piece (its path and row groups), and each task's result (counts, a few
example values). The rows themselves are read and written by the workers on storage that
the client and every worker see under the same paths.

Dask retries a task whose worker died (up to `distributed.scheduler.allowed-failures` times,
3 by default); a task that fails on bad data fails the command at once. Dask is imported only
here, and only when the engine is used.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ml_baseline.errors import MLBaselineError

if TYPE_CHECKING:
    from ml_baseline.parts import Piece
    from ml_baseline.scoring import PieceResult, PiecesProgress, ScoringJob

INSTALL_HINT = "uv sync --extra dask (or pip install 'ml-baseline[dask]')"
CONNECT_TIMEOUT = "20s"


def require_dask() -> None:
    """Raise an error that says how to install Dask when it is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise MLBaselineError(
            f"--engine dask needs Dask, which is not installed here; install it with {INSTALL_HINT}"
        ) from None


@contextlib.contextmanager
def dask_client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    """Yield a Dask client: connected to the scheduler at `scheduler`, or to a cluster of
    `workers` local processes (one per core by default) that is stopped when the block ends,
    also on Ctrl-C."""
    require_dask()
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise MLBaselineError(
                f"cannot connect to the Dask scheduler at {scheduler} ({exc}); check the address "
                "(such as tcp://10.0.0.5:8786) and that the scheduler is running"
            ) from None
        with client:
            yield client
        return
    n_workers = workers or os.cpu_count() or 1
    # One thread per worker process: scoring holds the GIL much of the time, so processes,
    # not threads, use the cores. Port 0 for the scheduler's HTTP server (any free port):
    # another cluster on this machine may hold the default, 8787.
    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client


def score_on_dask(
    job: ScoringJob,
    pieces: list[Piece],
    scheduler: str | None,
    workers: int | None,
    on_piece: PiecesProgress | None = None,
) -> list[PieceResult]:
    """Return the results of scoring every piece as a task on a Dask cluster (in the order
    they finished); the first task that fails stops the others and raises its error."""
    from distributed import as_completed

    from ml_baseline.scoring import score_piece

    # Workers may run in other folders, or on other machines that mount the same storage.
    output_parts = None if job.output_parts is None else job.output_parts.absolute()
    job = replace(job, staging=job.staging.absolute(), output_parts=output_parts)
    pieces = [replace(piece, path=piece.path.absolute()) for piece in pieces]
    token = uuid.uuid4().hex[:12]  # keys unique on a shared scheduler
    with dask_client(scheduler, workers) as client:
        # Once per worker, not once per task; broadcast, so that losing a worker loses no copy.
        shared = client.scatter(job, broadcast=True, hash=False)
        futures = [
            client.submit(
                score_piece, shared, piece, key=f"ml-baseline-piece-{piece.index}-{token}"
            )
            for piece in pieces
        ]
        by_key = {future.key: piece for future, piece in zip(futures, pieces, strict=True)}
        results: list[PieceResult] = []
        rows = 0
        try:
            for future in as_completed(futures, loop=client.loop):
                results.append(_result(future, by_key[future.key]))
                rows += results[-1].rows
                if on_piece is not None:
                    on_piece(len(results), len(pieces), rows)
        finally:
            client.cancel([*futures, shared])  # after a failure or Ctrl-C: stop the rest
    return results


def _result(future: Any, piece: Piece) -> PieceResult:
    """Return a task's result; a worker that kept dying, or lacks ml-baseline, is one clear
    error naming the piece."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        raise MLBaselineError(
            f"{piece.source}: the Dask workers scoring it died repeatedly ({exc}); out of memory? "
            "try a smaller --batch-size or workers with more memory; nothing was written"
        ) from None
    except ImportError as exc:
        raise MLBaselineError(
            f"a Dask worker cannot run ml-baseline ({exc}); install the same environment on "
            f"every worker: {INSTALL_HINT}"
        ) from None
