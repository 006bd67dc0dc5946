"""Copies of one story: the same wire text run by many sites, trimmed,
extended or re-headlined. Pure functions find them (signatures.py) and
label them (relations.py); linking follows the store's change log beside
the index (link.py), finding candidates among the prints of the days
around each article (window.py); the store keeps every fingerprint, edge
and cluster, so any process can look, search folds each story into one
result (fold.py) and alerts report a story once.
"""
