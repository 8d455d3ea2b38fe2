"""Tooltip pieces: example choice, snippets around the term, escaping."""

from __future__ import annotations

from pipeline.report.tooltip import Example, SentenceInfo, pick_examples, snippet

SENTS = {
    "a:0001": SentenceInfo("存在问题", "a", "problem", True),
    "a:0002": SentenceInfo("党建与业务“两张皮”问题依然存在。", "a", "problem", False),
    "a:0003": SentenceInfo("解决“两张皮”要靠制度。", "a", "countermeasure", False),
    "b:0001": SentenceInfo("个别党员认为党建是软任务，“两张皮”现象突出。", "b", "problem", False),
    "c:0001": SentenceInfo("党建与业务“两张皮”问题依然存在。", "c", "problem", False),
}
DOCS = {"a": ("调研报告", "市直机关工委"), "b": ("几点思考", "宁波海关"), "c": ("范本", "")}


def test_examples_prefer_body_sentences_of_the_role_from_different_reports() -> None:
    got = pick_examples(list(SENTS), role="problem", sentences=SENTS, documents=DOCS, n=3)
    assert [e.title for e in got] == ["调研报告", "几点思考", "调研报告"]
    assert got[0] == Example("党建与业务“两张皮”问题依然存在。", "调研报告", "市直机关工委")
    assert all(e.text != "存在问题" for e in got)  # the heading comes last
    assert len({e.text for e in got}) == 3  # the duplicate sentence of report c is skipped


def test_examples_tolerate_unknown_ids_and_small_n() -> None:
    assert pick_examples(["x:9999"], role="problem", sentences=SENTS, documents=DOCS) == []
    assert len(pick_examples(list(SENTS), role="cause", sentences=SENTS, documents=DOCS, n=2)) == 2


def test_snippet_marks_the_term_escapes_and_cuts() -> None:
    text = "在推进机关党建过程中，<b>党建</b>与业务“两张皮”问题依然存在，需要从制度层面加以解决。"
    out = snippet(text, "两张皮", width=30)
    assert "<mark>两张皮</mark>" in out and "&lt;/b&gt;" in out and "</b>" not in out
    assert out.startswith("…") and out.endswith("…")
    assert snippet("两张皮", "", width=10) == "两张皮"
