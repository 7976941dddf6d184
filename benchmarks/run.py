"""The benchmark run: corpus -> library load, reload, native load, views, extractor -> one JSON object.

Definitions (see RESULTS.md):
- load_s: ``warehouse.etl.load_paths`` on the corpus JSONL into a fresh warehouse after
  ``init_warehouse`` (the ``warehouse load`` library path: read + validate + resolve +
  insert, one batch). Init is not timed.
- native_load_s: benchmarks.native (SQL only: read_json + INSERT ... SELECT) into another
  fresh warehouse after init. load_ratio = load_s / native_load_s.
- reload_s: load_paths on the same unchanged file again (every record is skipped).
- view_ms: each canned view, ``SELECT * FROM view`` with every row fetched (to_arrow_table(), an Arrow
  table) on a read-only connection to the library-loaded warehouse; one untimed warm-up
  run, then the median of 3 runs.
- selective_ms: per canned view, one selective question (SELECTIVE below: the filter an analyst adds to
  ask about one supplier, entity, article, claimant, person, agreement or source), every row fetched
  as for view_ms, one untimed warm-up, then the median of 3. The questions: transfer_flows,
  transfer_reports, figure_disagreements, sanctions_exposure ``supplier_id = 'country:PRK'``;
  exchanges ``party_a = 'country:PRK'``; entity_cooccurrence ``entity_a = 'country:PRK'``;
  entity_profiles ``entity_id = 'country:PRK'``; claimant_activity ``claimant_id = 'country:PRK'``;
  agreements_overview ``agreement_id = 'agreement:prk-rus-pact'``; source_coverage
  ``source_id = 'reuters'``; role_assertions ``person_id`` = the smallest person id with a role;
  contested_claims and timeline ``article_id`` = the smallest article id in the view (keys looked up
  untimed, written into the SQL as literals). country:PRK is a heavy key (9 % of the transfers, a
  third of the articles).
- extract_words_per_s(_workers2): words of the article texts / seconds of
  ``warehouse.extract.extract_many(items, workers=1 | 2)`` over the first
  ``extract_sample`` articles of the corpus (the rate does not need the whole corpus).
- clustering_s / clustering_share: wall seconds of warehouse.stories' clustering inside the load, and
  their share of load_s; clustering_cpu_s / clustering_cpu_share: the CPU seconds of the thread that
  ran it plus those of the signing worker process (clustering_sign_process_cpu_s; chunks of at least
  stories.SIGN_IN_PROCESS_BELOW new articles are signed there), and their share of the load's CPU
  seconds (every thread, plus the worker's signing: load_cpu_s). clustering_phases_s: its wall seconds
  by step (stories.TIMING["phases"]: "sign" is waiting for the worker, or signing in-process).
- incremental_load_s / incremental_empty_s: ``load_paths`` of 1,000 new articles (another seed) into a
  copy of the N-article warehouse / into an empty one; incremental_ratio = the first / the second;
  incremental(_empty)_summaries: what that batch's summary refresh did (warehouse.summaries.LAST: limited to
  the batch or not, articles compared, touched, recomputed 'full' or given a new story 'story');
  incremental_growth_bytes / incremental_empty_growth_bytes: how much each file grew (closed, so
  checkpointed), beside incremental_daily_bytes, the size of the daily JSONL.
- db_bytes_per_article: size of the library-loaded warehouse file (closed, so
  checkpointed) / articles. peak_rss_mb: this process's peak resident set
  (getrusage ru_maxrss); extractor worker processes are reported apart.
"""

from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from warehouse import etl, stories, summaries
from warehouse.db import writer
from warehouse.etl import init_warehouse, load_paths
from warehouse.load import COUNTED_TABLES
from warehouse.views import load_views

from .corpus import DEFAULT_SEED, Manifest, read_texts, write_corpus
from .native import native_load

REQUIRED_KEYS = ("articles", "load_s", "native_load_s", "load_ratio", "reload_s", "extract_words_per_s",
                 "extract_words_per_s_workers2", "view_ms", "selective_ms", "db_bytes_per_article", "peak_rss_mb",
                 "incremental_load_s", "incremental_empty_s", "clustering_share")
TARGET_LOAD_RATIO = 2.0
TARGET_RELOAD_FRACTION = 0.10
COUNT_TABLES = (*COUNTED_TABLES, "article_extractions")


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # KiB on Linux


def table_counts(db: Path, tables: tuple[str, ...] = COUNT_TABLES) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        import psutil

        mem_gb = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": mem_gb, "python": platform.python_version(),
            "duckdb": duckdb.__version__}


def _init(db: Path) -> dict[str, int]:
    if db.exists():
        db.unlink()
    with writer(db) as engine:
        init_warehouse(engine)
    return table_counts(db)


