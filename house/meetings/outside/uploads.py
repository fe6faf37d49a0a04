"""Meeting-slip photos: checked, re-encoded without metadata, stored outside the web root.

What a person sends is never trusted: the type comes from the file's first bytes (not its
name or the browser's Content-Type), the image must decode completely, a file that carries
markup (an image/HTML "polyglot") is refused, and what is stored is a fresh encoding of the
pixels only (no EXIF, GPS, comments or colour profiles) under a random name. The sent file
name is never used.

The functions here are synchronous (Pillow and file I/O); services run them in a thread.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import Image, ImageOps

from house.lib.errors import DomainError
from house.settings import get_settings

pillow_heif.register_heif_opener()

MB = 1024 * 1024
MAX_BYTES = 8 * MB
# The logging form's body limit: the photo plus its fields and the multipart framing, with
# room above 8 MB so that a somewhat larger photo gets a message by the field (with the
# form kept) rather than the bare "too much to send" page.
MAX_BODY = 10 * MB
MAX_SIDE = 2000
MAX_PIXELS = 50_000_000  # a 4:3 200-megapixel bomb is refused before it is decoded
MARKUP = (b"<script", b"<html", b"<svg", b"<?php", b"<body", b"<iframe", b"<!doctype")
ACCEPT = "image/jpeg,image/png,image/heic,image/heif,.heic,.heif"
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{32}\.(jpg|png)$")
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


class PhotoError(DomainError):
    """The photo cannot be used; the message goes next to the photo field."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="photo")


@dataclass(frozen=True)
class CleanPhoto:
    """A re-encoded photo ready to store: `extension` is "jpg" or "png"."""

    data: bytes
    extension: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def size_message(size: int) -> str:
    return f"The photo is {size / MB:.1f} MB; the limit is {MAX_BYTES // MB} MB."


def sniff(data: bytes) -> str | None:
    """The image kind from the first bytes: "jpeg", "png", "heif", or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heif"
    return None


def clean_photo(data: bytes) -> CleanPhoto:
    """Check a sent photo and re-encode it: JPEG out for JPEG and HEIC, PNG out for PNG,
    turned upright by its EXIF orientation, the long side at most MAX_SIDE pixels.

    1. At most MAX_BYTES, of a kind named by its magic bytes.
    2. No markup anywhere in the bytes.
    3. Decodes completely (a truncated or corrupt file is refused).
    4. Re-encoded from the pixels alone, so no metadata survives.
    """
    if len(data) > MAX_BYTES:
        raise PhotoError(size_message(len(data)))
    if not data:
        raise PhotoError("The photo is empty. Choose it again.")
    kind = sniff(data)
    if kind is None:
        raise PhotoError("Send a photo as JPEG, PNG or HEIC (the usual phone camera formats).")
    lowered = data.lower()
    if any(tag in lowered for tag in MARKUP):
        raise PhotoError(
            "This file has web page code hidden inside it, so it was not accepted. "
            "Take a new photo of the slip and send that."
        )
    image = _decode(data, kind)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    extension = "png" if kind == "png" else "jpg"
    if extension == "png":
        mode = (
            "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
        )
        if image.mode in ("L", "I;16", "I"):
            mode = "L"
    else:
        mode = "RGB"
    # A brand-new image from the pixels alone: nothing of the original's info travels.
    pixels = image.convert(mode)
    bare = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if extension == "png":
        bare.save(out, format="PNG", optimize=True)
    else:
        bare.save(out, format="JPEG", quality=85)
    return CleanPhoto(data=out.getvalue(), extension=extension)


def _decode(data: bytes, kind: str) -> Image.Image:
    formats = {"jpeg": ["JPEG"], "png": ["PNG"], "heif": ["HEIF"]}[kind]
    unreadable = PhotoError("This photo could not be read. Take it again and send the new one.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=formats)
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise PhotoError("This photo has too many pixels. Send a smaller one.")
            if kind == "png":
                probe.verify()  # checks every chunk's checksum
                probe = Image.open(io.BytesIO(data), formats=formats)
            probe.load()  # decodes every pixel: a truncated file fails here
            if getattr(probe, "n_frames", 1) > 1:
                probe.seek(0)
            return probe
    except PhotoError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        raise unreadable from None


def upload_dir() -> Path:
    return get_settings().upload_dir


def store(photo: CleanPhoto) -> str:
    """Write the photo under a new random name (temp name, then rename). Returns the name."""
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_urlsafe(24)}.{photo.extension}"
    temporary = folder / f".{name}.part"
    with temporary.open("xb") as out:
        out.write(photo.data)
        out.flush()
        os.fsync(out.fileno())
    temporary.chmod(0o600)
    os.replace(temporary, folder / name)
    return name


def _path_of(name: str) -> Path:
    # Only names this module made: a stored value can never point elsewhere.
    if not _STORED_NAME.match(name):
        raise FileNotFoundError(name)
    return upload_dir() / name


def read(name: str) -> bytes:
    """The stored photo's bytes (FileNotFoundError if it is not there)."""
    return _path_of(name).read_bytes()


def content_type_of(name: str) -> str:
    return CONTENT_TYPES[name.rsplit(".", 1)[-1]]


def remove(name: str) -> None:
    """Delete a stored photo whose row was never written (a failed or repeated log)."""
    with contextlib.suppress(FileNotFoundError):
        _path_of(name).unlink()
