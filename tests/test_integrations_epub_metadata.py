"""EPUB write-back: only content.opf changes; dry run, backup and undo; the `forewarn tag` command."""

from __future__ import annotations

import re
import zipfile

import pytest
from typer.testing import CliRunner

import forewarn.cli.tag as tag_cli
from forewarn.cli._app import app
from forewarn.documents.report import SCHEMA_VERSION
from forewarn.errors import InputError
from forewarn.integrations import epub_metadata
from tests.batch_fakes import fake_report, fake_scan
from tests.epub_fakes import OPF, make_epub, raw_members

REPORT = fake_report("storm and cliff")
LABELS = ["CW: Self-harm (graphic)", "CW: Death (mentioned)", "CW: Rated Mature"]


def _subjects(path) -> list[str]:
    opf = zipfile.ZipFile(path).read("OEBPS/content.opf").decode()
    return re.findall(r"<dc:subject>([^<]*)</dc:subject>", opf)


def test_apply_adds_subjects_and_meta_and_changes_nothing_else(tmp_path):
    book = make_epub(tmp_path / "book.epub")
    before = book.read_bytes()
    change = epub_metadata.plan(book, REPORT)
    assert book.read_bytes() == before, "plan must not write"
    backup = epub_metadata.apply(change)
    assert backup.read_bytes() == before
    assert _subjects(book) == ["Fluff", *LABELS]
    opf = zipfile.ZipFile(book).read("OEBPS/content.opf").decode()
    assert f'<meta name="forewarn:report" content="forewarn 0.1.0, report schema {SCHEMA_VERSION}"/>' in opf
    old, new = raw_members(before), raw_members(book.read_bytes())
    assert all(new[name] == old[name] for name in old if name != "OEBPS/content.opf")


def test_only_added_lines_in_the_opf(tmp_path):
    change = epub_metadata.plan(make_epub(tmp_path / "book.epub"), REPORT)
    removed = [l for l in change.diff().splitlines() if l.startswith("-") and not l.startswith("---")]
    added = [l for l in change.diff().splitlines() if l.startswith("+") and not l.startswith("+++")]
    assert removed == [] and len(added) == 4
    assert change.before == OPF


def test_tagging_again_replaces_old_forewarn_subjects_and_keeps_the_first_backup(tmp_path):
    book = make_epub(tmp_path / "book.epub")
    original = book.read_bytes()
    epub_metadata.apply(epub_metadata.plan(book, REPORT))
    epub_metadata.apply(epub_metadata.plan(book, fake_report("a quiet day")))
    assert _subjects(book) == ["Fluff", "CW: Rated General Audiences"]
    assert epub_metadata.backup_path(book).read_bytes() == original
    same = epub_metadata.plan(book, fake_report("a quiet day"))
    assert same.before == same.after


def test_undo_restores_the_original_bytes(tmp_path):
    book = make_epub(tmp_path / "book.epub")
    original = book.read_bytes()
    epub_metadata.apply(epub_metadata.plan(book, REPORT))
    epub_metadata.undo(book)
    assert book.read_bytes() == original and not epub_metadata.backup_path(book).exists()
    with pytest.raises(InputError, match="no backup"):
        epub_metadata.undo(book)


def test_prefixed_opf_namespace_and_escaping(tmp_path):
    opf = OPF.replace("<package ", "<opf:package xmlns:opf=\"http://www.idpf.org/2007/opf\" ").replace(
        "</package>", "</opf:package>").replace("<metadata ", "<opf:metadata ").replace("</metadata>", "</opf:metadata>")
    opf = opf.replace('xmlns="http://www.idpf.org/2007/opf" ', "").replace("<manifest>", "<opf:manifest>").replace(
        "</manifest>", "</opf:manifest>").replace("<item ", "<opf:item ").replace("<spine>", "<opf:spine>").replace(
        "</spine>", "</opf:spine>").replace("<itemref ", "<opf:itemref ")
    patched = epub_metadata.patch_opf(opf, ["forewarn: a & b <c>"], 'v "1"')
    assert "<dc:subject>forewarn: a &amp; b &lt;c&gt;</dc:subject>" in patched
    assert "<opf:meta name=\"forewarn:report\" content='v \"1\"'/>" in patched


@pytest.mark.parametrize(
    "content",
    [b"not a zip at all", None],
)
def test_not_an_epub_is_input_error(tmp_path, content):
    book = tmp_path / "book.epub"
    if content is None:
        with zipfile.ZipFile(book, "w") as archive:
            archive.writestr("mimetype", "application/epub+zip")
    else:
        book.write_bytes(content)
    with pytest.raises(InputError) as caught:
        epub_metadata.plan(book, REPORT)
    assert "\n" not in str(caught.value)


def test_opf_that_is_not_xml_is_input_error(tmp_path):
    book = make_epub(tmp_path / "book.epub", opf="<package><metadata>")
    with pytest.raises(InputError, match="not valid XML"):
        epub_metadata.plan(book, REPORT)


def test_real_epubs_from_shared_data(tmp_path, shared_data):
    for source in sorted((shared_data / "formats").glob("*.epub")):
        book = tmp_path / source.name
        book.write_bytes(source.read_bytes())
        epub_metadata.apply(epub_metadata.plan(book, REPORT))
        before, after = raw_members(source.read_bytes()), raw_members(book.read_bytes())
        opf = next(n for n in before if n.endswith(".opf"))
        assert all(after[n] == before[n] for n in before if n != opf), source.name
        assert zipfile.ZipFile(book).testzip() is None
        assert "CW: Rated Mature" in zipfile.ZipFile(book).read(opf).decode()


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.setattr(tag_cli, "scan", fake_scan)
    return CliRunner()


def test_cli_dry_run_shows_the_diff_and_writes_nothing(tmp_path, runner):
    book = make_epub(tmp_path / "book.epub")
    before = book.read_bytes()
    result = runner.invoke(app, ["tag", str(book), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "+    <dc:subject>CW: Rated General Audiences</dc:subject>" in result.output
    assert book.read_bytes() == before and not epub_metadata.backup_path(book).exists()


def test_cli_tag_then_undo(tmp_path, runner):
    book = make_epub(tmp_path / "book.epub")
    before = book.read_bytes()
    assert runner.invoke(app, ["tag", str(book)]).exit_code == 0
    assert book.read_bytes() != before
    result = runner.invoke(app, ["tag", str(book), "--undo"])
    assert result.exit_code == 0 and book.read_bytes() == before


def test_cli_bad_book_is_one_line_exit_2(tmp_path, runner):
    book = tmp_path / "book.epub"
    book.write_bytes(b"nope")
    result = runner.invoke(app, ["tag", str(book)])
    assert result.exit_code == 2
    assert len([l for l in result.output.splitlines() if l.strip()]) == 1
