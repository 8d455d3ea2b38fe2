"""Corpus metadata (file, article_index, title, unit, …) laid over the documents table."""

from __future__ import annotations

import unicodedata
import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd

FIELDS = ("title", "unit", "unit_type", "region", "year", "source")


@dataclass(frozen=True)
class Metadata:
    """Metadata values by (file, article_index); index None means the whole file.

    Example::

        >>> meta = Metadata.from_frame(pd.DataFrame({"file": ["003.txt"], "unit": ["石家庄"]}))
        >>> meta.values[("003.txt", None)]
        {'unit': '石家庄'}
    """

    values: dict[tuple[str, int | None], dict[str, Any]]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None) -> Metadata:
        """Validate a metadata table; blank cells mean 'unknown' and are left out.

        Example::

            >>> Metadata.from_frame(None).values
            {}
        """
        if frame is None or frame.empty:
            return cls({})
        if "file" not in frame.columns:
            raise ValueError("metadata: no 'file' column; name the report file of each row")
        values: dict[tuple[str, int | None], dict[str, Any]] = {}
        for number, row in enumerate(frame.to_dict("records"), start=2):
            key = (_file_key(row["file"]), _index(row.get("article_index"), number))
            if key in values:
                raise ValueError(f"metadata row {number}: {key[0]} #{key[1]} is listed twice")
            cells = {f: _text(row.get(f)) for f in FIELDS}
            if cells["year"] is not None:
                cells["year"] = _year(cells["year"], number)
            values[key] = {f: v for f, v in cells.items() if v is not None}
        return cls(values)

    def file_title(self, source_file: str) -> str | None:
        """The title given for a whole file (used to title its articles), or None.

        Example::

            >>> Metadata({("a.txt", None): {"title": "调研报告"}}).file_title("a.txt")
            '调研报告'
        """
        return self.values.get((_file_key(source_file), None), {}).get("title")

    def apply(self, documents: pd.DataFrame) -> pd.DataFrame:
        """Return ``documents`` with metadata values replacing what the bylines found.

        A row for one article wins over a whole-file row; a whole-file title only titles a
        file of a single article. Rows naming files without documents give a warning.

        Example::

            >>> docs = meta.apply(docs)   # 元数据优先于署名
        """
        documents = documents.copy()
        counts = documents["source_file"].value_counts().to_dict()
        used = set()
        cells: dict[str, tuple[list[int], list[Any]]] = {}  # column -> (positions, values)
        for position, (rel, index) in enumerate(
            zip(documents["source_file"], documents["article_index"], strict=True)
        ):
            key = _file_key(rel)
            whole = dict(self.values.get((key, None), {}))
            if counts[rel] > 1:
                whole.pop("title", None)
            merged = whole | self.values.get((key, int(index)), {})
            used.update(k for k in ((key, None), (key, int(index))) if k in self.values)
            for column, value in merged.items():
                positions, values = cells.setdefault(column, ([], []))
                positions.append(position)
                values.append(value)
        for column, (positions, values) in cells.items():  # one assignment per column
            documents.iloc[positions, documents.columns.get_loc(column)] = values
        unused = sorted(
            f"{f}#{'*' if i is None else i}" for f, i in self.values if (f, i) not in used
        )
        if unused:
            warnings.warn(
                f"metadata rows match no document: {', '.join(unused)}; check file names "
                "(relative to the corpus, '/' separators) and article_index",
                stacklevel=2,
            )
        return documents


def _file_key(name: Any) -> str:
    key = unicodedata.normalize("NFC", str(name).strip().replace("\\", "/"))
    return key.removeprefix("./")


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _index(value: Any, number: int) -> int | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return int(float(text))
    except ValueError:
        raise ValueError(
            f"metadata row {number}: article_index {text!r} is not a number (leave it blank "
            "for the whole file)"
        ) from None


def _year(value: str, number: int) -> int:
    try:
        return int(float(value))
    except ValueError:
        raise ValueError(f"metadata row {number}: year {value!r} is not a number") from None
