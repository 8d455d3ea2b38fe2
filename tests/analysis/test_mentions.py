"""Mention roles: a term framed as a problem counts as 'problem' whatever its sentence's role."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from pipeline.graph.mentions import mention_role_mass, problem_mentions
from pipeline.topics.profiles import role_onehot
from pipeline.topics.units import ROLES

# (fragment locating a real sentence of corpus/sample, term, expected framed share)
CASES = [
    ("造成“两张皮”问题的原因分析", "两张皮", 1.0),  # cause heading: 两张皮 + 问题
    ("两张皮”现象的原因是多", "两张皮", 1.0),  # 两张皮 + ” + 现象
    ("是破解“两张皮”的有效抓手", "两张皮", 1.0),  # 破解 + “两张皮” (object ends at ”)
    ("解决党的领导弱化问题", "党的领导", 0.0),  # 弱化 sits between the term and 问题
    ("考核机制不科学", "考核机制", 0.0),  # a cause, but not framed as a problem name
    ("导致党建工作流于形式", "党建工作", 0.0),  # 党建工作 does not end 导致's object
    ("形成浓厚的学习氛围", "氛围", 0.0),  # 形成 is not a problem verb (see module doc)
]


@pytest.fixture(scope="module")
def texts(segmented_sample):
    sentences = segmented_sample["sentences"]
    found = []
    for fragment, _, _ in CASES:
        hits = sentences.loc[sentences["text"].str.contains(fragment, regex=False), "text"]
        assert len(hits), f"corpus/sample has no sentence with {fragment!r}"
        found.append(hits.iloc[0])
    return found


def test_framing_on_real_sentences(texts):
    terms = sorted({term for _, term, _ in CASES})
    marks = sparse.csr_matrix([[int(term in text) for term in terms] for text in texts])
    framed = problem_mentions(texts, marks, terms).toarray()
    got = [framed[i, terms.index(term)] for i, (_, term, _) in enumerate(CASES)]
    assert got == [expected for _, _, expected in CASES]


def test_only_pairs_in_the_incidence_are_looked_at(texts):
    terms = ["两张皮"]
    nothing = sparse.csr_matrix((len(texts), 1), dtype=np.int64)
    assert problem_mentions(texts, nothing, terms).nnz == 0


def test_each_occurrence_is_a_mention():
    text = "避免出现“两张皮”问题，两张皮的根源在于认识。"  # one framed occurrence of two
    framed = problem_mentions([text], sparse.csr_matrix([[1]]), ["两张皮"])
    assert framed.toarray().tolist() == [[0.5]]


def test_verbs_and_gap_are_parameters(texts):
    i = next(n for n, (fragment, _, _) in enumerate(CASES) if fragment.startswith("是破解"))
    marks = sparse.csr_matrix([[1]])
    assert problem_mentions([texts[i]], marks, ["两张皮"], verbs=()).nnz == 0
    assert problem_mentions(["破解党建业务“两张皮”"], marks, ["两张皮"], max_gap=3).nnz == 0
    assert problem_mentions(["破解党建业务“两张皮”"], marks, ["两张皮"], max_gap=4).nnz == 1


def test_mass_moves_framed_shares_to_problem():
    roles = np.array(["cause", "countermeasure", "problem"])
    marks = sparse.csr_matrix([[1, 1], [1, 0], [1, 0]])
    framed = sparse.csr_matrix([[1.0, 0.0], [0.5, 0.0], [1.0, 0.0]])
    mass = mention_role_mass(marks, framed, role_onehot(roles), ROLES.index("problem"))
    expected = np.zeros((2, len(ROLES)))
    expected[0, ROLES.index("problem")] = 2.5
    expected[0, ROLES.index("countermeasure")] = 0.5
    expected[1, ROLES.index("cause")] = 1.0
    assert np.allclose(mass, expected)
    assert np.allclose(mass.sum(axis=1), np.asarray(marks.sum(axis=0)).ravel())
