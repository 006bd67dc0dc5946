"""Raw captures: every response kept in WARC files (warc.py), and pages
read out of foreign WARC files such as CC-NEWS (importer.py)."""
