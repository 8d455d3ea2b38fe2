"""Units stage on the sample run: rows per unit, comparisons, similarity, substance, pages."""

from __future__ import annotations

import doctest
import re

import numpy as np
import pandas as pd
import pytest

from pipeline.keywords import dirichlet_prior, log_odds_dirichlet
from pipeline.segment import DEFAULT_FORMULAIC, StopWords
from pipeline.units import (
    COMPARE_COLUMNS,
    TermCounts,
    compare,
    concrete_kinds,
    formulaic_share,
    sentence_substance,
    units,
)
from pipeline.units.charts import topic_names
from pipeline.units.composition import role_composition
from pipeline.units.groups import check_level, is_known
from pipeline.units.pages import render_unit_pages
from pipeline.units.substance import strip_enumerator
from pipeline.units.terms import score_pair

NINGBO, SHIJIAZHUANG = "宁波海关", "石家庄市直机关工委课题组"
STOP = StopWords.load(None, DEFAULT_FORMULAIC)


@pytest.fixture(scope="module")
def metadata(sample_dir) -> pd.DataFrame:
    return pd.read_csv(sample_dir / "metadata.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def result(sample_tables):
    t = sample_tables
    return units(t["documents"], t["sentences"], t["doc_topics"], stopwords=STOP)


def _level(result, level: str) -> pd.DataFrame:
    return result.units[result.units["level"] == level].set_index("name")


def test_every_unit_and_unit_type_of_the_metadata_has_a_row(result, metadata, sample_tables):
    named = {u for u in metadata["unit"] if u}
    assert named <= set(_level(result, "unit").index)
    assert {t for t in metadata["unit_type"] if t} <= set(_level(result, "unit_type").index)
    # Whatever the run itself wrote (when the lead wires the stage) agrees.
    if "units" in sample_tables:
        written = sample_tables["units"]
        assert named <= set(written.loc[written["level"] == "unit", "name"])


def test_articles_without_a_unit_are_grouped_not_dropped(result, sample_tables):
    docs = sample_tables["documents"]
    kept = docs[docs["dup_of"].isna()]
    by_unit = _level(result, "unit")
    unknown = by_unit.loc["（未知单位）"]
    assert not unknown["known"]
    assert unknown["n_docs"] == kept["unit"].isna().sum() > 0
    assert by_unit["n_docs"].sum() == len(kept)
    assert (by_unit["n_docs"] + by_unit["n_duplicates"]).sum() == len(docs)


def test_role_shares_and_topic_prevalence_are_distributions(result):
    shares = result.units.filter(regex=r"^share_")
    assert shares.shape[1] == 5
    assert np.allclose(shares.sum(axis=1), 1.0)
    topics = result.units.filter(regex=r"^topic_\d+$")
    assert topics.shape[1] >= 2
    assert np.allclose(topics.sum(axis=1), 1.0, atol=1e-6)


def test_composition_counts_body_sentences_of_the_unit(result, sample_tables):
    docs, sents = sample_tables["documents"], sample_tables["sentences"]
    doc_ids = docs.loc[docs["unit"] == SHIJIAZHUANG, "doc_id"]
    body = sents[sents["doc_id"].isin(doc_ids) & ~sents["is_heading"]]
    row = _level(result, "unit").loc[SHIJIAZHUANG]
    assert row["n_body"] == len(body)
    assert row["share_problem"] == pytest.approx((body["role"] == "problem").mean())


def test_compare_two_named_units_gives_terms_both_ways(sample_tables):
    t = sample_tables
    table = compare(t["sentences"], t["documents"], NINGBO, SHIJIAZHUANG, top_n=10)
    assert list(table.columns) == list(COMPARE_COLUMNS)
    ahead, behind = table[table["z"] > 0], table[table["z"] < 0]
    assert len(ahead) == 10 and len(behind) == 10
    assert set(ahead["favours"]) == {NINGBO} and set(behind["favours"]) == {SHIJIAZHUANG}
    assert table["z"].is_monotonic_decreasing
    assert "海关" in set(ahead["term"])  # the customs office writes about customs
    assert "党务干部" in set(behind["term"])  # Shijiazhuang's report is about party cadres


def test_compare_is_the_shared_log_odds_with_a_corpus_prior(sample_tables):
    t = sample_tables
    table = compare(t["sentences"], t["documents"], NINGBO, SHIJIAZHUANG).set_index("term")
    counts = TermCounts.build(t["sentences"], t["documents"], by="unit")
    expected = log_odds_dirichlet(
        counts.row(NINGBO)[lambda s: s > 0],
        counts.row(SHIJIAZHUANG)[lambda s: s > 0],
        dirichlet_prior(counts.total(), 1000.0),
    ).set_index("term")
    assert table.index.sort_values().equals(expected.index.sort_values())
    assert np.allclose(table.loc[expected.index, "z"], expected["z"])


def test_compare_within_a_role_counts_only_that_roles_sentences(sample_tables):
    t = sample_tables
    docs, sents = t["documents"], t["sentences"]
    table = compare(sents, docs, NINGBO, SHIJIAZHUANG, role="problem")
    ids = docs.loc[(docs["unit"] == NINGBO) & docs["dup_of"].isna(), "doc_id"]
    problem_tokens = sents.loc[sents["doc_id"].isin(ids) & (sents["role"] == "problem"), "tokens"]
    assert table["count_a"].sum() == sum(map(len, problem_tokens)) > 0


def test_compare_unit_types(sample_tables):
    t = sample_tables
    table = compare(t["sentences"], t["documents"], "国企", "中央机关", by="unit_type")
    assert table.iloc[:10]["term"].isin(["国有企业", "企业", "经营", "生产"]).any()
    assert (table["favours"] == "中央机关").any()


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        ("不存在的单位", NINGBO, {}, "known groups"),
        (NINGBO, NINGBO, {}, "two different groups"),
        (NINGBO, SHIJIAZHUANG, {"role": "成效"}, "is not one of"),
        (NINGBO, SHIJIAZHUANG, {"by": "province"}, "grouping column"),
    ],
)
def test_compare_says_what_was_wrong(sample_tables, a, b, kwargs, message):
    t = sample_tables
    with pytest.raises(ValueError, match=message):
        compare(t["sentences"], t["documents"], a, b, **kwargs)


