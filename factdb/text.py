"""Normalization of names and URLs, so lookups ignore case, spacing and diacritics."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit, urlunsplit

from factdb.errors import InvalidInput


def name_key(name: str) -> str:
    """Case-, space- and diacritics-insensitive key: ``Vučić`` and ``vucic`` agree."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def clean_text(value: str | None, field: str, *, required: bool = False) -> str | None:
    """Trim a free-text value; empty means absent. Control characters are refused."""
    if value is None:
        if required:
            raise InvalidInput.at(field, "must not be empty")
        return None
    cleaned = unicodedata.normalize("NFC", value)
    # checked before trimming: str.strip() would silently drop \x1c-\x1f, \x0b, \x0c, \x85
    for ch in cleaned:
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in "\n\t":
            raise InvalidInput.at(field, f"contains a control character ({ord(ch):#04x})")
        if category == "Cs":
            # a lone surrogate: undecodable bytes (or a bad \\u escape) that no database stores
            raise InvalidInput.at(field, "is not valid UTF-8 text")
    cleaned = cleaned.strip()
    if not cleaned:
        if required:
            raise InvalidInput.at(field, "must not be empty")
        return None
    return cleaned


def required_text(value: str | None, field: str) -> str:
    cleaned = clean_text(value, field, required=True)
    assert cleaned is not None
    return cleaned


def normalize_url(url: str, field: str = "url") -> str:
    """Canonical form of an http(s) URL: scheme and host lower-cased, default port and
    fragment dropped, empty path as ``/``. Anything but http(s) is refused."""
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise InvalidInput.at(field, f"{url!r} is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidInput.at(field, f"{url!r} is not an http(s) URL")
    host = (parts.hostname or "").lower()
    if not host or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in raw):
        raise InvalidInput.at(field, f"{url!r} is not a valid URL")
    netloc = host
    if parts.username:
        raise InvalidInput.at(field, "URLs with credentials are not accepted")
    if port is not None and not (
        (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    ):
        netloc = f"{host}:{port}"
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, parts.query, ""))
