"""Extraction on a Dask cluster (warehouse.extract.engines): the same records as local extraction.

One local cluster of two worker processes (one thread each) serves the whole module; the tests
reach it by its scheduler address, as a real cluster would be.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from warehouse.cli import app
from warehouse.extract import engines, extract_many
from warehouse.extract.engines import EngineError, ExtractionEngine, batch_size_for, check_identities, extract_on_dask
from warehouse.ingest import find_article_files, read_articles
from warehouse.paths import SEEDS_DIR

distributed = pytest.importorskip("distributed")

EVAL_DEV = Path(__file__).resolve().parent / "data" / "eval" / "dev"
EVAL_TEXTS = sorted(EVAL_DEV.glob("*.txt"))[:8]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR, **engines._QUIET_HTTP) as cl:
        yield cl


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster, set_as_default=False) as c:
        c.wait_for_workers(2, timeout=30)
        yield c


@pytest.fixture(scope="module")
def items() -> list[dict]:
    """Extractor inputs: the seed articles and some eval articles, as `warehouse run` reads them."""
    arts = [a for f in find_article_files([SEEDS_DIR, *EVAL_TEXTS]) for a in read_articles(f)]
    assert len(arts) == 5 + len(EVAL_TEXTS)
    return [{"text": a.cleaned_text, "title": a.title, "publisher": a.publisher, "published": a.published,
             "published_precision": a.published_precision, "origin_file": a.origin_file, "url": a.url}
            for a in arts]


@pytest.fixture(scope="module")
def local_json(items) -> list[str]:
    return [r.model_dump_json() for r in extract_many(items)]


def test_dask_records_are_byte_identical_to_local_ones(cluster, client, items, local_json):
    calls = []
    with distributed.get_task_stream(client) as stream:
        recs = extract_on_dask(items, cluster.scheduler_address, batch_size=3,
                               progress=lambda n, t: calls.append((n, t)))
    assert [r.model_dump_json() for r in recs] == local_json  # same records, same order
    tasks = [t for t in stream.data if t["key"].startswith("_extract_batch")]
    assert len(tasks) == len(calls) == -(-len(items) // 3)  # one task per batch of 3
    assert {t["worker"] for t in tasks} == set(client.scheduler_info()["workers"])  # both workers worked
    done = [n for n, _ in calls]
    assert done == sorted(done) and done[-1] == len(items) and {t for _, t in calls} == {len(items)}


def test_engine_object_with_the_default_batches(cluster, items, local_json):
    recs = ExtractionEngine("dask", scheduler=cluster.scheduler_address).extract(items)
    assert [r.model_dump_json() for r in recs] == local_json


def test_batch_sizes():
    assert batch_size_for(300, 2) == 38  # four tasks per worker thread
    assert batch_size_for(13, 2) == 10  # not a task per article
    assert batch_size_for(100_000, 32) == 100  # at most 100 articles a task
    assert batch_size_for(0, 0) == 10


def test_a_worker_with_another_extractor_version_is_named(cluster, client, items):
    def set_version(v):
        from warehouse.extract import pipeline

        old, pipeline.EXTRACTOR_VERSION = pipeline.EXTRACTOR_VERSION, v
        return old

    worker = sorted(client.scheduler_info()["workers"])[1]
    old = client.run(set_version, "0.0.1-other", workers=[worker])[worker]
    try:
        with pytest.raises(EngineError) as err:
            extract_on_dask(items[:2], cluster.scheduler_address)
    finally:
        client.run(set_version, old, workers=[worker])
    msg = str(err.value)
    assert msg.startswith(f"dask worker {worker} has geo-warehouse ")
    assert "extractor rules 0.0.1-other" in msg and f"(here: geo-warehouse {engines.identity()['geo-warehouse']}" in msg


def test_each_task_checks_its_worker_again(client, items):
    """A worker that joins after the first check is held to the same code by the task itself."""
    other = {**engines.identity(), "files": "0" * 64}
    out = client.submit(engines._extract_batch, items[:1], other, pure=False).result()
    assert isinstance(out, engines._Mismatch) and out.worker in client.scheduler_info()["workers"]
    assert out.ident == engines.identity()
    with pytest.raises(EngineError, match=r"has other geo-warehouse files \(fingerprint [0-9a-f]{12}, here 000000"):
        check_identities({out.worker: out.ident}, other)


def test_identity_messages():
    here = engines.identity()
    check_identities({"tcp://a:1": dict(here), "tcp://b:2": dict(here)}, here)  # the same: no error
    with pytest.raises(EngineError, match=r"^dask worker tcp://b:2: cannot import warehouse \(ModuleNotFoundError"):
        check_identities({"tcp://a:1": here, "tcp://b:2": {"error": "cannot import warehouse (ModuleNotFoundError)"}},
                         here)


def test_without_distributed_installed(monkeypatch, items):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` raises ImportError
    with pytest.raises(EngineError, match=r"needs dask and distributed .*pip install 'geo-warehouse\[cluster\]'"):
        ExtractionEngine("dask").extract(items[:1])


def test_bad_engine_objects():
    with pytest.raises(EngineError, match="unknown extraction engine 'ray'"):
        ExtractionEngine("ray")
    with pytest.raises(EngineError, match="needs the dask engine"):
        ExtractionEngine("local", scheduler="tcp://h:8786")


# ---------------------------------------------------------------- the commands


@pytest.fixture
def invoke(monkeypatch):
    monkeypatch.delenv("WAREHOUSE_DB", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))}


def test_extract_command_on_the_cluster_writes_the_local_files(cluster, seeded, tmp_path, invoke):
    local = invoke("--db", seeded, "extract", "--all", "--out", tmp_path / "local", "-q")
    assert local.exit_code == 0, local.output
    res = invoke("--db", seeded, "extract", "--all", "--out", tmp_path / "dask", "-q",
                 "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert res.exit_code == 0, res.output
    assert f"on the dask cluster at {cluster.scheduler_address}" in res.stdout
    files = _files(tmp_path / "dask")
    assert len(files) == 5 and files == _files(tmp_path / "local")


def _fact_rows(db: Path) -> dict[str, set[tuple]]:
    """The rows of the fact tables, without the batch ids (which differ between two runs)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in ("claims", "transfers", "mentions", "article_extractions"):
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()
                    if r[0] not in ("batch_id", "loaded_at", "extracted_at")]
            out[table] = set(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall())
        return out
    finally:
        con.close()


