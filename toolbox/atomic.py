"""Outputs that are either complete or absent: atomic files and run folders.

Files. Every output is written under a temporary name beside its destination
(same folder, hence the same file system) and moved into place with
``os.replace`` only when it is complete; ``os.replace`` is atomic on POSIX
and Windows, so a reader sees the old file or the new one, never a part. A
Shapefile is several files sharing a stem: they are written under a
temporary stem and renamed one by one. A new layer of an existing GeoPackage
is written into a copy of it, which then replaces the original, so the other
layers are never open for writing. :class:`StagedOutputs` collects the
outputs of one tool run and moves them all at the end.

Folders. :class:`FolderCommit` builds a whole run folder (``ccd run``) in a
temporary sibling, records the files it wrote in ``.ccd-manifest.json`` and
swaps it in with one atomic directory exchange (Linux ``renameat2`` with
``RENAME_EXCHANGE``, macOS ``renamex_np`` with ``RENAME_SWAP``). Files of the
user that sit in the folder are hard-linked into the new folder before the
swap; files of the previous run that the new one does not write are left
behind with the old folder, which is then deleted. Only files listed in the
previous manifest are ever dropped.

Cancel. SIGINT and SIGTERM are held back while files are being moved into
place, so a cancel lands before the move (old state) or after it (new state).
Temporary names carry the writer's process id; leftovers of a killed process
(SIGKILL cannot be caught) are removed by the next write to the same place.

Written by hand (standard library only): no library among the project's
dependencies offers atomic multi-file outputs or folder exchange.
"""

import ctypes
import errno
import fnmatch
import json
import os
import re
import secrets
import shutil
import signal
import threading
from contextlib import contextmanager
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set

MANIFEST = ".ccd-manifest.json"
TEMP_TAG = ".ccd-tmp-"
NEW_TAG = ".ccd-new-"
OLD_TAG = ".ccd-old-"
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".shp.xml",
                   ".qmd")
_LEFTOVER = re.compile(r"^\.(?P<name>.+)(?P<tag>\.ccd-(?:tmp|new|old)-)(?P<pid>\d+)-[0-9a-f]+")


class OutputConflict(Exception):
    """An output cannot be written where it was asked for, or would overwrite
    or remove an input or a file the toolbox did not write."""


def os_reason(error: OSError) -> str:
    """Why an operating-system call failed, in a few words."""
    return {
        errno.EACCES: "no permission",
        errno.EPERM: "not permitted",
        errno.ENOSPC: "the disk is full",
        errno.EROFS: "the file system is read-only",
        errno.ENOENT: "no such file or folder",
        errno.EISDIR: "is a folder, not a file",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.ENAMETOOLONG: "the name is too long",
    }.get(error.errno, error.strerror or str(error))


