"""Fixtures for the report tests: provisional run tables built from corpus/sample, and Chromium.

The tables follow the team contract (graph_nodes, graph_edges, sentences, documents, topics,
topic_labels, doc_topics, keywords, ingest_report). They are built here from the real sample
reports (OpenCC t2s, a private jieba.Tokenizer, networkx) with deliberately simple rules, so the
report stage can be tested before, and independently of, the real upstream stages.
"""

from __future__ import annotations

import csv
import math
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import jieba
import networkx as nx
import numpy as np
import opencc
import pandas as pd
import pytest
from charset_normalizer import from_path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "sample"
ROLES = ("achievement", "problem", "cause", "countermeasure", "other")
ARTICLE_MARK = re.compile(
    r"【第[一二三四五六七八九十]+篇】|^第[一二三四五六七八九十]+篇[:：]|^篇[一二三四五六七八九十]+[:：]"
)
HEADING_ROLES = (
    ("cause", re.compile(r"原因|成因|根源")),
    ("problem", re.compile(r"问题|不足|短板|表现")),
    ("countermeasure", re.compile(r"对策|建议|措施|路径|思考|下一步")),
    ("achievement", re.compile(r"成效|做法|基本情况|实践|经验")),
)
SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")
STOP = frozenset(
    [
        "我们",
        "他们",
        "一些",
        "进行",
        "一个",
        "没有",
        "不是",
        "这些",
        "这个",
        "以及",
        "通过",
        "同时",
        "还是",
        "其中",
        "方面",
        "不够",
        "就是",
    ]
)

# Hostile strings placed in every kind of report text for the XSS tests.
XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_SCRIPT = "</script><script>window.__xss=2</script>"
XSS_ATTR = '"onerror=window.__xss=3 x="'
XSS_JS_URL = "javascript:window.__xss=4"
XSS_ALERT = "<script>alert(1)</script>"
XSS_PLACEHOLDER = "--x_x--0_0--window.__xss=5--x_x--0_0--"
HOSTILE = (XSS_IMG, XSS_SCRIPT, XSS_ATTR, XSS_JS_URL, XSS_ALERT, XSS_PLACEHOLDER)


