#!/usr/bin/env bats
# library.bats: libipcadm as others use it: make install, a program built with pkg-config
# against the installed library alone, run in private namespaces; the exports are the API.

load helpers

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# make check runs this file: its flags (BUILD=, -j) are not this install's
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

# The build under test is installed once, into a scratch root, with Debian's multiarch
# library directory; the example program is built against that root only.
setup_file() {
	local d=$BATS_FILE_TMPDIR/dest ma
	ma=$(gcc -print-multiarch)
	export DEST=$d LIBDIR=/usr/lib/$ma
	# the soname's number, written once in the Makefile
	SO=$(make -s --no-print-directory -C "$ROOT" soversion)
	export SO
	[[ "$SO" =~ ^[0-9]+$ ]]
	# install must not build: a build made with other flags (the ASan one) would be
	# rebuilt with the plain ones
	make -C "$ROOT" -q BUILD="$IPCADM_BUILD" "$IPCADM_BUILD/libipcadm.so" \
		"$IPCADM_BUILD/ipcadm" || {
		echo "$IPCADM_BUILD is not up to date: build it first" >&3
		return 1
	}
	make -C "$ROOT" BUILD="$IPCADM_BUILD" install DESTDIR="$d" PREFIX=/usr \
		LIBDIR="$LIBDIR" >"$BATS_FILE_TMPDIR/install.log" 2>&1 || {
		cat "$BATS_FILE_TMPDIR/install.log" >&3
		return 1
	}
}

# pc ARGS: pkg-config over the installed root only
pc() {
	PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$DEST$LIBDIR/pkgconfig" \
		PKG_CONFIG_SYSROOT_DIR="$DEST" pkg-config "$@"
}

# build_example OUT: the example program, built with the installed header and library
build_example() {
	local san=()
	# an ASan-built library runs only in a program built with ASan
	[[ "$IPCADM_BUILD" != */asan ]] || san=(-fsanitize=address,undefined)
	# shellcheck disable=SC2046
	cc -std=gnu11 -Wall -Wextra -Werror "${san[@]}" $(pc --cflags ipcadm) -o "$1" \
		"$ROOT/tests/lib-example/verdicts.c" $(pc --libs ipcadm)
}

@test "make install lays out the library, its links, the header and ipcadm.pc" {
	local v so
	v=$(cat "$ROOT/VERSION")
	so=$DEST$LIBDIR/libipcadm.so
	[ -f "$so.$SO.$v" ] && [ ! -L "$so.$SO.$v" ]
	[ "$(readlink "$so.$SO")" = "libipcadm.so.$SO.$v" ]
	[ "$(readlink "$so")" = "libipcadm.so.$SO" ]
	readelf -d "$so.$SO.$v" | grep -qF "Library soname: [libipcadm.so.$SO]"
	cmp "$ROOT/include/ipcadm.h" "$DEST/usr/include/ipcadm.h"
	[ "$(pc --modversion ipcadm)" = "$v" ]
	# (pkgconf ends its answers with a space)
	[ "$(pc --cflags ipcadm | xargs)" = "-I$DEST/usr/include" ]
	[ "$(pc --libs ipcadm | xargs)" = "-L$DEST$LIBDIR -lipcadm" ]
	# what the pkg-config file says without a sysroot: the real directories
	grep -qx "libdir=$LIBDIR" "$DEST$LIBDIR/pkgconfig/ipcadm.pc"
	grep -qx "includedir=/usr/include" "$DEST$LIBDIR/pkgconfig/ipcadm.pc"
	# nothing lands outside /usr
	[ "$(find "$DEST" -mindepth 1 -maxdepth 1)" = "$DEST/usr" ]
}

@test "the library exports the functions of the public header and nothing else" {
	local so=$DEST$LIBDIR/libipcadm.so.$SO node=IPCADM_$SO
	nm -D --defined-only "$so" | awk '{ print $3 }' | sed 's/@.*//' | sort -u \
		>"$BATS_TEST_TMPDIR/exported"
	# the version node, named after the soname, then only ipcadm_* names
	grep -qx "$node" "$BATS_TEST_TMPDIR/exported"
	run grep -vx -e "$node" -e 'ipcadm_[a-z0-9_]*' "$BATS_TEST_TMPDIR/exported"
	[ "$output" = "" ]
	# exactly the functions the header declares: no internal ipcadm_* function, none missing
	cat "$DEST/usr/include/ipcadm.h" "$DEST/usr/include/ipcadm-trace.h" \
		"$DEST/usr/include/ipcadm-journal.h" |
		grep -oE '\<ipcadm_[a-z0-9_]+\(' | tr -d '(' | sort -u >"$BATS_TEST_TMPDIR/declared"
	run diff "$BATS_TEST_TMPDIR/declared" <(grep -vx "$node" "$BATS_TEST_TMPDIR/exported")
	[ "$status" -eq 0 ]
	# the internals are in the archive the unit tests link, not in the shared library
	for f in read_file dir_at parallel_for verdicts_judge ipcadm_sysvipc_parse; do
		nm --defined-only "$IPCADM_BUILD/libipcadm.a" 2>/dev/null | grep -q " T $f\$"
		run grep -qx "$f" "$BATS_TEST_TMPDIR/exported"
		[ "$status" -eq 1 ]
	done
}

