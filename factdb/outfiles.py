"""Writing an output file exactly where the user said (``export -o``, ``report -o``,
``db backup FILE``), and nowhere else.

No parent folders are created, a folder is never a target, an existing file (or link) is
only replaced with ``force``, and nothing but a regular file or a link is ever replaced. The
content goes to a temporary file beside the target first and is then renamed over it, so the
target is never half-written and a link at the target is replaced rather than followed.
Every message starts with ``field``, the flag as the user typed it (``-o``, ``FILE``).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from factdb.errors import Conflict, InvalidInput


def _exists(field: str, path: str) -> Conflict:
    return Conflict.at(field, f"{path!r} already exists; add --force to replace it")


def check_target(path: str, *, force: bool, field: str) -> Path:
    """The target path if a file may be written there; InvalidInput/Conflict otherwise."""
    if not path or not path.strip():
        raise InvalidInput.at(field, "a file name is required")
    target = Path(path)
    parent = target.parent
    if target.name in ("", ".", "..") or path.endswith(("/", os.sep)):
        raise InvalidInput.at(field, f"{path!r} is a folder, not a file name")
    if not parent.exists():
        raise InvalidInput.at(field, f"the folder {str(parent)!r} does not exist; create it first")
    if not parent.is_dir():
        raise InvalidInput.at(field, f"{str(parent)!r} is not a folder")
    try:
        info = target.lstat()
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise InvalidInput.at(field, f"cannot use {path!r}: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput.at(field, f"{path!r} is a folder, not a file name")
    if not force:
        raise _exists(field, path)
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        # a device or pipe would be swapped for a plain file by the rename
        raise InvalidInput.at(field, f"{path!r} is not a regular file")
    return target


def _move_into_place(temporary: str, target: Path, *, force: bool, field: str, path: str) -> None:
    if force:
        os.replace(temporary, target)
        return
    try:
        # A hard link never replaces: fails if anything (even a dangling link) appeared meanwhile.
        os.link(temporary, target, follow_symlinks=False)
    except FileExistsError:
        raise _exists(field, path) from None
    except OSError:
        # a file system without hard links: check again, then rename
        if os.path.lexists(target):
            raise _exists(field, path) from None
        os.replace(temporary, target)
        return
    os.unlink(temporary)


@contextmanager
def output_path(path: str, *, force: bool, field: str) -> Iterator[Path]:
    """A fresh empty temporary file beside ``path`` to write to; when the block ends without
    an error it becomes ``path`` (checked with :func:`check_target` first and again at the
    end). On any error the temporary file is removed and ``path`` is untouched."""
    target = check_target(path, force=force, field=field)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise InvalidInput.at(field, f"cannot write {path!r}: {exc.strerror}") from None
    os.close(descriptor)
    try:
        yield Path(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        check_target(path, force=force, field=field)
        _move_into_place(temporary, target, force=force, field=field, path=path)
    except OSError as exc:
        raise InvalidInput.at(field, f"cannot write {path!r}: {exc.strerror or exc}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)


@contextmanager
def open_output(path: str, *, force: bool, field: str) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content becomes ``path`` when the block ends without error."""
    with output_path(path, force=force, field=field) as temporary:
        try:
            with open(temporary, "w", encoding="utf-8", newline="") as handle:
                yield handle
        except OSError as exc:
            raise InvalidInput.at(field, f"cannot write {path!r}: {exc.strerror or exc}") from None


def write_text(path: str, content: str, *, force: bool, field: str) -> Path:
    """Write ``content`` (UTF-8) to ``path`` under the rules above; returns the path."""
    with open_output(path, force=force, field=field) as handle:
        handle.write(content)
    return Path(path)
