# Makefile: builds libipcadm, the ipcadm program and its tests.
# `make run` shows this machine's IPC health; `make check` runs every test.

BUILD ?= build
CC ?= cc
CFLAGS ?= -O2 -g
WARN := -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral -Werror
CPPFLAGS += -Iinclude -Icommon -Ilib -D_GNU_SOURCE
ALL_CFLAGS = $(WARN) $(CFLAGS) $(CPPFLAGS)

LIB_SRC := $(wildcard lib/*.c) $(wildcard common/*.c)
CLI_SRC := $(wildcard cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
HDRS := $(wildcard include/*.h lib/*.h common/*.h cli/*.h)

UNIT_SRC := $(wildcard tests/unit/test-*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/helpers/%)

PREFIX ?= /usr/local
# The drop-in ipcs, ipcrm and ipcmk: symlinks; the program takes its personality from argv[0].
COMPAT_NAMES := ipcs ipcrm ipcmk
COMPAT_LINKS := $(COMPAT_NAMES:%=$(BUILD)/%)

.PHONY: all run check test deps asan fuzz man install clean bench

# CI builds with the same flags; -Werror is in WARN above.
all: $(BUILD)/ipcadm $(COMPAT_LINKS) $(HELPER_BIN)

$(COMPAT_LINKS): $(BUILD)/ipcadm
	@ln -sfn ipcadm $@

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libipcadm.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/ipcadm: $(CLI_OBJ) $(BUILD)/libipcadm.a
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libipcadm.a $(LDFLAGS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/fixture.h $(BUILD)/libipcadm.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libipcadm.a -lcmocka $(LDFLAGS)

# test-output tests the CLI's output module, so it links that module's objects too.
$(BUILD)/tests/test-output: tests/unit/test-output.c tests/unit/fixture.h \
		$(BUILD)/cli/output.o $(BUILD)/cli/obuf.o $(BUILD)/libipcadm.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -Icli -o $@ $< $(BUILD)/cli/output.o \
		$(BUILD)/cli/obuf.o $(BUILD)/libipcadm.a -lcmocka $(LDFLAGS)

$(BUILD)/helpers/%: tests/helpers/%.c $(BUILD)/libipcadm.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libipcadm.a $(LDFLAGS)

MAN_SRC := $(wildcard man/*.scd)
MAN_OUT := $(MAN_SRC:man/%.scd=$(BUILD)/man/%)
$(BUILD)/man/%: man/%.scd
	@mkdir -p $(dir $@)
	@scdoc < $< > $@
man: $(MAN_OUT)

run: $(BUILD)/ipcadm
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
	@tests/run.sh $(BUILD)

test: check

asan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" all

clean:
	rm -rf $(BUILD)

install: $(BUILD)/ipcadm man
	install -D -m 755 $(BUILD)/ipcadm $(DESTDIR)$(PREFIX)/bin/ipcadm
	for n in $(COMPAT_NAMES); do ln -sfn ipcadm $(DESTDIR)$(PREFIX)/bin/$$n; done
	install -D -m 644 $(BUILD)/man/ipcadm.8 $(DESTDIR)$(PREFIX)/share/man/man8/ipcadm.8