@test "debian's symbols file lists every export, each with a released version" {
	local so=$DEST$LIBDIR/libipcadm.so.$SO sym=$ROOT/debian/libipcadm$SO.symbols v intro
	v=$(cat "$ROOT/VERSION")
	# the package is named after the soname; its file says so first
	[ "$(grep -v '^#' "$sym" | head -n 1)" = "libipcadm.so.$SO libipcadm$SO #MINVER#" ]
	grep -qx "Package: libipcadm$SO" "$ROOT/debian/control"
	# the same symbols as the library (nm shows the version node without its @node)
	nm -D --defined-only "$so" | awk '{ print $3 }' |
		sed -E 's/@@?/@/; s/^IPCADM_[0-9]+$/&@&/' | sort >"$BATS_TEST_TMPDIR/exported"
	awk '/^ / { print $1 }' "$sym" | sort >"$BATS_TEST_TMPDIR/listed"
	run diff "$BATS_TEST_TMPDIR/listed" "$BATS_TEST_TMPDIR/exported"
	[ "$status" -eq 0 ] || {
		echo "$output"
		echo "the symbols file (<) and the exports (>) differ: a new function"
		echo "gets the line ' NAME@IPCADM_$SO $v' in $sym;"
		echo "a lost one breaks the ABI (SOVERSION)"
		false
	}
	# each with the release that brought it: none later than this one
	while read -r intro; do
		[[ "$intro" =~ ^[0-9]+\.[0-9]+(\.[0-9]+)?$ ]] || { echo "bad: $intro"; false; }
		dpkg --compare-versions "$intro" le "$v" || { echo "$intro is after $v"; false; }
	done < <(awk '/^ / { print $2 }' "$sym" | sort -u)
}

@test "a program built with pkg-config against the installed library prints verdicts" {
	local ex=$BATS_TEST_TMPDIR/verdicts orphan keyed used
	build_example "$ex"
	# it runs with the installed library, not the build tree's
	readelf -d "$ex" | grep -qF "Shared library: [libipcadm.so.$SO]"
	export EX=$ex LD_LIBRARY_PATH=$DEST$LIBDIR POSIXTOOL=$IPCADM_BUILD/helpers/posixtool
	[[ "$(ldd "$ex")" == *"libipcadm.so.$SO => $DEST$LIBDIR/libipcadm.so.$SO "* ]]
	# the attached segment is another user's: made by root in the same second, it would
	# make companions (maybe-in-use) of root's objects
	run ns '
		orphan=$($IPCTOOL shm-create 0 4096 600)
		keyed=$($IPCTOOL sem-create 0x5157 2 600)
		used=$($IPCTOOL drop-to 4242 4242 -- $IPCTOOL shm-create 0x5158 8192 600)
		$IPCTOOL shm-attach $used 60 >/dev/shm/t/a &
		ready /dev/shm/t/a
		$POSIXTOOL shm-create board 4096
		echo "ids $orphan $keyed $used"
		$EX | sort'
	echo "$output"
	[ "$status" -eq 0 ]
	read -r _ orphan keyed used <<<"${lines[0]}"
	[ "${#lines[@]}" -eq 5 ]
	[[ "${lines[1]}" == "pshm /board idle: "* ]]
	[[ "${lines[2]}" == "sem $keyed idle: "* ]]
	# the two segments in either order
	local shm="${lines[3]}"$'\n'"${lines[4]}"
	[[ "$shm" == *"shm $orphan orphaned: "* && "$shm" == *"shm $used in-use: "* ]]
}

@test "the CLI is compiled without lib/'s private headers" {
	local b=$BATS_TEST_TMPDIR/b
	run make -C "$ROOT" -n -B BUILD="$b" "$b/cli/ipcadm.o" "$b/lib/ctx.o"
	[ "$status" -eq 0 ]
	[[ "${lines[*]}" == *" -Ilib "*"lib/ctx.c"* ]]
	run grep -c -- "-Ilib .*cli/ipcadm.c" <<<"$output"
	[ "$output" = 0 ]
}
