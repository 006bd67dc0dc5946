"""Copies of one story: the same wire text run by many sites, trimmed,
extended or re-headlined. Pure functions find them (signatures.py) and
label them (relations.py); the store keeps signatures, band keys and
clusters, so any process finds an article's copies and the index can
collapse them.
"""
