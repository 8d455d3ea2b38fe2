"""The Python API: load a finished run, concordances, unit comparisons, one stage on DataFrames.

Example::

    >>> from pipeline.api import Run
    >>> run = Run.load("outputs/sample")                  # 读取一次完整运行的结果
    >>> run.sentences.query("role == 'problem'").shape
    >>> run.kwic("两张皮", window=10)                       # 关键词语境
    >>> run.compare("宁波海关", "石家庄市直机关工委课题组", role="problem")
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from .commit import recover
from .config import Config
from .export import export_excel
from .manifest import read_manifest, sha256_file
from .segment import DEFAULT_FORMULAIC, StopWords
from .tables import read_parquet
from .topics import TopicModel
from .units import UnitResult, compare, kwic, units

UNIT_TABLES: tuple[str, ...] = UnitResult._fields
TABLE_SUFFIXES: tuple[str, ...] = (".parquet", ".csv")
TOPIC_MODEL_DIR = "models/topics"


class Run:
    """A finished run folder: its manifest and every table, read on first use and kept.

    Tables are reachable as ``run["sentences"]`` or ``run.sentences``; ``run.names`` lists them.

    Example::

        >>> run = Run.load("outputs/sample")      # 样例运行
        >>> "sentences" in run.names
        True
        >>> run["documents"][["title", "unit"]].head()
    """

    def __init__(self, path: Path, manifest: dict, files: Mapping[str, Path]) -> None:
        self.path = path
        self.manifest = manifest
        self._files = dict(files)
        self._cache: dict[str, pd.DataFrame] = {}

    @classmethod
    def load(cls, path: str | Path) -> Run:
        """Open a run folder written by ``pipeline.run`` / ``run_pipeline.py``.

        Example::

            >>> Run.load("outputs/sample").manifest["counts"]["articles"]   # 文章数
            15
        """
        folder = Path(path)
        if folder.is_dir():
            recover(folder)  # finish a commit cut short by a kill
        if not (folder / "manifest.json").is_file():
            raise FileNotFoundError(
                f"{folder}: no manifest.json, so this is not a finished run; run "
                f"`python run_pipeline.py <corpus> --out {folder}` (or pipeline.run) first"
            )
        files: dict[str, Path] = {}
        for suffix in reversed(TABLE_SUFFIXES):  # parquet wins over a CSV of the same name
            files.update({p.stem: p for p in sorted(folder.glob(f"*{suffix}"))})
        return cls(folder, read_manifest(folder), dict(sorted(files.items())))

    @property
    def names(self) -> list[str]:
        """Names of the tables in the run folder, sorted.

        Example::

            >>> "sentences" in Run.load("outputs/sample").names
            True
        """
        return list(self._files)

    def __contains__(self, name: object) -> bool:
        return name in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._files:
            raise KeyError(
                f"{self.path} has no table {name!r}; tables: {', '.join(self.names)} "
                "(run the stage that makes it)"
            )
        if name not in self._cache:
            file = self._files[name]
            self.verify(file.name)
            self._cache[name] = (
                read_parquet(file)
                if file.suffix == ".parquet"
                else pd.read_csv(file, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
            )
        return self._cache[name]

    def verify(self, rel: str) -> Path:
        """Check an output file against the SHA-256 the manifest gives it; returns its path.

        Raises ``ValueError`` naming the file when it was changed after the run, or is not
        one of the run's files (a file dropped into the folder by hand).

        Example::

            >>> Run.load("outputs/sample").verify("documents.parquet").name   # 校验文件
            'documents.parquet'
        """
        path = self.path / rel
        expected = self.manifest.get("files", {})
        if isinstance(expected, dict) and expected:
            digest = expected.get(rel)
            if digest is None or sha256_file(path) != digest:
                raise ValueError(
                    f"{path}: {'not a file of this run' if digest is None else 'changed'} "
                    "since the run (SHA-256 differs from manifest.json); run the pipeline "
                    "again to rebuild it"
                )
        return path

    def topic_model(self) -> TopicModel:
        """The run's fitted topic model, after checking its files against the manifest.

        Models are pickles: only load them from runs you made (see the README).

        Example::

            >>> Run.load("outputs/sample").topic_model().k_   # 主题数
            3
        """
        folder = self.path / TOPIC_MODEL_DIR
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            self.verify(path.relative_to(self.path).as_posix())
        return TopicModel.load(folder)

    def get(self, name: str, default: pd.DataFrame | None = None) -> pd.DataFrame | None:
        """A table by name, or ``default`` when the run has no such table.

        Example::

            >>> Run.load("outputs/sample").get("不存在的表") is None
            True
        """
        if name not in self._files:
            return default
        return self[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in self.__dict__.get("_files", {}):
            raise AttributeError(f"{type(self).__name__} has no attribute or table {name!r}")
        return self[name]

    def __repr__(self) -> str:
        return f"Run({str(self.path)!r}, tables={self.names})"

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, by name (reads the ones not read yet).

        Example::

            >>> Run.load("outputs/sample").tables["documents"].shape[0]   # 文章数
            15
        """
        return {name: self[name] for name in self.names}

    def kwic(self, term: str, window: int = 10, *, role: str | None = None) -> pd.DataFrame:
        """Concordance of ``term`` in this run (see :func:`pipeline.units.kwic`).

        Example::

            >>> Run.load("outputs/sample").kwic("考核机制", window=10, role="problem")
        """
        return kwic(self["sentences"], self["documents"], term, window=window, role=role)

    def compare(
        self,
        a: str,
        b: str,
        *,
        by: str = "unit",
        role: str | None = None,
        top_n: int | None = None,
        alpha0: float = 1000.0,
    ) -> pd.DataFrame:
        """Terms setting ``a`` apart from ``b`` (see :func:`pipeline.units.compare`).

        Example::

            >>> run = Run.load("outputs/sample")
            >>> run.compare("国企", "中央机关", by="unit_type", role="countermeasure", top_n=10)
        """
        return compare(
            self["sentences"], self["documents"], a, b, by=by, role=role, top_n=top_n, alpha0=alpha0
        )

    def unit_tables(self, *, formulaic: str | Path = DEFAULT_FORMULAIC) -> UnitResult:
        """The units stage's tables: read from the run when written, else computed now.

        Computing uses the run's documents, sentences and doc_topics and the formulaic phrase
        list ``formulaic`` for the substance score.

        Example::

            >>> ut = Run.load("outputs/sample").unit_tables()          # 单位比较表
            >>> ut.units.query("level == 'unit_type'")[["name", "substance"]]
        """
        if all(name in self for name in UNIT_TABLES):
            return UnitResult(*(self[name] for name in UNIT_TABLES))
        return units(
            self["documents"],
            self["sentences"],
            self.get("doc_topics"),
            stopwords=StopWords.load(None, formulaic),
        )

    def to_excel(self, path: str | Path | None = None) -> Path:
        """Write the main tables to ``tables.xlsx`` in the run folder (or ``path``).

        Example::

            >>> Run.load("outputs/sample").to_excel()       # 导出 Excel
            PosixPath('outputs/sample/tables.xlsx')
        """
        tables = dict(self.tables)
        if "units" not in tables:
            tables.update(self.unit_tables()._asdict())
        return export_excel(tables, path or self.path / "tables.xlsx")


