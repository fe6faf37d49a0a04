"""Outbox: emails written in the same transaction as the change, sent later by a worker."""
