"""newsarchive: a personal, searchable archive of the news."""

__version__ = "0.1.0"
