"""strip_chrome on the real sample pages and on page furniture the sample does not have."""

from __future__ import annotations

import re

import pytest
from data.ingest.sample import normalised_pages

from pipeline.ingest.chrome import strip_chrome

JUNK = "精选资料1111111111111345挂豆腐干豆腐吧"
SPAM = "91香蕉高清国产线观看免费-97夜夜澡人人爽人人喊a-99久久久无码国产精品9-国产亚洲日韩欧美综合"

# Everything strip_chrome must remove from each sample page, in page order, and nothing else.
EXPECTED_REMOVED = {
    "000": [
        "【写作参考】阿拉题库漂亮网友为您精选的“党建与业务工作深度融合不够（精选4篇）”文档资料，"
        "供您写作参考阅读之用，希望对您有所帮助，喜欢就复制下载吧！"
    ],
    "001": [
        "?",
        "猜你喜欢",
        "机关政治工作",
        "“讲政治”绝不能只是“讲讲”",
        "在推进“两个机关”建设中践行新使命",
        "把人大机关建设成为学习型机关",
        "“政治攀附”",
        "“政治不纯”",
        "政治不过硬，必定不可靠——政治体检不能含糊",
        "不工作，爽飞了？",
        "打开机关锁",
        "选工作",
        SPAM,
    ],
    "002": [
        "首页 > 实用范文 > 调研报告",
        "编辑：浅唱梦痕 识别码：127-39365 调研报告 发布时间： 2021-11-21 22:18:36 来源：网络",
        "机关党建工作“两张皮”问题127范本（精选合集）",
        "TOP",
    ],
    "003": ["文字缩放：", "（责编：冯爱龄、白 翔）"],
    "004": [
        JUNK,
        "下面是小编为大家整理的关于党建工作与业务工作深度融合的几点思考4篇，供大家参考。",
        JUNK,
        JUNK,
        JUNK,
        "2",
        "推荐访问：关于党建工作与业务工作深度融合的几点思考 党建工作 深度 融合",
    ],
}

# Chrome and spam that must not survive anywhere in the cleaned sample.
CHROME_PATTERNS = [
    r"首页\s*>",
    r"编辑[:：]",
    r"识别码",
    r"发布时间",
    r"写作参考",
    r"文字缩放",
    r"猜你喜欢",
    r"推荐访问",
    r"责编",
    r"1111111111",
    r"挂豆腐干",
    r"^TOP$",
    r"香蕉|无码|夜夜|人人爽",
    r"小编|供大家参考|复制下载",
    r"^\d+$",
    r"^\W+$",
]

# Real lines, including the ends of articles and byline lines find_byline needs later.
KEPT_LINES = {
    "000": [
        "党建与业务工作深度融合不够【第一篇】",
        "我们将努力将党建与业务工作相互融合、互相促进，让党建工作在润物细无声中对业务工作发挥作用。",
        "一、推动党建与业务工作",
        "“真”融合",
    ],
    "001": [
        "坚持问题导向全面提高机关党建质量研究",
        "2024-03-03 03:14湖北省委直属机关工委课题组",
        "党员生活·下 2024年2期",
        "关键词：机关政治工作",
        "思想认识不够到位、分类指导不够精准、工作创新不够主动、能力素质不够过硬等等。",
        "◎ 对策思考",
    ],
    "002": [
        "第一篇：机关党建工作“两张皮”问题调研报告范本",
        "新时期机关党建工作存在的问题及对策",
        "（五）保持党的纯洁性先进性，做好“三个关口”审查工作",
    ],
    "003": [
        "石家庄市直机关工委课题组",
        "2020年06月23日08:49",
        "（课题组成员：戚阿东、廖文武、张洁、马哲、蔡培）",
        "（来源：《机关党建研究》2019年第9期）",
    ],
    "004": [
        "篇一：关于党建工作与业务工作深度融合的几点思考",
        "推进机关党建与业务工作深度融合的思考",
        "结语",
        "结束语",
        "参考文献",
        "参考文献：",
        "[4]刘文倩.党建与业务深度融合的基层党建工作模式研究[J].青春岁月，2019(23):334,333.",
    ],
}


@pytest.fixture(scope="module")
def cleaned() -> dict[str, tuple[str, list[str]]]:
    return {page: strip_chrome(text) for page, text in normalised_pages().items()}


@pytest.mark.parametrize("page", sorted(EXPECTED_REMOVED))
def test_sample_chrome_removed_and_nothing_else(cleaned, page) -> None:
    removed = [" ".join(item.split()) for item in cleaned[page][1]]  # NBSP -> space
    assert removed == EXPECTED_REMOVED[page]


