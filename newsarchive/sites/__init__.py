"""Sites: what the user says of each (sources.toml, read by sources.py,
with its crawl schedule read by timing.py) and what the archive learns of
each from its own articles (knowledge.py)."""
