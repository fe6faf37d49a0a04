"""Pure helpers: no ORM, no HTTP."""
