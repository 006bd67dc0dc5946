"""Site rules, crawl hints, provenance and the reasons pages are refused."""

from __future__ import annotations

import json

import pytest

from conftest import PAGES
from newsarchive.boilerplate import fingerprint
from newsarchive.errors import NoArticle
from newsarchive.extract import Hints, SiteRules, extract, extract_article

STORY = " ".join(
    [
        "The harbour commission met on Tuesday evening to decide the future of the old grain silo,",
        "which has stood empty on the east quay since the mill closed in 1998.",
        "Commissioners heard from architects, fishermen and neighbours before voting to keep the building",
        "and turn its lower floors into workshops for boat builders and sail makers.",
    ]
)


def page(
    *,
    head: str = "",
    body: str = "",
    paragraphs: int = 3,
    byline: str = "",
) -> str:
    story = "".join(f"<p>{STORY} (part {n}).</p>" for n in range(paragraphs))
    return (
        f"<html lang='en'><head><meta charset='utf-8'><title>Silo saved - Quay News</title>{head}</head>"
        f"<body><nav><a href='/'>Home</a> <a href='/local'>Local</a></nav>"
        f"<article><h1>Silo saved</h1>{byline}<div class='body'>{story}{body}</div></article></body></html>"
    )


URL = "https://quay.example/local/silo"


def refused(html: str, url: str = URL) -> NoArticle:
    with pytest.raises(NoArticle) as raised:
        extract_article(html, url)
    return raised.value


def jsonld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def news_ld(**fields) -> str:
    """The page's NewsArticle JSON-LD, with these fields beside its headline."""
    return jsonld(
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Silo saved", **fields}
    )


# -- refusals ------------------------------------------------------------------


def test_declared_paywall_teaser_is_kept_marked_with_what_it_showed():
    article = extract_article(page(paragraphs=1, head=news_ld(isAccessibleForFree="False")), URL)
    assert article.access == "paywalled"
    assert article.title == "Silo saved"
    assert "grain silo" in article.text
    assert article.to_dict()["access"] == "paywalled"


def test_paywalled_page_with_the_full_text_is_a_free_article():
    html = page(
        paragraphs=8,
        head=news_ld(isAccessibleForFree=False),
    )
    assert extract_article(html, URL).access == "free"


def test_teaser_that_asks_to_subscribe_is_kept_as_paywalled():
    html = page(
        paragraphs=1, body="<p>Subscribe now to continue reading this story and all of Quay News.</p>"
    )
    assert extract_article(html, URL).access == "paywalled"


def test_an_article_behind_a_login_is_kept_marked():
    html = page(
        paragraphs=0,
        head='<meta property="og:type" content="article">',
        body="<p>Members read the whole story.</p><form><input type='password' name='pw'></form>",
    )
    article = extract_article(html, URL)
    assert article.access == "login" and article.title.startswith("Silo saved")


def test_a_short_page_that_says_it_is_an_article_is_kept():
    """A photo story or a brief: a few words, but the page calls itself an
    article; never refused."""
    html = page(paragraphs=0, head=news_ld(datePublished="2025-05-02"), body="<p>The silo at dawn.</p>")
    article = extract_article(html, URL)
    assert article.text == "The silo at dawn." and article.access == "free"


def test_a_page_its_scripts_render_gets_its_text_from_json_ld():
    html = (
        "<html><head><title>Silo saved</title>"
        + news_ld(articleBody=f"{STORY}\n\nA second paragraph of the story, told in the data only.")
        + "</head><body><div id='root'></div></body></html>"
    )
    article = extract_article(html, URL)
    assert article.text == f"{STORY}\n\nA second paragraph of the story, told in the data only."
    assert article.provenance["text"] == "json-ld"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "ja",
            "東京女子医大の新校舎建設工事を巡って、業務報酬名目で不正に支払わせたとして、警視庁は元理事長を逮捕した。",
        ),
        (
            "zh",
            "财政部今天下午将公布今年统一发票中奖清册，本期千万中奖张数为十八张，兑奖期限为四月六日至七月六日。",
        ),
        ("th", "กรุงเทพมหานครประกาศแผนพัฒนาระบบขนส่งสาธารณะใหม่เพื่อลดปัญหาการจราจรติดขัดในเมือง"),
    ],
)
def test_text_written_without_spaces_is_counted_by_character(language, text):
    """Three sentences of a language written without spaces hold a handful of
    spaces: counted by whitespace they were "too short" and refused."""
    html = (
        f"<html lang='{language}'><head><meta charset='utf-8'><title>題</title></head><body><article><h1>題</h1>"
        + "".join(f"<p>{text}{n}</p>" for n in range(3))
        + "</article></body></html>"
    )
    article = extract_article(html, URL)
    assert article.word_count >= 3 * 0.9 * len(text)


def test_login_wall():
    html = (
        "<html><head><title>Log in</title></head><body><h1>Members only</h1>"
        "<form><input name='user'><input type='password' name='pw'><button>Log in</button></form></body></html>"
    )
    assert refused(html, "https://quay.example/account").reason == "login-wall"


