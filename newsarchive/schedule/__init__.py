"""Scheduled crawls: when a source is due (timing.py, pure) and the loop
that runs due crawls as child processes (scheduler.py)."""
