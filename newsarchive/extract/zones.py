"""The time zone a site most likely prints its times in.

Many pages declare their publication time in UTC (`2020-02-25T02:25:54Z`)
while their readers, their URLs and their printed datelines use local time
(February 24, 9:25 pm). The instant is right either way, but an archive
filters by the date printed on the article, so a UTC time is shown in the
site's zone when that zone can be known: the user's rule for the site, the
country of its domain, or the region or language of the page, where the
country or language keeps one zone. Where it cannot (a .com page in
English: which of America's zones?), the time stays as declared.

Data, not branches: a country or language is here only when nearly all of
it keeps one zone.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Countries (ISO 3166 code, also their domain) with one zone, or one that
# nearly all their news keeps (Brazil, Mexico, Spain: the capital's).
COUNTRY_ZONES = {
    "ad": "Europe/Andorra", "ae": "Asia/Dubai", "al": "Europe/Tirane", "ar": "America/Argentina/Buenos_Aires",
    "at": "Europe/Vienna", "ba": "Europe/Sarajevo", "bd": "Asia/Dhaka", "be": "Europe/Brussels",
    "bg": "Europe/Sofia", "bh": "Asia/Bahrain", "bo": "America/La_Paz", "br": "America/Sao_Paulo",
    "by": "Europe/Minsk", "ch": "Europe/Zurich", "cl": "America/Santiago", "cn": "Asia/Shanghai",
    "co": "America/Bogota", "cr": "America/Costa_Rica", "cu": "America/Havana", "cy": "Asia/Nicosia",
    "cz": "Europe/Prague", "de": "Europe/Berlin", "dk": "Europe/Copenhagen", "do": "America/Santo_Domingo",
    "dz": "Africa/Algiers", "ec": "America/Guayaquil", "ee": "Europe/Tallinn", "eg": "Africa/Cairo",
    "es": "Europe/Madrid", "fi": "Europe/Helsinki", "fr": "Europe/Paris", "gb": "Europe/London",
    "gh": "Africa/Accra", "gr": "Europe/Athens", "gt": "America/Guatemala", "hk": "Asia/Hong_Kong",
    "hn": "America/Tegucigalpa", "hr": "Europe/Zagreb", "hu": "Europe/Budapest", "ie": "Europe/Dublin",
    "il": "Asia/Jerusalem", "in": "Asia/Kolkata", "iq": "Asia/Baghdad", "ir": "Asia/Tehran",
    "is": "Atlantic/Reykjavik", "it": "Europe/Rome", "jo": "Asia/Amman", "jp": "Asia/Tokyo",
    "ke": "Africa/Nairobi", "kr": "Asia/Seoul", "kw": "Asia/Kuwait", "lb": "Asia/Beirut",
    "li": "Europe/Vaduz", "lk": "Asia/Colombo", "ls": "Africa/Maseru", "lt": "Europe/Vilnius",
    "lu": "Europe/Luxembourg", "lv": "Europe/Riga", "ma": "Africa/Casablanca", "md": "Europe/Chisinau",
    "me": "Europe/Podgorica", "mk": "Europe/Skopje", "mt": "Europe/Malta", "mx": "America/Mexico_City",
    "my": "Asia/Kuala_Lumpur", "ng": "Africa/Lagos", "ni": "America/Managua", "nl": "Europe/Amsterdam",
    "no": "Europe/Oslo", "np": "Asia/Kathmandu", "nz": "Pacific/Auckland", "om": "Asia/Muscat",
    "pa": "America/Panama", "pe": "America/Lima", "ph": "Asia/Manila", "pk": "Asia/Karachi",
    "pl": "Europe/Warsaw", "pr": "America/Puerto_Rico", "pt": "Europe/Lisbon", "py": "America/Asuncion",
    "qa": "Asia/Qatar", "ro": "Europe/Bucharest", "rs": "Europe/Belgrade", "sa": "Asia/Riyadh",
    "se": "Europe/Stockholm", "sg": "Asia/Singapore", "si": "Europe/Ljubljana", "sk": "Europe/Bratislava",
    "sv": "America/El_Salvador", "th": "Asia/Bangkok", "tn": "Africa/Tunis", "tr": "Europe/Istanbul",
    "tw": "Asia/Taipei", "ua": "Europe/Kyiv", "uk": "Europe/London", "uy": "America/Montevideo",
    "ve": "America/Caracas", "vn": "Asia/Ho_Chi_Minh", "za": "Africa/Johannesburg",
}  # fmt: skip

# Languages nearly all of whose news is written in one zone (German: Germany,
# Austria and Switzerland keep the same time).
LANGUAGE_ZONES = {
    "bg": "Europe/Sofia", "ca": "Europe/Madrid", "cs": "Europe/Prague", "da": "Europe/Copenhagen",
    "de": "Europe/Berlin", "el": "Europe/Athens", "et": "Europe/Tallinn", "eu": "Europe/Madrid",
    "fi": "Europe/Helsinki", "gl": "Europe/Madrid", "he": "Asia/Jerusalem", "hr": "Europe/Zagreb",
    "hu": "Europe/Budapest", "is": "Atlantic/Reykjavik", "it": "Europe/Rome", "ja": "Asia/Tokyo",
    "ko": "Asia/Seoul", "lb": "Europe/Luxembourg", "lt": "Europe/Vilnius", "lv": "Europe/Riga",
    "nb": "Europe/Oslo", "nl": "Europe/Amsterdam", "nn": "Europe/Oslo", "no": "Europe/Oslo",
    "pl": "Europe/Warsaw", "ro": "Europe/Bucharest", "sk": "Europe/Bratislava", "sl": "Europe/Ljubljana",
    "sq": "Europe/Tirane", "sr": "Europe/Belgrade", "sv": "Europe/Stockholm", "th": "Asia/Bangkok",
    "tr": "Europe/Istanbul", "uk": "Europe/Kyiv", "vi": "Asia/Ho_Chi_Minh", "zh": "Asia/Shanghai",
}  # fmt: skip


@cache
def zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def site_zone(host: str | None, language: str | None) -> tuple[ZoneInfo | None, str | None]:
    """The zone a site most likely prints its times in, and what told it:
    ("domain", "language region" or "language"), else (None, None)."""
    country = (host or "").rstrip(".").rsplit(".", 1)[-1].lower()
    if country in COUNTRY_ZONES:
        return zone(COUNTRY_ZONES[country]), "domain"
    tag = (language or "").replace("_", "-").lower().split("-")
    if len(tag) > 1 and tag[-1] in COUNTRY_ZONES:
        return zone(COUNTRY_ZONES[tag[-1]]), "language region"
    if len(tag) > 1:
        return None, None  # a region keeping several zones (en-US, pt-BR aside)
    if tag[0] in LANGUAGE_ZONES:
        return zone(LANGUAGE_ZONES[tag[0]]), "language"
    return None, None