def test_page_that_needs_javascript():
    html = (
        "<html><head><title>Quay News</title><script src='/app.js'></script></head>"
        "<body><noscript>You need to enable JavaScript to run this app.</noscript><div id='root'></div></body></html>"
    )
    assert refused(html).reason == "needs-javascript"


def test_page_declared_a_collection_is_an_index_page():
    html = page(
        paragraphs=6,
        head=jsonld({"@context": "https://schema.org", "@type": "CollectionPage", "name": "Local news"}),
    )
    assert refused(html, "https://quay.example/local/").reason == "index-page"


# -- site rules ----------------------------------------------------------------


def test_drop_selectors_remove_what_the_site_always_adds():
    html = page(
        body="<div class='sponsor'><p>"
        + "This report is brought to you by the Harbour Bank, " * 4
        + "</p></div>"
    )
    url = "https://quay.example/local/silo"
    assert "Harbour Bank" in extract(html, url).text
    assert "Harbour Bank" not in extract(html, url, rules=SiteRules(drop=("div.sponsor",))).text


def test_learnt_boilerplate_is_dropped():
    promo = "Quay News is free to read thanks to readers like you: please consider a donation today."
    html = page(body=f"<p>{promo}</p>")
    url = "https://quay.example/local/silo"
    assert promo in extract(html, url).text
    learnt = SiteRules(boilerplate=frozenset({fingerprint(promo)}))
    assert promo not in extract(html, url, rules=learnt).text


@pytest.mark.parametrize(
    ("order", "expected"), [("MDY", "2013-04-05T14:30:00"), ("DMY", "2013-05-04T14:30:00")]
)
def test_date_order_reads_numeric_byline_dates(order, expected):
    html = page(byline="<div class='byline'>By Ann Berg | 04/05/2013 14:30</div>")
    article = extract(html, "https://quay.example/local/silo", rules=SiteRules(date_order=order))
    assert article.published == expected
    assert article.provenance["published"] == "dateline"


def test_timezone_is_given_to_times_printed_without_one():
    html = page(head="<meta property='article:published_time' content='2024-07-01T09:15:00'>")
    url = "https://quay.example/local/silo"
    assert extract(html, url).published == "2024-07-01T09:15:00"
    zoned = extract(html, url, rules=SiteRules(timezone="Europe/Oslo"))
    assert zoned.published == "2024-07-01T09:15:00+02:00"


def test_bad_date_order_is_refused():
    with pytest.raises(ValueError, match="date_order"):
        SiteRules(date_order="YDM")


# -- hints and provenance ----------------------------------------------------


def test_feed_date_is_evidence_when_the_page_has_none():
    html = page()
    article = extract(html, "https://quay.example/local/silo", hints=Hints(published="2024-03-02T08:00:00Z"))
    assert article.published == "2024-03-02T08:00:00+00:00"
    assert article.provenance["published"] == "feed"


def test_page_date_wins_over_the_feed():
    html = page(head="<meta property='article:published_time' content='2024-03-01T10:00:00+01:00'>")
    article = extract(html, "https://quay.example/local/silo", hints=Hints(published="2024-03-02T08:00:00Z"))
    assert article.published == "2024-03-01T10:00:00+01:00"
    assert article.provenance["published"] == "opengraph"


def test_provenance_of_the_shared_sample(shared_sample):
    html, _ = shared_sample
    article = extract(html.read_bytes(), "https://www.jpost.com/Middle-East/x-308937")
    # Its only author is "JPOST.COM STAFF", the site's desk: no person.
    assert article.authors == ()
    assert article.provenance == {
        "site_name": "json-ld",
        "section": "json-ld",
        "title": "h1",
        "subtitle": "json-ld",
        "published": "json-ld",
        "modified": "json-ld",
        "tags": "json-ld",
        "language": "html-lang",
        "canonical_url": "link-canonical",
        "image_url": "json-ld",
        "image_caption": "json-ld",
        "text": "trafilatura",
    }


def test_provenance_of_a_meta_only_page():
    article = extract((PAGES / "meta-only.html").read_bytes())
    assert article.provenance["authors"] == "byline"
    assert article.provenance["published"] == "time-element"
    assert article.provenance["canonical_url"] == "opengraph"
    assert article.provenance["tags"] == "meta"
    assert article.provenance["language"] == "html-lang"


# -- cleaning ------------------------------------------------------------------


def test_site_names_posing_as_authors_are_left_out():
    html = page(
        head=news_ld(
            author=[
                {"@type": "Person", "name": "Ann Berg"},
                {"@type": "Organization", "name": "Quay News"},
            ],
            publisher={"@type": "Organization", "name": "Quay News"},
        )
    )
    assert extract(html, "https://quay.example/local/silo").authors == ("Ann Berg",)


def test_the_site_or_its_desk_is_no_author():
    html = page(
        head=news_ld(
            author={"@type": "Organization", "name": "Quay News Staff"},
            publisher={"@type": "Organization", "name": "Quay News"},
        )
    )
    assert extract(html, "https://quay.example/local/silo").authors == ()


