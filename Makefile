# Makefile: builds libipcadm, the ipcadm program and its tests.
# `make run` shows this machine's IPC health; `make check` runs every test.

BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
WARN := -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral -Werror
# Each include path only where it belongs: cli/ sees the public header and common/'s
# helpers; lib/'s private headers are for lib/ and the tests of its internals.
CPPFLAGS += -Iinclude -Icommon -D_GNU_SOURCE
INTERNAL := -Ilib
THREADS := -pthread
ALL_CFLAGS = $(WARN) $(CFLAGS) $(CPPFLAGS) $(OBJ_FLAGS) $(THREADS)
# The library's objects go into the static archive (the tests link it) and the shared
# library alike: position-independent, and calls between them need not allow interposition.
$(BUILD)/lib/%.o $(BUILD)/common/%.o: private OBJ_FLAGS := $(INTERNAL) -fPIC \
	-fno-semantic-interposition
# `ipcadm trace` (lib/trace.c) reads the kernel's events with libtracefs and libtraceevent:
# only that object compiles against them; the CLI and the shared library link them.
TRACE_CFLAGS := $(shell pkg-config --cflags libtracefs libtraceevent 2>/dev/null || \
	echo -I/usr/include/tracefs -I/usr/include/traceevent)
TRACE_LIBS := -ltracefs -ltraceevent
# The journal (lib/journal.c) is SQLite: the CLI and the shared library link it.
JOURNAL_LIBS := -lsqlite3

