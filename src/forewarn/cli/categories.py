"""``forewarn categories``: list the taxonomy."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from ..taxonomy import categories as all_categories
from ..taxonomy import groups
from ._app import app


@app.command("categories")
def categories_command(
    as_json: bool = typer.Option(False, "--json", help="Print the categories as JSON."),
) -> None:
    """List the content categories forewarn reports, grouped, with their ids."""
    if as_json:
        print(json.dumps([
            {"id": c.id, "group": c.group, "name": c.name, "definition": c.definition}
            for c in all_categories().values()
        ], indent=2))
        return
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("id")
    table.add_column("name")
    table.add_column("what it covers")
    for group in groups():
        table.add_row(f"[bold underline]{group.name}[/]", "", "")
        for category in all_categories().values():
            if category.group == group.id:
                table.add_row(category.id, category.name, category.definition)
    Console().print(table)
