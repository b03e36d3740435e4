"""forewarn: tell a reader what hard content is in a story, where, and how severe, without spoilers.

>>> import forewarn
>>> report = forewarn.scan("story.epub", avoid="self-harm,suicide")   # doctest: +SKIP
>>> print(report.to_json())                                             # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import ForewarnError, InputError, UsageError  # noqa: E402
from .pipeline import scan  # noqa: E402
from .profile import Profile, load_profile, parse_avoid, verdict  # noqa: E402
from .report import Report  # noqa: E402

__all__ = [
    "__version__",
    "scan",
    "Report",
    "Profile",
    "load_profile",
    "parse_avoid",
    "verdict",
    "ForewarnError",
    "InputError",
    "UsageError",
]
