"""Placements: a stay in a bed (admit, move, exit, a corrected move-in), and the pages of
residents with their beds."""
