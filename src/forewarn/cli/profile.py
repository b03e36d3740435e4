"""``forewarn profile``: show or create the reader's profile file."""

from __future__ import annotations

import typer

from ..stages.profile import default_profile_path, load_profile
from ._app import app
from ._errors import usage_errors

TEMPLATE = """\
# forewarn reader profile: what you want to avoid, and from which severity.
# Severities: "mentioned" (any mention), "depicted" (happens on the page), "graphic" (in detail).
# Categories: ids, names or other names readers use ("self harm", "major character death",
# "noncon"); run `forewarn categories` to list them.

[avoid]
self-harm = "mentioned"
suicide = "mentioned"
"""


@app.command("profile")
def profile_command(
    init: bool = typer.Option(False, "--init", help="Create the profile file with an example avoid-list."),
) -> None:
    """Show where your profile lives and what it avoids (create it with --init)."""
    path = default_profile_path()
    if init:
        if path.exists():
            print(f"{path} already exists; edit it with any text editor.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(TEMPLATE, encoding="utf-8")
        print(f"Created {path}; edit it with any text editor.")
        return
    with usage_errors():
        profile = load_profile()
    print(f"Profile file: {path}{'' if path.exists() else ' (not created yet: forewarn profile --init)'}")
    for category, severity in profile.avoid.items():
        print(f"  avoid {category} from {severity}")
