"""`ARCHIVE/sources.toml`: the sites a user follows and their rules.

    [sources.herald]
    urls = ["https://www.harbour-herald.example/"]
    drop = ["div.promo", "aside.related"]   # CSS selectors never part of an article
    date_order = "DMY"                      # how the site writes numeric dates
    timezone = "Europe/Oslo"                # zone of times printed without one

A source's rules apply to every page whose host is one of its URLs' hosts
(``www.`` aside). A mistake in the file is reported with where it is and
what to write instead; nothing is guessed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsarchive.errors import BadInput
from newsarchive.extract.knowledge import DATE_ORDERS, SiteRules
from newsarchive.urls import is_web_url, source_of

_KEYS = {
    "urls": "a list of the site's start URLs",
    "drop": "a list of CSS selectors",
    "date_order": f"one of {', '.join(DATE_ORDERS)}",
    "timezone": "an IANA zone such as Europe/Oslo",
}


class BadSources(BadInput):
    """sources.toml cannot be used as written."""


@dataclass(frozen=True)
class Source:
    name: str
    urls: tuple[str, ...]
    rules: SiteRules

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(source_of(url) for url in self.urls)


def load_sources(path: Path) -> list[Source]:
    """The sources in a sources.toml; none when the file does not exist."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise BadSources(f"cannot read {path}: {error}") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as error:
        raise BadSources(f"{path} is not valid TOML: {error}") from None
    unknown = set(data) - {"sources"}
    if unknown:
        raise BadSources(f"{path}: unknown table [{sorted(unknown)[0]}]; sources go under [sources.NAME]")
    sources = data.get("sources", {})
    if not isinstance(sources, dict):
        raise BadSources(f"{path}: write each source as a table, [sources.NAME]")
    return [_source(path, name, entry) for name, entry in sources.items()]


def _source(path: Path, name: str, entry) -> Source:
    where = f"{path}: [sources.{name}]"
    if not isinstance(entry, dict):
        raise BadSources(f"{where} must be a table of keys ({', '.join(_KEYS)})")
    for key in entry:
        if key not in _KEYS:
            raise BadSources(f"{where} has an unknown key {key!r}; known keys are {', '.join(_KEYS)}")
    urls = _strings(where, entry, "urls")
    if not urls:
        raise BadSources(f'{where} needs urls = ["https://..."], {_KEYS["urls"]}')
    for url in urls:
        if not is_web_url(url):
            raise BadSources(f"{where}: {url!r} is not an http(s) URL")
    drop = _strings(where, entry, "drop")
    for selector in drop:
        _check_selector(where, selector)
    date_order = entry.get("date_order")
    if date_order is not None and date_order not in DATE_ORDERS:
        raise BadSources(f"{where}: date_order must be {_KEYS['date_order']}, not {date_order!r}")
    timezone = entry.get("timezone")
    if timezone is not None:
        try:
            ZoneInfo(str(timezone))
        except (ZoneInfoNotFoundError, ValueError):
            raise BadSources(f"{where}: timezone {timezone!r} is not {_KEYS['timezone']}") from None
    return Source(name, tuple(urls), SiteRules(drop=tuple(drop), date_order=date_order, timezone=timezone))


def _strings(where: str, entry: dict, key: str) -> list[str]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadSources(f"{where}: {key} must be {_KEYS[key]}")
    return value


def _check_selector(where: str, selector: str) -> None:
    from cssselect import SelectorError
    from lxml.cssselect import CSSSelector

    try:
        CSSSelector(selector)
    except SelectorError as error:
        raise BadSources(f"{where}: drop selector {selector!r} is not valid CSS ({error})") from None
