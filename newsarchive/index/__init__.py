"""The search index (Whoosh): derived from the store, rebuildable from it."""
