"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import asyncio
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from house.settings import get_settings

MIN_LENGTH = 8
MIN_LENGTH_STAFF = 12
MAX_LENGTH = 256

# argon2id with argon2-cffi's defaults (RFC 9106's low-memory choice: t=3, 64 MiB, p=4),
# above ASVS 11.4.2's floor. About a second of a busy core for each hash or check.
STANDARD = PasswordHasher()
# Still argon2id, with the least work argon2 takes, for the test suite only (its passwords
# are made up, and it signs in thousands of times): PASSWORD_HASHING=fast, which settings
# refuse unless HOUSE_ENV=test. A hash made with it is rehashed at the next sign-in.
FAST_FOR_TESTS = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
_common = frozenset(FREQUENCY_LISTS["passwords"])


def _hasher() -> PasswordHasher:
    settings = get_settings()
    fast = settings.password_hashing == "fast"  # noqa: S105 - a cost's name, not a password
    if fast and settings.env == "test":
        return FAST_FOR_TESTS
    return STANDARD


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified against when the account is unknown, so both paths cost the same."""
    return hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


async def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """(matches, a new hash if the parameters changed). Runs argon2 off the event loop."""
    hasher = _hasher()
    target = stored_hash or _dummy_hash(hasher)

    def check() -> tuple[bool, str | None]:
        try:
            hasher.verify(target, password)
        except (VerificationError, InvalidHashError):
            return False, None
        if stored_hash is None:
            return False, None
        rehash = hasher.hash(password) if hasher.check_needs_rehash(target) else None
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
