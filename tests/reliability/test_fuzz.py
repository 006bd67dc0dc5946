"""Any input gives an article, a reason, or a clean error: never a crash."""

from __future__ import annotations

import contextlib
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.errors import BadQuery, NoArticle
from newsarchive.extract import extract_article
from newsarchive.index.whoosh.search import parse_query

CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EXAMPLES = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text as the web serves it: any Unicode, with markup characters, controls,
# escapes and bidi overrides mixed in.
web_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("<>&\"'=/;{}[]\x00\x1b\x07\u202e\u200f \n\t")),
    ),
    max_size=80,
)
TAGS = [
    "p",
    "div",
    "span",
    "a",
    "h1",
    "h2",
    "article",
    "section",
    "ul",
    "li",
    "table",
    "tr",
    "td",
    "figure",
    "figcaption",
    "img",
    "script",
    "style",
    "noscript",
    "time",
    "blockquote",
    "br",
    "meta",
    "title",
    "form",
]
ATTRIBUTES = [
    "class",
    "id",
    "href",
    "src",
    "datetime",
    "content",
    "property",
    "name",
    "rel",
    "type",
    "lang",
    "itemprop",
]


def element(children):
    attributes = st.dictionaries(st.sampled_from(ATTRIBUTES), web_text, max_size=3)
    return st.builds(
        lambda tag, attrs, kids: (
            f"<{tag} " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + ">" + "".join(kids) + f"</{tag}>"
        ),
        st.sampled_from(TAGS),
        attributes,
        st.lists(children, max_size=5),
    )


html_fragments = st.recursive(web_text, element, max_leaves=40)
ld_json = st.recursive(
    st.none() | st.booleans() | st.integers() | web_text,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "headline",
                    "author",
                    "name",
                    "datePublished",
                    "image",
                    "keywords",
                    "@graph",
                    "isAccessibleForFree",
                    "publisher",
                    "url",
                    "caption",
                    "articleSection",
                    "@id",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=15,
)


def check(result_or_error) -> None:
    article = result_or_error
    for field in (article.title, article.text, article.subtitle or "", *article.authors):
        assert not CONTROLS.search(field), field


@EXAMPLES
@given(st.binary(max_size=4096))
def test_any_bytes(body):
    with contextlib.suppress(NoArticle):
        check(extract_article(body, "https://fuzz.example/a"))


@EXAMPLES
@given(html_fragments, st.lists(html_fragments, max_size=6), ld_json)
def test_any_html(head, body, metadata):
    import json

    page = (
        f"<html><head>{head}<script type='application/ld+json'>{json.dumps(metadata)}</script></head>"
        f"<body>{''.join(body)}</body></html>"
    )
    for document in (page, page.encode("utf-8"), page.encode("utf-8", "replace")[: len(page) // 2]):
        with contextlib.suppress(NoArticle):
            check(extract_article(document, "https://fuzz.example/a"))


@EXAMPLES
@given(st.text(max_size=120))
def test_any_query(text):
    with contextlib.suppress(BadQuery):
        parse_query(text)
