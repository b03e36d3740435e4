"""Training data for forewarn's learned heads, read from ../shared/data (never copied here).

Every source yields ``Example(text, category, target, weight, source)``: ``target`` is the
probability that ``text`` shows ``category`` (soft vote share for the AO3 passages), ``weight``
how much to trust it. Embeddings are cached under a directory outside the repository.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


AO3_CATEGORY = {"abduction": "kidnapping"}


@dataclass(frozen=True, slots=True)
class Example:
    """One training text with a soft target for one category."""

    text: str
    category: str
    target: float
    weight: float
    source: str


def embed_cached(texts: list[str], path: Path) -> np.ndarray:
    """Embed ``texts`` with forewarn's shipped encoder, caching the result at ``path``."""
    from forewarn.detectors.learned import Encoder, models_dir

    digest = hashlib.sha256(("\x00".join(texts)).encode()).hexdigest()[:16]
    digest += hashlib.sha256((models_dir() / "encoder.int8.onnx").read_bytes()).hexdigest()[:8]
    target = path.with_name(f"{path.stem}-{digest}.npy")
    if target.exists():
        return np.load(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    embeddings = Encoder().encode(texts)
    np.save(target, embeddings)
    return embeddings


def ao3(data: Path) -> list[Example]:
    """AO3 passages: soft target = share of the 3 votes for the passage's one warning."""
    rows = [json.loads(line) for line in (data / "passages-aacl24" / "train.jsonl").open(encoding="utf-8")]
    return [
        Example(r["text"], AO3_CATEGORY.get(r["warning"], r["warning"]), sum(r["labels"]) / 3, 1.0, "ao3")
        for r in rows
    ]


HATECHECK_CATEGORY = {
    "women": "misogyny",
    "trans people": "transphobia",
    "gay people": "homophobia",
    "black people": "racism",
    "immigrants": "racism",
    "disabled people": "ableism",
    "Muslims": "religious-hate",
}
DISCRIMINATION = sorted(set(HATECHECK_CATEGORY.values()))
CSSRS_SUICIDE = {"Ideation": 1.0, "Behavior": 1.0, "Attempt": 1.0, "Supportive": 0.0}
CLEAN_BOOKS = ("105", "158", "161", "289")


def hatecheck(data: Path, weight: float = 0.3) -> list[Example]:
    """HateCheck cases: hateful = positive for the target's category, non-hateful = negative."""
    out: list[Example] = []
    with (data / "hatecheck" / "test_suite_cases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            hateful = row["label_gold"] == "hateful"
            category = HATECHECK_CATEGORY.get(row["target_ident"])
            text = row["test_case"].strip()
            targets = [category] if category else ([] if hateful else DISCRIMINATION)
            out += [Example(text, c, float(hateful), weight, "hatecheck") for c in targets]
    return out


def words_windows(text: str, size: int = 100) -> list[str]:
    """Cut ``text`` into windows of ``size`` words."""
    words = text.split()
    return [" ".join(words[i : i + size]) for i in range(0, len(words), size) if len(words[i : i + size]) > 20]


def cssrs(data: Path, per_user: int = 2, weight: float = 0.3) -> list[Example]:
    """C-SSRS Reddit users: the first windows of ideation/behaviour/attempt users are suicide positives."""
    out: list[Example] = []
    with (data / "cssrs-reddit" / "500_reddit_users_posts_labels.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            target = CSSRS_SUICIDE.get(row["Label"])
            if target is None:
                continue
            for window in words_windows(row["Post"].strip("[]'\""))[:per_user]:
                out.append(Example(window, "suicide", target, weight, "cssrs"))
    return out


def book_text(data: Path, pgid: str) -> str:
    """A book of ../shared/data/books decoded as its README says (UTF-8, else Latin-1)."""
    raw = (data / "books" / "texts" / f"{pgid}.txt").read_bytes()
    try:
        return raw.decode("utf-8-sig").replace("\r", "")
    except UnicodeDecodeError:
        return raw.decode("latin-1").replace("\r", "")


def book_paragraphs(data: Path, pgid: str, min_words: int = 40) -> list[str]:
    """Story-like paragraphs of a book (runs of non-blank lines with at least ``min_words`` words)."""
    paragraphs = [" ".join(p.split()) for p in book_text(data, pgid).split("\n\n")]
    return [p for p in paragraphs if len(p.split()) >= min_words and "gutenberg" not in p.lower()]


def book_negatives(data: Path, books: set[str], per_book: int, seed: int = 0) -> list[Example]:
    """Paragraphs of books asserted free of a category (negatives.tsv) as negatives for it."""
    rng = np.random.default_rng(seed)
    absent: dict[str, list[str]] = {}
    with (data / "books" / "negatives.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["pgid"] in books:
                absent.setdefault(row["pgid"], []).append(row["category"])
    out: list[Example] = []
    for pgid, cats in sorted(absent.items()):
        paragraphs = book_paragraphs(data, pgid)
        for i in rng.choice(len(paragraphs), min(per_book, len(paragraphs)), replace=False):
            text = " ".join(paragraphs[i].split()[:120])
            out += [Example(text, c, 0.0, 0.5, f"book-{pgid}") for c in cats]
    return out


def written(path: Path, data: Path, contexts: int = 3, seed: int = 0) -> list[Example]:
    """The developers' own example sentences, each set between neutral sentences of clean books.

    A sentence's positives are negatives for every category of another taxonomy group.
    """
    import tomllib

    from forewarn.segment import sentence_spans
    from forewarn.taxonomy import categories

    rng = np.random.default_rng(seed)
    sentences = []
    for pgid in CLEAN_BOOKS:
        for paragraph in book_paragraphs(data, pgid)[:400]:
            sentences += [paragraph[a:b] for a, b in sentence_spans(paragraph) if 6 <= len(paragraph[a:b].split()) <= 30]
    examples = tomllib.loads(path.read_text(encoding="utf-8"))
    group = {c.id: c.group for c in categories().values()}
    out: list[Example] = []
    for category, lists in examples.items():
        for label, items in (("positive", lists.get("positive", [])), ("negative", lists.get("negative", []))):
            for sentence in items:
                for k in range(contexts):
                    before = [sentences[i] for i in rng.choice(len(sentences), k % 3)]
                    after = [sentences[i] for i in rng.choice(len(sentences), 2 - k % 3)]
                    text = " ".join([*before, sentence, *after]).lower()
                    out.append(Example(text, category, float(label == "positive"), 1.0, "written"))
                    if label == "positive":
                        out += [
                            Example(text, other, 0.0, 0.5, "written-other")
                            for other in group
                            if group[other] != group[category]
                        ]
    return out
