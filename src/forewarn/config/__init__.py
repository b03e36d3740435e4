"""Validated configuration: one pydantic model per data file in ``forewarn/data``, read by ``load_config``.

Every model refuses unknown keys and is frozen; category ids anywhere are checked against
``taxonomy.toml``, and a bad file raises ConfigError naming the file and the key::

    from forewarn.config import AssessFile, load_config
    settings = load_config(AssessFile, "assess.toml")
"""

from __future__ import annotations

from .assess import AssessFile
from .batch import BatchFile
from .characters import CharactersFile
from .cues import CueGroupFile, EngineFile, LexiconsFile
from .integrations import IntegrationsFile
from .learned import LearnedFile
from .loader import ConfigError, DataModel, data_file, load_config, read_toml, validate_config
from .messages import MessagesFile
from .ratings import RatingsFile
from .taxonomy import TaxonomyFile
from .types import CategoryId, Template, known_category_ids


def taxonomy_config() -> TaxonomyFile:
    """``taxonomy.toml``."""
    return load_config(TaxonomyFile, "taxonomy.toml")


def assess_config() -> AssessFile:
    """``assess.toml``."""
    return load_config(AssessFile, "assess.toml")


def ratings_config() -> RatingsFile:
    """``ratings.toml``."""
    return load_config(RatingsFile, "ratings.toml")


def messages_config() -> MessagesFile:
    """``messages.toml``."""
    return load_config(MessagesFile, "messages.toml")


def learned_config() -> LearnedFile:
    """``learned.toml``."""
    return load_config(LearnedFile, "learned.toml")


def batch_config() -> BatchFile:
    """``batch.toml``."""
    return load_config(BatchFile, "batch.toml")


def characters_config() -> CharactersFile:
    """``characters.toml``."""
    return load_config(CharactersFile, "characters.toml")


def integrations_config() -> IntegrationsFile:
    """``integrations.toml``."""
    return load_config(IntegrationsFile, "integrations.toml")


__all__ = [
    "AssessFile", "BatchFile", "CategoryId", "CharactersFile", "ConfigError", "CueGroupFile", "DataModel",
    "EngineFile", "IntegrationsFile", "LearnedFile", "LexiconsFile", "MessagesFile", "RatingsFile",
    "TaxonomyFile", "Template", "assess_config", "batch_config", "characters_config", "data_file",
    "integrations_config", "known_category_ids", "learned_config", "load_config", "messages_config",
    "ratings_config", "read_toml", "taxonomy_config", "validate_config",
]