def test_unit_terms_rank_positive_z_per_group_and_role(result):
    terms = result.unit_terms
    assert set(terms["level"]) == {"unit", "unit_type"}
    assert {"all", "problem", "countermeasure"} <= set(terms["role"])
    assert (terms["z"] > 0).all() and (terms["count"] > 0).all()
    for _, group in terms.groupby(["level", "name", "role"]):
        assert group["rank"].tolist() == list(range(1, len(group) + 1))
        assert group["z"].is_monotonic_decreasing
    soe = terms.query("level == 'unit_type' and name == '国企' and role == 'all'")
    assert "国有企业" in soe["term"].head(5).tolist()


def test_similarity_is_symmetric_with_unit_diagonal(result):
    sim = result.unit_similarity
    for level in ("unit", "unit_type"):
        matrix = sim[sim["level"] == level].pivot(
            index="unit_a", columns="unit_b", values="similarity"
        )
        assert np.allclose(matrix.to_numpy(), matrix.to_numpy().T)
        assert np.allclose(np.diag(matrix.to_numpy()), 1.0)
        assert ((matrix >= 0) & (matrix <= 1)).all().all()


# Real sentences of the sample (each asserted to be in the corpus) with known answers.
CONCRETE = {
    "审核出台科技创新12条、促进就业9条": {"number"},
    "2018年底长江三峡工程杨家脑以下河段长江与鄱阳湖江湖汇流段河道演变观测中": {"number", "date"},
    "同时坚持“三会一课”制度。": {"named"},
    "近年来，先后联合省教育厅办公室、粤科金融集团党办": {"place"},
    "年底对党建品牌进行评审，实行动态管理，对创建不重视、措施不得力的支部，要求限期整改。": {
        "date",
        "deadline",
    },
}
NOT_CONCRETE = [
    "党务干部队伍还不健全，能力素质不够强，思想认识不到位。",
    "有XX人认为是“形式呆板”，占XX.X%。",  # template blanks are not numbers
    "三是激励机制不到位。",  # an enumerator is not a count
]
FORMULAIC = [
    "以“动”推进落实，通过上下联动、典型带动、督查推动，形成齐抓共管的工作合力。",
    "现将有关情况报告如下：",
]


