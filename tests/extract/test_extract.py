"""Extraction: one page in, one clean article (or a reason) out."""

from __future__ import annotations

import re

import pytest

from conftest import PAGES, SAMPLE_URL
from newsarchive.article import RECORD_FIELDS, Article
from newsarchive.demo.site import article_pages, site_data
from newsarchive.errors import NoArticle
from newsarchive.extract import MAX_PAGE_BYTES, extract, extract_article


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def test_shared_sample_gets_every_expected_field(shared_sample):
    html, expected = shared_sample
    article = extract(html.read_bytes(), SAMPLE_URL)
    assert article is not None
    assert article.title == expected["title"]
    assert article.subtitle == expected["subtitle"]
    assert article.published.startswith(expected["published"])
    assert article.section == expected["section"]
    assert article.source == "jpost.com"
    assert article.language == "en"
    assert article.paragraphs() == expected["body_paragraphs"]
    for unwanted in expected["must_not_contain"]:
        assert unwanted not in article.text
    lead = article.images[0]
    assert (lead.caption, lead.credit) == (expected["image_caption"], expected["image_credit"])


def test_curly_quotes_and_page_characters_are_kept(shared_sample):
    html, _ = shared_sample
    text = extract(html.read_bytes(), SAMPLE_URL).text
    assert "opposition’s" in text and "“ungrateful and treacherous.”" in text


@pytest.mark.parametrize("number", range(len(site_data()["articles"])))
def test_demo_site_pages_come_out_as_written(number):
    written = site_data()["articles"][number]
    page = article_pages()[number]
    article = extract(page.html, page.url)
    assert article.paragraphs() == written["paragraphs"]
    assert article.title == written["title"]
    assert article.subtitle == written["subtitle"]
    assert list(article.authors) == written["authors"]
    assert article.published == written["published"]
    assert list(article.tags) == written["tags"]
    assert (article.images[0].caption, article.images[0].credit) == (
        written["image"]["caption"],
        written["image"]["credit"],
    )


def test_page_with_only_meta_tags_and_a_visible_byline():
    article = extract(page("meta-only.html"))
    assert article.title == "Tanker runs aground at the mouth of the Wend"
    assert article.authors == ("Jane Doe", "John Roe")
    assert article.published == "2024-10-03T06:40:00-04:00"
    assert article.language == "en"
    assert article.site_name == "Northshore Courier"
    # Tracking parameters never become part of an article's identity.
    assert article.canonical_url == "https://news.northshore-courier.example/coast/tanker-aground-wend"
    assert article.source == "news.northshore-courier.example"
    assert article.tags == ("shipping", "coastguard", "Wend estuary")
    figure = next(image for image in article.images if image.caption)
    assert figure.caption == "Tugboats stand by the stranded tanker on Thursday morning"
    assert figure.credit == "AP/Lars Holm"


def test_body_keeps_subheadings_and_lists_but_drops_furniture():
    paragraphs = extract(page("meta-only.html")).paragraphs()
    assert "Channel closed until high tide" in paragraphs
    assert "The last grounding, in 2021, closed the harbour for three days." in paragraphs
    text = "\n".join(paragraphs)
    for furniture in (
        "Read more",
        "Advertisement",
        "Sign up",
        "Share this article",
        "Photo:",
        "Tugboats stand by",
        "By Jane Doe",
        "Nobody listens",
        "All rights reserved",
        "Most popular",
    ):
        assert furniture not in text


def test_windows_1252_page_labelled_latin1_decodes_right():
    article = extract(page("legacy-cp1252.html"))
    assert article.title == "Café owners fight the €2 coffee tax"
    assert "“naïve and ruinous”" in article.text
    assert "Françoise Müller" in article.text and "paper — that" in article.text


def test_undeclared_windows_1252_is_detected():
    body = page("legacy-cp1252.html").replace(
        b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', b""
    )
    assert b"charset" not in body
    assert "“naïve and ruinous”" in extract(body).text


def test_page_claiming_utf8_but_in_windows_1252_is_not_mangled():
    body = page("legacy-cp1252.html").replace(b"charset=iso-8859-1", b"charset=utf-8")
    article = extract(body)
    assert "\ufffd" not in article.text
    assert "Zürich" in article.text


def test_http_charset_wins_over_a_missing_meta_charset():
    sentence = "Größere Straßen für Köln, sagt der Rat, und mehr Platz für Räder in der Innenstadt."
    html = f"<html><body><h1>Über uns</h1><p>{sentence * 4}</p><p>{sentence * 3}</p></body></html>"
    body = html.encode("iso-8859-15")
    article = extract(body, "https://koeln.example/a", content_type="text/html; charset=ISO-8859-15")
    assert "Größere Straßen für Köln" in article.text


def test_paragraphs_built_from_line_breaks_in_a_table_layout():
    """A 2000s page: the story in a table cell, windows-1252, paragraphs as
    text<br><br>, a promo link between them twice, a menu above and a
    "Most read" box beside."""
    article = extract(
        page("legacy-brbr.html"), "https://www.quay-post.example/local/harbour-board-keeps-ferry"
    )
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4, article.text
    assert all("\n" not in p for p in paragraphs)
    assert paragraphs[0].startswith("PORT ALDER – The harbour board voted")
    assert paragraphs[-1].endswith("the café on the pier will stay open.")
    for furniture in ("Click for full", "Home", "Most read", "Harbour board votes", "Ann Hale", "©"):
        assert furniture not in article.text


