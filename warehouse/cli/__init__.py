"""The ``warehouse`` command: a thin typer layer over the warehouse library.

Commands parse arguments, call library functions and print. Every user mistake ends in
one ``Error: ...`` line on stderr and exit code 1 (see ``fail``).
"""

from __future__ import annotations

# Command modules register themselves on ``app``.
from . import (
    core_cmds,  # noqa: E402,F401
    export_cmds,  # noqa: E402,F401
    extract_cmds,  # noqa: E402,F401
)
from .app import app, main  # noqa: F401
