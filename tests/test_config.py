"""Validated configuration: every shipped data file loads; a typo'd category id or an unknown key is
refused with a message naming the file and the key."""

import copy

import pytest

from forewarn import messages
from forewarn.config import (
    AssessFile, BatchFile, CharactersFile, ConfigError, CueGroupFile, EngineFile, IntegrationsFile, LearnedFile,
    LexiconsFile, MessagesFile, RatingsFile, TaxonomyFile, load_config, read_toml, validate_config,
)
from forewarn.detectors.cue_rules import GROUP_FILES
from forewarn.readers.config import ReadersConfig
from forewarn.taxonomy import SEVERITIES, categories

FILES = [
    (TaxonomyFile, "taxonomy.toml"), (AssessFile, "assess.toml"), (RatingsFile, "ratings.toml"),
    (MessagesFile, "messages.toml"), (LearnedFile, "learned.toml"), (BatchFile, "batch.toml"),
    (CharactersFile, "characters.toml"), (IntegrationsFile, "integrations.toml"),
    (ReadersConfig, "readers.toml"), (LexiconsFile, "cues/lexicons.toml"), (EngineFile, "cues/engine.toml"),
    *[(CueGroupFile, f"cues/{group}.toml") for group in GROUP_FILES],
]


@pytest.mark.parametrize("model, name", FILES, ids=[name for _, name in FILES])
def test_shipped_file_validates(model, name):
    assert isinstance(load_config(model, name), model)


@pytest.mark.parametrize("model, name", FILES, ids=[name for _, name in FILES])
def test_unknown_key_is_refused_naming_the_file_and_key(model, name):
    data = copy.deepcopy(read_toml(name))
    data["colour_sheme"] = "blue"
    with pytest.raises(ConfigError, match=rf"^{name}: .*colour_sheme"):
        validate_config(model, data, name)


def _set(path):
    def mutate(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = "self-harn"
    return mutate


def _rename_key(table):
    def mutate(data):
        data[table]["self-harn"] = data[table].pop("self-harm")
    return mutate


TYPOS = [
    (AssessFile, "assess.toml", lambda d: d.update(prolonged_categories=["violence", "self-harn"]),
     "prolonged_categories"),
    (RatingsFile, "ratings.toml", _set(["rating", 1, "any", 0, "category"]), "rating.1.any.0.category"),
    (RatingsFile, "ratings.toml", lambda d: d["under_warning_categories"].append("self-harn"),
     "under_warning_categories"),
    (RatingsFile, "ratings.toml", _rename_key("declared_aliases"), "declared_aliases.self-harn"),
    (RatingsFile, "ratings.toml", lambda d: d["ao3_warning"][2].update(declares=["rape"]), "ao3_warning.2.declares"),
    (MessagesFile, "messages.toml", lambda d: d["support"].update(categories=["self-harn"]), "support.categories"),
    (LearnedFile, "learned.toml", _rename_key("thresholds"), "thresholds.self-harn"),
    (CueGroupFile, "cues/mental-health.toml", _set(["categories", 0, "id"]), "categories.0.id"),
    (TaxonomyFile, "taxonomy.toml", _set(["categories", 0, "group"]), "unknown group"),
]


@pytest.mark.parametrize("model, name, mutate, where", TYPOS, ids=[t[3] for t in TYPOS])
def test_typo_in_a_category_id_is_refused_naming_the_file_and_key(model, name, mutate, where):
    data = copy.deepcopy(read_toml(name))
    mutate(data)
    with pytest.raises(ConfigError) as error:
        validate_config(model, data, name)
    assert str(error.value).startswith(f"{name}: ") and where in str(error.value)


def test_severities_come_from_the_taxonomy_file():
    assert SEVERITIES == tuple(read_toml("taxonomy.toml")["severities"])
    data = copy.deepcopy(read_toml("taxonomy.toml"))
    data["severities"] = ["mentioned", "depicted", "gory"]
    with pytest.raises(ConfigError, match="taxonomy.toml: .*severities"):
        validate_config(TaxonomyFile, data, "taxonomy.toml")


def test_taxonomy_accepts_aliases_and_refuses_an_alias_naming_two_categories():
    assert all(isinstance(c.aliases, tuple) for c in categories().values())
    data = copy.deepcopy(read_toml("taxonomy.toml"))
    data["categories"][0]["aliases"] = ["fighting"]
    assert validate_config(TaxonomyFile, data, "taxonomy.toml").categories[0].aliases == ("fighting",)
    data["categories"][1]["aliases"] = ["Fighting"]
    with pytest.raises(ConfigError, match="taxonomy.toml: .*'Fighting' names both violence and death"):
        validate_config(TaxonomyFile, data, "taxonomy.toml")


def test_a_message_with_an_unknown_field_is_refused_when_the_file_loads():
    data = copy.deepcopy(read_toml("messages.toml"))
    data["verdict"]["not_safe"] = "Not safe: {found} in chapter {chaptr}."
    with pytest.raises(ConfigError, match=r"messages.toml: verdict.not_safe: .*chaptr"):
        validate_config(MessagesFile, data, "messages.toml")


def test_the_cli_table_is_free_but_must_hold_valid_templates():
    data = copy.deepcopy(read_toml("messages.toml"))
    data["cli"] = {"done": "Scanned {count} files."}
    assert validate_config(MessagesFile, data, "messages.toml").cli == {"done": "Scanned {count} files."}
    data["cli"] = {"broken": "Scanned {count files."}
    with pytest.raises(ConfigError, match="messages.toml: cli.broken: not a valid template"):
        validate_config(MessagesFile, data, "messages.toml")


def test_message_catalogue_fills_fields_and_names_what_is_missing():
    assert messages.text("verdict.not_safe", found="suicide", chapter=3, position=0.4) == (
        "Not safe for you: it contains suicide, first in chapter 3 (40% through).")
    with pytest.raises(KeyError, match="position"):
        messages.text("verdict.not_safe", found="suicide", chapter=3)
    with pytest.raises(KeyError, match="verdict.nope"):
        messages.text("verdict.nope")


def test_models_are_frozen():
    settings = load_config(AssessFile, "assess.toml")
    with pytest.raises(Exception):
        settings.quote_chars = 5


def test_every_message_the_code_asks_for_is_in_the_catalogue():
    import re
    from pathlib import Path

    import forewarn

    source = Path(forewarn.__file__).parent
    used = {key for path in source.rglob("*.py")
            for key in re.findall(r"messages\.text\(\s*\"([a-z_]+\.[a-z_]+)\"", path.read_text(encoding="utf-8"))}
    assert len(used) >= 15
    for key in used:
        messages.template(key)  # raises KeyError naming the key
