"""Where extraction runs: local processes (``local``) or an existing Dask cluster (``dask``).

``ExtractionEngine("dask", scheduler="tcp://HOST:8786").extract(items)`` spreads the articles
over the workers of a running Dask scheduler; without an address (or with ``"local"``) it starts
a local cluster of ``workers`` processes for the call. Either way the records are the ones
``extract_many`` makes in this process, in input order, byte for byte: the extractor is
deterministic and each worker runs the same code (checked before the first task, see below).

Why Dask (``distributed``) and not Ray:
- it is pure Python and pip-installable (``pip install "dask[distributed]"``), with wheels for
  every platform the warehouse runs on; Ray ships large platform wheels, often late for a new
  Python, and is not installable on every machine this project runs on;
- its model is the one needed here and no more: a scheduler at an address (``tcp://HOST:8786``),
  workers that connect to it, and a futures API (``submit`` / ``as_completed``) for a list of
  independent tasks;
- the same code runs on a 2-core laptop (``LocalCluster``) and on a real cluster started by hand
  (``dask scheduler`` / ``dask worker``), by dask-jobqueue (SLURM, PBS, ...) or dask-kubernetes:
  each of them ends in a scheduler address.

Tasks: articles go in batches (``batch_size_for``): at most ``MAX_BATCH`` (100) articles per task,
about 1.5 s of work and half a megabyte of text, so a task's scheduling cost (a few ms) is noise,
the progress count moves and a lost worker costs little; and about four tasks per worker thread,
so that the last tasks balance the load (but at least ``MIN_BATCH``, 10, articles a task). Only a
window of tasks is in flight at a time (twice the worker threads, counted again as tasks finish, so
workers that join later get work), so neither this process nor the scheduler holds the whole corpus
twice.

Same code on every worker: before any task, every worker reports (``client.run``) its
geo-warehouse version, extractor name and version, spaCy version and a fingerprint of the package's
files (code and data); one that differs from this process ends the call with an ``EngineError``
naming the worker. Each task checks it again on its worker, so a worker that joins later is
held to the same.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..db import WarehouseError
from ..records import ArticleRecord

ENGINES = ("local", "dask")
LOCAL = "local"  # the scheduler "address" of a cluster started for the call
MAX_BATCH = 100
MIN_BATCH = 10
TASKS_PER_THREAD = 4
DEFAULT_CONNECT_TIMEOUT = 10.0
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_FINGERPRINTED = (".py", ".csv", ".json")
# no dashboard; the scheduler's small HTTP server (health, metrics) on a free port, not on 8787
# (which another cluster may hold: distributed would warn)
_QUIET_HTTP = {"scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"}}
_LOCK = threading.Lock()  # one extraction at a time per worker process (a worker may run several threads)


class EngineError(WarehouseError):
    """The cluster cannot be used (not installed, unreachable, no workers, other code on a worker)."""


@dataclass(frozen=True)
class ExtractionEngine:
    """How to run the extractor: ``name`` "local" (``workers`` processes) or "dask".

    For "dask", ``scheduler`` is the address of a running scheduler (``tcp://HOST:8786``), or
    None / "local" for a local cluster of ``workers`` processes started for the call.
    """

    name: str = "local"
    scheduler: str | None = None
    workers: int = 1
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    batch_size: int | None = None

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise EngineError(f"unknown extraction engine {self.name!r}; the engines: {', '.join(ENGINES)}")
        if self.scheduler is not None and self.name != "dask":
            raise EngineError("a scheduler address needs the dask engine")

    @property
    def on_local_cluster(self) -> bool:
        return self.scheduler in (None, LOCAL)

    def describe(self) -> str:
        if self.name == "local":
            return f"{self.workers} local process(es)"
        if self.on_local_cluster:
            return f"a local dask cluster of {self.workers} worker(s)"
        return f"the dask cluster at {self.scheduler}"

    def extract(self, items: list[dict], progress: Callable[[int, int], None] | None = None) -> list[ArticleRecord]:
        """The records of ``items`` (dicts as for ``extract_many``), in input order."""
        if self.name == "local":
            from . import extract_many

            return extract_many(items, workers=self.workers, progress=progress)
        return extract_on_dask(items, self.scheduler, n_workers=self.workers, batch_size=self.batch_size,
                               progress=progress, connect_timeout=self.connect_timeout)


def batch_size_for(total: int, threads: int) -> int:
    """Articles per task: about TASKS_PER_THREAD tasks per worker thread, within MIN_BATCH..MAX_BATCH."""
    return max(1, min(MAX_BATCH, max(MIN_BATCH, math.ceil(total / (TASKS_PER_THREAD * max(1, threads))))))


# ---------------------------------------------------------------- identity of the code


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """sha256 over the package's code and data files (paths and bytes), the same for the same install."""
    h = hashlib.sha256()
    for p in sorted(_PACKAGE_DIR.rglob("*")):
        if p.suffix in _FINGERPRINTED and p.is_file() and "__pycache__" not in p.parts:
            h.update(p.relative_to(_PACKAGE_DIR).as_posix().encode() + b"\0")
            h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def identity() -> dict[str, str]:
    """What must be the same on every worker for the same records."""
    from importlib.metadata import PackageNotFoundError, version

    from .. import __version__
    from .pipeline import EXTRACTOR_NAME, EXTRACTOR_VERSION

    try:
        spacy = version("spacy")
    except PackageNotFoundError:  # pragma: no cover - spaCy is a dependency
        spacy = "none"
    return {"geo-warehouse": __version__, "extractor": f"{EXTRACTOR_NAME} {EXTRACTOR_VERSION}",
            "spacy": spacy, "files": fingerprint()}


def _probe() -> Callable[[], dict]:
    """The function each worker runs to report its identity.

    A nested function, so that cloudpickle sends it by value: it runs (and reports what is wrong)
    on a worker that cannot import this module, or has another geo-warehouse.
    """

    def probe() -> dict:
        try:
            from warehouse.extract.engines import identity as worker_identity
        except Exception as exc:  # noqa: BLE001 - whatever it is, it is the worker's answer
            try:
                import warehouse
                from warehouse.extract.pipeline import EXTRACTOR_NAME, EXTRACTOR_VERSION

                return {"geo-warehouse": warehouse.__version__, "extractor": f"{EXTRACTOR_NAME} {EXTRACTOR_VERSION}",
                        "files": "unknown"}
            except Exception:  # noqa: BLE001
                return {"error": f"cannot import warehouse ({type(exc).__name__}: {exc})"}
        return worker_identity()

    return probe


def _show(ident: dict) -> str:
    if "error" in ident:
        return ident["error"]
    return f"geo-warehouse {ident.get('geo-warehouse')}, extractor {ident.get('extractor')}, spaCy {ident.get('spacy')}"


def check_identities(found: dict[str, dict], here: dict[str, str] | None = None) -> None:
    """Raise EngineError naming the first worker (by address) whose identity differs from ``here``."""
    here = here or identity()
    for worker in sorted(found):
        ident = found[worker]
        if ident == here:
            continue
        if "error" in ident:
            raise EngineError(f"dask worker {worker}: {ident['error']}; install geo-warehouse {here['geo-warehouse']} "
                              "(the same as here) on every worker")
        if _show(ident) == _show(here):
            what = (f"other geo-warehouse files (fingerprint {str(ident.get('files'))[:12]}, "
                    f"here {here['files'][:12]})")
        else:
            what = f"{_show(ident)} (here: {_show(here)})"
        raise EngineError(f"dask worker {worker} has {what}; install the same geo-warehouse on every worker "
                          "and restart the workers")


# ---------------------------------------------------------------- the tasks


class _Mismatch:
    """What a task returns on a worker whose code differs (checked again on the client)."""

    def __init__(self, worker: str, ident: dict):
        self.worker, self.ident = worker, ident


def _extract_batch(items: list[dict], expected: dict[str, str]) -> list[ArticleRecord] | _Mismatch:
    """One task: extract a batch of articles on a worker (after checking it runs the expected code)."""
    ident = identity()
    if ident != expected:
        from distributed import get_worker

        return _Mismatch(get_worker().address, ident)
    from . import _one

    with _LOCK:
        return [_one(it) for it in items]


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise EngineError(f"the dask engine needs dask and distributed ({exc}): "
                          "pip install 'geo-warehouse[cluster]' (or pip install 'dask[distributed]')") from None
    return distributed


@contextmanager
def dask_client(scheduler: str | None = None, *, n_workers: int = 2,
                connect_timeout: float = DEFAULT_CONNECT_TIMEOUT) -> Iterator:
    """A ``distributed.Client`` on the scheduler at ``scheduler``, or on a local cluster of ``n_workers``
    processes (one thread each) when it is None or "local", closed (with the local cluster) at the end."""
    distributed = _import_distributed()
    if scheduler in (None, LOCAL):
        cluster = distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=logging.ERROR, **_QUIET_HTTP)
        try:
            with distributed.Client(cluster, set_as_default=False) as client:
                yield client
        finally:
            cluster.close()
        return
    try:  # a malformed address is said before a Client exists (a half-made one hangs on its way out)
        distributed.comm.get_address_host_port(distributed.comm.addressing.normalize_address(scheduler))
    except ValueError as exc:
        raise EngineError(f"{scheduler!r} is not a dask scheduler address like tcp://HOST:8786 ({exc})") from None
    try:
        client = distributed.Client(scheduler, timeout=connect_timeout, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise EngineError(f"cannot reach the dask scheduler at {scheduler}: {first}") from None
    try:
        yield client
    finally:
        client.close()


def _threads(client, scheduler: str | None, timeout: float) -> int:
    """The worker threads of the cluster (after waiting up to ``timeout`` for a first worker)."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise EngineError(f"the dask scheduler at {scheduler} has no workers after {timeout:g} s "
                          f"(start some: dask worker {scheduler} --nthreads 1)") from None
    return sum(client.nthreads().values())


def _window(threads: int) -> int:
    """Tasks in flight: two per worker thread (one running, one queued), at least four."""
    return max(4, 2 * threads)


def extract_on_dask(items: list[dict], scheduler: str | None = None, *, n_workers: int = 2,
                    batch_size: int | None = None, progress: Callable[[int, int], None] | None = None,
                    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT) -> list[ArticleRecord]:
    """Extract ``items`` (dicts as for ``extract_many``) on a Dask cluster; the records in input order.

    ``scheduler``: a scheduler address (``tcp://HOST:8786``), or None / "local" for a local cluster
    of ``n_workers`` processes. ``batch_size``: articles per task (default ``batch_size_for``).
    ``progress(done, total)`` is called as tasks finish, with the articles done so far.
    No items: no cluster is contacted (nor started).
    Raises EngineError when the cluster cannot be used (see the module's docstring).
    """
    distributed = _import_distributed()
    total = len(items)
    if not total:
        return []
    here = identity()
    with dask_client(scheduler, n_workers=n_workers, connect_timeout=connect_timeout) as client:
        threads = _threads(client, scheduler, connect_timeout)
        check_identities(client.run(_probe()), here)
        size = batch_size or batch_size_for(total, threads)
        starts = list(range(0, total, size))
        results: list[list[ArticleRecord] | None] = [None] * len(starts)
        todo = iter(range(len(starts)))
        index: dict[str, int] = {}

        def submit(i: int):
            fut = client.submit(_extract_batch, items[starts[i]:starts[i] + size], here, pure=False)
            index[fut.key] = i
            return fut

        queue = distributed.as_completed([submit(i) for i in itertools.islice(todo, _window(threads))],
                                         loop=client.loop)
        done = 0
        try:
            for fut in queue:
                out = fut.result()
                i = index.pop(fut.key)
                fut.release()
                if isinstance(out, _Mismatch):
                    check_identities({out.worker: out.ident}, here)
                results[i] = out
                done += len(out)
                if progress:
                    progress(done, total)
                # top the window up, to the workers there are now (a cluster may grow while it works)
                for nxt in itertools.islice(todo, max(0, _window(sum(client.nthreads().values())) - len(index))):
                    queue.add(submit(nxt))
        except distributed.KilledWorker as exc:
            raise EngineError(f"dask workers died while extracting articles ({exc}); "
                              "look at the workers' logs (memory?)") from None
        except (CancelledError, distributed.comm.CommClosedError) as exc:
            where = "the local dask cluster" if scheduler in (None, LOCAL) else f"the dask scheduler at {scheduler}"
            raise EngineError(f"lost {where} while extracting ({type(exc).__name__}: {exc})") from None
    return [rec for batch in results for rec in batch]
