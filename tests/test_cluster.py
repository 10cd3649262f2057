"""`geo ingest --cluster` on real Dask clusters on 127.0.0.1: a LocalCluster of two worker
processes, and `dask scheduler` + `dask worker` processes started here. The store they write
holds the same articles and mentions as a single-process ingest; a worker SIGKILLed mid-run
and a client SIGKILLed mid-run (then run again) lose and duplicate nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.ingest import ingest
from geo.store import Store
from processes import free_port, stop
from test_durability import corpus, count, snapshot, table

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")
STARTUP_S = 300  # workers load spaCy and the gazetteer; a loaded 2-core machine is slow
OFFLINE = {"GEO_GEOCODER": "none"}


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A `dask scheduler` and two `dask worker` processes (one thread each), torn down after."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
    env = {**os.environ, **OFFLINE}
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(logs / "scheduler.log").open("w"))]
    try:
        for i in range(2):
            procs.append(subprocess.Popen(
                [str(DASK), "worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                 "--name", f"w{i}"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(logs / f"worker{i}.log").open("w")))
        with Client(address, timeout=STARTUP_S) as client:
            client.wait_for_workers(2, timeout=STARTUP_S)
        yield address
    finally:
        for proc in reversed(procs):
            stop(proc)


def worker_pids(address: str) -> list[int]:
    from distributed import Client

    with Client(address, timeout=STARTUP_S) as client:
        client.wait_for_workers(2, timeout=STARTUP_S)
        return sorted(client.run(os.getpid).values())


def geo_ingest(data_dir: Path, docs: Path, *options: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "geo", "ingest", str(docs), "--data-dir", str(data_dir), *options],
        cwd=ROOT, env={**os.environ, **OFFLINE, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory, geoparser):
    """A corpus and what a single-process ingest stores for it."""
    docs = corpus(tmp_path_factory.mktemp("docs"), 0, 48)
    data = tmp_path_factory.mktemp("single")
    with Store(data) as store:
        ingest([docs], store, load_parser=lambda: geoparser, report=lambda _: None)
    return docs, snapshot(data)


def no_duplicates(data: Path) -> bool:
    return table(data, 'SELECT count(*) FROM (SELECT DISTINCT article_id, start, "end" FROM mentions)') == \
        table(data, "SELECT count(*) FROM mentions")


def test_a_local_cluster_of_two_processes_stores_what_one_process_stores(tmp_path, reference) -> None:
    docs, expected = reference
    messages: list[str] = []
    with Store(tmp_path) as store:
        summary = ingest([docs], store, load_parser=pytest.fail, cluster="local:2", batch_size=4,
                         report=messages.append)
    assert (summary.read, summary.failed) == (48, 0), messages
    assert any("Dask cluster at tcp://127.0.0.1:" in m and "2 worker(s)" in m for m in messages)
    assert snapshot(tmp_path) == expected


class HeldArticles:
    """An ingest step that, at the `at`-th article stored, counts the articles this process holds."""

    def __init__(self, at: int) -> None:
        self.at, self.seen, self.held = at, 0, -1

    def __call__(self, article, mentions):
        import gc

        from geo.records import Article

        self.seen += 1
        if self.seen == self.at:
            gc.collect()
            self.held = sum(isinstance(o, Article) for o in gc.get_objects())
        return mentions

    def finish(self) -> list[str]:
        return []


def test_the_client_does_not_keep_the_articles_it_sent_to_a_local_cluster(tmp_path) -> None:
    """Dask keeps a log of recent messages on every comm, and ours carry whole partitions: at
    Dask's default the client (and the local scheduler in it) kept the last 1,000, so its
    memory grew with every article ingested. 100 one-article partitions in, it holds the few
    the logs keep and those in flight, not all 100."""
    from geo.cluster import RECENT_MESSAGES

    docs = corpus(tmp_path / "docs", 0, 110)
    count = HeldArticles(at=100)
    with Store(tmp_path / "data") as store:
        summary = ingest([docs], store, load_parser=pytest.fail, cluster="local:1", batch_size=1,
                         steps=[count], report=lambda _: None)
    assert (summary.read, summary.failed) == (110, 0)
    assert 0 < count.held <= 3 * RECENT_MESSAGES + 5, f"{count.held} articles held after 100"


def test_dask_scheduler_and_workers_store_what_one_process_stores(tmp_path, scheduler, reference) -> None:
    docs, expected = reference
    run = geo_ingest(tmp_path, docs, "--cluster", scheduler, "--partition-size", "4")
    out, err = run.communicate(timeout=STARTUP_S)
    assert run.returncode == 0, err
    assert "48 article(s) read, 0 skipped (unchanged), 0 failed" in out
    assert snapshot(tmp_path) == expected


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(tmp_path, scheduler, reference) -> None:
    docs, expected = reference
    victim = worker_pids(scheduler)[0]
    run = geo_ingest(tmp_path, docs, "--cluster", scheduler, "--partition-size", "1")
    deadline = time.monotonic() + STARTUP_S
    while count(tmp_path) == 0 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(victim, signal.SIGKILL)
    stored_at_kill = count(tmp_path)
    out, err = run.communicate(timeout=STARTUP_S)
    assert 0 < stored_at_kill < 48, "the kill did not land mid-run"
    assert run.returncode == 0, err
    assert "48 article(s) read, 0 skipped (unchanged), 0 failed" in out
    assert snapshot(tmp_path) == expected and no_duplicates(tmp_path)


def test_a_client_killed_mid_run_and_run_again_finishes_without_duplicates(tmp_path, scheduler, reference) -> None:
    docs, expected = reference
    via_env = {"DASK_SCHEDULER_ADDRESS": scheduler}  # the address Dask's own tools use
    run = geo_ingest(tmp_path, docs, "--partition-size", "1", env=via_env)
    deadline = time.monotonic() + STARTUP_S
    while count(tmp_path) == 0 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.communicate()
    before = snapshot(tmp_path)
    assert 0 < len(before) < 48, "the kill did not land mid-run"

    again = geo_ingest(tmp_path, docs, "--partition-size", "1", env=via_env)
    out, err = again.communicate(timeout=STARTUP_S)
    assert again.returncode == 0, err
    assert f"{48 - len(before)} article(s) read, {len(before)} skipped (unchanged)" in out
    after = snapshot(tmp_path)
    assert after == expected and {aid: after[aid] for aid in before} == before and no_duplicates(tmp_path)


def test_a_bad_cluster_address_is_refused_before_any_work(tmp_path) -> None:
    run = geo_ingest(tmp_path, tmp_path, "--cluster", "local:two")
    _, err = run.communicate(timeout=120)
    assert run.returncode == 2 and "--cluster 'local:two' is neither local, local:N nor a scheduler address" in err


def test_an_unreachable_scheduler_is_named_and_the_run_fails(tmp_path) -> None:
    story = tmp_path / "docs" / "a.txt"
    story.parent.mkdir()
    story.write_text("Rain in Lima.\n", encoding="utf-8")
    port = free_port()
    run = geo_ingest(tmp_path / "data", story.parent, "--cluster", f"tcp://127.0.0.1:{port}",
                     env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"})
    _, err = run.communicate(timeout=120)
    assert run.returncode == 1 and f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in err


def test_geo_parse_on_the_cluster_writes_the_mentions_one_process_finds(tmp_path, scheduler, reference) -> None:
    import pandas as pd

    docs, expected = reference
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")}) + "\n"
                            for p in sorted(docs.iterdir())), encoding="utf-8")
    out = tmp_path / "dataset"
    result = subprocess.run([sys.executable, "-m", "geo", "parse", "--in", str(feed), "--out", str(out),
                             "--partition-size", "8", "--cluster", scheduler],
                            cwd=ROOT, env={**os.environ, **OFFLINE}, capture_output=True, text=True, timeout=STARTUP_S)
    assert result.returncode == 0, result.stderr
    assert len(list((out / "mentions").glob("*.parquet"))) == 6
    mentions = pd.read_parquet(out / "mentions")
    assert sorted(zip(mentions["id"], mentions["start"], mentions["end"], mentions["name"])) == \
        sorted((aid, start, end, name) for aid, rows in expected.items() for start, end, name, _ in rows)
    assert mentions["lat"].notna().all()
