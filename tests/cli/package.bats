#!/usr/bin/env bats
# package.bats: the Debian packages built from a clean copy of the tree (dpkg-buildpackage),
# their contents, lintian, and the extracted program and library used from a temporary root;
# nothing installed.

load helpers

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# make check runs this file: its flags (BUILD=, -j) are not the package build's
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

# The package is built once, from the tracked files only (what a clone has), in the plain
# run: the ASan run would build the same package from the same sources again.
setup_file() {
	# the soname's number, written once in the Makefile, names the library package too
	SO=$(make -s --no-print-directory -C "$ROOT" soversion)
	export SO
	[[ "${IPCADM_BUILD:-}" != */asan ]] || return 0
	local src=$BATS_FILE_TMPDIR/ipcadm
	mkdir -p "$src"
	git -C "$ROOT" ls-files -z | (cd "$ROOT" && tar --null -T - -c) | tar -x -C "$src"
	(cd "$src" && dpkg-buildpackage -us -uc -b) >"$BATS_FILE_TMPDIR/build.log" 2>&1
	echo $? >"$BATS_FILE_TMPDIR/build.rc"
}

setup() {
	[[ "${IPCADM_BUILD:-}" != */asan ]] || skip "the package is built from the sources once, in the plain run"
	DEB=$(echo "$BATS_FILE_TMPDIR"/ipcadm_*.deb)
	LIBDEB=$(echo "$BATS_FILE_TMPDIR"/libipcadm"$SO"_*.deb)
	DEVDEB=$(echo "$BATS_FILE_TMPDIR"/libipcadm-dev_*.deb)
	SRC=$BATS_FILE_TMPDIR/ipcadm
	VERSION=$(cat "$ROOT/VERSION")
}

# extract [DEB...]: the packages' files (the program's by default) below $BATS_TEST_TMPDIR/root
extract() {
	local d
	X=$BATS_TEST_TMPDIR/root
	for d in "${@:-$DEB}"; do
		dpkg-deb -x "$d" "$X"
	done
}

# collisions LISTING: the files (not directories) of a `dpkg-deb -c` listing that
# util-linux also ships; /bin, /sbin and /lib are /usr's (merged /usr)
collisions() {
	local norm='s,^/(bin|sbin|lib)/,/usr/\1/,'
	comm -12 <(awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' "$1" | sed -E "$norm" | sort -u) \
		<(dpkg -L util-linux | sed -E "$norm" | sort -u)
}

@test "dpkg-buildpackage -us -uc -b builds the package from a clean copy" {
	run cat "$BATS_FILE_TMPDIR/build.rc"
	[ "$output" = 0 ] || { tail -n 40 "$BATS_FILE_TMPDIR/build.log"; false; }
	[ -f "$DEB" ]
	[[ "$DEB" == */ipcadm_${VERSION}_*.deb ]]
	[[ "$SO" =~ ^[0-9]+$ ]]
	[[ "$LIBDEB" == */libipcadm${SO}_${VERSION}_*.deb && -f "$LIBDEB" ]]
	[[ "$DEVDEB" == */libipcadm-dev_${VERSION}_*.deb && -f "$DEVDEB" ]]
	# the build ran the unit tests
	grep -q "^ok .*" "$BATS_FILE_TMPDIR/build.log"
	run grep -q "^not ok" "$BATS_FILE_TMPDIR/build.log"
	[ "$status" -eq 1 ]
	# and took dpkg-buildflags' hardening: bind now (LDFLAGS), the stack protector and
	# fortified calls (CFLAGS, CPPFLAGS); none is the compiler's default on Debian
	extract
	readelf -d "$X/usr/bin/ipcadm" | grep -q BIND_NOW
	nm -D "$X/usr/bin/ipcadm" | grep -q __stack_chk_fail
	nm -D "$X/usr/bin/ipcadm" | grep -q '__[a-z]*_chk@'
	# the shared library too
	extract "$LIBDEB"
	readelf -d "$X"/usr/lib/*/libipcadm.so."$SO" | grep -q BIND_NOW
	nm -D "$X"/usr/lib/*/libipcadm.so."$SO" | grep -q __stack_chk_fail
}

@test "no file of the package collides with util-linux's" {
	dpkg-deb -c "$DEB" >"$BATS_TEST_TMPDIR/listing"
	run collisions "$BATS_TEST_TMPDIR/listing"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	# the check sees a collision: the old layout's /usr/bin/ipcs
	sed 's,\./usr/lib/ipcadm/compat/ipcs,./usr/bin/ipcs,' "$BATS_TEST_TMPDIR/listing" \
		>"$BATS_TEST_TMPDIR/bad"
	run collisions "$BATS_TEST_TMPDIR/bad"
	[ "$output" = /usr/bin/ipcs ]
}

@test "the package holds the program, its page, completions, units, examples" {
	run dpkg-deb -c "$DEB"
	[ "$status" -eq 0 ]
	bashdir=$(pkg-config --variable=completionsdir bash-completion)
	for f in ./usr/bin/ipcadm ./usr/share/man/man8/ipcadm.8.gz ".$bashdir/ipcadm" \
		./usr/share/zsh/vendor-completions/_ipcadm \
		./lib/systemd/system/ipcadm-metrics.service ./lib/systemd/system/ipcadm-metrics.timer \
		./usr/share/doc/ipcadm/examples/ipcadm-alerts.yml \
		./usr/share/doc/ipcadm/examples/ipcadm-alerts.test.yml \
		./usr/share/doc/ipcadm/NEWS.gz ./usr/share/doc/ipcadm/copyright; do
		grep -q " $f\$" <<<"$output" || { echo "missing $f"; false; }
	done
	for n in ipcs ipcrm ipcmk; do
		grep -q " ./usr/lib/ipcadm/compat/$n -> ../../../bin/ipcadm\$" <<<"$output"
	done
	# the units are installed, not enabled or started (only re-enabled on upgrade when
	# the admin had enabled them)
	dpkg-deb -e "$DEB" "$BATS_TEST_TMPDIR/control"
	grep -q "deb-systemd-helper debian-installed 'ipcadm-metrics.timer'" \
		"$BATS_TEST_TMPDIR/control/postinst"
	run grep -q "deb-systemd-invoke start" "$BATS_TEST_TMPDIR/control/postinst"
	[ "$status" -eq 1 ]
	extract
	grep -qx "ExecStart=/usr/bin/ipcadm metrics --textfile /var/lib/prometheus/node-exporter" \
		"$X/lib/systemd/system/ipcadm-metrics.service"
}

@test "lintian reports no errors" {
	run lintian --fail-on error "$DEB" "$LIBDEB" "$DEVDEB"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *"E: "* ]]
}