def _phases() -> dict[str, float]:
    """Wall seconds of each step of the clustering (stories.TIMING["phases"]; "sign" is waiting for
    the signing worker or signing in-process)."""
    return {k: round(v, 3) for k, v in sorted(stories.TIMING.get("phases", {}).items())}


def incremental(lib_db: Path, out: Path, articles: int, seed: int, new: int = 1_000) -> dict:
    """A daily load: ``new`` articles the warehouse has not seen (another corpus seed), loaded into
    the N-article warehouse (a copy of it, so the views are timed on the original) and into an empty
    one; with the clustering part of each (warehouse.stories: only the new articles' candidates)."""
    daily = out / f"daily-{new}-{seed + 1}.jsonl"
    write_corpus(daily, new, seed + 1)
    out_figures: dict = {}
    for key, db in (("incremental", out / "incremental.duckdb"), ("incremental_empty", out / "empty.duckdb")):
        if key == "incremental":
            shutil.copyfile(lib_db, db)
        else:
            _init(db)
        stories.TIMING.update(seconds=0.0, cpu_seconds=0.0, articles=0, candidate_pairs=0, sign_process_cpu_seconds=0.0,
                              phases={})
        size_before = db.stat().st_size
        with writer(db) as engine:
            t0 = time.perf_counter()
            load_paths(engine, [daily])
            dt = time.perf_counter() - t0
        # the file closed (checkpointed): what the daily load added to it
        out_figures[f"{key}_load_s"] = round(dt, 3)
        out_figures[f"{key}_growth_bytes"] = db.stat().st_size - size_before
        out_figures[f"{key}_clustering_s"] = round(stories.TIMING["seconds"], 3)
        out_figures[f"{key}_candidate_pairs"] = stories.TIMING["candidate_pairs"]
        out_figures[f"{key}_clustering_phases_s"] = _phases()
        # what the batch's summary refresh compared and rewrote (warehouse.summaries.LAST)
        out_figures[f"{key}_summaries"] = dict(summaries.LAST)
        db.unlink()
    ratio = out_figures["incremental_load_s"] / out_figures["incremental_empty_load_s"]
    out_figures["incremental_empty_s"] = out_figures["incremental_empty_load_s"]
    out_figures["incremental_ratio"] = round(ratio, 2)
    out_figures["incremental_daily_bytes"] = daily.stat().st_size
    return out_figures


def library_load(db: Path, corpus: Path, profile: Path | None = None) -> tuple[float, float, int, list[float]]:
    """(load_s, reload_s, records unchanged on reload, [read_s of the load, read_s of the reload])
    through warehouse.etl.load_paths. read_s is the part spent in RecordReader.read (read, hash,
    parse, validate; unchanged inputs are skipped unparsed); the rest is resolving and writing."""
    read_s: list[float] = []
    real_read = etl.RecordReader.read

    def timed_read(self, *args, **kwargs):
        # load_paths reads every record (a generator) before writing when batch_size is 0,
        # so the time spent inside the generator is the read + parse + validate part
        spent = 0.0
        gen = real_read(self, *args, **kwargs)
        try:
            while True:
                t0 = time.perf_counter()
                try:
                    item = next(gen)
                except StopIteration:
                    spent += time.perf_counter() - t0
                    return
                spent += time.perf_counter() - t0
                yield item
        finally:
            read_s.append(spent)

    etl.RecordReader.read = timed_read
    try:
        return (*_library_load(db, corpus, profile), read_s)
    finally:
        etl.RecordReader.read = real_read


LAST_LOAD: dict[str, float] = {}  # the CPU seconds (every thread of this process) of the last library load


def _library_load(db: Path, corpus: Path, profile: Path | None) -> tuple[float, float, int]:
    with writer(db) as engine:
        prof = cProfile.Profile() if profile else None
        t0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        load_paths(engine, [corpus])
        if prof:
            prof.disable()
        load_s = time.perf_counter() - t0
        LAST_LOAD["cpu_s"] = time.process_time() - c0
        if prof:
            prof.dump_stats(str(profile))
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(40)
            _log("profile of the library load (cumulative):\n" + buf.getvalue())
        t0 = time.perf_counter()
        results = load_paths(engine, [corpus])
        reload_s = time.perf_counter() - t0
    return load_s, reload_s, sum(r.unchanged for r in results)