def _articles(text: str) -> list[tuple[str, str]]:
    """Split a report file into (title, body) articles at 【第一篇】 / 第一篇: / 篇一: lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    starts = [i for i, line in enumerate(lines) if ARTICLE_MARK.search(line)]
    if not starts:
        title = next((i for i, line in enumerate(lines) if len(line) >= 6), 0)
        return [(lines[title], "\n".join(lines[title + 1 :]))]
    bounds = [*starts, len(lines)]
    return [
        (ARTICLE_MARK.sub("", lines[a]).strip(), "\n".join(lines[a + 1 : b]))
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]


def _units() -> dict[tuple[str, int], dict[str, str]]:
    with open(SAMPLE / "metadata.csv", encoding="utf-8") as handle:
        return {(r["file"], int(r["article_index"] or 0)): r for r in csv.DictReader(handle)}


def _heading_role(line: str) -> str | None:
    if len(line) > 30 or "。" in line:
        return None
    return next((role for role, pattern in HEADING_ROLES if pattern.search(line)), None)


def build_documents_and_sentences() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """documents, sentences (with tokens) and ingest_report from corpus/sample."""
    converter = opencc.OpenCC("t2s")
    tokenizer = jieba.Tokenizer()
    meta = _units()
    docs, sents, ingest = [], [], []
    for path in sorted(SAMPLE.glob("*.txt")):
        best = from_path(path).best()
        raw = str(best)
        text = converter.convert(raw)
        articles = _articles(text)
        ingest.append(
            {
                "source_file": path.name,
                "status": "ok",
                "reason": "",
                "encoding": best.encoding,
                "format": "txt",
                "n_bytes": path.stat().st_size,
                "articles": len(articles),
            }
        )
        for k, (title, body) in enumerate(articles):
            doc_id = f"{path.stem[:3]}-{k:02d}"
            info = meta.get((path.name, k), {})
            docs.append(
                {
                    "doc_id": doc_id,
                    "source_file": path.name,
                    "article_index": k,
                    "title": title,
                    "unit": info.get("unit", ""),
                    "unit_type": info.get("unit_type", ""),
                    "region": info.get("region", ""),
                    "year": int(info["year"]) if info.get("year") else None,
                    "date": "",
                    "source": info.get("source", ""),
                    "script": "traditional" if raw != text else "simplified",
                    "n_chars": len(body),
                    "text": body,
                    "references": "",
                    "dup_of": None,
                }
            )
            role, n = "other", 0
            for line in body.splitlines():
                heading = _heading_role(line)
                parts = [line] if heading else [p for p in SENTENCE_END.split(line) if p.strip()]
                role = heading or role
                for part in parts:
                    tokens = [t for t in tokenizer.lcut(part) if HAN.match(t) and t not in STOP]
                    sents.append(
                        {
                            "doc_id": doc_id,
                            "sent_id": f"{doc_id}:{n:04d}",
                            "section_id": f"{doc_id}:s0",
                            "heading_path": [],
                            "claim_index": -1,
                            "role": role,
                            "role_source": "heading",
                            "role_confidence": 0.6,
                            "text": part,
                            "is_heading": bool(heading),
                            "tokens": tokens,
                        }
                    )
                    n += 1
    return pd.DataFrame(docs), pd.DataFrame(sents), pd.DataFrame(ingest)


def build_graph(
    sentences: pd.DataFrame, *, n_terms: int | None = 150, min_count: int = 2, seed: int = 42
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """graph_nodes and graph_edges: sentence co-occurrence of frequent terms, louvain communities."""
    freq = Counter(t for tokens in sentences["tokens"] for t in tokens)
    ranked = sorted(freq, key=lambda t: (-freq[t], t))
    vocab = ranked[:n_terms] if n_terms else ranked
    index = {t: i for i, t in enumerate(vocab)}
    sent_ids, docs, roles = defaultdict(list), defaultdict(set), defaultdict(Counter)
    pairs: Counter = Counter()
    for sid, doc, role, tokens in zip(
        sentences["sent_id"],
        sentences["doc_id"],
        sentences["role"],
        sentences["tokens"],
        strict=True,
    ):
        present = sorted({index[t] for t in tokens if t in index})
        for i in present:
            sent_ids[i].append(sid)
            docs[i].add(doc)
            roles[i][role] += 1
        pairs.update(combinations(present, 2))
    n_sent = len(sentences)
    edges = []
    for (a, b), count in sorted(pairs.items()):
        if count < min_count:
            continue
        p_ab = count / n_sent
        pmi = math.log(p_ab / (len(sent_ids[a]) / n_sent * len(sent_ids[b]) / n_sent))
        npmi = pmi / -math.log(p_ab) if p_ab < 1 else 1.0
        if npmi > 0:
            edges.append(
                {"source": a, "target": b, "count": count, "pmi": pmi, "npmi": npmi, "weight": npmi}
            )
    edge_df = pd.DataFrame(edges, columns=["source", "target", "count", "pmi", "npmi", "weight"])
    graph = nx.Graph()
    graph.add_nodes_from(range(len(vocab)))
    graph.add_weighted_edges_from(edge_df[["source", "target", "weight"]].itertuples(index=False))
    parts = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    parts = sorted(parts, key=lambda c: (-len(c), min(c)))
    community = {node: k for k, part in enumerate(parts) for node in part}
    pagerank = nx.pagerank(graph, weight="weight")
    rows = []
    for i, term in enumerate(vocab):
        total = sum(roles[i].values()) or 1
        shares = {f"share_{r}": roles[i][r] / total for r in ROLES}
        rows.append(
            {
                "node_id": i,
                "term": term,
                "freq": freq[term],
                "n_docs": len(docs[i]),
                "community": community[i],
                "degree": graph.degree(i),
                "pagerank": pagerank[i],
                **shares,
                "dominant_role": max(ROLES, key=lambda r: (shares[f"share_{r}"], -ROLES.index(r))),
                "sent_ids": sent_ids[i],
            }
        )
    return pd.DataFrame(rows), edge_df


def build_topics(
    nodes: pd.DataFrame, sentences: pd.DataFrame, *, n_topics: int = 6
) -> dict[str, pd.DataFrame]:
    """topics, topic_labels, doc_topics: the largest communities stand in for topics."""
    topics, labels, terms_of = [], [], {}
    for k in range(n_topics):
        members = nodes[nodes["community"] == k].sort_values(
            ["freq", "term"], ascending=[False, True]
        )
        if members.empty:
            break
        top = members.head(15)
        terms_of[k] = set(top["term"])
        for rank, (term, f) in enumerate(zip(top["term"], top["freq"], strict=True)):
            topics.append({"topic": k, "rank": rank, "term": term, "weight": f / top["freq"].sum()})
        w = top["freq"] / top["freq"].sum()
        shares = {f"share_{r}": float((top[f"share_{r}"] * w).sum()) for r in ROLES}
        labels.append({"topic": k, "label": "·".join(top["term"][:3]), **shares})
    doc_topics = []
    for doc, group in sentences.groupby("doc_id", sort=True):
        tokens = [t for ts in group["tokens"] for t in ts]
        counts = {k: sum(t in terms for t in tokens) for k, terms in terms_of.items()}
        total = sum(counts.values()) or 1
        doc_topics += [{"doc_id": doc, "topic": k, "share": c / total} for k, c in counts.items()]
    return {
        "topics": pd.DataFrame(topics),
        "topic_labels": pd.DataFrame(labels),
        "doc_topics": pd.DataFrame(doc_topics),
    }


def build_keywords(
    sentences: pd.DataFrame, *, top_n: int = 30, prior: float = 500.0
) -> pd.DataFrame:
    """Log-odds ratio with informative Dirichlet prior (Monroe et al. 2008), each role vs the rest."""
    by_role = {r: Counter() for r in ROLES}
    for role, tokens in zip(sentences["role"], sentences["tokens"], strict=True):
        by_role[role].update(tokens)
    total = sum(by_role.values(), Counter())
    n_total = sum(total.values())
    rows = []
    for role in ROLES:
        mine = by_role[role]
        rest = total - mine
        n_i, n_j = sum(mine.values()), sum(rest.values())
        scored = []
        for term in total:
            a = prior * total[term] / n_total
            y_i, y_j = mine[term], rest[term]
            delta = math.log((y_i + a) / (n_i + prior - y_i - a)) - math.log(
                (y_j + a) / (n_j + prior - y_j - a)
            )
            z = delta / math.sqrt(1 / (y_i + a) + 1 / (y_j + a))
            scored.append((z, delta, term, y_i))
        scored.sort(key=lambda s: (-s[0], s[2]))
        for rank, (z, delta, term, count) in enumerate(scored[:top_n], start=1):
            rows.append(
                {
                    "scope": "role",
                    "key": role,
                    "method": "log_odds",
                    "rank": rank,
                    "term": term,
                    "score": delta,
                    "z": z,
                    "count": count,
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def sample_tables() -> dict[str, pd.DataFrame]:
    """All tables the report renders, built from corpus/sample (provisional upstream stages)."""
    documents, sentences, ingest = build_documents_and_sentences()
    nodes, edges = build_graph(sentences)
    return {
        "documents": documents,
        "sentences": sentences,
        "ingest_report": ingest,
        "graph_nodes": nodes,
        "graph_edges": edges,
        **build_topics(nodes, sentences),
        "keywords": build_keywords(sentences),
    }


@pytest.fixture(scope="session")
def large_graph(sample_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A graph of every sample term (well over 500 nodes) with many edges."""
    nodes, edges = build_graph(sample_tables["sentences"], n_terms=None, min_count=1)
    assert len(nodes) > 1500
    return {**sample_tables, "graph_nodes": nodes, "graph_edges": edges}