# -- the five ways metadata went wrong on sites nobody tuned for ---------------


def test_a_teaser_behind_a_paywall_keeps_its_date():
    """Refused pages gave no date at all; a paywalled one is kept, dated."""
    html = page(
        paragraphs=1, head=news_ld(isAccessibleForFree=False, datePublished="2024-05-03T09:00:00+02:00")
    )
    article = extract_article(html, URL)
    assert (article.access, article.published) == ("paywalled", "2024-05-03T09:00:00+02:00")


def test_the_writer_in_the_byline_wins_over_the_publisher_in_the_markup():
    html = page(
        head=news_ld(author={"@type": "Organization", "name": "Quay News"})
        + '<meta name="author" content="quay.example"><meta property="og:site_name" content="Quay News">',
        byline='<p class="byline">By Ann Berg | 3 May 2024</p>',
    )
    assert extract(html, URL).authors == ("Ann Berg",)


def test_an_agency_byline_is_kept_beside_people():
    html = page(
        head=news_ld(
            author=[{"@type": "Person", "name": "Ann Berg"}, {"@type": "Organization", "name": "dpa"}]
        )
    )
    assert extract(html, URL).authors == ("Ann Berg", "dpa")
    alone = page(head=news_ld(author={"@type": "Organization", "name": "The Associated Press"}))
    assert extract(alone, URL).authors == ("The Associated Press",)


def test_image_credits_are_no_authors():
    html = page(
        head='<meta name="author" content="Ann Berg"><meta name="author" content="(Image: Getty Images/iStockphoto)">',
        body="<figure><img src='/silo.jpg'><figcaption><span class='author'>Photo: Lee Park</span></figcaption></figure>",
    )
    assert extract(html, URL).authors == ("Ann Berg",)


def test_character_references_left_in_a_title_are_decoded():
    html = page(
        head='<meta property="og:title" content="R&amp;uuml;ckbau von Atomkraftwerk &amp;#8211; Quay News">'
    )
    assert extract(html, URL).title == "Rückbau von Atomkraftwerk – Quay News"


def test_the_headline_on_the_page_wins_over_an_og_title_with_a_teaser_added():
    html = page(
        head='<meta property="og:title" content="Silo saved by the harbour commission - here is what it means for you">'
    ).replace("<h1>Silo saved</h1>", "<h1>Silo saved by the harbour commission</h1>")
    article = extract(html, URL)
    assert (article.title, article.provenance["title"]) == ("Silo saved by the harbour commission", "h1")


def test_a_time_declared_without_its_offset_takes_it_where_the_page_states_it():
    html = page(
        head=news_ld(datePublished="2024-05-03T15:47:42")
        + '<meta property="article:published_time" content="2024-05-03T15:47:42+02:00">'
    )
    assert extract(html, URL).published == "2024-05-03T15:47:42+02:00"


def test_a_utc_time_is_shown_in_the_local_clock_the_page_prints():
    html = page(
        head=news_ld(datePublished="2020-02-25T02:25:54Z"), byline="<p>February 24, 2020 | 9:25pm</p>"
    )
    assert extract(html, "https://quay.example/2020/02/24/silo").published == "2020-02-24T21:25:54-05:00"


def test_a_utc_time_is_shown_in_the_zone_of_the_sites_country():
    html = page(head=news_ld(datePublished="2019-10-18T22:04:00Z"))
    assert extract(html, "https://www.quay.example.de/silo").published == "2019-10-19T00:04:00+02:00"
    # Where nothing tells the zone, the time stays as declared.
    assert extract(html, "https://quay.example.com/silo").published == "2019-10-18T22:04:00+00:00"


def test_a_utc_time_the_page_dates_a_day_earlier_keeps_the_pages_date():
    html = page(head=news_ld(datePublished="2020-02-18T02:18:11Z"))
    assert extract(html, "https://quay.example.com/2020/02/17/silo").published == "2020-02-17"


def test_a_date_printed_under_the_headline_gives_the_declared_day_its_time():
    html = page(head=news_ld(datePublished="2025-04-01"), byline="<p>erstellt: 01. April 2025, 15:25</p>")
    assert extract(html, URL).published == "2025-04-01T15:25:00"


def test_a_sidebar_date_does_not_outweigh_the_date_in_the_address():
    html = page(body="<aside><time datetime='2009-04-11T18:06:36'>11 April 2009</time></aside>").replace(
        "<nav>", "<nav><time datetime='2009-04-11T18:06:36'>11 April 2009</time>"
    )
    assert extract(html, "https://quay.example/2019/10/22/silo").published == "2019-10-22"


def test_date_lines_inside_the_body_are_dropped_but_dated_sentences_stay():
    html = page(
        body="<p>Updated: April 5, 2013 10:32 GMT</p><p>The next meeting is on May 5, 2013.</p><h2>2013</h2>"
    )
    text = extract(html, "https://quay.example/local/silo").text
    assert "Updated: April 5" not in text
    assert "The next meeting is on May 5, 2013." in text
