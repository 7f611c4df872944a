#!/bin/sh
# deps.sh: installs the Debian packages that building and testing ipcadm need
# (`deps.sh build`: building only). As root it runs apt-get; otherwise it prints the
# exact command and fails.
set -eu

# One package per line: the build, the test frameworks, the tools tests compare with,
# what the package and completion tests build and drive, a real X server and MIT-SHM
# client (Xvfb, x11perf) for the verdict on a killed client's segment, a real Apache
# (apache2-bin) whose semaphore mutex trace explains, and strace, whose fault injection
# stalls reap's log writes to test the window before each removal.
PACKAGES="
gcc
make
libc6-dev
gcc-multilib
libcmocka-dev
bats
jq
clang
libclang-rt-14-dev
valgrind
util-linux
procps
tzdata
scdoc
prometheus
prometheus-node-exporter
curl
iproute2
systemd
python3
pypy3
dpkg-dev
debhelper
lintian
pkg-config
git
bash-completion
zsh
xvfb
x11-apps
apache2-bin
strace
libtracefs-dev
libtraceevent-dev
libsqlite3-dev
"
[ -z "${IPCADM_EXTRA_PACKAGES:-}" ] || PACKAGES="$PACKAGES $IPCADM_EXTRA_PACKAGES"
# `deps.sh build`: only what building the program needs (make run); `ipcadm trace` links
# libtracefs and libtraceevent, its journal libsqlite3.
[ "${1:-}" != build ] || PACKAGES="gcc make libc6-dev libtracefs-dev libtraceevent-dev libsqlite3-dev pkg-config"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: install them with: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
