"""Discovery: Scrapy spiders that find a news site's articles.

From a site's home page: robots.txt `Sitemap:` lines, sitemap indexes,
plain, gzipped and Google News sitemaps, RSS/Atom feeds (also announced by
`<link rel="alternate">`), and links within the site, with article pages
told apart from section, tag, archive and utility pages.
"""
