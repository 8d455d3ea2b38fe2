"""Tables written in batches: the bytes depend on the rows only, and types stay fixed."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.overlap import beside
from pipeline.tables import read_parquet, write_parquet_batches


@pytest.fixture(scope="module")
def sentences(sample_run) -> pd.DataFrame:
    return read_parquet(sample_run.out / "sentences.parquet")


def _cut(df: pd.DataFrame, sizes: list[int]):
    start = 0
    for size in sizes:
        yield df.iloc[start : start + size]
        start += size
    yield df.iloc[start:]


def test_same_bytes_whatever_the_batches(sentences, tmp_path) -> None:
    lists = ("heading_path", "tokens")
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    rows = write_parquet_batches(
        _cut(sentences, [7, 300]), a, list_columns=lists, row_group_rows=200
    )
    write_parquet_batches(_cut(sentences, [450, 1, 1]), b, list_columns=lists, row_group_rows=200)
    assert rows == len(sentences)
    assert a.read_bytes() == b.read_bytes()
    meta = pq.ParquetFile(a).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)][:-1] == [200] * (
        meta.num_row_groups - 1
    )
    pd.testing.assert_frame_equal(read_parquet(a), sentences)


def test_list_columns_keep_their_type_when_the_first_batch_has_only_empty_lists(tmp_path) -> None:
    first = pd.DataFrame({"text": ["（一）存在问题"], "tokens": [[]]})
    second = pd.DataFrame({"text": ["党建与业务两张皮"], "tokens": [["党建", "两张皮"]]})
    path = tmp_path / "s.parquet"
    write_parquet_batches(iter([first, second]), path, list_columns=["tokens"])
    assert pq.read_schema(path).field("tokens").type == pa.list_(pa.string())
    assert read_parquet(path)["tokens"].tolist() == [[], ["党建", "两张皮"]]


def test_an_empty_table_is_still_written(tmp_path) -> None:
    empty = pd.DataFrame(
        {"text": pd.Series([], dtype="str"), "tokens": pd.Series([], dtype=object)}
    )
    path = tmp_path / "e.parquet"
    assert write_parquet_batches(iter([empty]), path, list_columns=["tokens"]) == 0
    assert pq.read_schema(path).field("tokens").type == pa.list_(pa.string())


def test_beside_returns_the_childs_value_and_raises_its_error() -> None:
    assert beside(lambda: "考核机制" * 2).result() == "考核机制考核机制"
    assert beside(lambda: 1, enabled=False).forked is False
    job = beside(lambda: int("两张皮"))
    assert job.forked
    with pytest.raises(ValueError, match="两张皮"):
        job.result()
