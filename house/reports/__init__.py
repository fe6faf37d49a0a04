"""Reports across concepts: the weekly summary (the Monday email and its page)."""
