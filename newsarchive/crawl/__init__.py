"""The crawl around Scrapy's engine: frontier, middlewares, pipeline, settings, run."""
