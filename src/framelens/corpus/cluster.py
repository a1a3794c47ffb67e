"""Scale-out: the corpus's articles analysed on a Dask ``distributed`` cluster, a LocalCluster
by default or the scheduler at an address, one task per nlp.pipe batch."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from ..analysis import code_fingerprint
from ..errors import FramelensError
from .inputs import CorpusEntry
from .worker import ArticleResult, Settings, analyse_batch, unpack

# How the workers of a LocalCluster run (the nanny passes its config to the worker processes):
# * glibc's malloc keeps its own trim threshold: distributed's MALLOC_TRIM_THRESHOLD_=65536 fixes
#   it, which also fixes the mmap threshold at 128 KiB, so every parse array over that size is a
#   fresh mmap; a worker then took 10-20x the page faults of a spaCy worker (~15 ms an article).
# * no statistical profiler sampling the task thread every 10 ms (it feeds the dashboard only).
LOCAL_WORKER_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}


def dask_results(entries: Iterable[CorpusEntry], settings: Settings, workers: int, batch_size: int,
                  scheduler: str | None) -> Iterator[ArticleResult]:
    """Results of ``entries`` analysed on a Dask cluster, one task per ``nlp.pipe`` batch.

    Tasks of one batch (a few seconds of work) keep every worker busy to the end of the run (a
    worker left without work while another finishes a long task was a tenth of a short run). At
    most two tasks per worker are in flight, so memory stays bounded however long the corpus.
    A task returns its results packed (bytes: no second pickling of the tables on the worker),
    unpacked here as they arrive; the parent writes them in parts of its own size.
    """
    from distributed import as_completed
    from spacy.util import minibatch

    with dask_client(scheduler, workers) as client:
        _check_same_code(client)
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        batches = minibatch(entries, batch_size)
        submit = lambda batch: client.submit(analyse_batch, batch, settings, batch_size, pure=False)  # noqa: E731
        running = as_completed([submit(b) for _, b in zip(range(2 * n_workers), batches)])
        for future in running:
            packed = future.result()
            future.release()
            following = next(batches, None)
            if following:
                running.add(submit(following))
            yield from map(unpack, packed)


@contextmanager
def dask_client(scheduler: str | None, workers: int):
    """A Dask client of the cluster at ``scheduler``, or of a new LocalCluster of ``workers``
    single-threaded worker processes (closed afterwards)."""
    import dask
    from distributed import Client, LocalCluster

    quiet = max(logging.WARNING, logging.getLogger("framelens").getEffectiveLevel())
    logging.getLogger("distributed").setLevel(quiet)  # its INFO lines would bury the progress bar
    if scheduler:
        try:
            _reachable(scheduler)
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise FramelensError(f"cannot reach the Dask scheduler at {scheduler} ({exc.__class__.__name__})") from exc
        with client:
            yield client
        return
    with dask.config.set(LOCAL_WORKER_CONFIG), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield client


def _check_same_code(client: Any) -> None:
    """FramelensError if a worker runs other framelens code (its tables would not be this code's)."""
    theirs = client.run(code_fingerprint)
    other = sorted(worker for worker, fp in theirs.items() if fp != code_fingerprint())
    if other:
        raise FramelensError(f"Dask worker(s) {', '.join(other)} run other framelens code than this machine; install the same version there")


def _reachable(address: str) -> None:
    """Fail fast (OSError) when nothing listens at a tcp:// scheduler address; Dask itself retries
    a refused connection until its timeout."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        socket.create_connection((parts.hostname, parts.port), timeout=5).close()
