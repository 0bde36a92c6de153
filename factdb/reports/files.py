"""Writing a report file exactly where ``-o`` says, and nowhere else.

No parent folders are created, a folder is never a target, an existing file (or link) is
only replaced with ``force``, and a replacement swaps the path itself (write beside it, then
rename), so a link at the path is replaced rather than followed.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from factdb.errors import Conflict, InvalidInput


def check_target(path: str, *, force: bool, field: str = "-o") -> Path:
    """The target path if a report may be written there; InvalidInput/Conflict otherwise."""
    if not path or not path.strip():
        raise InvalidInput(f"{field}: a file name is required")
    target = Path(path)
    parent = target.parent
    if target.name in ("", ".", "..") or path.endswith(("/", os.sep)):
        raise InvalidInput(f"{field}: {path!r} is a folder, not a file name")
    if not parent.exists():
        raise InvalidInput(f"{field}: the folder {str(parent)!r} does not exist; create it first")
    if not parent.is_dir():
        raise InvalidInput(f"{field}: {str(parent)!r} is not a folder")
    try:
        info = target.lstat()
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise InvalidInput(f"{field}: cannot use {path!r}: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f"{field}: {path!r} is a folder, not a file name")
    if not force:
        raise Conflict(f"{field}: {path!r} already exists; add --force to overwrite it")
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise InvalidInput(f"{field}: {path!r} is not a regular file")
    return target


def write_report(path: str, content: str, *, force: bool, field: str = "-o") -> Path:
    """Write ``content`` (UTF-8) to ``path`` under the rules above; returns the path."""
    target = check_target(path, force=force, field=field)
    data = content.encode("utf-8")
    try:
        if not force:
            # O_EXCL: fails if anything (even a dangling link) appeared meanwhile.
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            return target
        descriptor, temporary = tempfile.mkstemp(prefix=".factdb-", dir=target.parent)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except FileExistsError:
        raise Conflict(f"{field}: {path!r} already exists; add --force to overwrite it") from None
    except OSError as exc:
        raise InvalidInput(f"{field}: cannot write {path!r}: {exc.strerror}") from None
    return target
