"""The Markdown pipeline and its nh3 sanitiser, including a list of XSS payloads."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from nutrition.content.rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    EXTERNAL_REL,
    render_markdown,
    sanitize_html,
)

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<img src="javascript:alert(1)">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="https://ok.example/" onmouseover="alert(1)">x</a>',
    '<a href="https://ok.example/" rel="opener" target="_blank">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="position:fixed;inset:0">overlay</div>',
    '<div onclick="alert(1)">x</div>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<input autofocus onfocus=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!--<img src=x onerror=alert(1)>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<h2 id="main" class="evil">clobber</h2>',
    '<a href="/foods/" class="food-link evil" id="site-nav">x</a>',
    "<template><script>alert(1)</script></template>",
    '<div class="table-scroll evil" role="alert" tabindex="5" onfocus="alert(1)">x</div>',
    "<textarea><script>alert(1)</script></textarea>",
]

MARKDOWN_PAYLOADS = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    '[x]( javascript:alert(1) "title")',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "## Heading <script>alert(1)</script>",
    '## <img src=x onerror="alert(1)">',
    '[[spinach"><script>alert(1)</script>]]',
    "[[category:leafy-greens|<img src=x onerror=alert(1)>]]",
]

SAFE_URL_SCHEMES = {"http", "https", "mailto", ""}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_safe(html: str) -> None:
    lowered = html.lower()
    for needle in ("<script", "<svg", "<math", "<iframe", "<object", "<embed", "<style", "<form"):
        assert needle not in lowered, html
    collector = _Collector()
    collector.feed(html)
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | {"class", "rel", "role", "tabindex"}
        for name, value in attrs.items():
            assert name in allowed, (tag, name, html)
            assert not name.startswith("on"), html
            if name in {"href", "src"}:
                scheme = urlsplit((value or "").strip()).scheme.lower()
                assert scheme in SAFE_URL_SCHEMES, (value, html)
            if name == "class":
                assert (tag, value) in {("a", "food-link"), ("div", "table-scroll")}, html
            if name == "role":
                assert (tag, value) == ("div", "region"), html
            if name == "tabindex":
                assert (tag, value) == ("div", "0"), html
            if name == "rel":
                assert value == EXTERNAL_REL, html
            if name == "id":
                assert value not in {"main", "site-nav"}, html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitiser_neutralises_xss_payloads(payload):
    assert_safe(sanitize_html(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS + MARKDOWN_PAYLOADS)
def test_markdown_pipeline_neutralises_xss_payloads(payload):
    assert_safe(render_markdown(payload).html)


@pytest.mark.parametrize(
    ("payload", "kept"),
    [
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ("<img src=x onerror=alert(1)>", '<img src="x">'),
        ("<script>alert(1)</script>after", "after"),
        ('<p style="color:red" onclick="x()">text</p>', "<p>text</p>"),
    ],
)
def test_sanitiser_keeps_the_harmless_part(payload, kept):
    assert sanitize_html(payload) == kept


def test_script_content_is_dropped_not_shown_as_text():
    assert "alert" not in sanitize_html("<script>alert(1)</script><style>p{}</style>")


def test_external_links_get_noopener_nofollow_and_internal_links_none():
    html = render_markdown(
        "[ods](https://ods.od.nih.gov/) [proto](//evil.example/) [home](/articles/) "
        "[mail](mailto:team@example.com)"
    ).html
    assert '<a href="https://ods.od.nih.gov/" rel="noopener nofollow">ods</a>' in html
    assert '<a href="//evil.example/" rel="noopener nofollow">proto</a>' in html
    assert '<a href="/articles/">home</a>' in html
    assert '<a href="mailto:team@example.com">mail</a>' in html


def test_author_supplied_rel_is_replaced():
    html = sanitize_html('<a href="https://x.example/" rel="opener">x</a>')
    assert html == '<a href="https://x.example/" rel="noopener nofollow">x</a>'


def test_headings_get_ids_and_a_two_level_table_of_contents():
    rendered = render_markdown("# Top\n\n## Food & *drink*\n\n### Sub part\n\n#### Deep\n\n## Main")
    assert '<h2 id="top">Top</h2>' in rendered.html  # the page keeps the only h1
    assert '<h2 id="food-drink">Food &amp; <em>drink</em></h2>' in rendered.html
    assert '<h4 id="deep">Deep</h4>' in rendered.html
    # "main" is the page's own landmark id, so the heading gets another one.
    assert '<h2 id="main-section">Main</h2>' in rendered.html
    assert rendered.toc == [
        {"id": "top", "title": "Top", "level": 2, "children": []},
        {
            "id": "food-drink",
            "title": "Food & drink",
            "level": 2,
            "children": [{"id": "sub-part", "title": "Sub part", "level": 3, "children": []}],
        },
        {"id": "main-section", "title": "Main", "level": 2, "children": []},
    ]


def test_duplicate_headings_get_distinct_ids():
    rendered = render_markdown("## Notes\n\n## Notes")
    ids = [entry["id"] for entry in rendered.toc]
    assert len(set(ids)) == 2
    for heading_id in ids:
        assert f'id="{heading_id}"' in rendered.html


def test_tables_use_align_attributes_not_inline_styles():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |").html
    assert 'align="right"' in html
    assert "style" not in html


def test_tables_sit_in_a_named_keyboard_scrollable_box():
    html = render_markdown("## Forms & *salts*\n\n| a | b |\n|--|--|\n| 1 | 2 |").html
    assert (
        '<div aria-label="Forms &amp; salts" class="table-scroll" role="region" tabindex="0">'
        "<table>"
    ) in html
    assert '<div aria-label="Table"' in render_markdown("| a |\n|--|\n| 1 |").html


def test_food_names_link_to_food_search_and_categories():
    rendered = render_markdown(
        "Eat [[spinach]], [[pumpkin seeds|pumpkin seed kernels]] and "
        "[[category:leafy-greens|leafy greens]].\n\n| a |\n|--|\n| [[Chia\\|chia seeds]] |"
    )
    html = rendered.html
    assert '<a class="food-link" href="/foods/?q=spinach">spinach</a>' in html
    assert '<a class="food-link" href="/foods/?q=pumpkin+seed+kernels">pumpkin seeds</a>' in html
    assert (
        '<a class="food-link" href="/foods/magnesium-rich/?category=leafy-greens">leafy greens</a>'
        in html
    )
    assert '<a class="food-link" href="/foods/?q=chia+seeds">Chia</a>' in html
    assert [link["url"] for link in rendered.food_links] == [
        "/foods/?q=spinach",
        "/foods/?q=pumpkin+seed+kernels",
        "/foods/magnesium-rich/?category=leafy-greens",
        "/foods/?q=chia+seeds",
    ]


def test_unknown_food_category_is_reported_and_left_as_text():
    rendered = render_markdown("[[category:sweets|sweets]]")
    assert rendered.unknown_categories == ["sweets"]
    assert "<a" not in rendered.html


def test_food_link_syntax_inside_code_stays_literal():
    assert "<code>[[spinach]]</code>" in render_markdown("`[[spinach]]`").html


def test_reading_time_counts_words():
    assert render_markdown("word " * 50).reading_time_minutes == 1
    assert render_markdown("word " * 1000).reading_time_minutes == 5
