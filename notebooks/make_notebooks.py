"""Write notebooks/01_explore_themes.ipynb and 02_compare_units.ipynb (without outputs).

The notebooks only call the package's API; edit the cells here and run
``.venv/bin/python notebooks/make_notebooks.py`` to rewrite them. Both read the run folder from
the environment variable ``DJMINE_RUN`` (default ``../outputs/sample``, i.e. ``make run``'s
output seen from this folder).

Example::

    $ .venv/bin/python notebooks/make_notebooks.py     # 重新生成两个 Notebook
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
LOAD = """import os
from pathlib import Path

import pandas as pd

import pipeline
from pipeline.api import Run

pd.set_option("display.max_colwidth", 60)
# The run folder: set DJMINE_RUN, or run `make run` first (outputs/sample, seen from notebooks/).
RUN = Path(os.environ.get("DJMINE_RUN", "../outputs/sample"))
run = Run.load(RUN)
print("djmine", pipeline.__version__, "run:", run.path)
run"""

THEMES = [
    (
        "md",
        "# 01 主题探索：主题、各角色关键词、关键词关系图、语境\n\n"
        "读取一次已完成的运行（默认 `outputs/sample`，可用环境变量 `DJMINE_RUN` 指定），"
        "查看主题、按角色（成效 / 问题 / 原因 / 对策）的关键词、关键词共现图，"
        "以及“两张皮”“考核机制”的语境。本 Notebook 只调用 `pipeline` 的接口，不含处理逻辑。",
    ),
    ("code", LOAD),
    (
        "md",
        "## 文章\n每篇文章一行：标题、单位（metadata.csv 优先，否则取署名）、类型、地区、年份。",
    ),
    (
        "code",
        'run.documents[["doc_id", "title", "unit", "unit_type", "region", "year", "n_chars", "dup_of"]]',
    ),
    ("md", "## 主题\n主题标签、流行度（文档平均占比）、一致性，以及每个主题的前 10 个词。"),
    (
        "code",
        'labels = run.topic_labels.set_index("topic")\n'
        "top_terms = (\n"
        '    run.topics.sort_values(["topic", "rank"])\n'
        '    .groupby("topic")["term"]\n'
        '    .agg(lambda terms: "、".join(terms.head(10)))\n'
        ")\n"
        'labels[["label", "prevalence", "c_npmi", "dominant_role"]].assign(top_terms=top_terms)',
    ),
    ("md", "各主题的角色构成（句子占比），用条形显示："),
    (
        "code",
        'shares = labels.filter(like="share_").rename(columns=lambda c: c.removeprefix("share_"))\n'
        'shares.style.format("{:.0%}").bar(color="#c62828", vmin=0, vmax=1)',
    ),
    ("md", "每篇文章的主要主题："),
    (
        "code",
        'main_topic = run.doc_topics.dropna().sort_values(["doc_id", "share"], ascending=[True, False])\n'
        'main_topic = main_topic.drop_duplicates("doc_id").merge(\n'
        '    run.documents[["doc_id", "title", "unit"]], on="doc_id"\n'
        ")\n"
        'main_topic.assign(label=main_topic["topic"].map(labels["label"]))',
    ),
    (
        "md",
        "## 各角色关键词\n加权对数几率比（信息性狄利克雷先验）：每个角色的句子对比其余句子，"
        "z 越大越是该角色特有。",
    ),
    (
        "code",
        "role_kw = run.keywords.query(\"scope == 'role' and method == 'log_odds'\")\n"
        'role_kw.pivot(index="rank", columns="key", values="term").head(15)',
    ),
    ("md", "## 关键词关系图\nPageRank 最高的词，以及各社区的代表词。"),
    (
        "code",
        "nodes = run.graph_nodes\n"
        'nodes.sort_values("pagerank", ascending=False)[\n'
        '    ["term", "freq", "community", "degree", "pagerank", "dominant_role"]\n'
        "].head(20)",
    ),
    (
        "code",
        'communities = nodes[nodes["community"] >= 0].sort_values("pagerank", ascending=False)\n'
        'communities.groupby("community")["term"].agg(lambda t: "、".join(t.head(8)))',
    ),
    ("md", "与“两张皮”共现最强的词："),
    (
        "code",
        "edges = run.graph_edges\n"
        'pair = edges[(edges["source_term"] == "两张皮") | (edges["target_term"] == "两张皮")]\n'
        'pair.sort_values("npmi", ascending=False)[["source_term", "target_term", "count", "npmi"]]',
    ),
    (
        "md",
        "## 语境（KWIC）\n`run.kwic(词, window=…)` 给出每次出现的左右文，以及所在句子的角色和单位。",
    ),
    ("code", 'two_skins = run.kwic("两张皮", window=12)\ntwo_skins.head(15)'),
    ("md", "“两张皮”出现在哪些角色、哪类单位的句子里："),
    ("code", 'pd.crosstab(two_skins["unit_type"], two_skins["role"], margins=True)'),
    ("code", 'appraisal = run.kwic("考核机制", window=15)\nappraisal'),
    ("md", "只看“原因”句中的“考核机制”（报告把它当作“两张皮”的成因时）："),
    ("code", 'run.kwic("考核机制", window=15, role="cause")[["unit", "left", "term", "right"]]'),
]

COMPARE = [
    (
        "md",
        "# 02 单位比较：单位与单位类型的自我表述\n\n"
        "哪些问题省级机关承认而市级机关不提？国企偏好哪些对策？谁写实、谁写口号？"
        "本 Notebook 用 `pipeline` 的接口比较单位和单位类型：角色构成、主题分布、特色词"
        "（加权对数几率比，z 值，双向）、相似度和实质性得分。没有单位的文章归入“（未知单位）”。",
    ),
    ("code", LOAD),
    (
        "code",
        "ut = run.unit_tables()  # units / unit_terms / unit_similarity / doc_substance\n"
        "units = ut.units\nunits.query(\"level == 'unit'\")[\n"
        '    ["name", "unit_type", "region", "year_min", "n_docs", "n_sentences", "substance", "top_terms"]\n'
        "]",
    ),
    ("md", "## 角色构成（单位 × 角色）\n各单位正文句子在成效、问题、原因、对策、其他之间的分布。"),
    (
        "code",
        "from pipeline.units.charts import InlineChart, role_chart, topic_heatmap\n\n"
        'InlineChart(role_chart(units, level="unit"), title="单位 × 角色")',
    ),
    (
        "code",
        'shares = units.query("level == \'unit_type\'").set_index("name").filter(like="share_")\n'
        'shares.style.format("{:.0%}").bar(color="#1565c0", vmin=0, vmax=1)',
    ),
    ("md", "## 主题分布（单位类型 × 主题）"),
    (
        "code",
        'InlineChart(topic_heatmap(units, run.topic_labels, level="unit_type"), title="单位类型 × 主题")',
    ),
    (
        "md",
        "## 两个单位的对比\n`run.compare(甲, 乙, by=…, role=…)`：z > 0 偏向甲，z < 0 偏向乙。"
        "先比较全部句子，再只比较两者的“问题”句。",
    ),
    (
        "code",
        'a, b = "宁波海关", "石家庄市直机关工委课题组"\n'
        "overall = run.compare(a, b, top_n=10)\n"
        "overall",
    ),
    ("code", 'problems = run.compare(a, b, role="problem", top_n=8)\nproblems'),
    (
        "md",
        "## 两类单位的对比\n国企与中央机关的“对策”句：国企偏好哪些对策？",
    ),
    (
        "code",
        'measures = run.compare("国企", "中央机关", by="unit_type", role="countermeasure", top_n=10)\n'
        'measures.style.bar(subset=["z"], align="zero", color=["#1565c0", "#c62828"])',
    ),
    ("md", "省直机关与市直机关的“问题”句："),
    ("code", 'run.compare("省直机关", "市直机关", by="unit_type", role="problem", top_n=10)'),
    (
        "md",
        "## 各类单位的特色词（按角色）\n每类单位对比其余所有单位；这里看“问题”和“对策”句。",
    ),
    (
        "code",
        "terms = ut.unit_terms.query(\"level == 'unit_type' and rank <= 5\")\n"
        'terms[terms["role"].isin(["problem", "countermeasure"])].pivot_table(\n'
        '    index="name", columns="role", values="term", aggfunc="、".join\n'
        ")",
    ),
    ("md", "## 单位之间的相似度（TF-IDF 余弦）"),
    (
        "code",
        "sim = ut.unit_similarity.query(\"level == 'unit_type'\")\n"
        'sim.pivot(index="unit_a", columns="unit_b", values="similarity").style.format("{:.2f}")',
    ),
    (
        "md",
        "## 实质性得分\n具体句（数字、日期、具名措施、地名、时限）占比与套话句（套话短语、四字排比）占比之差，"
        "换算到 0–1：`substance = (1 + 具体句占比 − 套话句占比) / 2`。",
    ),
    (
        "code",
        'cols = ["name", "n_docs", "n_body", "concrete_share", "formulaic_share", "substance"]\n'
        'units.query("level == \'unit\'")[cols].sort_values("substance", ascending=False).style.format(\n'
        '    {"concrete_share": "{:.0%}", "formulaic_share": "{:.0%}", "substance": "{:.2f}"}\n'
        ').bar(subset=["substance"], color="#2e7d32", vmin=0, vmax=1)',
    ),
    ("md", "逐篇文章的得分："),
    (
        "code",
        'ut.doc_substance.sort_values("substance", ascending=False)[\n'
        '    ["title", "unit", "unit_type", "n_body", "concrete_share", "formulaic_share", "substance"]\n'
        "]",
    ),
    ("md", "## 单位语境\n某个单位如何谈“考核”："),
    ("code", 'run.kwic("考核", window=12).query("unit == @b")[["role", "left", "term", "right"]]'),
]


def build(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """A notebook (no outputs) from (kind, source) pairs; kind is 'md' or 'code'.

    Example::

        >>> build([("md", "# 标题"), ("code", "1 + 1")]).cells[1].cell_type
        'code'
    """
    notebook = new_notebook(
        cells=[
            new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:02d}"  # stable ids: regenerating gives identical files
    return notebook


def main() -> None:
    """Write both notebooks next to this script."""
    for name, cells in (("01_explore_themes", THEMES), ("02_compare_units", COMPARE)):
        nbformat.write(build(cells), HERE / f"{name}.ipynb")


if __name__ == "__main__":
    main()
