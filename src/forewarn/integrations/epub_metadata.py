"""Write forewarn's warnings into an EPUB's own metadata, changing nothing but ``content.opf``.

The change is textual: old ``forewarn: ...`` subjects and the forewarn meta are removed, new ones
are inserted just before ``</metadata>``, and every other byte of the OPF stays as it was. The
book is rebuilt with :func:`~forewarn.integrations.zip_patch.replace_member`, so every other
member is byte-for-byte the same. The first change keeps the original next to the book
(``book.epub.forewarn-backup``); :func:`undo` puts it back.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr, unescape

from defusedxml import ElementTree

from ..errors import InputError
from .labels import is_forewarn_label, labels_for, settings
from .zip_patch import member_names, replace_member

_DC = "http://purl.org/dc/elements/1.1/"


@dataclass(frozen=True, slots=True)
class OpfChange:
    """The planned change to one EPUB: the OPF's member name and its text before and after."""

    epub: Path
    member: str
    before: str
    after: str

    def diff(self) -> str:
        """The change as a unified diff (empty when there is nothing to change)."""
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                f"{self.epub.name}/{self.member}", f"{self.epub.name}/{self.member} (forewarn)",
            )
        )


def backup_path(epub: Path) -> Path:
    """Where the original of a tagged EPUB is kept."""
    return epub.with_name(epub.name + settings().backup_suffix)


def _read(epub: Path) -> bytes:
    try:
        return epub.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {epub}: {error.strerror or error}") from error


def _opf_name(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            container = archive.read("META-INF/container.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        raise InputError(f"not an EPUB (no META-INF/container.xml): {error}") from error
    try:
        root = ElementTree.fromstring(container)
    except Exception as error:
        raise InputError(f"the EPUB's META-INF/container.xml is not valid XML: {error}") from error
    for element in root.iter():
        if element.tag.endswith("rootfile") and element.get("full-path"):
            return element.get("full-path")
    raise InputError("the EPUB's container.xml names no package (rootfile); repair the EPUB first")


def _opf_text(data: bytes, member: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            raw = archive.read(member)
        except KeyError as error:
            raise InputError(f"the EPUB names {member} as its package but has no such file") from error
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{member} is not UTF-8; forewarn writes only UTF-8 package files") from error


def patch_opf(opf: str, labels: list[str], meta_content: str) -> str:
    """The OPF text with forewarn's subjects and meta replaced by ``labels`` and ``meta_content``."""
    try:
        ElementTree.fromstring(opf.encode("utf-8"))
    except Exception as error:
        raise InputError(f"the EPUB's package file is not valid XML: {error}") from error
    closing = re.search(r"</((?:[\w.-]+:)?)metadata\s*>", opf)
    if closing is None:
        raise InputError("the EPUB's package file has no <metadata>; repair the EPUB first")
    opf_prefix = closing.group(1)
    dc = re.search(r"xmlns:([\w.-]+)\s*=\s*[\"']" + re.escape(_DC) + "[\"']", opf)
    dc_prefix, dc_declare = (dc.group(1), "") if dc else ("dc", f' xmlns:dc="{_DC}"')
    meta_name = settings().meta_name
    subject = re.compile(
        rf"\n?[ \t]*<{re.escape(dc_prefix)}:subject\b[^>]*>([^<]*)</{re.escape(dc_prefix)}:subject\s*>"
    )
    head, tail = opf[: closing.start()], opf[closing.start() :]
    head = subject.sub(lambda m: "" if is_forewarn_label(_unescape(m.group(1)).strip()) else m.group(0), head)
    head = re.sub(rf"\n?[ \t]*<{re.escape(opf_prefix)}meta\s+name=\"{re.escape(meta_name)}\"[^>]*/>", "", head)
    indent_match = re.findall(r"\n([ \t]*)<", head)
    indent = indent_match[-1] if indent_match else "    "
    lines = [f"<{dc_prefix}:subject{dc_declare}>{escape(label)}</{dc_prefix}:subject>" for label in labels]
    lines.append(f"<{opf_prefix}meta name={quoteattr(meta_name)} content={quoteattr(meta_content)}/>")
    stripped = head.rstrip(" \t")
    closing_indent = head[len(stripped) :]
    if not stripped.endswith("\n"):
        stripped += "\n"
    patched = stripped + "".join(f"{indent}{line}\n" for line in lines) + closing_indent + tail
    try:
        ElementTree.fromstring(patched.encode("utf-8"))
    except Exception as error:  # pragma: no cover - a bug here must never write a broken book
        raise InputError(f"forewarn could not patch this package file safely: {error}") from error
    return patched


def _unescape(text: str) -> str:
    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def plan(epub: Path, report: Any) -> OpfChange:
    """Work out the change for ``epub`` from a Report, without writing anything."""
    data = _read(epub)
    member = _opf_name(data)
    before = _opf_text(data, member)
    meta = settings().meta_content.format(
        forewarn_version=report.forewarn_version, schema_version=report.schema_version
    )
    return OpfChange(epub, member, before, patch_opf(before, labels_for(report), meta))


def apply(change: OpfChange) -> Path:
    """Write the change into the book (atomically), keeping the first original as a backup."""
    data = _read(change.epub)
    if change.member not in member_names(data):
        raise InputError(f"{change.epub} changed since it was read; run forewarn tag again")
    patched = replace_member(data, change.member, change.after.encode("utf-8"))
    backup = backup_path(change.epub)
    if not backup.exists():
        _write_atomic(backup, data)
    _write_atomic(change.epub, patched)
    return backup


def undo(epub: Path) -> None:
    """Put back the original kept by the first :func:`apply`; raise InputError if there is none."""
    backup = backup_path(epub)
    if not backup.is_file():
        raise InputError(f"no backup {backup.name} next to {epub.name}; forewarn has not tagged this book")
    os.replace(backup, epub)


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.forewarn-tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {error.strerror or error}; check the folder is writable") from error