@test "the extracted ipcadm runs: overview, list -J, the compat names" {
	extract
	run "$X/usr/bin/ipcadm"
	[ "$status" -eq 0 ]
	[[ "$output" == *"SHMMNI"* ]]
	# reading the host: the overview and list only read
	"$X/usr/bin/ipcadm" list -J >"$BATS_TEST_TMPDIR/list.json"
	jq -e 'type == "object" and has("shm") and has("sem") and has("msg")' \
		"$BATS_TEST_TMPDIR/list.json"
	for n in ipcs ipcrm ipcmk; do
		run "$X/usr/lib/ipcadm/compat/$n" -V
		[ "$output" = "$n from ipcadm $VERSION (util-linux 2.38.1 compatible)" ]
	done
	# run as ipcs it is util-linux's ipcs (reading the host: the same tables)
	run "$X/usr/lib/ipcadm/compat/ipcs"
	[ "$status" -eq 0 ]
	[ "$output" = "$(ipcs)" ]
	# the compat names first on PATH, in a private namespace
	run ns "PATH=$X/usr/lib/ipcadm/compat:\$PATH
		[ \"\$(command -v ipcmk)\" = $X/usr/lib/ipcadm/compat/ipcmk ]
		id=\$(ipcmk -S 3 | tr -dc 0-9)
		ipcs -s | grep -c 0x
		$X/usr/bin/ipcadm list -r -n -o ID,NSEMS sem
		ipcrm -s \$id
		ipcs -s | grep -c 0x || true"
	[ "$status" -eq 0 ]
	[ "$output" = $'1\n0 3\n0' ]
}

@test "libipcadmN holds the shared library, libipcadm-dev what building against it needs" {
	local ma
	ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	run dpkg-deb -c "$LIBDEB"
	grep -q " ./usr/lib/$ma/libipcadm.so.$SO.$VERSION\$" <<<"$output"
	grep -q " ./usr/lib/$ma/libipcadm.so.$SO -> libipcadm.so.$SO.$VERSION\$" <<<"$output"
	run grep -E "\.(h|pc)\$| -> libipcadm\.so\.$SO\$" <<<"$output"
	[ "$output" = "" ]
	run dpkg-deb -c "$DEVDEB"
	for f in ./usr/include/ipcadm.h "./usr/lib/$ma/libipcadm.so -> libipcadm.so.$SO" \
		"./usr/lib/$ma/pkgconfig/ipcadm.pc"; do
		grep -q " $f\$" <<<"$output" || { echo "missing $f"; false; }
	done
	# programs built against it depend on this release or a later one; the program itself
	# is linked statically (it starts faster: README, "The library")
	dpkg-deb -e "$LIBDEB" "$BATS_TEST_TMPDIR/libctl"
	grep -qx "libipcadm $SO libipcadm$SO (>= $VERSION)" "$BATS_TEST_TMPDIR/libctl/shlibs"
	# and on the release of the newest symbol they use: the symbols file as written
	diff <(grep '^ ' "$ROOT/debian/libipcadm$SO.symbols") \
		<(grep '^ ' "$BATS_TEST_TMPDIR/libctl/symbols")
	grep -q "^activate-noawait ldconfig" "$BATS_TEST_TMPDIR/libctl/triggers"
	[[ "$(dpkg-deb -f "$DEVDEB" Depends)" == *"libipcadm$SO (= $VERSION)"* ]]
	run dpkg-deb -f "$DEB" Depends
	[[ "$output" != *libipcadm* ]]
	# it exports the API only, and a program builds against the extracted packages
	extract "$LIBDEB" "$DEVDEB"
	nm -D --defined-only "$X/usr/lib/$ma/libipcadm.so.$SO" >"$BATS_TEST_TMPDIR/nm"
	run grep -v " ipcadm_" "$BATS_TEST_TMPDIR/nm"
	[ "$output" = "0000000000000000 A IPCADM_$SO" ]
	# shellcheck disable=SC2046
	cc -Wall -Werror -o "$BATS_TEST_TMPDIR/verdicts" "$ROOT/tests/lib-example/verdicts.c" \
		$(PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR="$X/usr/lib/$ma/pkgconfig" \
			PKG_CONFIG_SYSROOT_DIR="$X" pkg-config --cflags --libs ipcadm)
	run ns "LD_LIBRARY_PATH=$X/usr/lib/$ma $BATS_TEST_TMPDIR/verdicts"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

# makeshlibs_with FILE: the package build's dh_makeshlibs step, run again in the built copy
# with FILE as the library's symbols file (the copy's own file is put back)
makeshlibs_with() {
	local sym=$SRC/debian/libipcadm$SO.symbols
	cp "$sym" "$BATS_TEST_TMPDIR/kept"
	cp "$1" "$sym"
	run make -C "$SRC" -f debian/rules override_dh_makeshlibs
	cp "$BATS_TEST_TMPDIR/kept" "$sym"
}

@test "the package build fails until the symbols file lists exactly the exports" {
	local sym=$ROOT/debian/libipcadm$SO.symbols t=$BATS_TEST_TMPDIR
	makeshlibs_with "$sym"
	[ "$status" -eq 0 ]
	# a function without its line: added to the API, not to the file
	grep -v ' ipcadm_limit_get@' "$sym" >"$t/less"
	makeshlibs_with "$t/less"
	[ "$status" -ne 0 ]
	[[ "$output" == *"+ ipcadm_limit_get@IPCADM_$SO $VERSION"* ]]
	# a line without its function, even in the release that added it (which
	# dpkg-gensymbols -c4 lets pass)
	{ cat "$sym"; echo " ipcadm_gone@IPCADM_$SO $VERSION"; } >"$t/more"
	makeshlibs_with "$t/more"
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not export:"*" ipcadm_gone"* ]]
}

@test "one version: VERSION, ipcadm -V, the man page, debian/changelog, NEWS" {
	[[ "$VERSION" =~ ^[0-9]+\.[0-9]+(\.[0-9]+)?$ ]]
	extract
	[ "$("$X/usr/bin/ipcadm" -V)" = "ipcadm $VERSION" ]
	[ "$("$IPCADM" -V)" = "ipcadm $VERSION" ]
	run zgrep '^\.TH' "$X/usr/share/man/man8/ipcadm.8.gz"
	[[ "$output" == *"\"ipcadm $VERSION\""* ]]
	[ "$(cd "$ROOT" && dpkg-parsechangelog -S Version)" = "$VERSION" ]
	[ "$(dpkg-deb -f "$DEB" Version)" = "$VERSION" ]
	grep -q "^$VERSION: " "$ROOT/NEWS"
}

@test "make install honours DESTDIR, PREFIX and COMPATDIR, and installs nothing else" {
	# the copy was built by the package build: install only lays files out
	run make -C "$SRC" -n install DESTDIR=/x PREFIX=/opt/ipcadm
	[[ "$output" != *deps.sh* && "$output" != *apt* ]]
	d=$BATS_TEST_TMPDIR/dest
	make -C "$SRC" install DESTDIR="$d" PREFIX=/opt/ipcadm COMPATDIR=/opt/ipcadm/compat >/dev/null
	[ -x "$d/opt/ipcadm/bin/ipcadm" ]
	[ "$(readlink "$d/opt/ipcadm/compat/ipcs")" = /opt/ipcadm/bin/ipcadm ]
	[ -f "$d/opt/ipcadm/share/man/man8/ipcadm.8" ]
	[ -f "$d/opt/ipcadm/share/bash-completion/completions/ipcadm" ]
	[ -f "$d/opt/ipcadm/share/zsh/site-functions/_ipcadm" ]
	[ "$(readlink "$d/opt/ipcadm/lib/libipcadm.so")" = "libipcadm.so.$SO" ]
	[ -f "$d/opt/ipcadm/lib/libipcadm.so.$SO.$VERSION" ]
	[ -f "$d/opt/ipcadm/include/ipcadm.h" ]
	grep -qx "libdir=/opt/ipcadm/lib" "$d/opt/ipcadm/lib/pkgconfig/ipcadm.pc"
	grep -q "^ExecStart=/opt/ipcadm/bin/ipcadm " "$d/opt/ipcadm/lib/systemd/system/ipcadm-metrics.service"
	[ "$(find "$d" ! -path "$d/opt/*" ! -path "$d/opt" ! -path "$d" | wc -l)" -eq 0 ]
}
