"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 8
MIN_LENGTH_STAFF = 12
MAX_LENGTH = 256

_hasher = PasswordHasher()  # argon2id with argon2-cffi's defaults (above ASVS 11.4.2's floor)
_common = frozenset(FREQUENCY_LISTS["passwords"])
# Verified against when the account is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


async def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """(matches, a new hash if the parameters changed). Runs argon2 off the event loop."""
    target = stored_hash or _DUMMY_HASH

    def check() -> tuple[bool, str | None]:
        try:
            _hasher.verify(target, password)
        except (VerificationError, InvalidHashError):
            return False, None
        if stored_hash is None:
            return False, None
        rehash = _hasher.hash(password) if _hasher.check_needs_rehash(target) else None
        return True, rehash

    return await asyncio.to_thread(check)


def password_problem(password: str, *, staff: bool) -> str | None:
    """Why this password is not acceptable, or None. No composition rules (ASVS 6.2)."""
    minimum = MIN_LENGTH_STAFF if staff else MIN_LENGTH
    if len(password) < minimum:
        return f"Use at least {minimum} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if "\x00" in password:
        return "The password has a character that cannot be used."
    if password.lower() in _common:
        return "This password is on a list of common passwords. Choose another."
    return None
