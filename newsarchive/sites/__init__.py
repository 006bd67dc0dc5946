"""Sites: what the user says of each (sources.toml) and what the archive
learns of each from its own articles (knowledge.py)."""
