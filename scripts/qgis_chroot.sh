#!/usr/bin/env bash
# tests/qgis on the QGIS of another Debian release, in a debootstrap chroot.
#
#   scripts/qgis_chroot.sh SUITE [PYTEST ARGS]   build (first time) and run tests/qgis in it
#   scripts/qgis_chroot.sh --shell SUITE         a root shell in the chroot (mounts set up)
#   scripts/qgis_chroot.sh --remove SUITE        delete the cached chroot
#
# SUITE is a Debian suite: trixie (QGIS 3.40) or sid (the current QGIS, 3.44 in 2026).
# Usually called as `./run qgis-tests 3.40` or `./run qgis-tests 3.44`. Needs root.
#
# The chroot is cached in .cache/chroots/SUITE (git-ignored; CCD_CHROOT_CACHE moves it), so
# reruns only copy the working tree into it and run the tests. The package mirror is this
# machine's own (its apt sources, read at run time by scripts/host_config.py, or
# CCD_DEBIAN_MIRROR), and pip inside reaches its package index the way this machine's pip
# does: pip's configuration files, the files they name and the PIP_* / proxy variables are
# carried in. Inside, `./run qgis-tests host` installs Debian's QGIS packages (once), builds
# .venv-qgis on that QGIS's Python and runs tests/qgis.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=${CCD_CHROOT_CACHE:-$ROOT/.cache/chroots}
INSIDE=/work/ccd   # the working tree's copy inside the chroot

say() { printf '[qgis-chroot] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

action=test
case "${1:-}" in
    --shell) action=shell; shift ;;
    --remove) action=remove; shift ;;
    ""|-h|--help) usage ;;
esac
SUITE=${1:-}
[ -n "$SUITE" ] || usage
shift
case "$SUITE" in
    *[!a-z0-9-]*) die "not a Debian suite name: $SUITE" ;;
esac
TARGET=$CACHE/$SUITE
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot and bind mounts): sudo $0 $SUITE"

# Mount points inside the chroot, in mounting order.
MOUNTS=(proc sys dev dev/pts dev/shm)

mounted_under() { awk -v t="$1" '$2 == t || index($2, t "/") == 1 { print $2 }' /proc/mounts; }

unmount_all() {
    local point
    # deepest first
    for point in $(mounted_under "$TARGET" | sort -r); do
        umount "$point" 2>/dev/null || umount -l "$point"
    done
}

if [ "$action" = remove ]; then
    unmount_all
    if [ -n "$(mounted_under "$TARGET")" ]; then die "still mounted under $TARGET; not removing"; fi
    rm -rf --one-file-system "$TARGET" "$TARGET.partial"
    say "removed $TARGET"
    exit 0
fi

mirror_of() { python3 "$ROOT/scripts/host_config.py" mirrors | awk -v r="$1" '$1 == r { print $2 }'; }

build() {
    [ -f "$TARGET/.ccd-ready" ] && return 0
    if ! command -v debootstrap >/dev/null; then
        command -v apt-get >/dev/null || die "debootstrap is missing"
        say "installing debootstrap"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                     --no-install-recommends debootstrap >/dev/null; }
    fi
    local archive security
    archive=${CCD_DEBIAN_MIRROR:-$(mirror_of archive)}
    security=${CCD_DEBIAN_SECURITY_MIRROR:-$(mirror_of security)}
    [ -n "$archive" ] || die "no Debian mirror in this machine's apt sources; set CCD_DEBIAN_MIRROR"
    local partial=$TARGET.partial
    if [ -n "$(mounted_under "$partial")" ]; then die "something is mounted under $partial"; fi
    rm -rf --one-file-system "$partial"
    mkdir -p "$partial"
    say "debootstrap $SUITE from this machine's Debian mirror into $partial"
    debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$partial" "$archive" \
        > "$CACHE/$SUITE.debootstrap.log" 2>&1 \
        || die "debootstrap failed; see $CACHE/$SUITE.debootstrap.log"
    {
        echo "deb $archive $SUITE main"
        if [ "$SUITE" != sid ] && [ "$SUITE" != unstable ]; then
            echo "deb $archive $SUITE-updates main"
            [ -z "$security" ] || echo "deb $security $SUITE-security main"
        fi
    } > "$partial/etc/apt/sources.list"
    # no documentation or translations: a smaller, faster chroot
    cat > "$partial/etc/dpkg/dpkg.cfg.d/01-ccd-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/zh_CN/*
