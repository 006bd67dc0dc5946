"""Saved searches that keep watching the archive (`newsarchive alerts`).

An alert is a query with search filters. When it is added, what matches
already is marked seen; each run then looks only at the articles changed
since its last (the store's change log), and reports those that match,
were never seen, and are no copy of an article it has seen (copies/):
never twice, never a story again because another site ran it. New
matches are appended to ARCHIVE/alerts/NAME.jsonl as search hit records
and, when the alert has a command, given to it on stdin as JSON Lines.
watch.py decides what is new; deliver.py writes and runs.
"""
