"""Writing output files so that a failure never costs the user a file they had.

Every file a command writes (batch records, the docs catalogue, formatted rule
files) goes through `output_file`: the text is written to a temporary file
beside the target and renamed over it only when everything was written, so a
bad header, a crash, a full disk or Ctrl-C in the middle leaves the old file as
it was (`keep_on` names failures after which the part written is kept instead,
as a batch does on Ctrl-C). The rename replaces a symbolic link at the target,
never the file the link points to, and a hard link's other names keep the old
text. `-` is standard output. A target that is a device or a pipe (/dev/null,
/dev/full) is written directly. Every problem is a PolicyError(file_error)
naming the path: never a traceback, never a half-written file.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with output_file(target) as stream:
    ...     _ = stream.write("done\\n")
    >>> target.read_text()
    'done\\n'
"""
from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from policy.errors import PolicyError

STDOUT = "-"


def is_stdout(path) -> bool:
    """`-`, or a path naming the very file standard output is open on (`/dev/stdout`,
    or the file it was redirected to): written through sys.stdout, so the records and
    what the command prints after them share one position in it."""
    return str(path) == STDOUT or _names_open_stdout(path)


def _names_open_stdout(path) -> bool:
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # click's test runner: no descriptor
        return False
    try:
        return os.path.samestat(os.stat(path), os.fstat(descriptor))
    except (OSError, ValueError):
        return False


def file_error(path, message: str) -> PolicyError:
    return PolicyError.single("file_error", message, str(path))


def write_text(path, text: str) -> None:
    """Write `text` to `path` as UTF-8, all or nothing."""
    with output_file(path, newline=None) as stream:
        stream.write(text)


@contextlib.contextmanager
def output_file(path, newline: str | None = "", keep_on: tuple = ()):
    """A UTF-8 text stream for `path`; its content replaces `path` when the block ends well."""
    if is_stdout(path):
        yield _stdout_stream()
        _flush(sys.stdout, path)
        return
    path = Path(path)
    special = _check_target(path)
    if special:
        with _direct(path, newline) as stream:
            yield stream
        return
    partial = _partial_file(path)
    try:
        with _guarded(path), open(partial, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _commit(partial, path)
    except keep_on:
        with contextlib.suppress(OSError):
            _commit(partial, path)
        raise
    finally:
        with contextlib.suppress(FileNotFoundError, OSError):
            os.unlink(partial)


def _stdout_stream():
    """Standard output as a text stream (click's test runner replaces sys.stdout)."""
    return sys.stdout


def _flush(stream, path) -> None:
    try:
        stream.flush()
    except OSError as problem:
        raise file_error(path, f"cannot write: {problem.strerror or problem}") from None


def _check_target(path: Path) -> bool:
    """Whether the target is a device or pipe to write directly; PolicyError when unusable."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as problem:
        raise file_error(path, problem.strerror or str(problem)) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise file_error(path, "is a directory; give a file name")
    if info is not None and stat.S_ISREG(info.st_mode) and not os.access(path, os.W_OK):
        raise file_error(path, "is read-only; it is left as it is")  # a rename would ignore that
    parent = path.parent
    if not parent.is_dir():
        what = "does not exist" if not parent.exists() else "is not a directory"
        raise file_error(path, f"the folder {parent} {what}")
    return info is not None and _written_through(path, info)


def _written_through(path: Path, info: os.stat_result) -> bool:
    """A device, pipe or socket, or a link to one or through /dev or /proc (a descriptor
    such as /dev/stderr -> /proc/self/fd/2): no file to replace, nor a link to rename over."""
    if not stat.S_ISLNK(info.st_mode):
        return _special(info.st_mode)
    try:
        followed = os.stat(path)
    except OSError:  # a dangling link is replaced by the file, as a link always is
        return False
    return _special(followed.st_mode) or _through_system_folders(path)


def _special(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _through_system_folders(path: Path) -> bool:
    """Whether the link, or a link it leads to, lives in or points into /dev or /proc."""
    current = Path(os.path.abspath(path))
    for _ in range(40):  # the kernel's own limit on links followed
        if current.parts[1:2] in (("dev",), ("proc",)):
            return True
        if not current.is_symlink():
            return False
        current = Path(os.path.abspath(current.parent / os.readlink(current)))
    return False


@contextlib.contextmanager
def _direct(path: Path, newline):
    """Write to a device or pipe as it is (there is nothing to replace)."""
    with _guarded(path), open(path, "w", encoding="utf-8", newline=newline) as stream:
        yield stream  # a full device fails at the last flush, inside the guard


@contextlib.contextmanager
def _guarded(path: Path):
    """OSError and UnicodeEncodeError as a file_error naming `path`."""
    try:
        yield
    except OSError as problem:
        raise file_error(path, f"cannot write: {problem.strerror or problem}") from None
    except UnicodeEncodeError as problem:
        raise file_error(path, f"cannot write a text that is not Unicode: {problem.reason}") from None


def _partial_file(path: Path) -> str:
    """A new, empty file beside `path` with the permissions the target should get."""
    try:
        descriptor, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial",
                                               dir=path.parent)
    except OSError as problem:
        raise file_error(path, f"cannot write in {path.parent}: {problem.strerror or problem}") \
            from None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, _mode_for(path))
    finally:
        os.close(descriptor)
    return partial


def _mode_for(path: Path) -> int:
    """The existing regular file's permissions, else those a new file gets (the umask's)."""
    try:
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode):
            return stat.S_IMODE(info.st_mode)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _commit(partial: str, path: Path) -> None:
    try:
        os.replace(partial, path)
    except OSError as problem:
        raise file_error(path, f"cannot write: {problem.strerror or problem}") from None


def same_file(first, second) -> bool:
    """Whether two paths name one file (through symbolic or hard links); False if either is missing."""
    if is_stdout(first) or is_stdout(second):
        return False
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def make_folder(path) -> None:
    """Make the folder `path` (and its parents) unless it exists; file_error when it cannot be."""
    path = Path(path)
    if path.is_dir():
        return
    if path.exists() or path.is_symlink():
        raise file_error(path, "is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise file_error(path, f"cannot make the folder: {problem.strerror or problem}") from None