def test_run_command_on_the_cluster_builds_the_local_warehouse(cluster, tmp_path, invoke):
    arts = tmp_path / "articles"  # the seed articles without their curated records, and eval articles: all extracted
    arts.mkdir()
    for p in [*SEEDS_DIR.glob("*.txt"), SEEDS_DIR / "articles.csv", *EVAL_TEXTS[:4]]:
        shutil.copy(p, arts / p.name)
    local = invoke("--db", tmp_path / "local.duckdb", "run", arts, "-q")
    assert local.exit_code == 0, local.output
    res = invoke("--db", tmp_path / "dask.duckdb", "run", arts, "-q", "--engine", "dask",
                 "--scheduler", cluster.scheduler_address)
    assert res.exit_code == 0, res.output
    assert "(9 new; 0 curated records, 9 extracted, 0 unchanged)" in res.stdout
    assert _summary(res.stdout) == _summary(local.stdout)
    a, b = _fact_rows(tmp_path / "local.duckdb"), _fact_rows(tmp_path / "dask.duckdb")
    assert all(a[t] for t in a) and a == b


def _summary(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if not line.startswith(("warehouse:", "elapsed:"))]


def test_unreachable_scheduler_is_one_error_line(seeded, tmp_path, invoke):
    # (run: an article without a curated record, so there is something to extract)
    for cmd in (["extract", "--all", "--out", tmp_path / "x"], ["run", EVAL_TEXTS[0]]):
        res = invoke("--db", seeded, *cmd, "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1",
                     "--connect-timeout", "0.5")
        assert res.exit_code == 1, res.output
        assert res.stderr.startswith("Error: cannot reach the dask scheduler at tcp://127.0.0.1:1: ")
        assert res.stderr.count("\n") == 1 and "Traceback" not in res.output
    assert not (tmp_path / "x").exists()


def test_malformed_scheduler_address(seeded, tmp_path, invoke):
    res = invoke("--db", seeded, "extract", "--all", "--out", tmp_path / "x", "--engine", "dask",
                 "--scheduler", "localhost")
    assert res.exit_code == 1
    assert res.stderr == ("Error: 'localhost' is not a dask scheduler address like tcp://HOST:8786 "
                          "(missing port number in address 'localhost')\n")


@pytest.mark.parametrize("args, message", [
    (["--scheduler", "tcp://127.0.0.1:8786"],
     "Invalid value for '--scheduler': a scheduler address needs --engine dask"),
    (["--engine", "ray"], "Invalid value for '--engine'"),
    (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--workers", "4"],
     "Invalid value for '--workers': sets the size of a local cluster"),
])
def test_usage_errors(seeded, invoke, args, message):
    for cmd in (["extract", "--all"], ["run", SEEDS_DIR]):
        res = invoke("--db", seeded, *cmd, *args)
        assert res.exit_code == 2, res.output
        assert res.stderr.startswith(f"Error: warehouse {cmd[0]}: {message}") and res.stderr.count("\n") == 1


def test_extract_command_without_distributed(seeded, tmp_path, invoke, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    res = invoke("--db", seeded, "extract", "--all", "--out", tmp_path / "x", "--engine", "dask")
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: the dask engine needs dask and distributed") and res.stderr.count("\n") == 1
