"""Scheduled crawls: the loop that runs due sources' crawls as child
processes, and the cron and systemd units that start it (scheduler.py).
When a source is due is the source's own business (sites/timing.py)."""
