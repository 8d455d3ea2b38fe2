"""Provisional documents/sentences tables for the analysis tests, built from corpus/sample.

A crude stand-in for the ingest -> structure -> segment stages (which colleagues own), used until
``tests/conftest.py`` provides the real ``sample_tables``: OpenCC t2s, articles split at the
篇 markers, sentences split on 。！？；, roles from heading cue words, tokens from a private
``jieba.Tokenizer`` with a few lexicon words, POS filter and a small stop list.
Real text and real jieba throughout; nothing is mocked.
"""

from __future__ import annotations

import re
from pathlib import Path

import jieba
import jieba.posseg
import opencc
import pandas as pd

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "sample"

LEXICON = [
    "两张皮",
    "三会一课",
    "考核机制",
    "专职化",
    "党务干部",
    "党建品牌",
    "主体责任",
    "全面从严治党",
    "激励机制",
    "责任机制",
    "党员干部",
    "基层党组织",
    "融合发展",
    "一岗双责",
    "党风廉政建设",
    "主题党日",
    "党务工作者",
]
POS_KEEP = ("n", "nr", "ns", "nt", "nz", "nw", "vn", "v", "i", "l", "j")
STOP = set(
    [
        "进行",
        "开展",
        "加强",
        "推进",
        "提高",
        "做好",
        "实现",
        "要求",
        "存在",
        "没有",
        "认为",
        "形成",
        "具有",
        "通过",
        "成为",
        "坚持",
        "方面",
        "问题",
        "工作",
        "有的",
        "一些",
        "一定",
        "情况",
        "发挥",
        "作用",
        "推动",
        "需要",
        "不断",
        "注重",
        "进一步",
        "相关",
        "部分",
        "能够",
        "有效",
        "作为",
        "不够",
        "建立",
        "落实",
        "建设",
        "发展",
        "是否",
        "出现",
        "导致",
        "解决",
        "促进",
        "达到",
        "采取",
        "一个",
        "结合",
        "使",
        "得到",
        "提升",
        "强化",
        "增强",
        "突出",
        "开展",
        "围绕",
        "坚决",
        "切实",
        "认真",
        "积极",
        "深入",
    ]
)
ARTICLE_START = re.compile(
    r"(【第.篇】$)|^(第[一二三四五六七八九十]+篇[:：])|^(篇[一二三四五六七八九十]+[:：])"
)
TAIL = re.compile(r"^(猜你喜欢|参考文献|推荐访问|TOP$|\(责编|（责编|\(来源|（来源)")
TOP_HEADING = re.compile(r"^([一二三四五六七八九十]+、|◎)")
SUB_HEADING = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
SENT_END = re.compile(r"(?<=[。！？；!?;])")
ROLE_CUES = (
    ("cause", re.compile(r"原因|成因|根源|剖析")),
    ("countermeasure", re.compile(r"对策|建议|措施|路径|下一步|思考|策略|途径|聚焦|破解")),
    ("problem", re.compile(r"问题|不足|短板|表现|脱节|差距")),
    ("achievement", re.compile(r"成效|做法|基本情况|实践探索|现状|成绩")),
)
SENTENCE_CUES = (
    ("cause", re.compile(r"原因在于|原因是|导致|造成")),
    ("problem", re.compile(r"存在.{0,12}(问题|不足|短板)|不够|不到位|不强|不高")),
    ("countermeasure", re.compile(r"^(要|应|应当|必须|建议)")),
)


def make_tokenizer() -> jieba.posseg.POSTokenizer:
    """A private jieba tokenizer with the provisional lexicon (never the global one)."""
    base = jieba.Tokenizer()
    for word in LEXICON:
        base.add_word(word, freq=2000, tag="nz")
    return jieba.posseg.POSTokenizer(base)


def tokens_of(tokenizer: jieba.posseg.POSTokenizer, text: str) -> list[str]:
    """Analysed tokens: POS filter, at least two characters, no stop words."""
    return [
        p.word
        for p in tokenizer.cut(text, HMM=False)
        if p.flag in POS_KEEP and len(p.word) >= 2 and p.word not in STOP
    ]


