"""Domain errors that services raise and views turn into responses."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. `field` names the form field the message belongs next to, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The record does not exist, or the actor may not know that it does."""

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)


class StaleEdit(DomainError):
    """Someone else changed the record since the form was opened."""