def run_stage(
    name: str,
    tables: Mapping[str, pd.DataFrame],
    *,
    config: Config | None = None,
    corpus: str | Path | None = None,
    out: str | Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Run one stage on tables you hold; return the tables it makes, by name.

    The stage gets its arguments from ``config`` exactly as in a full run. Its files are
    written to ``out`` (a temporary folder, removed afterwards, when not given); ``ingest``
    reads the ``corpus`` folder instead of tables.

    Example::

        >>> from pipeline.api import run_stage
        >>> new = run_stage("keywords", {"documents": docs, "sentences": sents})   # 只跑关键词
        >>> new["keywords"].head()
    """
    from . import stages
    from .runner import MODELS_DIR, STAGES, RunError

    if name not in STAGES:
        raise RunError(f"unknown stage {name!r}; choose from {', '.join(STAGES)}")
    if name == "ingest" and corpus is None:
        raise RunError("the ingest stage reads files: pass corpus='path/to/reports'")
    with tempfile.TemporaryDirectory(prefix="djmine-stage-") as tmp:
        ctx = stages.StageContext(
            corpus=Path(corpus or "."),
            out=Path(out or tmp),
            config=config or Config(),
            models_dir=MODELS_DIR,
            tables=dict(tables),
        )
        getattr(stages, f"run_{name}")(ctx)
    return {key: df for key, df in ctx.tables.items() if tables.get(key) is not df}


__all__ = ["Run", "compare", "export_excel", "kwic", "run_stage", "units"]
