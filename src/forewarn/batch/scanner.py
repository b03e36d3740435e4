"""What a library or archive run is scanned with, and the fingerprint that says when to rescan.

The worker body itself (load the detectors once, scan one work, never raise) is
:mod:`forewarn.worker`, shared with the server.
"""

from __future__ import annotations

from ..worker import ScanFunction, ScanOptions

__all__ = ["ScanFunction", "ScanOptions", "fingerprint"]


def fingerprint(options: ScanOptions) -> str:
    """A string that changes whenever a rescan could give a different report: the engine's fingerprint
    (forewarn's version, the detectors and every data and model file they load); a work stored under
    the same content hash and fingerprint is never scanned again."""
    from ..engine import shared_engine

    return shared_engine(options.detector_names or None, options.thorough).fingerprint
