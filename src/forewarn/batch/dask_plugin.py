"""The Dask side of the archive engine: prepare the worker body once in every worker process."""

from __future__ import annotations

import os

from distributed import Worker, WorkerPlugin

from ..detectors.learned import share_cores
from ..worker import WorkerSetup, prepare


class ScannerPlugin(WorkerPlugin):
    """Registered on the client; ``setup`` runs once in each worker (and in workers that join later)."""

    name = "forewarn-scanner"

    def __init__(self, setup: WorkerSetup) -> None:
        self.worker_setup = setup

    def setup(self, worker: Worker) -> None:
        """Load this worker's scanner (detectors loaded here, once); Dask's own threads share the cores."""
        share_cores(os.cpu_count() or 1)
        prepare(self.worker_setup)
