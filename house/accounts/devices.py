"""The known-device cookie: a browser that has signed in as an account before.

Its value is `v1.<device id>.<user ids>.<signature>`: a random id for the browser, the
accounts (most recent first, at most MAX_ACCOUNTS) that have signed in on it with their
password, and an HMAC-SHA256 of both with the app's SECRET_KEY, so it cannot be made or
changed without the key. The sign-in throttle reads it: failures from elsewhere never slow
a browser that carries it for the account, and its own failures count against the device
(so a stolen laptop is throttled too).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from house.settings import get_settings

VERSION = "v1"
MAX_ACCOUNTS = 10
# Browsers keep a cookie for at most 400 days; a year, refreshed at each sign-in.
MAX_AGE_SECONDS = 365 * 24 * 3600
_DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
_USER_IDS = re.compile(rf"^\d{{1,18}}(-\d{{1,18}}){{0,{MAX_ACCOUNTS - 1}}}$")


@dataclass(frozen=True)
class KnownDevice:
    device_id: str
    user_ids: tuple[int, ...]

    def knows(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.user_ids


def cookie_name() -> str:
    return "__Host-device" if get_settings().secure_cookies else "device"


def _signature(device_id: str, users: str) -> str:
    key = get_settings().secret_key.encode()
    message = f"known-device|{VERSION}|{device_id}|{users}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def read_device(raw: str | None) -> KnownDevice | None:
    """The device a cookie names, or None when it is missing, malformed or not signed by
    this app's key."""
    if not raw or len(raw) > 400:
        return None
    parts = raw.split(".")
    if len(parts) != 4 or parts[0] != VERSION:
        return None
    _, device_id, users, signature = parts
    if not _DEVICE_ID.match(device_id) or not _USER_IDS.match(users):
        return None
    if not hmac.compare_digest(signature, _signature(device_id, users)):
        return None
    return KnownDevice(device_id, tuple(int(u) for u in users.split("-")))


def remember(device: KnownDevice | None, user_id: int) -> str:
    """The cookie value after `user_id` signed in on this browser (a new device id when the
    browser carried no valid cookie)."""
    device_id = device.device_id if device else secrets.token_urlsafe(16)
    others = [u for u in (device.user_ids if device else ()) if u != user_id]
    users = "-".join(str(u) for u in [user_id, *others][:MAX_ACCOUNTS])
    return f"{VERSION}.{device_id}.{users}.{_signature(device_id, users)}"