def _poison(value: str, k: int) -> str:
    return f"{value}{HOSTILE[k % len(HOSTILE)]}"


@pytest.fixture(scope="session")
def hostile_tables(sample_tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The sample tables with script-injection strings in every kind of report text.

    The most frequent node's term, its example sentences, their documents' titles and units,
    topic labels and terms, keyword terms and the ingest report all carry the payloads.
    """
    t = {name: df.copy() for name, df in sample_tables.items()}
    nodes = t["graph_nodes"]
    top = int(nodes["freq"].idxmax())
    nodes.loc[top, "term"] = "两张皮" + XSS_IMG + XSS_SCRIPT
    nodes.loc[nodes.index[1], "term"] = XSS_ALERT
    nodes.loc[nodes.index[2], "term"] = XSS_PLACEHOLDER
    first_sents = set(nodes.loc[top, "sent_ids"][:20])
    sents = t["sentences"]
    mask = sents["sent_id"].isin(first_sents)
    sents.loc[mask, "text"] = [_poison(s, k) for k, s in enumerate(sents.loc[mask, "text"])]
    docs = t["documents"]
    docs["title"] = [_poison(s, k) for k, s in enumerate(docs["title"])]
    docs["unit"] = [_poison(s, k + 1) for k, s in enumerate(docs["unit"])]
    t["topic_labels"]["label"] = [_poison(s, k) for k, s in enumerate(t["topic_labels"]["label"])]
    t["topics"].loc[0, "term"] = XSS_IMG
    kw = t["keywords"]
    kw.loc[kw["rank"] == 1, "term"] = [
        _poison("关键词", k) for k in range(int((kw["rank"] == 1).sum()))
    ]
    ingest = t["ingest_report"]
    ingest["reason"] = [HOSTILE[k % len(HOSTILE)] for k in range(len(ingest))]
    ingest.loc[0, "source_file"] = XSS_JS_URL
    ingest.loc[1, "format"] = XSS_PLACEHOLDER
    return t


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium; a missing browser fails the test (CI must have it)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("chromium is not installed: run `make browser` (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(
    chromium_path: str, tmp_path_factory: pytest.TempPathFactory, offline_context: object
) -> Iterator[object]:
    """A Playwright context on the system Chromium with a fresh --user-data-dir, network cut off.

    Any http(s)/ws request is aborted and recorded in ``context.blocked_requests``.
    """
    context = offline_context(tmp_path_factory.mktemp("chromium-profile"), chromium_path)
    yield context
    context.close()


def _pixel_stats(png: Path) -> tuple[float, int]:
    from PIL import Image

    image = np.asarray(Image.open(png).convert("RGB"))
    flat = image.reshape(-1, 3)
    values, counts = np.unique(flat, axis=0, return_counts=True)
    background = values[counts.argmax()]
    non_bg = float((np.abs(flat.astype(int) - background).sum(axis=1) > 30).mean())
    return non_bg, len(values)


@pytest.fixture(scope="session")
def pixel_stats() -> object:
    """Function: PNG path -> (fraction of non-background pixels, number of distinct colours)."""
    return _pixel_stats


@pytest.fixture(scope="session")
def payloads() -> dict[str, str]:
    """The hostile strings hidden in ``hostile_tables``, by name."""
    return {
        "img": XSS_IMG,
        "script": XSS_SCRIPT,
        "attr": XSS_ATTR,
        "js_url": XSS_JS_URL,
        "alert": XSS_ALERT,
        "placeholder": XSS_PLACEHOLDER,
    }
