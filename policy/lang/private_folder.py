"""The user's own cache folder, and files in it that only this user can have written.

A cache is read before anything is checked, so a cache entry somebody else could
write is a way into the program. The folder is used only when it is a real
directory (not a link) owned by this user and writable by nobody else; every
entry is signed with HMAC-SHA256 under a random key kept in that folder, readable
by this user only, and an entry whose signature does not verify is ignored. Nothing
read from the folder is ever unpickled or run: entries are JSON, rebuilt by a
decoder that checks their shape (parse_cache.py).
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import os
import stat
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
KEY_NAME = "signing.key"
KEY_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def cache_folder():
    """$XDG_CACHE_HOME/policylog (default ~/.cache/policylog) when it is safe to use, else None."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policylog"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = os.lstat(folder)
    except OSError:
        return None
    return folder if _private(info, stat.S_ISDIR, 0o022) else None


def _private(info, kind, forbidden_bits: int) -> bool:
    """The file is of `kind`, ours (when the system has owners) and has none of `forbidden_bits`."""
    owner_ok = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
    return kind(info.st_mode) and owner_ok and not info.st_mode & forbidden_bits


def signing_key(folder: Path):
    """The folder's secret key (made on first use), or None when it cannot be trusted."""
    path = folder / KEY_NAME
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    except FileExistsError:
        return _read_key(path)
    except OSError:
        return None
    import secrets  # only to make a key or write an entry: reading imports nothing more

    try:
        os.write(descriptor, secrets.token_bytes(KEY_BYTES))
    finally:
        os.close(descriptor)
    return _read_key(path)


def _read_key(path: Path):
    try:
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        if not _private(os.fstat(descriptor), stat.S_ISREG, 0o077):
            return None
        key = os.read(descriptor, KEY_BYTES + 1)
    finally:
        os.close(descriptor)
    return key if len(key) == KEY_BYTES else None


def sign(key: bytes, name: str, body: bytes) -> str:
    """The signature of `body` stored under `name` (a moved entry does not verify)."""
    return hmac.new(key, name.encode("utf-8") + b"\0" + body, hashlib.sha256).hexdigest()


def read_signed(folder: Path, name: str, limit: int):
    """The body of the entry `name` when its signature verifies, else None."""
    key = signing_key(folder)
    if key is None:
        return None
    try:
        descriptor = os.open(folder / name, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    try:
        if not _private(os.fstat(descriptor), stat.S_ISREG, 0o022):
            return None
        with os.fdopen(os.dup(descriptor), "rb") as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(descriptor)
    signature, _, body = data.partition(b"\n")
    if len(data) > limit or not hmac.compare_digest(signature, sign(key, name, body).encode()):
        return None
    return body


def write_signed(folder: Path, name: str, body: bytes) -> None:
    """Store `body` under `name` with its signature (best effort: a failure stores nothing)."""
    import secrets

    key = signing_key(folder)
    if key is None:
        return
    partial = folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(sign(key, name, body).encode() + b"\n" + body)
        os.replace(partial, folder / name)
    except OSError:
        try:
            partial.unlink()
        except OSError:
            pass


def read_signed_json(folder: Path, name: str, limit: int, decode,
                     refused=(ValueError, RecursionError), loads=None):
    """decode(the JSON document) of the entry `name` when its signature verifies, else None.
    An entry the decoder refuses (raising one of `refused`; bad JSON or UTF-8, and a nest
    too deep for json, raise ValueError or RecursionError) is a miss, like a missing one.
    `loads` reads the text (default json.loads)."""
    import json

    body = read_signed(folder, name, limit)
    if body is None:
        return None
    try:
        return decode((loads or json.loads)(body.decode("utf-8")))
    except refused:
        return None


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of policylog's source files (names, sizes, modification times), part of
    every entry's key: what another version of the code (a changed parser, lowering or
    evaluator) stored is never believed by this one."""
    digest = hashlib.sha256()
    root = str(_PACKAGE)
    cut = len(os.path.join(root, ""))  # a path's part after it is its path relative to root
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".lark")):
                path = os.path.join(folder, name)
                info = os.stat(path)
                digest.update(f"{path[cut:]}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()
