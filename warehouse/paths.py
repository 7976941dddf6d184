"""Where the project's files live."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
VIEWS_DIR = PROJECT_ROOT / "sql" / "views"
BASE_VIEWS_DIR = PROJECT_ROOT / "sql" / "base"  # helper views the canned ones read (not questions)
SEEDS_DIR = PROJECT_ROOT / "seeds"
DEFAULT_DB = "warehouse.duckdb"


def default_db_path() -> Path:
    """The warehouse file: $WAREHOUSE_DB, else ./warehouse.duckdb."""
    return Path(os.environ.get("WAREHOUSE_DB") or DEFAULT_DB)
