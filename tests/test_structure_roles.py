"""Structure stage, roles: heading cue lexicons, propagation, overrides, RoleClassifier."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from pipeline.structure import RoleClassifier, structure
from pipeline.structure.paragraphs import article_lines
from pipeline.structure.roles import ROLES, cue_role, heading_roles

DOCS = Path(__file__).parent / "data" / "structure" / "docs"


def article(name: str) -> tuple[str, str]:
    title, text = (DOCS / f"{name}.txt").read_text(encoding="utf-8").split("\n", 1)
    return title, text


def frame(*named: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(named, columns=["doc_id", "title", "text"])


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    names = sorted(p.stem for p in DOCS.glob("*.txt"))
    return frame(*[(name, *article(name)) for name in names])


@pytest.fixture(scope="module")
def sentences(corpus: pd.DataFrame) -> pd.DataFrame:
    return structure(corpus)


# -- heading cue lexicons -------------------------------------------------------------------

LEXICON = {
    "achievement": ["成效", "做法", "基本情况", "现状", "实践", "经验"],
    "problem": ["问题", "不足", "短板", "差距", "表现", "脱节"],
    "cause": ["原因", "成因", "根源", "剖析"],
    "countermeasure": ["对策", "建议", "措施", "路径", "思考", "下一步", "策略", "办法"],
}


@pytest.mark.parametrize(
    "cue, role", [(cue, role) for role, cues in LEXICON.items() for cue in cues]
)
def test_each_heading_cue_names_its_role(cue: str, role: str) -> None:
    assert heading_roles(f"二、{cue}") == {role}


@pytest.mark.parametrize(
    "heading, roles",
    [
        ("一、工作成效", {"achievement"}),
        ("◎ 实践探索", {"achievement"}),
        ("二、存在问题", {"problem"}),
        ("三、原因剖析", {"cause"}),
        ("◎ 对策思考", {"countermeasure"}),
        ("四、下一步工作建议", {"countermeasure"}),
        # the head noun decides: a problem's causes, a problem's solutions
        ("三、造成“两张皮”问题的原因分析", {"cause"}),
        ("三、聚焦党建品牌建设,破解党建与业务“两张皮”问题的路径探索", {"countermeasure"}),
        # two roles joined by 及 are both named
        ("三、党建工作存在的突出问题及原因", {"problem", "cause"}),
        ("一、xx海关基层党建现状及“两张皮”表现形式", {"achievement", "problem"}),
        # a negated countermeasure word names a shortfall
        ("(三)工作抓手上办法不多。", {"problem"}),
        # only the last clause of a long heading names a role; "解决…问题" is no problem
        ("(三)基层党务干部队伍的专业化专职化投入不足,党建工作的方法和手段缺乏专业性", set()),
        ("(二)以“创、新、活、动”为路径,著力解决党的领导弱化问题。", set()),
        # describing the survey itself is method, not achievement
        ("一、调研的基本情况", {"other"}),
        ("二、业务工作和党建工作之间的关系", {"other"}),
        ("一、认真落实主体责任,扎实做好基层党建工作", set()),
    ],
)  # fmt: skip
def test_heading_roles_of_real_headings(heading: str, roles: set[str]) -> None:
    assert heading_roles(heading) == roles


# -- roles in the sentences table ----------------------------------------------------------


def test_heading_role_passes_to_everything_under_it(sentences: pd.DataFrame) -> None:
    doc = sentences[sentences["doc_id"] == "003_0"]
    for top, role in [
        ("存在问题", "problem"),
        ("原因剖析", "cause"),
        ("对策建议", "countermeasure"),
    ]:
        rows = doc[doc["heading_path"].map(lambda p, t=top: p[:1] == [t])]
        assert len(rows) > 10
        assert (rows["role"] == role).all(), rows[rows["role"] != role]["text"].tolist()
        assert (rows["role_source"] == "heading").all()
        assert (rows["role_confidence"] == 0.9).all()


def test_nearest_heading_with_a_cue_wins() -> None:
    # 003's problems section, with the first cause sub-section moved under it as "（四）".
    title, text = article("003_0")
    lines = article_lines(text)
    start, end = lines.index("二、存在问题"), lines.index("三、原因剖析")
    cause = next(x for x in lines if x.startswith("(一)思想认识不到位。"))
    moved = cause.replace("(一)思想认识不到位。", "(四)思想认识不到位的原因。")
    doc = frame(("moved", title, "\n".join([*lines[start:end], moved])))
    out = structure(doc, use_classifier=False)
    under = out[out["heading_path"].map(lambda p: p[-1:] == ["思想认识不到位的原因"])]
    assert len(under) == 7
    assert (under["role"] == "cause").all() and (under["role_source"] == "heading").all()
    problems = out[out["heading_path"].map(lambda p: p[-1:] == ["工作态度上热情不高"])]
    assert (problems["role"] == "problem").all()


def test_two_role_heading_lets_the_sentence_choose(sentences: pd.DataFrame) -> None:
    doc = sentences[sentences["doc_id"] == "002_0"]
    rows = doc[
        doc["heading_path"].map(lambda p: p[:1] == ["我部机关党建解决“两张皮”现状及存在的主要问题"])
    ]
    assert set(rows["role"]) == {"achievement", "problem"}
    assert (rows["role_source"] == "sentence").all()
    achieved = rows[rows["text"].str.startswith("近年来,我部各级党员领导干部高度重视党建工作")]
    assert achieved["role"].tolist() == ["achievement"]
    lacking = rows[rows["text"].str.startswith("然而,调查结果也显示,党建工作内容单一")]
    assert lacking["role"].tolist() == ["problem"]


def test_sentences_that_report_inside_recommendations(sentences: pd.DataFrame) -> None:
    def role(start: str) -> tuple[str, str]:
        row = sentences[sentences["text"].str.startswith(start)].iloc[0]
        return row["role"], row["role_source"]

    # an example cites practice; a leader's words are background; so is talk about the report
    assert role("如,办公室党支部扎实开展“护城河”党建品牌建设") == ("achievement", "sentence")
    assert role("目前关区已涌现出") == ("achievement", "sentence")
    assert role("习近平总书记多次强调,党员发挥应有作用") == ("other", "sentence")
    assert role("现将有关情况报告如下:") == ("other", "sentence")


def test_narrative_sections_without_cues_read_as_achievement(sentences: pd.DataFrame) -> None:
    # 000 篇一 reports past work under headings that name no role.
    doc = sentences[(sentences["doc_id"] == "000_0") & ~sentences["is_heading"]]
    assert (doc["role_source"] == "sentence").all()
    assert (doc["role"] == "achievement").mean() > 0.7
    # 001's recommendations, with the headings ignored, still read as countermeasures
    out = structure(frame(("001_0", *article("001_0"))), use_headings=False)
    tail = out[out["heading_path"].map(lambda p: p[:1] == ["对策思考"])]
    assert (out["role_source"] == "sentence").all()
    assert (tail["role"] == "countermeasure").mean() > 0.8


def test_report_without_headings_still_gets_roles() -> None:
    title, text = article("003_0")
    plain = structure(frame(("003_0", title, text)), use_classifier=False)
    body = plain[~plain["is_heading"]].groupby("para_index")["text"].apply("".join)
    out = structure(frame(("flat", "", "\n".join(body))))
    assert (out["role_source"] == "sentence").all()
    assert set(out["role"]) >= {"achievement", "problem", "countermeasure"}


def test_titles_and_headings_get_roles(sentences: pd.DataFrame) -> None:
    titles = sentences[sentences["heading_level"] == 0]
    assert len(titles) >= 15
    assert titles["role"].isin(ROLES).all()
    row = sentences[sentences["text"] == "四、对策建议"].iloc[0]
    assert row["role"] == "countermeasure" and row["role_source"] == "heading"


def test_roles_and_confidences_are_valid(sentences: pd.DataFrame) -> None:
    assert sentences["role"].isin(ROLES).all()
    assert sentences["role_source"].isin(["heading", "sentence"]).all()
    assert sentences["role_confidence"].between(0, 1).all()
    assert set(sentences["role"]) == set(ROLES)


def test_cue_rules() -> None:
    assert cue_role("三是自觉性不够强。")[0] == "problem"
    assert cue_role("导致党建工作与业务工作“两张皮”现象的原因是多方面的。")[0] == "cause"
    assert cue_role("要强化党务干部队伍建设。")[0] == "countermeasure"
    assert cue_role("中心领导班子先后进行了18次集中学习。")[0] == "achievement"
    # removing a misconception is a countermeasure, not a problem
    assert cue_role("一是消除认为“党建工作抓与不抓无关紧要”的误区,树立思想意识。")[0] != "problem"
    # the point of a concession is what follows 但
    assert (
        cue_role("三是机关党建工作探索形成了一些有效方法,但形式和载体仍需改进创新。")[0]
        == "problem"
    )
    assert cue_role("党的建设不仅是中国革命的三大法宝之一,而且是三大法宝的核心。")[0] == "other"


# -- RoleClassifier: scikit-learn estimator rules --------------------------------------------


class CountingClassifier(RoleClassifier):
    """Counts fits, to show the stage trains once per run, never per sentence."""

    fits = 0

    def fit(self, texts, roles):  # type: ignore[no-untyped-def]
        type(self).fits += 1
        return super().fit(texts, roles)


def test_classifier_follows_estimator_rules(sentences: pd.DataFrame) -> None:
    clf = RoleClassifier(C=2.0, min_proba=0.4)
    assert vars(clf) == clf.get_params()  # __init__ only stores its parameters
    with pytest.raises(NotFittedError):
        clf.predict_proba(["要强化责任意识。"])
    labelled = sentences[sentences["role_source"] == "heading"]
    assert clf.fit(labelled["text"], labelled["role"]) is clf
    learned = set(vars(clf)) - set(clf.get_params())
    assert learned and all(name.endswith("_") for name in learned)
    proba = clf.predict_proba(labelled["text"].head(5))
    assert proba.shape == (5, len(clf.classes_))
    assert np.allclose(proba.sum(axis=1), 1)
    twin = clone(clf)
    assert twin.get_params() == clf.get_params() and not hasattr(twin, "model_")
    again = clone(clf).fit(labelled["text"], labelled["role"])
    assert (again.predict(labelled["text"]) == clf.predict(labelled["text"])).all()


def test_classifier_explains_bad_training_data() -> None:
    with pytest.raises(ValueError, match="at least two roles"):
        RoleClassifier().fit(["要强化责任意识。", "要完善考核机制。"], ["countermeasure"] * 2)
    with pytest.raises(ValueError, match="unknown role"):
        RoleClassifier().fit(["甲。", "乙。"], ["problem", "issue"])


def test_stage_fits_once_and_reuses_a_fitted_classifier(corpus: pd.DataFrame) -> None:
    CountingClassifier.fits = 0
    first = structure(corpus, classifier=CountingClassifier())
    assert CountingClassifier.fits == 1
    labelled = first[first["role_source"] == "heading"]
    fitted = CountingClassifier().fit(labelled["text"], labelled["role"])
    model = fitted.model_
    structure(corpus, classifier=fitted)
    assert CountingClassifier.fits == 2 and fitted.model_ is model


def test_same_input_same_output(corpus: pd.DataFrame, sentences: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(structure(corpus), sentences)
