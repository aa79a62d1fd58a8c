"""The `fairstake` command line, one module per command group."""

from typing import Annotated, NoReturn

import typer

# Exit codes shared by every command: 1 for a finding (a mismatch, an unreachable node while
# running), 2 for input the command cannot use.
EXIT_BAD_INPUT = 2


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print `error: <message>` to stderr and end the command with `code`."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code) from None


# The index database, as `fairstake index` writes it and `fairstake api` reads it (the same URLs:
# backend.store.db.database_url).
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file (default .data/index.sqlite), sqlite:/// or postgresql:// URL."),
]