def test_the_lead_image_in_another_size_is_the_first_figure_not_a_second_image():
    html = (
        "<html><head><title>Bridge</title>"
        '<meta property="og:image" content="https://cdn.quay.example/2024/05/harbour-bridge-reopens_1200x630.jpg">'
        "</head><body><article><h1>Bridge reopens</h1>"
        '<figure><img src="https://cdn.quay.example/2024/05/harbour-bridge-reopens-800x450.jpg">'
        "<figcaption>The first buses cross. Photo: Ines Varga</figcaption></figure>"
        '<figure><img src="https://cdn.quay.example/2024/05/ferry-timetable-winter.jpg"></figure>'
        + "".join(
            f"<p>The harbour bridge reopened on Tuesday after its repair, part {n} of the story.</p>"
            for n in range(3)
        )
        + "</article></body></html>"
    )
    images = extract(html, "https://quay.example/2024/05/bridge").images
    assert [(i.url.rsplit("/", 1)[-1], i.caption, i.credit) for i in images] == [
        ("harbour-bridge-reopens_1200x630.jpg", "The first buses cross", "Ines Varga"),
        ("ferry-timetable-winter.jpg", None, None),
    ]


def test_str_input_is_accepted():
    text = page("meta-only.html").decode("utf-8")
    assert extract(text).to_dict() == extract(page("meta-only.html")).to_dict()


def test_extraction_is_deterministic():
    first = extract(page("meta-only.html"), "https://x.example/a").to_dict()
    for _ in range(3):
        assert extract(page("meta-only.html"), "https://x.example/a").to_dict() == first


def test_terminal_escapes_never_reach_the_record():
    article = extract(page("hostile.html"))
    record = article.to_dict()
    for field in ("title", "text"):
        assert "\x1b" not in record[field] and "\x00" not in record[field]
        assert "[31m" not in record[field]
    assert article.title == "RED ALERT [bold red]Markup[/bold red] headline"
    # Real right-to-left text and emoji are content, and stay.
    assert "مرحبا بكم" in article.text and "\U0001f30a" in article.text


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (bytes(range(256)) * 8, "not-html"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x01\x02" * 50, "not-html"),
        (b"<html><body><p>Too short to be news.</p></body></html>", "too-short"),
        (b"<html><body><div><a href='/a'>One</a> <a href='/b'>Two</a></div></body></html>", "no-text"),
    ],
)
def test_non_articles_come_back_with_a_reason(body, reason):
    with pytest.raises(NoArticle) as raised:
        extract_article(body, "https://example.com/x")
    assert raised.value.reason == reason
    assert extract(body, "https://example.com/x") is None


def test_section_page_is_not_an_article():
    with pytest.raises(NoArticle) as raised:
        extract_article(page("section-page.html"), "https://news.northshore-courier.example/coast")
    assert raised.value.reason == "index-page"


def test_oversized_page_is_refused_before_parsing():
    huge = b"<html><body><p>" + b"word " * (MAX_PAGE_BYTES // 5 + 1) + b"</p></body></html>"
    with pytest.raises(NoArticle) as raised:
        extract_article(huge)
    assert raised.value.reason == "too-large"


def test_canonical_pointing_at_the_home_page_is_ignored():
    body = page("meta-only.html").replace(
        b'<meta property="og:url"',
        b'<link rel="canonical" href="https://news.northshore-courier.example/"><meta property="og:url"',
    )
    article = extract(body, "https://news.northshore-courier.example/coast/tanker-aground-wend")
    assert article.canonical_url.endswith("/coast/tanker-aground-wend")


def test_page_without_any_url_gets_a_content_derived_identity():
    first, second = extract(page("legacy-cp1252.html")), extract(page("legacy-cp1252.html"))
    assert first.canonical_url.startswith("urn:sha256:")
    assert first.id == second.id
    assert first.source == "local"


def test_record_has_the_contract_fields_in_order():
    article = extract(page("meta-only.html"))
    record = article.to_dict()
    assert tuple(record) == RECORD_FIELDS
    assert record["word_count"] == len(re.findall(r"\w+", article.text)) > 150
    assert Article.from_dict(record) == article


def test_derived_fields_follow_the_content():
    article = extract(page("meta-only.html"))
    changed = article.replace(text=article.text + "\n\nA late correction.")
    assert changed.content_hash != article.content_hash
    assert changed.word_count == article.word_count + 3
    assert changed.id == article.id


def test_a_stored_record_is_read_back_as_it_was_derived_and_replace_derives_again():
    """The store reads articles with `from_record`, trusting the derived
    fields it wrote; a replaced copy derives them afresh all the same."""
    article = extract(page("meta-only.html"))
    record = {**article.to_dict(), "provenance": article.provenance}
    assert Article.from_record(record) == article
    assert Article.from_record(record).provenance == article.provenance
    assert Article.from_record({**record, "word_count": 7}).word_count == 7
    assert Article.from_dict({**record, "word_count": 7}).word_count == article.word_count
    read = Article.from_record({**record, "word_count": 7})
    assert read.replace(title="New").word_count == article.word_count


def test_an_article_is_an_immutable_value_that_pickles():
    """Articles cross process pools (pickled) and sit in sets and dicts: a
    value, compared without its provenance, that no code can change."""
    import pickle

    article = extract(page("meta-only.html"))
    twin = Article.from_dict({**article.to_dict(), "provenance": {"title": "elsewhere"}})
    assert twin == article and hash(twin) == hash(article) and len({twin, article}) == 1
    assert article.replace(title="Other") != article
    with pytest.raises(AttributeError, match="immutable"):
        article.title = "Changed"  # type: ignore[misc]
    back = pickle.loads(pickle.dumps(article))
    assert back == article and back.provenance == article.provenance
    assert repr(article).startswith("Article(url=")
    assert article.replace(title="Other").images == article.images
