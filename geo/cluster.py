"""Geoparsing on a Dask cluster: the runner behind `--cluster ADDRESS`.

ADDRESS is a running scheduler (`tcp://host:8786`, started with `dask scheduler`, its
workers with `dask worker tcp://host:8786 --nthreads 1`), or `local` / `local:N` for a
LocalCluster of N worker processes on this machine (N defaults to the core count).
Without --cluster, $DASK_SCHEDULER_ADDRESS is used when set; without either, nothing here
is imported and the work stays on this machine.

Tasks carry partitions of cleaned articles and run `runners.geoparse_partition` on the
worker, whose process loads the model and the gazetteer once (compiling the gazetteer when
it is missing) and reuses them for every task. Results are resolved records, never spaCy
objects. At most two partitions per worker thread are in flight, so the client's memory
stays flat however long the corpus; a task whose worker dies is run again elsewhere by Dask
(the scheduler's own retry), and its partition is stored once, when its result arrives.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator

from geo.runners import Articles, P, Parsed, itself, bounded, geoparse_partition

ENV = "DASK_SCHEDULER_ADDRESS"
LOCAL = re.compile(r"local(?::(\d+))?")
# Partitions in flight per worker thread: one running, one queued behind it.
IN_FLIGHT_PER_THREAD = 2
# How long to wait for a scheduler's first worker to join.
WORKERS_TIMEOUT_S = 120
# Messages each Dask comm keeps for debugging (Dask's default: 1,000). Ours carry whole
# partitions of articles, so at the default the client kept its last 1,000 graphs and a local
# scheduler its last 1,000 tasks per worker: 2.6 KB more client memory for every article
# ingested, for the first 64,000.
RECENT_MESSAGES = 10


def keep_few_messages() -> None:
    """Dask keeps RECENT_MESSAGES per comm in this process from now on (read as each comm
    opens, some after a cluster has started, so it is set for the process)."""
    import dask

    dask.config.set({"distributed.admin.low-level-log-length": RECENT_MESSAGES})


class ClusterError(RuntimeError):
    """The cluster could not be started or reached; the message says which and why."""


def cluster_address(option: str | None) -> str | None:
    """The address to use: the option, else $DASK_SCHEDULER_ADDRESS, else None (no cluster)."""
    return option or os.environ.get(ENV) or None


def check_address(address: str) -> str:
    """`local`, `local:N` (N >= 1) or a scheduler URL such as tcp://host:8786; ValueError otherwise."""
    local = LOCAL.fullmatch(address)
    if local and local.group(1) is not None and int(local.group(1)) < 1:
        raise ValueError(f"{address!r}: a local cluster needs at least one worker")
    if not local and "://" not in address and not re.fullmatch(r"[\w.-]+:\d+", address):
        raise ValueError(f"{address!r} is neither local, local:N nor a scheduler address such as tcp://host:8786")
    return address


class DaskRunner:
    """Runs partitions on the cluster at `address`; connects (or starts it) on first use."""

    def __init__(self, address: str, report: Callable[[str], None] = lambda _: None) -> None:
        self.address = check_address(address)
        self.report = report
        self._client = None
        self._cluster = None
        self._limit = 1

    def map(self, partitions: Iterable[P], articles: Articles = itself) -> Iterator[tuple[P, list[Parsed]]]:
        def submit(partition: P) -> Callable[[], list[Parsed]]:
            if self._client is None:
                self._limit = self._connect()
            return self._client.submit(geoparse_partition, articles(partition), pure=False, retries=1).result

        # the first submit connects and learns how many partitions the cluster can take
        yield from bounded(submit, partitions, limit=lambda: self._limit)

    def _connect(self) -> int:
        """Connect, or start the local cluster; returns how many partitions to keep in flight."""
        from distributed import Client, LocalCluster

        keep_few_messages()
        local = LOCAL.fullmatch(self.address)
        try:
            if local:
                workers = int(local.group(1) or os.cpu_count() or 1)
                self._cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address="127.0.0.1:0",  # loopback, any free port
                )
                self._client = Client(self._cluster)
            else:
                self._client = Client(self.address)  # Dask's connect timeout (distributed.comm.timeouts.connect)
                self._client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
        except (OSError, TimeoutError) as err:
            self.close()
            raise ClusterError(f"cannot reach the Dask scheduler at {self.address}: {err}") from None
        threads = sum(self._client.nthreads().values())
        self.report(f"Dask cluster at {self._client.scheduler.address}: {len(self._client.nthreads())} worker(s), "
                    f"{threads} thread(s)")
        return IN_FLIGHT_PER_THREAD * max(1, threads)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None
