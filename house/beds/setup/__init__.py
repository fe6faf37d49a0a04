"""Setting up a house: its details with its rooms and beds, on one page."""
