"""The Forewarn engine: stages listed, swappable and timed; progress events; scan_* without guessing;
pipe in order; one fingerprint that follows every data file, and the library redoing a work when it moves."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

import forewarn
from forewarn import engine as engine_module
from forewarn.batch.library import discover, run_library
from forewarn.batch.scanner import ScanOptions
from forewarn.batch.store import Store
from forewarn.engine import Forewarn, ProgressEvent, data_dir
from forewarn.errors import InputError, UsageError

from .batch_fakes import fake_scan

STORY = (
    "Chapter 1\n\nHe punched the guard in the face and kicked him down the stairs.\n\nChapter 2\n\n"
    "He didn't kill himself that night. In the morning Jo made toast and walked to school.\n"
)
SRC = Path(forewarn.__file__).parent


@pytest.fixture(scope="module")
def cues_engine() -> Forewarn:
    return Forewarn.from_config(detectors=["cues"])


def test_stages_are_listed_in_order_and_timed(cues_engine):
    assert cues_engine.stage_names == ["read", "segment", "detect", "assess", "label", "verdict"]
    cues_engine.scan_text(STORY)
    assert list(cues_engine.last_timings) == cues_engine.stage_names
    assert all(seconds >= 0 for seconds in cues_engine.last_timings.values())


def test_a_stage_can_be_replaced_and_an_unknown_one_is_refused():
    engine = Forewarn.from_config(detectors=["cues"])
    assert engine.scan_text(STORY).findings
    original = engine.replace_stage("assess", lambda state: None)
    assert engine.scan_text(STORY).findings == []
    engine.replace_stage("assess", original)
    assert engine.scan_text(STORY).findings
    with pytest.raises(UsageError):
        engine.replace_stage("translate", lambda state: None)


def test_progress_fires_at_each_stage_start_and_end_and_inside_detect(cues_engine):
    events: list[ProgressEvent] = []
    forewarn.scan(STORY, detectors=["cues"], progress=events.append)
    stages = list(dict.fromkeys(e.stage for e in events))
    assert stages == cues_engine.stage_names
    for stage in stages:
        mine = [e for e in events if e.stage == stage]
        assert mine[0].done == 0 and mine[-1].done == mine[-1].total
    detect = [e.done for e in events if e.stage == "detect"]
    assert detect == sorted(detect) and len(detect) >= 3  # start, the detector's own call(s), end


def test_scan_text_never_opens_a_path(tmp_path, cues_engine):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    as_text = cues_engine.scan_text(str(path))
    assert as_text.source.path is None and as_text.findings == []
    as_path = cues_engine.scan_path(path)
    as_bytes = cues_engine.scan_bytes(STORY.encode(), name="story.txt")
    assert as_path.source.path == str(path)
    assert [f.category for f in as_path.findings] == [f.category for f in as_bytes.findings] != []


def test_pipe_yields_reports_and_errors_in_order(tmp_path, cues_engine):
    good, empty = tmp_path / "good.txt", tmp_path / "empty.txt"
    good.write_text(STORY, encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    results = list(cues_engine.pipe([good, empty, STORY.encode()]))
    assert isinstance(results[0], forewarn.Report) and results[0].source.path == str(good)
    assert isinstance(results[1], InputError)
    assert isinstance(results[2], forewarn.Report) and results[2].findings


def test_pipe_in_processes_gives_the_same_reports(tmp_path, cues_engine):
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"s{i}.txt")
        paths[-1].write_text(STORY, encoding="utf-8")
    alone = [r.to_dict() for r in cues_engine.pipe(paths)]
    pooled = [r.to_dict() for r in cues_engine.pipe(paths, n_process=2)]
    assert pooled == alone


def test_pipe_in_processes_runs_the_one_worker_body_and_keeps_order_and_errors(tmp_path, cues_engine, monkeypatch):
    from forewarn import worker

    good, empty = tmp_path / "good.txt", tmp_path / "empty.txt"
    good.write_text(STORY, encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    calls = []

    def spy(task, items, **kwargs):
        calls.append(kwargs["setup"])
        return worker.bounded_map(task, items, **kwargs)

    monkeypatch.setattr(engine_module, "bounded_map", spy)
    results = list(cues_engine.pipe([good, empty, STORY.encode(), tmp_path / "missing.txt"], n_process=2))
    assert [type(r).__name__ for r in results] == ["Report", "InputError", "Report", "InputError"]
    assert results[0].source.path == str(good) and results[2].findings
    assert calls and calls[0].options.detector_names == ("cues",) and calls[0].scan is None
    assert "ProcessPoolExecutor" not in (SRC / "engine.py").read_text(encoding="utf-8")
    assert not any(_under(module, "batch") for module in _imported(SRC / "engine.py"))


def test_pipe_in_processes_refuses_an_engine_it_cannot_rebuild():
    engine = Forewarn.from_config(detectors=["cues"])
    engine.replace_stage("verdict", lambda state: None)
    with pytest.raises(UsageError):
        list(engine.pipe([b"x"], n_process=2))


def test_explain_adds_structured_reasons_and_what_was_set_aside(cues_engine):
    plain = cues_engine.scan_text(STORY)
    assert plain.suppressed is None and "suppressed" not in plain.to_json()
    explained = cues_engine.scan_text(STORY, explain=True)
    location = explained.finding("violence").locations[0]
    assert location.reasons and all(r.detector == "cues" and 0 < r.score <= 1 for r in location.reasons)
    assert all(location.char_start <= a < b <= location.char_end for r in location.reasons for a, b in r.spans)
    assert explained.finding("suicide") is None
    negated = [s for s in explained.suppressed if s.category == "suicide"]
    assert negated and negated[0].because == "negation"
    assert "kill himself" in STORY[negated[0].char_start:negated[0].char_end + 8]


def _copied_data(tmp_path: Path, monkeypatch) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    monkeypatch.setattr(engine_module, "data_dir", lambda: copy)
    return copy


def _flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name", ["assess.toml", "ratings.toml", "messages.toml", "taxonomy.toml", "cues/violence.toml"])
def test_fingerprint_changes_when_one_byte_of_a_data_file_changes(tmp_path, monkeypatch, name):
    copy = _copied_data(tmp_path, monkeypatch)
    before = Forewarn.from_config(detectors=["cues"]).fingerprint
    assert Forewarn.from_config(detectors=["cues"]).fingerprint == before  # deterministic
    _flip_one_byte(copy / name)
    assert Forewarn.from_config(detectors=["cues"]).fingerprint != before


def test_fingerprint_covers_the_learned_models_and_differs_by_detectors_and_mode():
    default = Forewarn()
    assert {p.name for p in default.files} >= {"encoder.int8.onnx", "heads.npz", "words.npz", "learned.toml"}
    assert len({default.fingerprint, Forewarn.from_config(thorough=True).fingerprint,
                Forewarn.from_config(detectors=["cues"]).fingerprint}) == 3


def test_library_redoes_a_work_when_the_engine_fingerprint_changes(tmp_path, monkeypatch):
    copy = _copied_data(tmp_path, monkeypatch)
    root = tmp_path / "lib"
    root.mkdir()
    (root / "one.txt").write_text("One\n\nA storm came over the hill.\n")
    (root / "two.txt").write_text("Two\n\nA quiet morning with tea.\n")

    def run(fingerprint: str):
        return run_library(discover(root), store, root=str(root), fingerprint=fingerprint,
                           options=ScanOptions(detector_names=("cues",)), scan=fake_scan)

    with Store(tmp_path / "store.sqlite") as store:
        first = Forewarn.from_config(detectors=["cues"]).fingerprint
        assert run(first).scanned == 2
        assert run(first).scanned == 0
        _flip_one_byte(copy / "assess.toml")
        second = Forewarn.from_config(detectors=["cues"]).fingerprint
        assert second != first
        assert run(second).scanned == 2
        assert {r.fingerprint for r in store.records()} == {second}


ADAPTERS = ("cli", "server", "batch", "integrations", "render")
TOP = ("engine", "pipeline", "worker")
FORBIDDEN = {  # package -> what it must never import (a module or anything under it)
    "documents": ("stages", "detectors", "readers", *TOP, *ADAPTERS),
    "stages": (*TOP, *ADAPTERS),
    "detectors": ("stages", *TOP, *ADAPTERS),
    "config": ("stages", "detectors", "readers", *TOP, *ADAPTERS),
    "readers": ("stages", "detectors", *TOP, *ADAPTERS),
}


def _imported(path: Path) -> set[str]:
    """Every module ``path`` imports (absolute names; ``from . import x`` counts the package and ``.x``)."""
    package = ["forewarn", *path.relative_to(SRC).parts[:-1]]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1] if node.level else [])
            module = ".".join(part for part in (base, node.module or "") if part)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _faces_version(path: Path) -> bool:
    """True when ``path`` imports ``__version__`` from the package face (``from . import __version__``)."""
    depth = len(path.relative_to(SRC).parts)
    return any(isinstance(node, ast.ImportFrom) and node.level == depth and not node.module
               and any(alias.name == "__version__" for alias in node.names)
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def _under(module: str, name: str) -> bool:
    return module == f"forewarn.{name}" or module.startswith(f"forewarn.{name}.")


def test_no_back_arrows():
    """documents <- config, readers <- detectors <- stages <- engine <- adapters; never the other way."""
    for path in SRC.rglob("*.py"):
        layer = path.relative_to(SRC).parts[0].removesuffix(".py")
        core = layer not in ADAPTERS and layer != "__main__"  # __main__ only starts the command line
        forbidden = (*FORBIDDEN.get(layer, ()), *ADAPTERS) if core else ()
        for module in _imported(path):
            assert not any(_under(module, name) for name in forbidden), f"{path.relative_to(SRC)} imports {module}"
        assert not _faces_version(path), f"{path.name} imports __version__ from the package face"
    assert forewarn.__version__ == forewarn.version.__version__


def test_explain_in_the_terminal_says_what_was_not_reported_and_why(cues_engine):
    from rich.console import Console

    from forewarn.render.terminal import print_report

    console = Console(record=True, width=200)
    print_report(cues_engine.scan_text(STORY, explain=True), console, explain=True)
    shown = console.export_text()
    assert "Not reported: Suicide" in shown and "negated" in shown
    console = Console(record=True, width=200)
    print_report(cues_engine.scan_text(STORY), console)
    assert "Not reported" not in console.export_text()


@pytest.mark.parametrize("format", [None, "txt", "md", "html"])
def test_a_lone_surrogate_in_story_text_is_cleaned_with_a_notice(format, cues_engine):
    story = "A story.\ud800 More text."
    for report in (forewarn.scan(story, format=format, detectors=["cues"]), cues_engine.scan_text(story, format=format)):
        assert report.work.words == 4
        assert any("lone surrogate" in notice for notice in report.notices)
        report.to_json().encode("utf-8")  # the report encodes: nothing unencodable got through
