"""forewarn: tell a reader what hard content is in a story, where, and how severe, without spoilers.

>>> import forewarn
>>> report = forewarn.scan("story.epub", avoid="self-harm,suicide")   # doctest: +SKIP
>>> print(report.to_json())                                             # doctest: +SKIP
"""

from __future__ import annotations

from .version import __version__  # noqa: E402
from .documents.report import Report  # noqa: E402
from .documents.severity import Severity  # noqa: E402
from .engine import Forewarn, ProgressEvent  # noqa: E402
from .errors import ForewarnError, InputError, UsageError  # noqa: E402
from .pipeline import scan  # noqa: E402
from .stages.profile import Profile, load_profile, parse_avoid, verdict  # noqa: E402

__all__ = [
    "__version__",
    "scan",
    "Forewarn",
    "ProgressEvent",
    "Report",
    "Severity",
    "Profile",
    "load_profile",
    "parse_avoid",
    "verdict",
    "ForewarnError",
    "InputError",
    "UsageError",
]