# ----------------------------------------------------------------------------
# signals and leftovers
# ----------------------------------------------------------------------------


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back for the duration (main thread, POSIX);
    a signal that arrives meanwhile is delivered on exit."""
    if (not hasattr(signal, "pthread_sigmask")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _token() -> str:
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def _remove(path: str) -> None:
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        elif os.path.lexists(path):
            os.remove(path)
    except OSError:
        pass


def sweep_leftovers(directory: str, name: Optional[str] = None) -> List[str]:
    """Remove temporary files and folders of dead processes in ``directory``
    (those made for ``name`` only, when given); returns the removed names.

    A run folder left by a process killed between the two renames of the
    fallback swap (no ``FolderCommit`` exchange available) is first put back
    in place: the new folder if it is complete, else the old one.
    """
    try:
        entries = os.listdir(directory)
    except OSError:
        return []
    dead = []
    for entry in entries:
        match = _LEFTOVER.match(entry)
        if not match or _alive(int(match.group("pid"))):
            continue
        if name is not None and match.group("name") not in (name, os.path.splitext(name)[0],
                                                            _stem_of(name)):
            continue
        dead.append((entry, match))
    for entry, match in dead:  # restore a folder caught between the two fallback renames
        target = os.path.join(directory, match.group("name"))
        if match.group("tag") == NEW_TAG and not os.path.lexists(target) and os.path.isfile(
                os.path.join(directory, entry, MANIFEST)):
            os.rename(os.path.join(directory, entry), target)
    for entry, match in dead:
        target = os.path.join(directory, match.group("name"))
        if match.group("tag") == OLD_TAG and not os.path.lexists(target):
            os.rename(os.path.join(directory, entry), target)
    removed = []
    for entry, _ in dead:
        if os.path.lexists(os.path.join(directory, entry)):
            _remove(os.path.join(directory, entry))
            removed.append(entry)
    return removed


def _stem_of(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".shp.xml"):
        return name[:-8]
    for part in SHAPEFILE_PARTS:
        if lowered.endswith(part):
            return name[: -len(part)]
    return name


# ----------------------------------------------------------------------------
# files
# ----------------------------------------------------------------------------


def shapefile_parts(path: str) -> List[str]:
    """The files of the Shapefile ``path`` (``x.shp`` → ``x.shx``, ``x.dbf``, …) that exist."""
    stem = path[:-4] if path.lower().endswith(".shp") else os.path.splitext(path)[0]
    return [stem + part for part in SHAPEFILE_PARTS if os.path.lexists(stem + part)]


def _temporary_sibling(destination: str) -> str:
    """``dir/.name.ccd-tmp-PID-TOKEN.ext``: hidden, beside ``destination``, same extension
    (drivers choose the format by it)."""
    directory, name = os.path.split(os.path.abspath(destination))
    stem, extension = os.path.splitext(name)
    return os.path.join(directory, f".{stem}{TEMP_TAG}{_token()}{extension}")


class StagedOutputs:
    """Temporary paths for the outputs of one run, moved into place together.

    ::

        with StagedOutputs() as staged:
            write_csv(table, staged.path("out.csv"))
            write_layer(other, staged.path("work.gpkg", copy_existing=True))
        # here both are in place; after an exception neither changed

    ``copy_existing`` starts the temporary file as a copy of an existing
    destination (a GeoPackage that gains a layer). Several outputs naming the
    same file share one temporary file.
    """

    def __init__(self):
        self._staged: Dict[str, str] = {}  # final absolute path -> temporary path
        self._done = False

    def __enter__(self) -> "StagedOutputs":
        return self

    def __exit__(self, kind, error, trace) -> bool:
        if kind is None:
            try:
                self.commit()
            except BaseException:
                self.discard()
                raise
        else:
            self.discard()
        return False

    def path(self, destination: str, copy_existing: bool = False) -> str:
        final = os.path.abspath(destination)
        if final in self._staged:
            return self._staged[final]
        directory = os.path.dirname(final)
        sweep_leftovers(directory, os.path.basename(final))
        temporary = _temporary_sibling(final)
        self._staged[final] = temporary
        if copy_existing and os.path.isfile(final):
            wal = final + "-wal"
            if os.path.isfile(wal) and os.path.getsize(wal) > 0:
                raise OutputConflict(
                    f"{final} is open in another program (it has unsaved changes in "
                    f"{os.path.basename(wal)}); close it there and run again")
            shutil.copy2(final, temporary)
        return temporary

    def commit(self) -> None:
        """Move every staged file into place (signals held back meanwhile)."""
        if self._done:
            return
        try:
            with signals_deferred():
                for final, temporary in self._staged.items():
                    if final.lower().endswith(".shp"):
                        _commit_shapefile(temporary, final)
                    elif os.path.lexists(temporary):
                        os.replace(temporary, final)
                    for extra in ("-wal", "-shm", "-journal"):
                        _remove(temporary + extra)
        except BaseException:
            self.discard()  # what was not moved yet
            raise
        self._done = True

    def discard(self) -> None:
        """Remove every temporary file; the destinations are untouched."""
        for temporary in self._staged.values():
            targets = shapefile_parts(temporary) if temporary.lower().endswith(".shp") else [temporary]
            for path in targets + [temporary + extra for extra in ("-wal", "-shm", "-journal")]:
                _remove(path)
        self._done = True


def _commit_shapefile(temporary: str, final: str) -> None:
    written = shapefile_parts(temporary)
    if not written:  # a table without geometry: the driver may have written only the .dbf
        return
    temporary_stem, final_stem = temporary[:-4], final[:-4]
    produced = set()
    for part in sorted(written, key=lambda p: p.lower().endswith(".shp")):  # .shp last
        suffix = part[len(temporary_stem):]
        os.replace(part, final_stem + suffix)
        produced.add(final_stem + suffix)
    for old in shapefile_parts(final):  # parts of the previous Shapefile the new one lacks
        if old not in produced:
            _remove(old)


@contextmanager
def atomic_file(destination: str, copy_existing: bool = False) -> Iterator[str]:
    """A temporary path to write one output to; it replaces ``destination``
    only if the block finishes without an exception."""
    with StagedOutputs() as staged:
        yield staged.path(destination, copy_existing)


def write_bytes(content, destination: str) -> None:
    """Write text (UTF-8) or bytes to ``destination`` atomically."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_file(destination) as temporary:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


# ----------------------------------------------------------------------------
# output locations
# ----------------------------------------------------------------------------


def resolved(path: str) -> str:
    """The real absolute path (symlinks followed), also for a path that does not exist yet."""
    return os.path.realpath(os.path.abspath(path))


def is_within(path: str, folder: str) -> bool:
    path, folder = resolved(path), resolved(folder)
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives (Windows)
        return False


