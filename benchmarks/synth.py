"""Synthetic corpus for the scale benchmarks: the sample's sentences reshuffled into new reports.

The five sample files are read through the package (``ingest`` then ``structure``), which gives
about a thousand sentences, each with its role (problem, cause, countermeasure, …) and the
headings above it. Every synthetic report is a new article: a title, a unit line, a date
line, a short introduction and the usual skeleton of numbered sections (一、存在问题 /
二、原因分析 / 三、对策建议, sometimes preceded by 基本情况), each with （一）（二）… sub-headings
taken from the sample's headings of that role and paragraphs of sample sentences of that
role. Each report draws its sentences from the whole pool of its role in a fresh random
order, so no two reports are near-duplicates (5-character shingle Jaccard stays far below
0.6) while the vocabulary and the sentence style are the sample's.

Reports are UTF-8 ``.txt`` files of about 3–10 KB, 100 to a folder (``part_000/r000000.txt``),
with a ``metadata.csv`` in the corpus root (the columns of ``corpus/sample/metadata.csv``).
The output is byte-identical for the same seed and the same sample.

Example::

    >>> from benchmarks.synth import make_corpus
    >>> folder = make_corpus("/tmp/synth_1mb", megabytes=1, seed=0)   # 生成约 1 MB 的合成语料
    >>> sorted(p.name for p in folder.iterdir())[:2]
    ['metadata.csv', 'part_000']

CLI::

    .venv/bin/python benchmarks/synth.py OUT_DIR --mb 10 [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "corpus" / "sample"
FILES_PER_FOLDER = 100
METADATA_COLUMNS = ("file", "article_index", "unit", "unit_type", "region", "year", "source")
# Bump when the generator changes, so cached corpora (benchmarks/.data/) are rebuilt.
GENERATOR_VERSION = "1"

# Leading enumerators of a body sentence ("3、", "（二）", "①"): dropped, so a reshuffled
# sentence does not start a numbered heading of its own.
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十\d]{1,3}[、.．]"
    r"|[①-⑳]|[◎●■◆★☆▲])\s*"
)
_HEADING_END = "。！？；;：:，, \u3000"

# (province, cities) used for unit names and the region column.
PLACES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("湖北", ("武汉", "宜昌", "襄阳")),
    ("河北", ("石家庄", "保定", "唐山")),
    ("浙江", ("宁波", "杭州", "温州")),
    ("江西", ("九江", "赣州", "南昌")),
    ("广东", ("深圳", "佛山", "珠海")),
    ("四川", ("成都", "绵阳", "宜宾")),
    ("山东", ("青岛", "烟台", "潍坊")),
    ("江苏", ("苏州", "无锡", "徐州")),
    ("湖南", ("长沙", "株洲", "岳阳")),
    ("河南", ("郑州", "洛阳", "开封")),
    ("福建", ("厦门", "泉州", "漳州")),
    ("陕西", ("西安", "宝鸡", "咸阳")),
    ("安徽", ("合肥", "芜湖", "蚌埠")),
    ("辽宁", ("大连", "沈阳", "鞍山")),
    ("云南", ("昆明", "曲靖", "大理")),
)
# (template, unit_type): {p} is the province, {c} the city.
UNIT_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("{c}市税务局机关党委", "市直机关"),
    ("国网{c}供电公司党委", "国企"),
    ("{p}省委直属机关工委课题组", "省直机关"),
    ("{c}市直机关工委课题组", "市直机关"),
    ("{c}市财政局机关党支部", "支部"),
    ("中国移动{c}分公司党委", "国企"),
    ("{c}市市场监督管理局机关党委", "市直机关"),
    ("{p}省交通运输厅机关党委", "省直机关"),
    ("{c}海关党委", "中央机关"),
    ("{c}市教育局机关党总支", "市直机关"),
    ("{c}市中心医院党委", "事业单位"),
    ("中国建设银行{c}分行党委", "国企"),
    ("{c}市委组织部调研组", "市直机关"),
    ("{c}市人民检察院机关党委", "政法机关"),
    ("{c}港务集团党委", "国企"),
    ("{c}市统计局机关党支部", "支部"),
)
N_UNITS = 40
YEARS = tuple(range(2015, 2025))
SOURCES = ("合成语料（基准测试）", "合成语料（调研报告）", "合成语料（党建研究）")

# Section headings and the role each must name (checked in tests/test_bench_synth.py).
SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    "achievement": ("基本情况", "主要成效", "主要做法和成效"),
    "problem": ("存在的主要问题", "存在问题", "当前存在的突出问题", "面临的问题和不足"),
    "cause": ("原因分析", "问题产生的原因", "成因分析", "存在问题的原因"),
    "countermeasure": ("对策建议", "对策与建议", "下一步工作建议", "改进措施"),
}
TITLE_TOPICS = (
    "党建与业务深度融合",
    "党建与业务“两张皮”治理",
    "基层党组织建设",
    "党建工作质量提升",
    "党员队伍建设",
    "党建品牌建设",
    "国有企业党建工作",
    "机关作风建设",
    "党建引领业务发展",
    "支部标准化规范化建设",
)
TITLE_FORMS = (
    "{unit}关于{topic}的调研报告",
    "关于{topic}情况的调研报告",
    "{topic}的问题与对策",
    "{topic}存在的问题及对策研究",
    "推进{topic}的实践与思考",
    "{year}年{topic}专题调研报告",
)
INTRO_FORMS = (
    "为深入了解{short}{topic}情况，{year}年{month}月，我们采取座谈交流、问卷调查、"
    "实地走访等方式开展了专题调研。现将有关情况报告如下。",
    "根据{year}年度工作安排，{short}围绕{topic}开展调查研究，系统梳理问题，深入分析原因，"
    "提出对策建议。",
    "{year}年以来，{short}聚焦{topic}，结合主题教育，深入基层开展调研，形成本报告。",
)


@dataclass(frozen=True)
class Unit:
    """One synthetic author unit (name, type, region)."""

    name: str
    unit_type: str
    region: str


@dataclass(frozen=True)
class Pool:
    """Sample sentences (body) and sub-headings by role, in the sample's order."""

    body: dict[str, tuple[str, ...]]
    headings: dict[str, tuple[str, ...]]


