"""System: health of the database, Redis and workers."""