def check_writable_folder(directory: str, what: str) -> None:
    """Refuse a folder that does not exist, is a file or cannot be written in."""
    if not os.path.exists(directory):
        raise OutputConflict(f"{what}: the folder {directory} does not exist; create it first")
    if not os.path.isdir(directory):
        raise OutputConflict(f"{what}: {directory} is a file, not a folder")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputConflict(f"{what}: no permission to write in the folder {directory}")


# ----------------------------------------------------------------------------
# folders
# ----------------------------------------------------------------------------


def _exchange(first: str, second: str) -> bool:
    """Swap two directories atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                           rename_exchange)
    else:
        renamex_np = getattr(libc, "renamex_np", None)
        if renamex_np is None:
            return False
        rename_swap = 2
        result = renamex_np(os.fsencode(first), os.fsencode(second), rename_swap)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), second)


def _files_under(folder: str) -> List[str]:
    """Relative paths (``/``-separated) of the files and symlinks under ``folder``."""
    found = []
    for root, directories, files in os.walk(folder):
        directories.sort()
        for name in sorted(files) + [d for d in directories if os.path.islink(os.path.join(root, d))]:
            relative = os.path.relpath(os.path.join(root, name), folder)
            found.append(relative.replace(os.sep, "/"))
    return found


def read_manifest(folder: str) -> Optional[Dict[str, int]]:
    """The files (relative path → size in bytes) the toolbox wrote in ``folder``,
    or None without a readable manifest."""
    try:
        with open(os.path.join(folder, MANIFEST), encoding="utf-8") as handle:
            content = json.load(handle)
        files = content["files"]
        return {str(name): int(size) for name, size in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def folder_is_complete(folder: str) -> bool:
    """True if ``folder`` holds every file its manifest lists, each with the listed size."""
    listed = read_manifest(folder)
    if listed is None:
        return False
    for name, size in listed.items():
        path = os.path.join(folder, *name.split("/"))
        if not os.path.isfile(path) or os.path.getsize(path) != size:
            return False
    return True


class FolderCommit:
    """Build a run folder beside ``folder`` and swap it in complete.

    ::

        commit = FolderCommit("results", inputs=["data/panel.csv"])   # checks, before any work
        ...compute...
        with commit as staging:       # a new empty folder beside "results"
            write_everything(staging)
        # "results" is now the new run; after an exception it is the old one

    Checks made on construction (each raises :class:`OutputConflict`):
    ``folder`` is not a file; it and its parent can be written in; no input
    lies inside it (resolved paths, symlinks followed), except ``allow_inputs``
    (files the caller itself put there, kept as the user's). With ``planned``, file
    names the run will write that already exist in the folder but were not
    written by the toolbox are refused (see :meth:`refuse_foreign`).

    A folder without manifest that holds ``legacy_marker`` (e.g. the
    ``study-resolved.toml`` of a run made before manifests existed) counts its
    files matching ``legacy_patterns`` as the toolbox's.
    """

    def __init__(self, folder: str, inputs: Iterable[str] = (), planned: Iterable[str] = (),
                 legacy_marker: Optional[str] = None, legacy_patterns: Sequence[str] = (),
                 what: str = "output folder", allow_inputs: Iterable[str] = ()):
        self.requested = folder
        self.folder = resolved(folder)
        self.what = what
        self.parent = os.path.dirname(self.folder)
        self._staging: Optional[str] = None
        if os.path.lexists(self.folder) and not os.path.isdir(self.folder):
            raise OutputConflict(f"{what} {folder} is an existing file, not a folder; "
                                 "give a folder (it is created if it does not exist)")
        existing = self.parent
        while not os.path.exists(existing) and os.path.dirname(existing) != existing:
            existing = os.path.dirname(existing)
        if not os.path.isdir(existing):
            raise OutputConflict(f"{what} {folder}: {existing} is a file, not a folder")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise OutputConflict(f"{what} {folder}: no permission to write in {existing} "
                                 "(the run is built beside the folder and then swapped in)")
        if os.path.isdir(self.folder) and not os.access(self.folder, os.R_OK | os.W_OK | os.X_OK):
            raise OutputConflict(f"{what} {folder}: no permission to write in it")
        allowed = {resolved(str(source).partition("|")[0]) for source in allow_inputs}
        for source in inputs:
            path = str(source).partition("|")[0]
            if path and is_within(path, self.folder) and resolved(path) not in allowed:
                raise OutputConflict(
                    f"{what} {folder} holds an input of the study, {path}: a run replaces the "
                    "folder's contents, so inputs must live elsewhere; choose another folder")
        self.previous = self._previous_files(legacy_marker, legacy_patterns)
        self.refuse_foreign(planned)

    def _previous_files(self, marker, patterns) -> Set[str]:
        if not os.path.isdir(self.folder):
            return set()
        listed = read_manifest(self.folder)
        if listed is not None:
            return set(listed)
        if marker and os.path.isfile(os.path.join(self.folder, marker)):
            return {name for name in _files_under(self.folder)
                    if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)}
        return set()

    def refuse_foreign(self, names: Iterable[str]) -> None:
        """Refuse to replace files in the folder that the toolbox did not write."""
        foreign = sorted(name for name in names if name not in self.previous and name != MANIFEST
                         and os.path.lexists(os.path.join(self.folder, *name.split("/"))))
        if foreign:
            raise OutputConflict(
                f"{self.what} {self.requested} already holds {', '.join(foreign[:5])}"
                + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
                + ", not written by the toolbox; the run would replace it: move it or choose "
                  "another folder")

    def __enter__(self) -> str:
        os.makedirs(self.parent, exist_ok=True)
        sweep_leftovers(self.parent, os.path.basename(self.folder))
        name = os.path.basename(self.folder)
        self._staging = os.path.join(self.parent, f".{name}{NEW_TAG}{_token()}")
        os.mkdir(self._staging)
        return self._staging

    def __exit__(self, kind, error, trace) -> bool:
        if kind is None:
            self.commit()
        elif self._staging:
            _remove(self._staging)
        return False

    def commit(self) -> Dict[str, int]:
        """Write the manifest and swap the staging folder in; returns the manifest's files."""
        staging = self._staging
        if staging is None:
            raise RuntimeError("FolderCommit.commit outside its 'with' block")
        try:
            written = {name: os.path.getsize(os.path.join(staging, *name.split("/")))
                       for name in _files_under(staging) if name != MANIFEST}
            self.refuse_foreign(written)
            with open(os.path.join(staging, MANIFEST), "w", encoding="utf-8") as handle:
                json.dump({"written_by": "Coupling Coordination Toolbox",
                           "note": "files the toolbox wrote here; a new run removes only these",
                           "files": written}, handle, indent=1, sort_keys=True)
            if os.path.isdir(self.folder):
                self._carry_user_files(staging, written)
                shutil.copymode(self.folder, staging)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(staging, 0o777 & ~umask)
            self._swap(staging)
        except BaseException:
            _remove(staging)
            raise
        self._staging = None
        return written

    def _carry_user_files(self, staging: str, written: Dict[str, int]) -> None:
        """Hard-link (else copy) every file of the folder that no run of the toolbox
        wrote into ``staging``, and recreate its empty folders."""
        for root, directories, files in os.walk(self.folder):
            relative_root = os.path.relpath(root, self.folder)
            for directory in directories:
                source = os.path.join(root, directory)
                if os.path.islink(source):
                    files.append(directory)
                elif not os.listdir(source):  # an empty folder of the user's
                    target = os.path.normpath(os.path.join(staging, relative_root, directory))
                    os.makedirs(target, exist_ok=True)
            for name in files:
                relative = os.path.normpath(os.path.join(relative_root, name)).replace(os.sep, "/")
                if relative == MANIFEST or relative in self.previous or relative in written:
                    continue
                source = os.path.join(root, name)
                target = os.path.join(staging, *relative.split("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if os.path.islink(source):
                    os.symlink(os.readlink(source), target)
                    continue
                try:
                    os.link(source, target)
                except OSError:
                    shutil.copy2(source, target)

    def _swap(self, staging: str) -> None:
        cwd = None
        try:
            cwd = os.getcwd()
        except OSError:
            pass
        inside = cwd is not None and is_within(cwd, self.folder)
        with signals_deferred():
            if not os.path.isdir(self.folder):
                os.rename(staging, self.folder)
                return
            if not _exchange(staging, self.folder):
                old = os.path.join(self.parent, f".{os.path.basename(self.folder)}{OLD_TAG}{_token()}")
                os.rename(self.folder, old)
                os.rename(staging, self.folder)
                staging = old
            if inside:  # this process worked inside the folder: follow it to the new one
                relative = os.path.relpath(resolved(cwd), self.folder)
                target = os.path.join(self.folder, relative)
                os.chdir(target if os.path.isdir(target) else self.folder)
        _remove(staging)  # the previous run (and links to the user's files)


def folder_files(folder: str) -> List[str]:
    """Relative paths of the files in ``folder`` (for tests and reports)."""
    return _files_under(folder)


__all__ = ["MANIFEST", "OutputConflict", "os_reason", "StagedOutputs", "FolderCommit", "atomic_file",
           "write_bytes", "signals_deferred", "sweep_leftovers", "shapefile_parts", "resolved",
           "is_within", "check_writable_folder", "read_manifest", "folder_is_complete",
           "folder_files"]
