"""Rooms, beds and bed assignments: who sleeps where, from when to when."""