LIB_SRC := $(wildcard lib/*.c) $(wildcard common/*.c)
CLI_SRC := $(wildcard cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
HDRS := $(wildcard include/*.h lib/*.h common/*.h cli/*.h)

UNIT_SRC := $(wildcard tests/unit/test-*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# clockshift.c is an LD_PRELOAD library, not a program (built without sanitizers: it is
# loaded into programs that may not carry their runtime); waiter32.c an i386 program.
PRELOAD_SRC := tests/helpers/clockshift.c
HELPER_SRC := $(filter-out $(PRELOAD_SRC) tests/helpers/waiter32.c,$(wildcard tests/helpers/*.c))
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/helpers/%) \
	$(PRELOAD_SRC:tests/helpers/%.c=$(BUILD)/helpers/%.so) $(BUILD)/helpers/waiter32

# The drop-in ipcs, ipcrm and ipcmk: symlinks; the program takes its personality from argv[0].
COMPAT_NAMES := ipcs ipcrm ipcmk
COMPAT_LINKS := $(COMPAT_NAMES:%=$(BUILD)/%)

.PHONY: all run check test deps asan fuzz fuzz-build fuzz-objs man install install-bin \
	install-lib clean bench soversion

# CI builds with the same flags; -Werror is in WARN above.
all: $(BUILD)/ipcadm $(COMPAT_LINKS) $(HELPER_BIN)

$(COMPAT_LINKS): $(BUILD)/ipcadm
	@ln -sfn ipcadm $@

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/lib/trace.o: CPPFLAGS += $(TRACE_CFLAGS)

$(BUILD)/libipcadm.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/ipcadm: $(CLI_OBJ) $(BUILD)/libipcadm.a
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libipcadm.a $(TRACE_LIBS) \
		$(JOURNAL_LIBS) $(LDFLAGS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/fixture.h $(BUILD)/libipcadm.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INTERNAL) -Itests/unit -o $@ $< $(BUILD)/libipcadm.a -lcmocka \
		$(LDFLAGS)

# test-journal tests lib/journal.c: SQLite, and the trace's names of calls (lib/trace.c).
$(BUILD)/tests/test-journal: tests/unit/test-journal.c tests/unit/fixture.h $(BUILD)/libipcadm.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INTERNAL) -Itests/unit -o $@ $< $(BUILD)/libipcadm.a -lcmocka \
		$(TRACE_LIBS) $(JOURNAL_LIBS) $(LDFLAGS)

# test-output tests the CLI's output module (and the remedies' renderer), so it links
# their objects too.
$(BUILD)/tests/test-output: tests/unit/test-output.c tests/unit/fixture.h tests/unit/capture.h \
		$(BUILD)/cli/output.o $(BUILD)/cli/json.o $(BUILD)/cli/obuf.o $(BUILD)/cli/remedy.o \
		$(BUILD)/libipcadm.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INTERNAL) -Itests/unit -Icli -o $@ $< $(BUILD)/cli/output.o \
		$(BUILD)/cli/json.o $(BUILD)/cli/obuf.o $(BUILD)/cli/remedy.o $(BUILD)/libipcadm.a \
		-lcmocka $(LDFLAGS)

$(BUILD)/helpers/%: tests/helpers/%.c tests/helpers/guard.h $(BUILD)/libipcadm.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libipcadm.a $(LDFLAGS)

$(BUILD)/helpers/%.so: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -g -D_GNU_SOURCE -fPIC -shared -o $@ $< -ldl

# waiter32 is an i386 program (gcc-multilib): static, so it runs without 32-bit libraries,
# and without sanitizers. Where the compiler cannot build one, the tests that need it skip.
$(BUILD)/helpers/waiter32: tests/helpers/waiter32.c tests/helpers/guard.h
	@mkdir -p $(dir $@)
	@rm -f $@
	@if $(CC) $(WARN) -O2 -m32 -static -D_GNU_SOURCE -pthread -o $@ $< 2>$@.log; then \
		rm -f $@.log; \
	else \
		echo "  SKIP    $@: $(CC) cannot build -m32 -static programs (see $@.log)"; \
	fi

MAN_SRC := $(wildcard man/*.scd)
MAN_OUT := $(MAN_SRC:man/%.scd=$(BUILD)/man/%)
# The version goes into the page's footer (scdoc's preamble: name(section) "footer").
$(BUILD)/man/%: man/%.scd VERSION
	@mkdir -p $(dir $@)
	@sed '1s/$$/ "ipcadm $(VERSION)"/' $< | scdoc > $@
man: $(MAN_OUT)

run:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory $(BUILD)/ipcadm
	./$(BUILD)/ipcadm

deps:
	@scripts/deps.sh

# The whole suite: unit tests, end-to-end tests in namespaces, fuzz smoke runs,
# and the same suite again built with ASan and UBSan.
check: deps
	@$(MAKE) --no-print-directory all man $(UNIT_BIN)
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" all \
		$(UNIT_BIN:$(BUILD)/%=$(BUILD)/asan/%)
	@$(MAKE) --no-print-directory fuzz-build
	@tests/run.sh $(BUILD)

test: check

asan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" all

# Fuzzing: libFuzzer targets tests/fuzz/fuzz-*.c, built with clang under $(BUILD)/fuzz
# (the library and the CLI objects too, instrumented). `make fuzz` runs each target for
# FUZZ_SECONDS in a private IPC namespace; `make check` runs a short smoke run of each.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BIN := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/fuzz/%.o)

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/fuzz CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" fuzz-objs
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

# (run with BUILD=.../fuzz) the instrumented library and CLI objects
fuzz-objs: $(BUILD)/libipcadm.a $(CLI_OBJ)
	@:

# The CLI as a library: main() renamed ipcadm_main() for the argument-parsing target.
$(BUILD)/fuzz/libcli.a: $(FUZZ_CLI_OBJ)
	@objcopy --redefine-sym main=ipcadm_main $(BUILD)/fuzz/cli/ipcadm.o $(BUILD)/fuzz/cli-main.o
	@rm -f $@ && ar rcs $@ $(filter-out %/ipcadm.o,$^) $(BUILD)/fuzz/cli-main.o

$(BUILD)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h $(BUILD)/fuzz/libcli.a \
		$(BUILD)/fuzz/libipcadm.a
	@echo "  FUZZ    $@"
	@$(FUZZ_CC) $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer $(CPPFLAGS) $(INTERNAL) -Icli -o $@ $< \
		$(BUILD)/fuzz/libcli.a $(BUILD)/fuzz/libipcadm.a $(TRACE_LIBS) $(JOURNAL_LIBS)

# test-regress holds a test for each defect fuzzing found, in the output module too.
$(BUILD)/tests/test-regress: tests/unit/test-regress.c tests/unit/fixture.h tests/unit/capture.h \
		$(BUILD)/cli/output.o $(BUILD)/cli/json.o $(BUILD)/cli/obuf.o $(BUILD)/libipcadm.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INTERNAL) -Itests/unit -Icli -o $@ $< $(BUILD)/cli/output.o $(BUILD)/cli/json.o \
		$(BUILD)/cli/obuf.o $(BUILD)/libipcadm.a -lcmocka -lm $(LDFLAGS)

fuzz: fuzz-build
	@tests/fuzz/smoke.sh $(BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD)

# --- Version and installation (the Debian package in debian/ runs this install with
# PREFIX=/usr). VERSION is the one place the version is written: ipcadm -V, the
# personalities' -V, the man page and debian/changelog (checked by a test) agree with it.
VERSION := $(shell cat VERSION)
CPPFLAGS += -DIPCADM_VERSION='"$(VERSION)"'
$(BUILD)/cli/ipcadm.o $(BUILD)/cli/compat-util.o: VERSION

# The shared library: soname libipcadm.so.$(SOVERSION) (raise SOVERSION when a change
# breaks programs built against the old API), the file named after the release too. Its
# exports are the ipcadm_* API only (lib/libipcadm.map); common/ and internals stay inside.
# SOVERSION is written here only: the tests ask `make -s soversion`. Raising it also
# renames the version node (lib/libipcadm.map) and the Debian library package
# (debian/control, debian/libipcadmN.install and .symbols), which the tests check.
SOVERSION := 1
LIBSO := libipcadm.so.$(SOVERSION)
LIBSO_FILE := $(LIBSO).$(VERSION)
all: $(BUILD)/libipcadm.so

soversion:
	@echo $(SOVERSION)

$(BUILD)/$(LIBSO_FILE): $(LIB_OBJ) lib/libipcadm.map
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,$(LIBSO) \
		-Wl,--version-script=lib/libipcadm.map -Wl,-z,defs -o $@ $(LIB_OBJ) $(TRACE_LIBS) \
		$(JOURNAL_LIBS) $(LDFLAGS)

$(BUILD)/$(LIBSO): $(BUILD)/$(LIBSO_FILE)
	@ln -sfn $(LIBSO_FILE) $@

$(BUILD)/libipcadm.so: $(BUILD)/$(LIBSO)
	@ln -sfn $(LIBSO) $@

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
# Debian's multiarch directory (/usr/lib/x86_64-linux-gnu) is given as LIBDIR.
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR ?= $(PREFIX)/share/man
# The drop-in ipcs, ipcrm, ipcmk: in a directory of their own, never beside util-linux's;
# an admin who wants them puts it first on PATH.
COMPATDIR ?= $(PREFIX)/lib/ipcadm/compat
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/share/zsh/vendor-completions,$(PREFIX)/share/zsh/site-functions)
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system

install: install-bin install-lib

install-bin: $(BUILD)/ipcadm man
	install -D -m 755 $(BUILD)/ipcadm $(DESTDIR)$(BINDIR)/ipcadm
	install -d $(DESTDIR)$(COMPATDIR)
	for n in $(COMPAT_NAMES); do ln -sfn $(BINDIR)/ipcadm $(DESTDIR)$(COMPATDIR)/$$n; done
	install -D -m 644 $(BUILD)/man/ipcadm.8 $(DESTDIR)$(MANDIR)/man8/ipcadm.8
	install -D -m 644 completions/ipcadm.bash $(DESTDIR)$(BASHCOMPDIR)/ipcadm
	install -D -m 644 completions/_ipcadm $(DESTDIR)$(ZSHCOMPDIR)/_ipcadm
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	for u in contrib/systemd/*.service contrib/systemd/*.timer; do \
		sed 's|/usr/local/bin/ipcadm|$(BINDIR)/ipcadm|' $$u > $(DESTDIR)$(SYSTEMDUNITDIR)/$${u##*/}; \
		chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/$${u##*/}; \
	done

# The library for other programs: the shared object and its soname link, and for building
# against it the .so link, the header and ipcadm.pc (pkg-config --cflags --libs ipcadm).
install-lib: $(BUILD)/libipcadm.so
	install -D -m 644 $(BUILD)/$(LIBSO_FILE) $(DESTDIR)$(LIBDIR)/$(LIBSO_FILE)
	ln -sfn $(LIBSO_FILE) $(DESTDIR)$(LIBDIR)/$(LIBSO)
	ln -sfn $(LIBSO) $(DESTDIR)$(LIBDIR)/libipcadm.so
	install -D -m 644 include/ipcadm.h $(DESTDIR)$(INCLUDEDIR)/ipcadm.h
	install -D -m 644 include/ipcadm-trace.h $(DESTDIR)$(INCLUDEDIR)/ipcadm-trace.h
	install -D -m 644 include/ipcadm-journal.h $(DESTDIR)$(INCLUDEDIR)/ipcadm-journal.h
	install -d $(DESTDIR)$(PKGCONFIGDIR)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		lib/ipcadm.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/ipcadm.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/ipcadm.pc
