"""`ARCHIVE/sources.toml`: the sites a user follows, when, and their rules.

    [sources.herald]
    urls = ["https://www.harbour-herald.example/"]
    every = "30m"                           # or: cron = "*/30 * * * *"
    allow = ["/news/", "/2025/"]            # only URLs matching one of these
    deny = ["/live-blog/"]                  # never URLs matching one of these
    drop = ["div.promo", "aside.related"]   # CSS selectors never part of an article
    date_order = "DMY"                      # how the site writes numeric dates
    timezone = "Europe/Oslo"                # zone of times printed without one
    [sources.herald.settings]               # Scrapy settings for its crawls
    DOWNLOAD_DELAY = 3

A source's rules apply to every page whose host is one of its URLs' hosts
(``www.`` aside). A mistake in the file is reported with where it is and
what to write instead; nothing is guessed. `sources add` and `sources
remove` edit the file with tomlkit, which keeps the user's comments.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsarchive.errors import BadInput
from newsarchive.extract.knowledge import DATE_ORDERS, SiteRules
from newsarchive.sites.timing import Schedule
from newsarchive.urls import is_web_url, source_of

_KEYS = {
    "urls": "a list of the site's start URLs",
    "every": 'a duration such as "30m" or "2h"',
    "cron": 'a cron expression such as "*/30 * * * *"',
    "allow": "a list of regular expressions URLs must match one of",
    "deny": "a list of regular expressions no URL may match",
    "settings": "a table of Scrapy settings, e.g. DOWNLOAD_DELAY = 3",
    "drop": "a list of CSS selectors",
    "date_order": f"one of {', '.join(DATE_ORDERS)}",
    "timezone": "an IANA zone such as Europe/Oslo",
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")


class BadSources(BadInput):
    """sources.toml cannot be used as written."""


@dataclass(frozen=True)
class Source:
    name: str
    urls: tuple[str, ...]
    rules: SiteRules
    schedule: Schedule | None = None
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(source_of(url) for url in self.urls)


def load_sources(path: Path) -> list[Source]:
    """The sources in a sources.toml; none when the file does not exist."""
    from newsarchive.config import read_toml

    found = read_toml(path, BadSources)
    if found is None:
        return []
    data, raw = found
    unknown = set(data) - {"sources"}
    if unknown:
        raise BadSources(f"{path}: unknown table [{sorted(unknown)[0]}]; sources go under [sources.NAME]")
    sources = data.get("sources", {})
    if not isinstance(sources, dict):
        raise BadSources(f"{path}: write each source as a table, [sources.NAME]")
    return [_source(path, raw, name, entry) for name, entry in sources.items()]


def _line_of(raw: str, name: str) -> str:
    for number, line in enumerate(raw.splitlines(), start=1):
        if re.match(rf"^\s*\[\s*sources\s*\.\s*\"?{re.escape(name)}\"?\s*\]", line):
            return f" (line {number})"
    return ""


def _source(path: Path, raw: str, name: str, entry) -> Source:
    where = f"{path}: [sources.{name}]{_line_of(raw, name)}"
    if not _NAME.match(name):
        raise BadSources(f"{where}: a source name is letters, digits, '.', '_' and '-'")
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
    try:
        schedule = Schedule.of(entry.get("every"), entry.get("cron"))
    except BadInput as error:
        raise BadSources(f"{where}: {error}") from None
    allow, deny = _strings(where, entry, "allow"), _strings(where, entry, "deny")
    for pattern in allow + deny:
        try:
            re.compile(pattern)
        except re.error as error:
            raise BadSources(f"{where}: {pattern!r} is not a regular expression ({error})") from None
    settings = entry.get("settings", {})
    if not isinstance(settings, dict) or any(isinstance(v, (dict, list)) for v in settings.values()):
        raise BadSources(f"{where}: settings must be {_KEYS['settings']}")
    return Source(
        name,
        tuple(urls),
        SiteRules(drop=tuple(drop), date_order=date_order, timezone=timezone),
        schedule=schedule,
        allow=tuple(allow),
        deny=tuple(deny),
        settings={str(k).upper(): str(v) for k, v in settings.items()},
    )


def add_source(
    path: Path,
    name: str,
    urls: list[str],
    *,
    every: str | None = None,
    cron: str | None = None,
    settings: dict[str, str] | None = None,
) -> Source:
    """Add a source to sources.toml (made if missing), keeping what the
    file holds; the result is checked before it is written."""
    import tomlkit

    raw = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        document = tomlkit.parse(raw)
    except tomlkit.exceptions.ParseError as error:
        raise BadSources(f"{path} is not valid TOML: {error}") from None
    sources = document.setdefault("sources", tomlkit.table(is_super_table=True))
    if name in sources:
        raise BadInput(
            f"there is a source {name!r} already; remove it first (`newsarchive sources remove {name}`)"
        )
    entry = tomlkit.table()
    entry["urls"] = urls
    if every:
        entry["every"] = every
    if cron:
        entry["cron"] = cron
    if settings:
        entry["settings"] = {k: _toml_value(v) for k, v in settings.items()}
    sources[name] = entry
    text = tomlkit.dumps(document)
    (source,) = [s for s in _check(path, text) if s.name == name]
    _write(path, text)
    return source


def remove_source(path: Path, name: str) -> None:
    import tomlkit

    if not path.exists():
        raise BadInput(f"there is no source {name!r}: {path} does not exist")
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    sources = document.get("sources", {})
    if name not in sources:
        known = ", ".join(sorted(sources)) or "none"
        raise BadInput(f"there is no source {name!r} (sources: {known})")
    del sources[name]
    _write(path, tomlkit.dumps(document))


def _toml_value(value: str):
    """ "3" as 3 and "true" as true, so the file reads as a person writes it."""
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d+\.\d*", value):
        return float(value)
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _check(path: Path, text: str) -> list[Source]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadSources(f"{path} would not be valid TOML: {error}") from None
    return [_source(path, text, n, e) for n, e in data.get("sources", {}).items()]


def _write(path: Path, text: str) -> None:
    """Atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


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