def _in_corpus(documents: pd.DataFrame, text: str) -> bool:
    flat = "".join(documents["text"]).replace("\n", "")
    return re.sub(r"\s", "", text) in re.sub(r"\s", "", flat)


def test_substance_markers_on_real_sentences(sample_tables):
    docs = sample_tables["documents"]
    for text, kinds in CONCRETE.items():
        assert _in_corpus(docs, text), text
        assert set(concrete_kinds(text)) == kinds, text
    for text in NOT_CONCRETE:
        assert _in_corpus(docs, text), text
        assert concrete_kinds(text) == [], text
        assert formulaic_share(text, STOP) < 0.3, text
    for text in FORMULAIC:
        assert _in_corpus(docs, text), text
        assert formulaic_share(text, STOP) >= 0.3, text
    assert formulaic_share("现将有关情况报告如下：", None) == 0.0  # the phrase list matters


def test_substance_score_follows_the_documented_rule(result, sample_tables):
    per_doc = result.doc_substance
    assert len(per_doc) == len(sample_tables["documents"])
    rows = result.units
    expected = (1 + rows["n_concrete"] / rows["n_body"] - rows["n_formulaic"] / rows["n_body"]) / 2
    assert np.allclose(rows["substance"], expected)
    assert rows["substance"].between(0, 1).all()
    by_unit = _level(result, "unit")
    # The Hubei report is the sloganeering one: the most formulaic sentences of all units.
    assert by_unit["formulaic_share"].idxmax() == "湖北省委直属机关工委课题组"
    flags = sentence_substance(sample_tables["sentences"].head(50), stopwords=STOP)
    assert flags["formulaic"].equals(flags["formulaic_share"] >= 0.3)


def test_units_is_deterministic(result, sample_tables):
    t = sample_tables
    again = units(t["documents"], t["sentences"], t["doc_topics"], stopwords=STOP)
    for name in result._fields:
        pd.testing.assert_frame_equal(getattr(result, name), getattr(again, name))


@pytest.fixture(scope="module")
def pages(result, sample_tables, tmp_path_factory):
    tables = {**sample_tables, **result._asdict()}
    docs = tables["documents"].copy()
    docs.loc[docs["unit"].isna(), "unit"] = "<script>alert(1)</script>恶意单位"
    tables["documents"] = docs
    tables["units"] = units(docs, tables["sentences"], tables["doc_topics"], stopwords=STOP).units
    out = tmp_path_factory.mktemp("unit_pages")
    return {p.name: p.read_text(encoding="utf-8") for p in render_unit_pages(tables, out_dir=out)}


def test_unit_pages_are_written_offline_and_escaped(pages):
    assert sorted(pages) == ["compare_unit.html", "compare_unit_type.html", "units.html"]
    for html in pages.values():
        assert "<script src" not in html and "cdn" not in html.lower()
        assert "Content-Security-Policy" in html
        assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;恶意单位" in pages["units.html"]
    assert "echarts" in pages["units.html"] and '"type":"heatmap"' in pages["units.html"]
    assert "<script" not in pages["compare_unit.html"]  # comparison pages need no script
    assert 'id="p-0-1"' in pages["compare_unit_type.html"]
    assert NINGBO in pages["compare_unit.html"] and SHIJIAZHUANG in pages["compare_unit.html"]


@pytest.mark.parametrize(
    "function",
    [check_level, is_known, role_composition, topic_names, strip_enumerator, concrete_kinds]
    + [formulaic_share, score_pair],
    ids=lambda f: f.__name__,
)
def test_docstring_examples(function):
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in doctest.DocTestFinder().find(function):
        runner.run(test)
    assert runner.tries > 0 and runner.failures == 0
