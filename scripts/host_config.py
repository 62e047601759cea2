"""What a chroot needs of this machine's configuration to reach the package
registries the way this machine does (used by ``scripts/qgis_chroot.sh``).

``python3 scripts/host_config.py mirrors``
    prints ``archive URI`` and ``security URI`` lines: the Debian mirrors of
    this machine's own apt sources (``/etc/apt/sources.list`` and
    ``/etc/apt/sources.list.d/*.list`` in one-line format, ``*.sources`` in
    deb822 format; see sources.list(5)). Only sources of this machine's own
    release (its ``VERSION_CODENAME``) count, so third-party repositories are
    never taken for Debian's archive.
``python3 scripts/host_config.py pip-paths``
    prints every local file or folder pip's configuration refers to
    (``cert``, ``client-cert``, ``constraint``, ``find-links``, ``requirement``
    in /etc/pip.conf, /etc/xdg/pip/pip.conf, ``PIP_CONFIG_FILE`` and the
    matching ``PIP_*`` environment variables), plus the configuration files
    themselves, so that they can be copied into the chroot at the same paths.

Nothing is written; no host name is known to this file.
"""

import configparser
import glob
import os
import re
import sys

SOURCES = ("/etc/apt/sources.list", "/etc/apt/sources.list.d")
PIP_CONFIGS = ("/etc/pip.conf", "/etc/xdg/pip/pip.conf")
PIP_PATH_KEYS = ("cert", "client-cert", "constraint", "find-links", "requirement")


def codename(os_release="/etc/os-release"):
    """This machine's release codename, e.g. ``bookworm`` (None if unknown)."""
    try:
        with open(os_release, encoding="utf-8") as handle:
            for line in handle:
                key, _, value = line.strip().partition("=")
                if key == "VERSION_CODENAME":
                    return value.strip('"') or None
    except OSError:
        pass
    return None


def one_line_sources(text):
    """(type, uri, suite) of each line of a one-line-style sources.list."""
    for line in text.splitlines():
        line = re.sub(r"\[[^\]]*\]", " ", line.split("#", 1)[0]).split()
        if len(line) >= 3 and line[0] in ("deb", "deb-src"):
            yield line[0], line[1], line[2]


def deb822_sources(text):
    """(type, uri, suite) of each combination in a deb822 ``.sources`` file."""
    for stanza in re.split(r"\n[ \t]*\n", text):
        fields = {}
        for line in stanza.splitlines():
            if line.lstrip().startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.split()
        if [v.lower() for v in fields.get("enabled", ["yes"])] == ["no"]:
            continue
        for kind in fields.get("types", []):
            for uri in fields.get("uris", []):
                for suite in fields.get("suites", []):
                    yield kind, uri, suite


def apt_sources(locations=SOURCES):
    """Every (type, uri, suite) of the apt sources under ``locations``."""
    files = []
    for location in locations:
        if os.path.isdir(location):
            files += sorted(glob.glob(os.path.join(location, "*.list")))
            files += sorted(glob.glob(os.path.join(location, "*.sources")))
        elif os.path.isfile(location):
            files.append(location)
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        yield from (deb822_sources(text) if path.endswith(".sources") else one_line_sources(text))


def mirrors(sources, release):
    """{'archive': uri, 'security': uri} from the binary sources of ``release``:
    the archive serves ``release`` or ``release-updates``, the security mirror
    ``release-security`` (or ``release/updates`` before Debian 11)."""
    found = {}
    for kind, uri, suite in sources:
        if kind != "deb" or release is None or suite.split("-")[0].split("/")[0] != release:
            continue
        role = "security" if suite.endswith(("-security", "/updates")) else "archive"
        found.setdefault(role, uri.rstrip("/"))
    return found


def pip_paths(environ=os.environ, configs=PIP_CONFIGS):
    """Configuration files of pip and the existing local paths they and the
    ``PIP_*`` variables name, in a stable order without repeats."""
    files = [path for path in configs if os.path.isfile(path)]
    if environ.get("PIP_CONFIG_FILE") and os.path.isfile(environ["PIP_CONFIG_FILE"]):
        files.append(environ["PIP_CONFIG_FILE"])
    values = []
    for path in files:
        parser = configparser.RawConfigParser()
        parser.read(path, encoding="utf-8")
        for section in parser.sections():
            for key in PIP_PATH_KEYS:
                if parser.has_option(section, key):
                    values += parser.get(section, key).split()
    for key in PIP_PATH_KEYS:
        values += environ.get("PIP_" + key.upper().replace("-", "_"), "").split()
    result = []
    for value in files + values:
        path = value[len("file://"):] if value.startswith("file://") else value
        if os.path.isabs(path) and os.path.exists(path) and path not in result:
            result.append(path)
    return result


def main(argv):
    if argv[1:] == ["mirrors"]:
        for role, uri in sorted(mirrors(apt_sources(), codename()).items()):
            print(role, uri)
        return 0
    if argv[1:] == ["pip-paths"]:
        for path in pip_paths():
            print(path)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
