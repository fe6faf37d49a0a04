"""Delivering alerts (the people's side): who gets each alert on which channel, sending
emails with retries, digests, escalation, the weekly compliance email."""