def make_units(rng: random.Random, n: int = N_UNITS) -> list[Unit]:
    """``n`` distinct plausible unit names, from place × template combinations.

    Example::

        >>> make_units(random.Random(0), 3)[0].name   # 例如 "宜昌市税务局机关党委"
    """
    units: dict[str, Unit] = {}
    for province, cities in PLACES:
        for city in cities:
            for template, unit_type in UNIT_TEMPLATES:
                name = template.format(p=province, c=city)
                units.setdefault(name, Unit(name, unit_type, province))
    return rng.sample(list(units.values()), n)


@functools.lru_cache(maxsize=4)
def sentence_pool(sample: Path = SAMPLE) -> Pool:
    """Body sentences and sub-headings of the sample by role, read via ingest + structure.

    Duplicate articles are left out; body sentences lose leading enumerators; sub-headings are
    the sample's headings (4–30 characters) whose cue words name no role other than their own.

    Example::

        >>> pool = sentence_pool()                 # 样例语料的句子池
        >>> len(pool.body["countermeasure"]) > 100
        True
    """
    from pipeline.ingest import ingest
    from pipeline.structure import structure
    from pipeline.structure.roles import heading_roles

    documents = ingest(sample).documents
    documents = documents[documents["dup_of"].isna()]
    sentences = structure(documents, seed=0)
    body: dict[str, list[str]] = {role: [] for role in SECTION_HEADINGS}
    headings: dict[str, list[str]] = {role: [] for role in SECTION_HEADINGS}
    seen: set[str] = set()
    for role, text, is_heading in zip(
        sentences["role"], sentences["text"], sentences["is_heading"], strict=True
    ):
        if role not in body:
            continue
        clean = _LEADING_NUMBER.sub("", str(text)).strip()
        if is_heading:
            clean = clean.rstrip(_HEADING_END)
            if 4 <= len(clean) <= 30 and heading_roles(clean) <= {role} and clean not in seen:
                headings[role].append(clean)
                seen.add(clean)
        elif len(clean) >= 8 and clean not in seen:
            body[role].append(clean if clean[-1] in "。！？；…”" else clean + "。")
            seen.add(clean)
    for role in SECTION_HEADINGS:
        if not body[role] or not headings[role]:
            raise RuntimeError(
                f"{sample}: the sample gave no {role} sentences or headings; the synthetic "
                "corpus needs corpus/sample with its problem/cause/countermeasure sections"
            )
    return Pool(
        body={r: tuple(v) for r, v in body.items()},
        headings={r: tuple(v) for r, v in headings.items()},
    )


class _Drawer:
    """Sentences of one role in a fresh random order, refilled when used up."""

    def __init__(self, items: tuple[str, ...], rng: random.Random) -> None:
        self.items, self.rng, self.queue = items, rng, []

    def take(self) -> str:
        if not self.queue:
            self.queue = list(self.items)
            self.rng.shuffle(self.queue)
        return self.queue.pop()


