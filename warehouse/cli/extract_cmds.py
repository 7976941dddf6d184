"""Extraction commands: ``warehouse extract`` (articles -> record files) and ``warehouse eval``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from .app import CONNECT_TIMEOUT, ENGINE, SCHEDULER, EngineName, app, extraction_engine, fail, state


def _iso(published: date | None, precision: str | None) -> tuple[str | None, str]:
    """A DATE and its precision as the record's ISO shape (YYYY-MM-DD / YYYY-MM / YYYY)."""
    precision = precision or "unknown"
    if published is None or precision == "unknown":
        return None, "unknown"
    d = published if isinstance(published, date) else date.fromisoformat(str(published)[:10])
    shape = {"day": d.isoformat(), "month": f"{d.year:04d}-{d.month:02d}", "year": f"{d.year:04d}"}
    return shape.get(precision), precision if precision in shape else "unknown"


def _read_articles(article_id: str | None) -> list[dict]:
    from ..db import open_duckdb

    sql = (
        "SELECT a.article_id, a.cleaned_text, a.title, a.published_on, a.published_precision, a.origin_file, "
        "a.url, s.name FROM articles a LEFT JOIN sources s ON s.source_id = a.source_id"
    )
    params: list = []
    if article_id is not None:
        sql += " WHERE a.article_id = ?"
        params.append(article_id)
    sql += " ORDER BY a.article_id"
    with open_duckdb(state.db, read_only=True) as con:
        rows = con.execute(sql, params).fetchall()
    items = []
    for aid, text, title, pub, prec, origin, url, publisher in rows:
        published, precision = _iso(pub, prec)
        items.append({"article_id": aid, "text": text, "title": title, "published": published,
                      "published_precision": precision, "origin_file": origin, "url": url,
                      "publisher": publisher})
    return items


@app.command("extract")
def extract_cmd(
    all_: bool = typer.Option(False, "--all", help="Extract every article in the warehouse."),
    article: str = typer.Option(None, "--article", help="Extract one article, by its article id."),
    out: Path = typer.Option(Path("records/extracted"), "--out",
                             help="Folder for the records, one <article_id>.json per article."),
    workers: int = typer.Option(1, "--workers", min=1, help="Processes to spread the articles over."),
    engine: EngineName = ENGINE,
    scheduler: str = SCHEDULER,
    connect_timeout: float = CONNECT_TIMEOUT,
    quiet: bool = typer.Option(False, "--quiet", "-q",
                               help="No progress bar (there is none when stderr is not a terminal)."),
) -> None:
    """Run the rule-based extractor on warehouse articles and write one JSON record per article."""
    import time

    from ..db import WarehouseError
    from ..extract import EXTRACTOR_NAME, EXTRACTOR_VERSION
    from .core_cmds import progress_bar

    where = extraction_engine(engine, scheduler, workers, connect_timeout)
    if all_ == (article is not None):
        fail("give either --all or --article ID")
    try:
        items = _read_articles(article)
    except WarehouseError as exc:
        fail(str(exc))
    if article is not None and not items:
        fail(f"no article {article!r} in {state.db}")
    written = 0
    try:
        t0 = time.perf_counter()
        with progress_bar(quiet) as update:
            inputs = [{k: v for k, v in it.items() if k != "article_id"} for it in items]
            try:
                records = where.extract(inputs, progress=(lambda n, t: update("extract: articles", n, t))
                                        if update else None)
            except WarehouseError as exc:
                fail(str(exc))
        elapsed = time.perf_counter() - t0
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            fail(f"{out}: cannot create the folder ({exc.strerror})")
        transfers = claims = 0
        for it, rec in zip(items, records, strict=True):
            (out / f"{it['article_id']}.json").write_text(rec.model_dump_json(indent=2, exclude_none=False) + "\n",
                                                           encoding="utf-8")
            written += 1
            claims += len(rec.claims)
            transfers += sum(1 for c in rec.claims if c.transfer is not None)
    except KeyboardInterrupt:
        typer.echo(f"Error: interrupted; {written} of {len(items)} record file(s) written to {out} "
                   "(the warehouse is only read)", err=True)
        raise typer.Exit(130) from None
    words = sum(len(it["text"].split()) for it in items)
    typer.echo(f"extracted {len(records)} article(s) with {EXTRACTOR_NAME} {EXTRACTOR_VERSION}: {claims} claims, "
               f"{transfers} transfers -> {out} ({words / elapsed if elapsed else 0:,.0f} words/s"
               + (f" on {where.describe()})" if where.name != "local" else ")"))


