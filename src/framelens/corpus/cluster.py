"""Scale-out: the corpus's articles analysed on a Dask ``distributed`` cluster, a LocalCluster
by default or the scheduler at an address, one task per part-sized batch."""
from __future__ import annotations

import logging
import math
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from ..analysis import code_fingerprint
from ..errors import FramelensError
from .inputs import CorpusEntry
from .worker import ArticleResult, Settings, analyse_batch


def dask_results(entries: Iterable[CorpusEntry], settings: Settings, workers: int, batch_size: int,
                  part_size: int, scheduler: str | None, *, total: int) -> Iterator[ArticleResult]:
    """Results of the ``total`` ``entries`` analysed on a Dask cluster, one task per batch.

    A batch is at most ``part_size`` articles, and small enough that every worker gets about
    four tasks (so a short corpus still keeps them all busy). At most two batches per worker are
    in flight, so memory stays bounded however long the corpus.
    """
    from distributed import as_completed
    from spacy.util import minibatch

    with dask_client(scheduler, workers) as client:
        _check_same_code(client)
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        slots = 2 * n_workers
        batches = minibatch(entries, max(1, min(part_size, math.ceil(total / (4 * n_workers)))))
        submit = lambda batch: client.submit(analyse_batch, batch, settings, batch_size, pure=False)  # noqa: E731
        running = as_completed([submit(b) for _, b in zip(range(slots), batches)])
        for future in running:
            results = future.result()
            future.release()
            following = next(batches, None)
            if following:
                running.add(submit(following))
            yield from results


@contextmanager
def dask_client(scheduler: str | None, workers: int):
    """A Dask client of the cluster at ``scheduler``, or of a new LocalCluster of ``workers``
    single-threaded worker processes (closed afterwards)."""
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
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, Client(cluster) as client:
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