def make_report(
    pool: Pool, unit: Unit, *, year: int, rng: random.Random, target_bytes: int
) -> tuple[str, str]:
    """(title, text) of one synthetic report of about ``target_bytes`` UTF-8 bytes.

    Example::

        >>> title, text = make_report(sentence_pool(), make_units(random.Random(0))[0],
        ...                           year=2020, rng=random.Random(1), target_bytes=5000)
        >>> "一、" in text and "对策" in text      # 编号标题和对策部分
        True
    """
    topic = rng.choice(TITLE_TOPICS)
    title = rng.choice(TITLE_FORMS).format(unit=unit.name, topic=topic, year=year)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    date_line = (
        f"{year}年{month:02d}月{day:02d}日"
        if rng.random() < 0.5
        else f"{year}-{month:02d}-{day:02d} {rng.randint(8, 20):02d}:{rng.randint(0, 59):02d}"
    )
    short = "我们" if rng.random() < 0.3 else unit.name
    intro = rng.choice(INTRO_FORMS).format(short=short, topic=topic, year=year, month=month)

    roles = ["problem", "cause", "countermeasure"]
    if rng.random() < 0.4:
        roles.insert(0, "achievement")
    # Byte budget per role: countermeasures get the largest share, as in real reports.
    weights = {"achievement": 1.0, "problem": 1.2, "cause": 0.9, "countermeasure": 1.8}
    total_weight = sum(weights[r] for r in roles)
    budget = max(0, target_bytes - len((title + date_line + intro + unit.name).encode("utf-8")))
    body_drawers = {r: _Drawer(pool.body[r], rng) for r in roles}
    heading_drawers = {r: _Drawer(pool.headings[r], rng) for r in roles}

    lines = [title, unit.name, date_line, intro]
    for number, role in zip("一二三四五", roles, strict=False):
        lines.append(f"{number}、{rng.choice(SECTION_HEADINGS[role])}")
        role_budget = budget * weights[role] / total_weight
        n_sub = max(1, min(5, round(role_budget / rng.uniform(700, 1400))))
        for sub in range(n_sub):
            lines.append(f"（{'一二三四五'[sub]}）{heading_drawers[role].take()}")
            sub_budget, used, paragraph = role_budget / n_sub, 0, []
            size = rng.randint(2, 5)
            while not used or used < sub_budget:  # sentences until the budget is met
                sentence = body_drawers[role].take()
                paragraph.append(sentence)
                used += len(sentence.encode("utf-8"))
                if len(paragraph) == size:  # paragraphs of 2-5 sentences
                    lines.append("".join(paragraph))
                    paragraph, size = [], rng.randint(2, 5)
            if paragraph:
                lines.append("".join(paragraph))
    return title, "\n\n".join(lines) + "\n"


def make_corpus(
    out_dir: str | Path, *, megabytes: float, seed: int = 0, sample: Path = SAMPLE
) -> Path:
    """Write a synthetic corpus of about ``megabytes`` MB (10^6 bytes) of reports to ``out_dir``.

    ``out_dir`` is replaced if it exists. Reports are written into a staging folder
    (``<out_dir>.partial``) that is renamed at the end, so a half-written corpus never sits
    under ``out_dir``.

    Example::

        >>> make_corpus("benchmarks/.data/synth_1mb", megabytes=1)   # 约 1 MB、约 150 篇
        PosixPath('benchmarks/.data/synth_1mb')
    """
    out = Path(out_dir)
    rng = random.Random(seed)
    pool = sentence_pool(sample)
    units = make_units(rng)
    staging = out.with_name(out.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)

    rows = []
    written, limit, index = 0, int(megabytes * 1_000_000), 0
    while written < limit:
        unit = rng.choice(units)
        year = rng.choice(YEARS)
        target = rng.randint(2_400, 8_000)  # ~3-10 KB once headings are added
        _, text = make_report(pool, unit, year=year, rng=rng, target_bytes=target)
        data = text.encode("utf-8")
        rel = f"part_{index // FILES_PER_FOLDER:03d}/r{index:06d}.txt"
        path = staging / rel
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        rows.append((rel, 0, unit.name, unit.unit_type, unit.region, year, rng.choice(SOURCES)))
        written += len(data)
        index += 1

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(METADATA_COLUMNS)
    writer.writerows(rows)
    (staging / "metadata.csv").write_bytes(buffer.getvalue().encode("utf-8"))
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return out


def cached_corpus(cache: Path, *, megabytes: float, seed: int = 0) -> Path:
    """The corpus of ``megabytes`` MB under ``cache``, built only when missing or outdated.

    A mark file next to the folder (``synth_10mb_seed0.done``, written once the corpus is
    complete) records the generator version, seed and size; the corpus folder itself holds
    only reports and ``metadata.csv``, so ingest sees nothing else.

    Example::

        >>> cached_corpus(Path("benchmarks/.data"), megabytes=10)   # 复用已生成的语料
        PosixPath('benchmarks/.data/synth_10mb_seed0')
    """
    size = f"{megabytes:g}".replace(".", "p")
    folder = cache / f"synth_{size}mb_seed{seed}"
    mark = cache / f"{folder.name}.done"
    expected = f"version={GENERATOR_VERSION} seed={seed} megabytes={megabytes:g}\n"
    if folder.is_dir() and mark.is_file() and mark.read_text(encoding="utf-8") == expected:
        return folder
    mark.unlink(missing_ok=True)
    make_corpus(folder, megabytes=megabytes, seed=seed)
    mark.write_text(expected, encoding="utf-8")
    return folder


def corpus_bytes(folder: Path) -> int:
    """Total size of the ``.txt`` reports under ``folder``.

    Example::

        >>> corpus_bytes(Path("benchmarks/.data/synth_1mb_seed0")) >= 1_000_000   # 字节数
        True
    """
    return sum(p.stat().st_size for p in folder.rglob("*.txt"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--mb", type=float, default=1.0, help="size in MB (10^6 bytes)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    folder = make_corpus(args.out, megabytes=args.mb, seed=args.seed)
    n_files = sum(1 for _ in folder.rglob("*.txt"))
    print(f"{folder}: {n_files} reports, {corpus_bytes(folder) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