def _articles(path: Path, converter: opencc.OpenCC) -> list[list[str]]:
    lines = [converter.convert(line).strip() for line in path.read_text("utf-8").splitlines()]
    lines = [line for line in lines if line and set(line) != {"?"}]
    page_title = set(lines[:2])
    starts = [i for i, line in enumerate(lines) if ARTICLE_START.search(line)] or [0]
    cleaned = []
    for a, b in zip(starts, starts[1:] + [len(lines)], strict=True):
        article = lines[a:b]
        cut = next((i for i, line in enumerate(article) if TAIL.match(line)), len(article))
        cleaned.append([line for line in article[:cut] if a == 0 or line not in page_title])
    return cleaned


def _cue_role(text: str, cues: tuple) -> str | None:
    return next((role for role, pattern in cues if pattern.search(text)), None)


def _sentence_rows(doc_id: str, lines: list[str], tokenizer) -> list[dict]:
    rows: list[dict] = []
    section, section_role, claim = 0, "other", -1
    for line_no, line in enumerate(lines):
        pieces = [p.strip() for p in SENT_END.split(line) if p.strip()]
        top = line_no == 0 or (bool(TOP_HEADING.match(line)) and len(pieces[0]) <= 40)
        sub = bool(SUB_HEADING.match(line)) and len(pieces[0]) <= 40
        if top:
            section += 1
            claim = -1
            section_role = (_cue_role(line, ROLE_CUES) or "other") if line_no else "other"
        elif sub:
            claim += 1
        for n, text in enumerate(pieces):
            heading = (top or sub) and n == 0
            role, source = section_role, "heading"
            if role == "other" and not heading:
                role = _cue_role(text, SENTENCE_CUES) or "other"
                source = "sentence"
            rows.append(
                {
                    "doc_id": doc_id,
                    "sent_id": f"{doc_id}:{len(rows):04d}",
                    "section_id": f"{doc_id}:s{section:02d}",
                    "heading_path": [lines[0]],
                    "claim_index": claim,
                    "role": role,
                    "role_source": source,
                    "role_confidence": 0.5,
                    "text": text,
                    "is_heading": heading,
                    "tokens": tokens_of(tokenizer, text),
                }
            )
    return rows


def _mark_duplicates(docs: list[dict], threshold: float = 0.6) -> None:
    """dup_of = the earlier article whose 5-character shingles overlap by Jaccard >= threshold."""
    shingles = [{d["text"][i : i + 5] for i in range(len(d["text"]) - 4)} for d in docs]
    for j, doc in enumerate(docs):
        for i in range(j):
            if docs[i]["dup_of"] is None and len(shingles[i] & shingles[j]) >= threshold * len(
                shingles[i] | shingles[j]
            ):
                doc["dup_of"] = docs[i]["doc_id"]
                break


def build_tables(corpus: Path = CORPUS) -> dict[str, pd.DataFrame]:
    """Provisional ``{'documents': ..., 'sentences': ...}`` for corpus/sample."""
    converter = opencc.OpenCC("t2s")
    tokenizer = make_tokenizer()
    docs, sents = [], []
    for path in sorted(corpus.glob("*.txt")):
        for index, lines in enumerate(_articles(path, converter)):
            doc_id = f"{path.stem[:3]}-{index:02d}"
            text = "\n".join(lines)
            docs.append(
                {
                    "doc_id": doc_id,
                    "source_file": path.name,
                    "article_index": index,
                    "title": lines[0],
                    "script": "simplified",
                    "n_chars": len(text),
                    "text": text,
                    "references": "",
                    "dup_of": None,
                }
            )
            sents.extend(_sentence_rows(doc_id, lines, tokenizer))
    _mark_duplicates(docs)
    return {"documents": pd.DataFrame(docs), "sentences": pd.DataFrame(sents)}
