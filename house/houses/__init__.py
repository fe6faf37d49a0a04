"""Houses: the addresses people live in and staff work in."""
