"""Raising alerts (the rules' side).

`raise_alert` inserts an alert unless its key exists (rule, subject, period: unique in the
database), then asks `deliveries.plan` for its delivery rows, in the same transaction.
`record_event` writes an immediate rule's outbox row inside the caller's transaction.
"""