@pytest.mark.parametrize("page", sorted(EXPECTED_REMOVED))
def test_no_chrome_or_spam_left(cleaned, page) -> None:
    text = cleaned[page][0]
    for pattern in CHROME_PATTERNS:
        hit = re.search(pattern, text, flags=re.M)
        assert hit is None, f"{page}: {pattern!r} left: {hit.group()!r}"


@pytest.mark.parametrize("page", sorted(KEPT_LINES))
def test_real_lines_are_kept(cleaned, page) -> None:
    lines = cleaned[page][0].split("\n")
    for line in KEPT_LINES[page]:
        assert line in lines, f"{page}: lost {line!r}"


def test_every_kept_line_comes_from_the_page(cleaned) -> None:
    for page, text in normalised_pages().items():
        squeezed = re.sub(r"\s+", "", text)
        for line in cleaned[page][0].split("\n"):
            assert re.sub(r"\s+", "", line)[:30] in squeezed, (page, line)


def test_inline_junk_and_promo_are_cut_out_of_real_lines(cleaned) -> None:
    text = cleaned["004"][0]
    header = text.split("\n")[0]
    assert header.endswith(
        "推进机关党建与业务工作深度融合的思考 党的建设不仅是中国革命的三大法宝之"
    )
    # The junk glued to the first article's title is gone, the title line is whole.
    assert "\n推进机关党建与业务工作深度融合的思考\n" in text


def test_paragraph_cut_by_a_junk_line_is_joined_again(cleaned) -> None:
    text = cleaned["004"][0]
    assert (
        "两者相辅相成、相互促进，融为一体、密不可分。一方面，机关业务工作不可能孤立地进行" in text
    )
    assert "分享活动开展取得的成果" in text
    # A page-break without junk is left to the normaliser: no guessing here.
    assert "认真研读中央和地方各项\n文件，" in text


def test_unseen_page_furniture_is_removed() -> None:
    page = "\n".join(
        [
            "当前位置：首页 > 党建动态 > 正文",
            "某县委组织部关于基层党建工作的调研报告",
            "【字体：大 中 小】 发布日期：2023-05-06 来源：某某日报 浏览次数：1234",
            "分享到：微信 微博 QQ空间",
            "作者：某县委组织部课题组",
            "一、基本情况",
            "近年来，我县坚持抓党建促发展，久久为功，取得了明显成效。",
            "以下为小编收集的范文，欢迎阅读。下一步，我们将持续推进。",
            "（作者单位：某县委党校）",
            "打印本页 关闭窗口",
            "上一篇：关于加强机关作风建设的意见",
            "相关文章",
            "关于党建工作的几点思考",
            "党建引领乡村振兴调研报告",
            "热门推荐：",
            "版权所有：某县委组织部 ICP备12345678号",
            "返回顶部",
        ]
    )
    text, removed = strip_chrome(page)
    assert text.split("\n") == [
        "某县委组织部关于基层党建工作的调研报告",
        "作者：某县委组织部课题组",
        "一、基本情况",
        "近年来，我县坚持抓党建促发展，久久为功，取得了明显成效。",
        "下一步，我们将持续推进。",
        "（作者单位：某县委党校）",
    ]
    assert "以下为小编收集的范文，欢迎阅读。" in removed


@pytest.mark.parametrize(
    "line",
    [
        "成人视频-午夜福利-国产精品-一区二区",
        "xx影院-yy电影网-zz视频站-在线看吧",
        "【字体：大 中 小】",
        "第 3 页",
        "— 12 —",
        "……",
        "Top",
    ],
)
def test_unseen_junk_lines_are_removed(line) -> None:
    assert strip_chrome(f"正文第一段。\n{line}\n正文第二段。") == (
        "正文第一段。\n正文第二段。",
        [line],
    )


@pytest.mark.parametrize(
    "line",
    [
        "亚洲基础设施投资银行、“一带一路”精品工程建设稳步推进，久久为功。",
        "全年投入资金1000000元，覆盖2020-2021-2022三个年度。",
        "2019年6月，我们对全市73个单位进行了调研。",
        "一、党建工作与业务工作深度融合的重要性",
        "2.1从思想认识方面进行深度融合",
    ],
)
def test_real_lines_that_look_a_little_like_chrome_are_kept(line) -> None:
    assert strip_chrome(line) == (line, [])
