"""Reports across concepts: the weekly compliance summary."""
