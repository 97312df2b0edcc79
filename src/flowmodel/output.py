"""Writing results without ever destroying what flowmodel did not write.

One rule for every command that writes (run, timeline, compare, check, report,
hydraulics, uncertainty, ...), in :func:`write_result_dir` and :func:`write_result_file`:

* a folder that does not exist is created, all files at once (a temporary sibling
  folder renamed into place);
* a folder that holds a previous flowmodel result and nothing else (its marker
  ``.flowmodel-result.json`` lists every file flowmodel wrote, with its SHA-256, and
  none was changed since) is replaced atomically: the new folder is swapped in with
  one ``renameat2(RENAME_EXCHANGE)``, so a kill at any moment leaves either the old
  complete result or the new one; the old one is then removed file by file, only the
  files its marker lists;
* anything else (a folder with other or edited files, a file, a symlink, a device, a
  read-only folder, ``/``, the home folder, a project root) is refused with
  :class:`OutputError`; ``force=True`` writes flowmodel's files into an existing
  folder one by one (each atomically) and leaves every other file untouched. ``/``,
  the home folder and a project root are refused even then.

A single file (``compare --out x.csv``) follows the same rule, with a registry
``.flowmodel-files.json`` in its folder listing the files flowmodel wrote there.
Writers into one folder take a lock (``fcntl.flock`` on the folder), so two runs racing
on one target end with one complete result.  Leftovers of a killed run (temporary folders that carry
flowmodel's marker) are removed by the next write to the same place.

CSV text is deterministic (fixed float format, ``\\n`` line ends) and cells that a
spreadsheet would run as a formula (text starting with ``= + - @``, tab or CR) are
prefixed with ``'`` (OWASP "CSV injection"); numbers stay numbers.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import OutputError

if TYPE_CHECKING:  # pandas is imported by whoever passes a DataFrame; not at start-up
    import pandas as pd

MARKER = ".flowmodel-result.json"
REGISTRY = ".flowmodel-files.json"
TMP_TAG = ".flowmodel-tmp-"
OLD_TAG = ".flowmodel-old-"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- CSV text
def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made inert (``'`` prefix)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv_text(df: pd.DataFrame) -> str:
    """Deterministic CSV text (10 significant digits, ``\\n`` line ends), formulas neutralised."""
    text_cols = [c for c in df.columns if df[c].dtype == object]
    if text_cols:
        df = df.copy()
        for c in text_cols:
            df[c] = df[c].map(neutralise)
    header = [neutralise(str(c)) for c in df.columns]
    return df.to_csv(index=False, header=header, float_format="%.10g", lineterminator="\n")


# --------------------------------------------------------------------------- helpers
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _protected(p: Path) -> str | None:
    """Why ``p`` may never be written into, or None."""
    rp = p.resolve()
    if rp == Path(rp.anchor):
        return "the file-system root"
    if rp == Path.home().resolve():
        return "your home folder"
    if (rp / ".git").exists() or ((rp / "scenarios").is_dir() and (rp / "networks").is_dir()):
        return "a project folder"
    return None


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[None]:
    """Exclusive lock for writers into ``target``'s folder: ``flock`` on the folder itself
    (no lock file is left behind)."""
    import fcntl

    fd = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


_libc = None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    global _libc
    if _libc is None:
        name = ctypes.util.find_library("c")
        _libc = ctypes.CDLL(name, use_errno=True) if name else False
    fn = getattr(_libc, "renameat2", None) if _libc else None
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _read_marker(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None


def _is_own_result(folder: Path) -> str | None:
    """None if ``folder`` holds a flowmodel result and nothing else, else why not."""
    marker = _read_marker(folder)
    if marker is None:
        return "it is not a flowmodel result folder"
    files = marker["files"]
    with os.scandir(folder) as it:
        entries = list(it)
    for entry in entries:
        if entry.name == MARKER:
            continue
        if entry.name not in files:
            return f"it holds '{entry.name}', which flowmodel did not write"
        if not entry.is_file(follow_symlinks=False):
            return f"'{entry.name}' is not a plain file"
        with open(entry.path, "rb") as fh:
            if _sha(fh.read()) != files[entry.name]:
                return f"'{entry.name}' was changed after flowmodel wrote it"
    return None


def _remove_own(folder: Path) -> None:
    """Remove a flowmodel result folder: only the files its marker lists, then the folder
    if it is empty. Never a recursive delete."""
    marker = _read_marker(folder)
    with contextlib.suppress(FileNotFoundError):
        (folder / (MARKER + ".part")).unlink()
    if marker is None:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if empty (a write killed before its marker)
        return
    for name in marker["files"]:
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    with contextlib.suppress(FileNotFoundError):
        (folder / MARKER).unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()


def _has_entries(folder: Path) -> bool:
    with os.scandir(folder) as it:
        return any(True for _ in it)


def _sweep_leftovers(out: Path) -> None:
    """Temporary folders of a killed earlier write to ``out`` (they carry the marker)."""
    prefix_tmp, prefix_old = f".{out.name}{TMP_TAG}", f".{out.name}{OLD_TAG}"
    with contextlib.suppress(FileNotFoundError), os.scandir(out.parent) as it:
        stale = [Path(e.path) for e in it if e.name.startswith((prefix_tmp, prefix_old)) and e.is_dir(follow_symlinks=False)]
    for folder in stale:
        _remove_own(folder)


def _fill(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Write the marker, then ``files``, into the new private folder ``folder``.

    The marker comes first (written whole by a rename), so a folder left by a kill at
    any moment lists what it may contain and the next write can remove it safely."""
    data = {}
    for name in sorted(files):
        if "/" in name or name in (MARKER, MARKER + ".part", "", ".", ".."):
            raise OutputError(f"internal: bad output file name {name!r}")
        data[name] = _bytes(files[name])
    marker = {"writer": "flowmodel", "files": {n: _sha(d) for n, d in data.items()}}
    part = folder / (MARKER + ".part")
    part.write_text(json.dumps(marker, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(part, folder / MARKER)
    for name, d in data.items():
        with open(folder / name, "wb") as fh:
            fh.write(d)
            fh.flush()
            os.fsync(fh.fileno())


def _check_target(out: Path, what: str) -> None:
    why = _protected(out) if out.exists() else None
    if why:
        raise OutputError(f"{what} '{out}' is {why}; choose a new or empty folder")
    if out.is_symlink():
        raise OutputError(f"{what} '{out}' is a symbolic link; name the folder itself, or a new one")


# --------------------------------------------------------------------------- folders
def write_result_dir(out: str | Path, files: Mapping[str, str | bytes], force: bool = False) -> Path:
    """Write ``files`` as the folder ``out`` under the rule of this module; returns ``out``.

    Raises
    ------
    OutputError
        ``out`` holds something flowmodel did not write (and ``force`` is off), is a
        file, a link, a device, ``/``, the home folder or a project root, or cannot be
        written.
    """
    out = Path(out)
    _check_target(out, "--out")
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out '{out}' is a file, not a folder; name a new folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _lock(out):
            _sweep_leftovers(out)
            if out.is_dir() and not _has_entries(out):
                out.rmdir()  # an empty folder: written as if new
            if out.is_dir():
                reason = _is_own_result(out)
                if reason is not None:
                    if not force:
                        raise OutputError(f"--out '{out}' exists and {reason}; name a new or empty folder, "
                                          "or add --force to write flowmodel's files into it and leave the rest")
                    return _write_into(out, files)
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}{TMP_TAG}", dir=out.parent))
            try:
                os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; results are ordinary files
                _fill(tmp, files)
                if out.is_dir():
                    if _exchange(tmp, out):
                        _remove_own(tmp)  # tmp now holds the old result
                        return out
                    old = out.parent / f".{out.name}{OLD_TAG}{os.getpid()}"
                    os.replace(out, old)
                    os.replace(tmp, out)
                    _remove_own(old)
                    return out
                os.rename(tmp, out)
                return out
            except BaseException:
                _remove_own(tmp)
                raise
    except OutputError:
        raise
    except OSError as e:
        raise OutputError(f"--out '{out}': cannot write there ({e.strerror or e})") from None


def _write_into(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    """``force``: flowmodel's files into an existing folder, one atomic file at a time."""
    if not os.access(folder, os.W_OK):
        raise OutputError(f"--out '{folder}' is read-only")
    marker = _read_marker(folder) or {"writer": "flowmodel", "files": {}}
    for name in sorted(files):
        target = folder / name
        if target.exists() and not target.is_file():
            raise OutputError(f"--out '{folder}': '{name}' exists and is not a plain file")
        data = _bytes(files[name])
        _atomic_file(target, data)
        marker["files"][name] = _sha(data)
    _atomic_file(folder / MARKER, (json.dumps(marker, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return folder


# --------------------------------------------------------------------------- single files
def _atomic_file(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TMP_TAG}", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _registry(folder: Path) -> dict:
    try:
        data = json.loads((folder / REGISTRY).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write_result_file(path: str | Path, content: str | bytes, force: bool = False,
                      suffixes: tuple[str, ...] | None = None) -> Path:
    """Write one file under the rule of this module; returns ``path``.

    ``suffixes``: the extensions the caller can really write (others are refused
    instead of getting, say, CSV text in a file named ``.xlsx``).
    """
    path = Path(path)
    if suffixes is not None and path.suffix.lower() not in suffixes:
        raise OutputError(f"--out '{path}': flowmodel writes {' or '.join(suffixes)} here, not "
                          f"'{path.suffix or '(no extension)'}'")
    if path.is_symlink():
        raise OutputError(f"--out '{path}' is a symbolic link; name the file itself, or a new one")
    if path.exists():
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise OutputError(f"--out '{path}' is a folder; name a file (e.g. '{path / 'result.csv'}')")
        if not stat.S_ISREG(mode):
            raise OutputError(f"--out '{path}' is not a regular file (a device or pipe)")
    data = _bytes(content)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _lock(path):
            reg = _registry(path.parent)
            if path.exists() and not force:
                if reg.get(path.name) != _sha(path.read_bytes()):
                    raise OutputError(f"--out '{path}' exists and flowmodel did not write it (or it was changed "
                                      "since); name a new file, or add --force to replace it")
            _atomic_file(path, data)
            reg[path.name] = _sha(data)
            _atomic_file(path.parent / REGISTRY, (json.dumps(reg, indent=1, sort_keys=True) + "\n").encode())
    except OutputError:
        raise
    except OSError as e:
        raise OutputError(f"--out '{path}': cannot write there ({e.strerror or e})") from None
    return path


# --------------------------------------------------------------------------- old names
def atomic_write_dir(out: Path, files: Mapping[str, str | bytes], force: bool = False) -> Path:
    """Alias of :func:`write_result_dir` (kept for callers of the first API)."""
    return write_result_dir(out, files, force)


def atomic_write_file(path: Path, content: str | bytes, force: bool = False) -> Path:
    """Alias of :func:`write_result_file`."""
    return write_result_file(path, content, force)


__all__ = ["MARKER", "REGISTRY", "atomic_write_dir", "atomic_write_file", "neutralise", "write_csv_text",
           "write_result_dir", "write_result_file"]
