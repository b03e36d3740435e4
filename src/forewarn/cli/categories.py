"""``forewarn categories``: list the taxonomy."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..render.terminal import print_clean
from ..taxonomy import categories as all_categories
from ..taxonomy import groups
from ._app import app


@app.command("categories")
def categories_command(
    as_json: bool = typer.Option(False, "--json", help="Print the categories as JSON."),
) -> None:
    """List the content categories forewarn reports, grouped, with their ids and other names."""
    if as_json:
        print(json.dumps([
            {"id": c.id, "group": c.group, "name": c.name, "definition": c.definition, "aliases": list(c.aliases)}
            for c in all_categories().values()
        ], indent=2))
        return
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("id", no_wrap=True)
    table.add_column("name")
    table.add_column("what it covers (other names forewarn accepts)")
    for group in groups():
        table.add_row(Text(group.name, style="bold underline"), "", "")
        for category in all_categories().values():
            if category.group == group.id:
                covers = Text(category.definition)
                if category.aliases:
                    covers.append(f" (also: {', '.join(category.aliases)})", style="dim")
                table.add_row(category.id, category.name, covers)
    console = Console(highlight=False)
    print_clean(console, table)
    print_clean(console, Text("Ids, names and these other names all work in --avoid, --fail-on and profiles; "
                       "case, spaces and hyphens do not matter.", style="dim"))
