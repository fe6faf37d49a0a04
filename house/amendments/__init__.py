"""Amendments: corrections of records that are never overwritten silently nor deleted."""