def time_views(db: Path, runs: int = 3) -> tuple[dict[str, float], dict[str, int]]:
    ms: dict[str, float] = {}
    rows: dict[str, int] = {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        for v in load_views():
            sql = f"SELECT * FROM {v.name}"
            rows[v.name] = con.sql(sql).to_arrow_table().num_rows  # warm-up
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                con.sql(sql).to_arrow_table()
                times.append((time.perf_counter() - t0) * 1000)
            ms[v.name] = round(statistics.median(times), 2)
    finally:
        con.close()
    return ms, rows


# One selective question per canned view (the filter an analyst adds to ask about one supplier,
# entity, article, claimant, person, agreement or source): view -> (column, key or the SQL that
# picks the key, untimed). country:PRK is a heavy key (9 % of the transfers, named by a third of
# the articles), so these are not the cheapest selective questions.
SELECTIVE: dict[str, tuple[str, str]] = {
    "agreements_overview": ("agreement_id", "agreement:prk-rus-pact"),
    "claimant_activity": ("claimant_id", "country:PRK"),
    "claimant_states": ("claimant_state", "country:PRK"),
    "contested_claims": ("article_id", "SELECT min(article_id) FROM contested_claims"),
    "entity_cooccurrence": ("entity_a", "country:PRK"),
    "entity_profiles": ("entity_id", "country:PRK"),
    "exchanges": ("party_a", "country:PRK"),
    "figure_disagreements": ("supplier_id", "country:PRK"),
    "role_assertions": ("person_id", "SELECT min(person_id) FROM person_roles"),
    "sanctions_exposure": ("supplier_id", "country:PRK"),
    "source_coverage": ("source_id", "reuters"),
    "timeline": ("article_id", "SELECT min(article_id) FROM timeline"),
    "transfer_flows": ("supplier_id", "country:PRK"),
    "transfer_reports": ("supplier_id", "country:PRK"),
}


def selective_queries(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """view -> the SQL of its SELECTIVE question (the key written as a literal, as an analyst types it)."""
    out = {}
    for view, (column, key) in SELECTIVE.items():
        if key.startswith("SELECT "):
            key = con.sql(key).fetchall()[0][0]
        literal = "'" + str(key).replace("'", "''") + "'"
        out[view] = f"SELECT * FROM {view} WHERE {column} = {literal}"
    return out


def time_selective(db: Path, runs: int = 3) -> tuple[dict[str, float], dict[str, int]]:
    """selective_ms: each SELECTIVE question with every row fetched (as view_ms), one warm-up, median of 3."""
    ms: dict[str, float] = {}
    rows: dict[str, int] = {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        for view, sql in selective_queries(con).items():
            rows[view] = con.sql(sql).to_arrow_table().num_rows  # warm-up
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                con.sql(sql).to_arrow_table()
                times.append((time.perf_counter() - t0) * 1000)
            ms[view] = round(statistics.median(times), 2)
    finally:
        con.close()
    return ms, rows


def extract_rates(corpus: Path, sample: int) -> dict:
    try:
        from warehouse.extract import extract_many
    except Exception as exc:  # not written yet, or broken: report, do not fail the benchmark
        return {"extract_words_per_s": None, "extract_words_per_s_workers2": None,
                "extract_skipped": f"warehouse.extract not importable: {type(exc).__name__}: {exc}"}
    items = read_texts(corpus, limit=sample)
    words = sum(len(i["text"].split()) for i in items)
    out: dict = {"extract_sample_articles": len(items), "extract_sample_words": words}
    for workers, key in ((1, "extract_words_per_s"), (2, "extract_words_per_s_workers2")):
        t0 = time.perf_counter()
        recs = extract_many(items, workers=workers)
        dt = time.perf_counter() - t0
        out[key] = round(words / dt, 1)
        out[f"extract_s_workers{workers}"] = round(dt, 3)
        if workers == 1:
            out["extract_claims_per_article"] = round(sum(len(r.claims) for r in recs) / max(len(recs), 1), 2)
    return out


def run(articles: int, out: Path | None = None, *, skip_extract: bool = False, seed: int = DEFAULT_SEED,
        extract_sample: int = 1000, profile: bool = False, keep: bool = True) -> dict:
    """Run every measurement; returns the result object (also what the CLI prints last)."""
    own_tmp = out is None
    out = Path(tempfile.mkdtemp(prefix=f"bench-{articles}-")) if out is None else Path(out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = out / f"corpus-{articles}-{seed}.jsonl"
    lib_db, nat_db = out / "library.duckdb", out / "native.duckdb"
    result: dict = {"articles": articles, "seed": seed, "machine": machine()}
    try:
        t0 = time.perf_counter()
        man: Manifest = write_corpus(corpus, articles, seed)
        result["generate_s"] = round(time.perf_counter() - t0, 3)
        result["corpus"] = man.summary()
        _log(f"corpus: {articles} articles, {man.words:,} words, {man.bytes / 2**20:.1f} MiB "
             f"in {result['generate_s']} s")

        base = _init(lib_db)
        stories.TIMING.update(seconds=0.0, cpu_seconds=0.0, articles=0, candidate_pairs=0, sign_process_cpu_seconds=0.0,
                              phases={})
        load_s, reload_s, unchanged, read_s = library_load(lib_db, corpus, out / "load.prof" if profile else None)
        result["clustering_s"] = round(stories.TIMING["seconds"], 3)
        result["clustering_share"] = round(stories.TIMING["seconds"] / load_s, 3)
        result["clustering_candidate_pairs"] = stories.TIMING["candidate_pairs"]
        result["clustering_phases_s"] = _phases()
        worker_cpu = stories.TIMING["sign_process_cpu_seconds"]  # signing in the worker process, if any
        result["clustering_sign_process_cpu_s"] = round(worker_cpu, 3)
        result["load_cpu_s"] = round(LAST_LOAD["cpu_s"] + worker_cpu, 3)
        result["clustering_cpu_s"] = round(stories.TIMING["cpu_seconds"] + worker_cpu, 3)
        result["clustering_cpu_share"] = round((stories.TIMING["cpu_seconds"] + worker_cpu) /
                                               (LAST_LOAD["cpu_s"] + worker_cpu), 3)
        result["peak_rss_after_load_mb"] = _rss_mb()
        lib_counts = table_counts(lib_db)
        added = {t: lib_counts[t] - base.get(t, 0) for t in lib_counts}
        _log(f"library load {load_s:.2f} s, reload {reload_s:.2f} s ({unchanged} unchanged)")

        nat_base = _init(nat_db)
        con = duckdb.connect(str(nat_db))
        try:
            t0 = time.perf_counter()
            native_load(con, corpus)
            native_s = time.perf_counter() - t0
        finally:
            con.close()
        nat_counts = table_counts(nat_db)
        nat_added = {t: nat_counts[t] - nat_base.get(t, 0) for t in nat_counts}
        _log(f"native load {native_s:.2f} s")

        expected = man.expected_rows()
        result.update({
            "load_s": round(load_s, 3),
            "native_load_s": round(native_s, 3),
            "load_ratio": round(load_s / native_s, 2),
            "reload_s": round(reload_s, 3),
            "reload_fraction": round(reload_s / load_s, 3),
            "reload_unchanged": unchanged,
            "load_read_s": round(read_s[0], 3) if read_s else None,
            "reload_read_s": round(read_s[1], 3) if len(read_s) > 1 else None,
            "load_articles_per_s": round(articles / load_s, 1),
            "rows_added": added,
            "counts_match": all(added.get(t) == n for t, n in expected.items()),
            "native_counts_match": all(nat_added.get(t) == added.get(t) for t in expected),
        })
        if not result["counts_match"]:
            result["expected_rows"] = expected
        if not result["native_counts_match"]:
            result["native_rows_added"] = nat_added

        result.update(incremental(lib_db, out, articles, seed, new=min(1_000, articles)))
        _log(f"incremental {min(1_000, articles):,} articles: {result['incremental_load_s']} s into this warehouse "
             f"(clustering {result['incremental_clustering_s']} s), {result['incremental_empty_load_s']} s into "
             f"an empty one (clustering {result['incremental_empty_clustering_s']} s)")

        view_ms, view_rows = time_views(lib_db)
        result["view_ms"] = view_ms
        result["view_rows"] = view_rows
        result["view_ms_total"] = round(sum(view_ms.values()), 1)
        _log(f"views: {result['view_ms_total']} ms in total; slowest {max(view_ms, key=view_ms.get)}")
        selective_ms, selective_rows = time_selective(lib_db)
        result["selective_ms"] = selective_ms
        result["selective_rows"] = selective_rows
        _log(f"selective questions: slowest {max(selective_ms, key=selective_ms.get)} "
             f"{max(selective_ms.values())} ms")

        db_bytes = lib_db.stat().st_size + sum(p.stat().st_size for p in out.glob("library.duckdb.wal"))
        result["db_bytes"] = db_bytes
        result["db_bytes_per_article"] = round(db_bytes / articles, 1)
        result["corpus_bytes_per_article"] = round(man.bytes / articles, 1)

        if skip_extract:
            result.update({"extract_words_per_s": None, "extract_words_per_s_workers2": None,
                           "extract_skipped": "--skip-extract"})
        else:
            result.update(extract_rates(corpus, extract_sample))
            _log(f"extract: {result.get('extract_words_per_s')} words/s (1 process), "
                 f"{result.get('extract_words_per_s_workers2')} words/s (2 workers)")

        result["peak_rss_mb"] = _rss_mb()
        result["peak_rss_children_mb"] = _rss_mb(resource.RUSAGE_CHILDREN)
        result["targets"] = {
            "load_ratio_le_2": result["load_ratio"] <= TARGET_LOAD_RATIO,
            "reload_le_10pct": result["reload_fraction"] <= TARGET_RELOAD_FRACTION,
        }
        result["out"] = str(out)
    finally:
        if own_tmp and not keep:
            shutil.rmtree(out, ignore_errors=True)
    return result