def _load_records(folder: Path, what: str) -> list:
    """Validated records of a folder, through the loader's reader (same checks, same messages)."""
    from ..load import LoadError, read_records

    if not folder.is_dir():
        fail(f"{folder}: no such {what} folder")
    try:
        return [sr.record for sr in read_records([folder])]
    except LoadError as exc:
        fail(str(exc))


@app.command("eval")
def eval_cmd(
    gold: Path = typer.Option(..., "--gold",
                              help="Folder of gold: light gold (*.gold.json + .txt) or curated records (*.json)."),
    pred: Path = typer.Option(None, "--pred",
                              help="Folder of predicted records; default: run the extractor on the gold texts."),
    workers: int = typer.Option(1, "--workers", min=1, help="Processes for the extractor (without --pred)."),
    details: bool | None = typer.Option(None, "--details/--no-details",
                                 help="List the misses and false hits (default: on for records, off for light gold)."),
    per_article: bool = typer.Option(False, "--per-article", help="Light gold: a table of scores per article."),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
) -> None:
    """Score extracted records against gold: precision, recall and F1 per category (facet)."""
    from ..db import WarehouseError
    from ..evaluate import CATEGORIES, evaluate, is_light_gold

    if not gold.is_dir():
        fail(f"{gold}: no such gold folder")
    try:
        light = is_light_gold(gold)
    except WarehouseError as exc:
        fail(str(exc))
    if light:
        _eval_light(gold, pred, workers, bool(details), per_article, as_json)
        return
    if per_article:
        fail("--per-article needs a light-gold folder (*.gold.json)")
    details = True if details is None else details
    from ..extract import extract_many

    gold_records = _load_records(gold, "gold")
    if pred is not None:
        pred_records = _load_records(pred, "prediction")
    else:
        pred_records = extract_many(
            [{"text": g.article.text, "title": g.article.title, "publisher": g.article.publisher,
              "published": g.article.published, "published_precision": g.article.published_precision,
              "origin_file": g.article.origin_file, "url": g.article.url} for g in gold_records],
            workers=workers,
        )
    report = evaluate(gold_records, pred_records)
    if as_json:
        import json

        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{report.articles} article(s)")
    for col in ("category", "gold", "pred", "match", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "category" else "right")
    for cat in CATEGORIES:
        s = report.scores[cat]
        table.add_row(cat, str(s.tp + s.fn), str(s.tp + s.fp), str(s.tp), f"{s.precision:.3f}",
                      f"{s.recall:.3f}", f"{s.f1:.3f}")
    console = Console(width=200, force_terminal=False, no_color=True)
    console.print(table)
    if report.articles_without_prediction:
        typer.echo(f"no prediction for: {', '.join(report.articles_without_prediction)}")
    if details:
        for cat in CATEGORIES:
            if report.misses[cat]:
                typer.echo(f"missed {cat}:")
                for aid, label in report.misses[cat]:
                    typer.echo(f"  {aid}  {label}")
            if report.false_hits[cat]:
                typer.echo(f"false {cat}:")
                for aid, label in report.false_hits[cat]:
                    typer.echo(f"  {aid}  {label}")


def _eval_light(gold: Path, pred: Path | None, workers: int, details: bool, per_article: bool,
                as_json: bool) -> None:
    """``warehouse eval`` on a light-gold folder (the scoring lives in warehouse.evaluate)."""
    from ..db import WarehouseError
    from ..evaluate import evaluate_light, extract_for_gold, load_light_gold, match_predictions, render_light

    try:
        articles = load_light_gold(gold)
        if pred is not None:
            preds = match_predictions(articles, _load_records(pred, "prediction"))
        else:
            preds = extract_for_gold(articles, workers=workers)
    except WarehouseError as exc:
        fail(str(exc))
    report = evaluate_light(articles, preds)
    if as_json:
        import json

        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        typer.echo(render_light(report, per_article=per_article, details=details))