EOF
    echo 'APT::Install-Recommends "false";' > "$partial/etc/apt/apt.conf.d/01-ccd-norecommends"
    touch "$partial/.ccd-ready"
    mv "$partial" "$TARGET"
}

# Copy this machine's name resolution, proxies and pip configuration into the chroot; bind
# folders pip's configuration names (e.g. find-links) read-only at the same path.
carry_host_config() {
    cp -L /etc/resolv.conf "$TARGET/etc/resolv.conf" 2>/dev/null || true
    cp -L /etc/hosts "$TARGET/etc/hosts" 2>/dev/null || true
    local path
    while IFS= read -r path; do
        if [ -d "$path" ]; then
            mkdir -p "$TARGET$path"
            mount --bind "$path" "$TARGET$path"
            mount -o remount,bind,ro "$TARGET$path"
        else
            mkdir -p "$(dirname "$TARGET$path")"
            cp -L "$path" "$TARGET$path"
        fi
    done < <(python3 "$ROOT/scripts/host_config.py" pip-paths)
    # how this machine's apt reaches its mirror: proxies, retries, and whether it accepts a
    # Release file past its Valid-Until date (a frozen snapshot of the archive does that)
    apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|Max-ValidTime|Retries|http|https|ftp)[ :]' \
        > "$TARGET/etc/apt/apt.conf.d/02-ccd-host-acquire" || true
}

mount_all() {
    mount -t proc proc "$TARGET/proc"
    mount -t sysfs sysfs "$TARGET/sys"
    mount --bind /dev "$TARGET/dev"
    mount --bind /dev/pts "$TARGET/dev/pts"
    mount -t tmpfs -o size=1g shm "$TARGET/dev/shm"
}

# The working tree (what is on disk now, committed or not) without environments and outputs;
# the chroot's own .venv-qgis is kept, so its packages are installed once.
sync_tree() {
    mkdir -p "$TARGET$INSIDE"
    find "$TARGET$INSIDE" -mindepth 1 -maxdepth 1 ! -name .venv-qgis -exec rm -rf {} +
    tar -C "$ROOT" -c --exclude=./.git --exclude=./.venv --exclude=./.venv-qgis --exclude=./.cache \
        --exclude=./output --exclude=./dist --exclude=./build --exclude='*.egg-info' \
        --exclude=__pycache__ --exclude=.pytest_cache --exclude=.hypothesis . \
        | tar -C "$TARGET$INSIDE" -x
}

# Only what the tests need from the caller's environment, nothing else of the host.
chroot_env() {
    local name
    printf '%s\n' HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive QT_QPA_PLATFORM=offscreen
    for name in $(compgen -e); do
        case "$name" in
            PIP_*|CCD_TEST_*|CI|http_proxy|https_proxy|no_proxy|HTTP_PROXY|HTTPS_PROXY|NO_PROXY|SOURCE_DATE_EPOCH)
                printf '%s=%s\n' "$name" "${!name}" ;;
        esac
    done
}

build
trap unmount_all EXIT
trap 'exit 130' INT TERM   # so that the EXIT trap unmounts
unmount_all
mount_all
carry_host_config
sync_tree
mapfile -t environment < <(chroot_env)
if [ "$action" = shell ]; then
    env -i "${environment[@]}" chroot "$TARGET" /bin/bash -c "cd $INSIDE && exec bash -i"
    exit $?
fi
say "tests/qgis in $SUITE (started $(date -u +%H:%M:%S))"
set +e
env -i "${environment[@]}" chroot "$TARGET" /bin/bash -c 'cd "$0" && exec ./run qgis-tests host "$@"' "$INSIDE" "$@"
status=$?
set -e
say "finished $(date -u +%H:%M:%S), exit status $status"
exit $status
