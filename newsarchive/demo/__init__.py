"""The demo news site: bundled articles (articles.json), the pages made
from them (site.py, newssite.py) and a real HTTP server on 127.0.0.1
(server.py). `newsarchive demo` crawls it; the tests crawl it too.
"""
