"""newsarchive: a personal, searchable archive of the news.

The library's front door, for use from Python::

    from newsarchive import Archive, Config, SearchRequest

    archive = Archive(Config.load("~/news"))
    page = archive.search(SearchRequest("flood barriers", sort="newest"))

Names are imported when first used, so `import newsarchive` stays cheap.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# Public name -> the module that defines it.
_EXPORTS = {
    "Archive": "newsarchive.archive",
    "Config": "newsarchive.config",
    "Article": "newsarchive.article",
    "Page": "newsarchive.pipeline",
    "SearchRequest": "newsarchive.index.api",
    "SearchPage": "newsarchive.index.api",
    "extract_article": "newsarchive.extract",
    "NewsarchiveError": "newsarchive.errors",
    "NoArticle": "newsarchive.errors",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'newsarchive' has no attribute {name!r}")
