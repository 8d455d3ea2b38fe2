"""Pipeline configuration: one frozen dataclass, read once at the entry point.

Stages never read files or the environment for their parameters; the entry point
(``run_pipeline.py`` or :func:`pipeline.run`) loads a :class:`Config` with
:func:`load_config` and passes the fields the stages need as keyword arguments.
"""

from __future__ import annotations

import configparser
import dataclasses
import typing
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

SECTION = "pipeline"


class ConfigError(ValueError):
    """A configuration file or value is wrong; the message names the file and key."""


@dataclass(frozen=True)
class Config:
    """All tunable settings of a run, with the defaults used when a key is absent.

    Example::

        >>> cfg = Config(near_dup_threshold=0.7)
        >>> cfg.seed
        42
    """

    # -- run --------------------------------------------------------------
    seed: int = 42
    workers: int = 1

    # -- ingest -----------------------------------------------------------
    max_file_mb: float = 50.0
    max_docx_unzipped_mb: float = 200.0
    near_dup_threshold: float = 0.6
    shingle_size: int = 5
    minhash_perm: int = 128

    # -- segment ----------------------------------------------------------
    segmenter: str = "rjieba"
    hmm: bool = False
    pos_keep: tuple[str, ...] = ("n", "nr", "ns", "nt", "nz", "nw", "vn", "v", "i", "l", "j")
    min_token_chars: int = 2
    term_min_count: int = 3
    term_min_pmi: float = 3.0
    term_min_entropy: float = 1.0
    term_accept_score: float = 0.0
    term_max_len: int = 6

    # -- structure --------------------------------------------------------
    role_classifier: bool = True

    # -- keywords ---------------------------------------------------------
    keywords_top_n: int = 20

    # -- topics -----------------------------------------------------------
    topic_model: str = "nmf"
    topic_unit: str = "document"
    k_min: int = 3
    k_max: int = 10
    k_seeds: int = 3
    lda_passes: int = 10

    # -- graph ------------------------------------------------------------
    graph_unit: str = "sentence"
    graph_min_count: int = 3
    graph_top_edges: int = 8
    graph_max_nodes: int = 300

    # -- report -----------------------------------------------------------
    excel_max_rows: int = 20_000

    # Keys whose values must come from a fixed set.
    _CHOICES: typing.ClassVar[dict[str, tuple[str, ...]]] = {
        "segmenter": ("rjieba", "jieba"),
        "topic_model": ("nmf", "lda"),
        "topic_unit": ("document", "claim"),
        "graph_unit": ("sentence", "claim"),
    }

    def __post_init__(self) -> None:
        for key, allowed in self._CHOICES.items():
            value = getattr(self, key)
            if value not in allowed:
                raise ConfigError(f"{key} = {value!r} is not one of {', '.join(allowed)}")
        if self.workers < 1:
            raise ConfigError(f"workers = {self.workers} must be at least 1")
        if self.excel_max_rows < 1:
            raise ConfigError(f"excel_max_rows = {self.excel_max_rows} must be at least 1")
        if not 0.0 < self.near_dup_threshold <= 1.0:
            raise ConfigError(f"near_dup_threshold = {self.near_dup_threshold} must be in (0, 1]")
        if self.k_min < 2 or self.k_max < self.k_min:
            raise ConfigError(
                f"k_min = {self.k_min}, k_max = {self.k_max}: need 2 <= k_min <= k_max"
            )

    def replace(self, **changes: Any) -> Config:
        """Return a copy with some fields changed (``cfg.replace(workers=2)``)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for the manifest (tuples become lists)."""
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _coerce(name: str, raw: str, annotation: Any, source: str) -> Any:
    """Turn a config string into the field's type, or raise a ConfigError naming it."""
    hint = typing.get_type_hints(Config)[name]
    try:
        if hint is bool:
            lowered = raw.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError("expected true/false")
        if hint is int:
            return int(raw)
        if hint is float:
            return float(raw)
        if typing.get_origin(hint) is tuple:
            return tuple(part.strip() for part in raw.replace("\n", ",").split(",") if part.strip())
        return raw.strip()
    except ValueError as exc:
        raise ConfigError(
            f"{source}: [{SECTION}] {name} = {raw!r} is not a valid {getattr(hint, '__name__', hint)} ({exc})"
        ) from None


def config_from_mapping(values: dict[str, str], *, source: str = "<mapping>") -> Config:
    """Build a Config from string values (as found in an INI section).

    Example::

        >>> config_from_mapping({"workers": "2"}).workers
        2
    """
    known = {f.name: f for f in fields(Config)}
    kwargs: dict[str, Any] = {}
    for key, raw in values.items():
        if key not in known:
            close = ", ".join(sorted(k for k in known if k[:3] == key[:3])) or "see README"
            raise ConfigError(f"{source}: unknown key [{SECTION}] {key} (did you mean: {close})")
        kwargs[key] = _coerce(key, raw, known[key].type, source)
    try:
        return Config(**kwargs)
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def load_config(path: str | Path | None = None, **overrides: Any) -> Config:
    """Read the ``[pipeline]`` section of an INI file (``setup.cfg`` by default).

    A missing default ``setup.cfg`` gives the built-in defaults; a missing file
    that was asked for by name is an error. ``overrides`` (for example from the
    command line) win over the file.

    Example::

        >>> cfg = load_config("setup.cfg", workers=2)   # 读取 [pipeline] 配置
        >>> cfg.workers
        2
    """
    values: dict[str, str] = {}
    source = "<defaults>"
    if path is not None or Path("setup.cfg").exists():
        file = Path(path) if path is not None else Path("setup.cfg")
        source = str(file)
        if not file.is_file():
            raise ConfigError(f"{file}: config file not found; pass an existing file to --config")
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(file, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: cannot parse config ({exc})") from None
        if parser.has_section(SECTION):
            values = dict(parser.items(SECTION))
        elif path is not None:
            raise ConfigError(
                f"{file}: no [{SECTION}] section; add one (see README, 'Configuration')"
            )
    config = config_from_mapping(values, source=source)
    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return config.replace(**clean) if clean else config
    except ConfigError as exc:
        raise ConfigError(f"command line: {exc}") from None


__all__ = ["Config", "ConfigError", "load_config", "config_from_mapping"]
