# xiaoan — build, test, install.  GNU make, no autotools.
#
#   make            build ./xiaoan
#   make check      install missing packages, build with -Werror, run every test
#   make asan       the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make demo       install, build, open the program on a demo workspace
#   make deps       install the missing Debian packages (the one list below)
#   make fuzz       every fuzz harness under libFuzzer for FUZZ_SECONDS (docs/fuzzing.md)
#   make crashtest  kill -9 and full-disk trials, TRIALS / TUI_TRIALS (docs/crashtest.md)
#   make bench      benchmarks next to their floors, one table (docs/performance.md);
#                   make bench-large adds the merge at 10x the data
#   make install / uninstall (PREFIX, DESTDIR), make debug, make clean

VERSION := 0.1.0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/xiaoan
LOCALEDIR ?= $(PREFIX)/share/locale
BUILD   ?= build

# The one list of Debian packages the build and every test need.
DEB_PACKAGES := build-essential pkg-config \
	libncurses-dev libsqlite3-dev libsodium-dev libzstd-dev libjansson-dev \
	libcsv-dev libcmocka-dev zlib1g-dev \
	tmux age zstd sqlite3 locales clang libclang-rt-14-dev \
	libxlsxwriter-dev libpango1.0-dev libcairo2-dev fonts-noto-cjk libexif-dev gettext \
	poppler-utils python3-openpyxl cppcheck unicode-data

PKGS      := ncursesw sqlite3 libsodium libzstd jansson pangocairo cairo-pdf xlsxwriter libexif
TEST_PKGS := cmocka

CC      ?= cc
OPT     ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN    += -Werror
endif
ifeq ($(FUZZ),1)
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
LDSAN   := -fsanitize=address,undefined
endif
ifeq ($(SAN),1)
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN   := -fsanitize=address,undefined
endif

# pkg-config is asked lazily (=), so `make deps` can install it first.
PKG_CFLAGS = $(filter-out -D_XOPEN_SOURCE=%,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv
TEST_LIBS  = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null) -lz
XCFLAGS    = -std=c11 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -DXIAOAN_VERSION='"$(VERSION)"' \
	-DXIAOAN_DATADIR='"$(DATADIR)"' -DXIAOAN_LOCALEDIR='"$(LOCALEDIR)"' -Iinclude $(PKG_CFLAGS) $(WARN) $(OPT) $(CFLAGS)
XLDFLAGS   = $(LDSAN) $(LDFLAGS)

LIB_SRC  := $(sort $(wildcard src/*/*.c))
PO_FILES := $(sort $(wildcard po/*.po))
MO_FILES := $(PO_FILES:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/xiaoan.mo)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/pinyin_data.o
MAIN_OBJ := $(BUILD)/obj/src/main.o
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_AUX := $(sort $(wildcard tests/unit/helpers/*.c))
TEST_AUX_OBJ := $(TEST_AUX:%.c=$(BUILD)/obj/%.o)

# Fuzz harnesses: tests/fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput.
# `make fuzz` runs each under libFuzzer (clang, ASan+UBSan) for FUZZ_SECONDS;
# `make check` replays every seed and saved crash through tests/fuzz/driver.c.
FUZZ_SRC    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES  := $(FUZZ_SRC:tests/fuzz/%.c=%)
REPLAY_BIN  := $(FUZZ_NAMES:%=$(BUILD)/tests/replay_%)
FUZZ_HDR    := $(wildcard tests/fuzz/*.h)
FUZZ_SECONDS ?= 60

# Crash-test drivers: tests/crash/NAME.c -> $(BUILD)/tests/crash_NAME (plain
# programs linked with libxiaoan, run by tests/crash/*.sh and `make crashtest`).
CRASH_SRC := $(sort $(wildcard tests/crash/*.c))
CRASH_BIN := $(CRASH_SRC:tests/crash/%.c=$(BUILD)/tests/crash_%)
TRIALS     ?= 200
TUI_TRIALS ?= 40

# Test helper objects are kept (make would delete them as intermediates).
.SECONDARY: $(TEST_AUX_OBJ)

.PHONY: all bin tests check layers cppcheck asan debug demo deps install uninstall clean run-tests flags fuzz fuzz-bins \
	fuzz-seeds crashtest pot zh-locale golden

all: xiaoan

xiaoan: $(BUILD)/xiaoan $(MO_FILES)
	cp $< $@

# Translations: po/LANG.po (gettext) -> $(BUILD)/locale/LANG/LC_MESSAGES/xiaoan.mo,
# found next to the program (docs/i18n.md).  `make pot` re-extracts the
# messages from the sources and merges them into every po/*.po.
$(BUILD)/locale/%/LC_MESSAGES/xiaoan.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

XGETTEXT_KEYS := -k_ -kN_ -kxa_fail:3 -kxa_fail_errno:3 -kxa_err_prefix:2 -kxa_err_prefixed:3 -kxa_cli_usage:1 \
	-kxa_cli_error:1 -kxa_cmd_usage:2 -kTS:2 -kxa_trn:1,2 \
	-kxa_problem_add:5 -kxa_csv_problem:3 -kitem_problem:5
pot:
	xgettext --from-code=UTF-8 --language=C --add-comments=TRANSLATORS $(XGETTEXT_KEYS) \
		--package-name=xiaoan --msgid-bugs-address= -o po/xiaoan.pot $(LIB_SRC) src/main.c src/tui/tui_strings.h
	for p in $(PO_FILES); do msgmerge --quiet --update --no-fuzzy-matching --backup=none $$p po/xiaoan.pot; done

bin: $(BUILD)/xiaoan

# Rebuild everything when the compiler flags change (normal vs -Werror vs sanitizers).
$(BUILD)/flags.txt: flags
	@mkdir -p $(BUILD)
flags:
	@mkdir -p $(BUILD)
	@echo '$(CC) $(XCFLAGS) $(XLDFLAGS)' > $(BUILD)/flags.new
	@cmp -s $(BUILD)/flags.new $(BUILD)/flags.txt || mv $(BUILD)/flags.new $(BUILD)/flags.txt
	@rm -f $(BUILD)/flags.new

$(BUILD)/obj/%.o: %.c $(BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(CC) $(XCFLAGS) -MMD -MP -c $< -o $@

# The pinyin table, generated from Unicode's Unihan readings (Debian: unicode-data).
UNIHAN ?= /usr/share/unicode/Unihan_Readings.txt.bz2
$(BUILD)/gen/pinyin_data.c: tools/gen_pinyin.awk
	@mkdir -p $(dir $@)
	bzcat $(UNIHAN) | awk -f tools/gen_pinyin.awk >$@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/pinyin_data.o: $(BUILD)/gen/pinyin_data.c $(BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(CC) $(XCFLAGS) -c $< -o $@

$(BUILD)/libxiaoan.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/xiaoan: $(MAIN_OBJ) $(BUILD)/libxiaoan.a
	$(CC) $(XLDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libxiaoan.a $(TEST_AUX_OBJ) $(BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(CC) $(XCFLAGS) -Itests/unit -MMD -MP -o $@ $< $(TEST_AUX_OBJ) $(BUILD)/libxiaoan.a \
		$(XLDFLAGS) $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/tests/replay_%: tests/fuzz/%.c tests/fuzz/driver.c $(FUZZ_HDR) $(BUILD)/libxiaoan.a \
		$(BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(CC) $(XCFLAGS) -MMD -MP -o $@ $< tests/fuzz/driver.c $(BUILD)/libxiaoan.a \
		$(XLDFLAGS) $(PKG_LIBS)

# The seed generator of the fuzz corpora (tests/fuzz/mkseeds.c): `make fuzz-seeds`
# rewrites tests/fuzz/corpus/{fuzz_age,fuzz_container,fuzz_visit}/.
$(BUILD)/tests/fuzz_mkseeds: tests/fuzz/mkseeds.c $(FUZZ_HDR) $(BUILD)/libxiaoan.a $(BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(CC) $(XCFLAGS) -o $@ $< $(BUILD)/libxiaoan.a $(XLDFLAGS) $(PKG_LIBS)

fuzz-seeds: $(BUILD)/tests/fuzz_mkseeds
	$< tests/fuzz/corpus

$(BUILD)/tests/crash_%: tests/crash/%.c $(BUILD)/libxiaoan.a $(BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(CC) $(XCFLAGS) -MMD -MP -o $@ $< $(BUILD)/libxiaoan.a $(XLDFLAGS) $(PKG_LIBS)

tests: $(BUILD)/xiaoan $(MO_FILES) $(TEST_BIN) $(REPLAY_BIN) $(CRASH_BIN)

# kill -9 at random moments while the store (TRIALS) and the TUI in tmux
# (TUI_TRIALS) are saving, and the disk full while saving; see docs/crashtest.md.
# A short version (tests/crash/crash_short.sh) runs in `make check`.
crashtest: deps
	$(MAKE) WERROR=1 tests
	XIAOAN_BIN=$(abspath $(BUILD)/xiaoan) XIAOAN_BUILD=$(abspath $(BUILD)) \
		XIAOAN_TESTS_DIR=$(abspath tests) TRIALS=$(TRIALS) TUI_TRIALS=$(TUI_TRIALS) \
		bash tests/crash/crash.bash

# Rewrite the golden screens (tests/tui/golden/*.txt) after a deliberate
# change of a screen; review the diff before committing it.
golden: tests
	XIAOAN_BIN=$(abspath $(BUILD)/xiaoan) XIAOAN_BUILD=$(abspath $(BUILD)) \
		XIAOAN_TESTS_DIR=$(abspath tests) LC_ALL=C.UTF-8 LANG=C.UTF-8 XIAOAN_GOLDEN_UPDATE=1 \
		bash tests/tui/golden.sh

run-tests: tests
	XIAOAN_BIN=$(abspath $(BUILD)/xiaoan) XIAOAN_BUILD=$(abspath $(BUILD)) \
		bash tests/run.sh $(TEST_BIN) $(REPLAY_BIN)

# libFuzzer builds live in build/fuzz; the corpus grows in build/fuzz/corpus
# (seeds from tests/fuzz/corpus); crashes land in build/fuzz/crashes — copy a
# crash into tests/fuzz/regress/NAME/ to keep it as a regression test.
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_HDR) $(BUILD)/libxiaoan.a $(BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(CC) $(XCFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libxiaoan.a $(XLDFLAGS) $(PKG_LIBS)

fuzz-bins: $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

fuzz: deps
	$(MAKE) BUILD=build/fuzz CC=clang FUZZ=1 fuzz-bins
	@for n in $(FUZZ_NAMES); do \
		mkdir -p build/fuzz/corpus/$$n build/fuzz/crashes/$$n; \
		echo "== $$n ($(FUZZ_SECONDS) s)"; \
		build/fuzz/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=build/fuzz/crashes/$$n/ build/fuzz/corpus/$$n tests/fuzz/corpus/$$n \
			>build/fuzz/$$n.log 2>&1; rc=$$?; tail -n 2 build/fuzz/$$n.log; \
		[ $$rc -eq 0 ] || { echo "fuzz: $$n found a crash: build/fuzz/crashes/$$n/"; exit 1; }; \
	done

# Benchmarks (docs/performance.md): bench/bench_*.c linked with libxiaoan.a, the
# synthetic data generator and the test fixture; `make bench` builds them in
# build/bench and prints one table (BENCH_SCALE=N multiplies the sizes, BENCH_REPS
# the repetitions); `make bench-large` adds the 10x merge.
BENCH_SRC     := $(sort $(wildcard bench/bench_*.c bench/floor_*.c))
BENCH_BIN     := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
BENCH_AUX_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,bench/util.c bench/gen.c tests/unit/helpers/central_fx.c)

.PHONY: bench bench-bins bench-large
.SECONDARY: $(BENCH_AUX_OBJ)

$(BUILD)/bench/%: bench/%.c bench/bench.h $(BENCH_AUX_OBJ) $(BUILD)/libxiaoan.a $(BUILD)/flags.txt
	@mkdir -p $(dir $@)
	$(CC) $(XCFLAGS) -MMD -MP -o $@ $< $(BENCH_AUX_OBJ) $(BUILD)/libxiaoan.a \
		$(XLDFLAGS) $(PKG_LIBS) -lutil -lm

bench-bins: $(BUILD)/xiaoan $(BENCH_BIN) $(BUILD)/tests/test_attach

bench:
	$(MAKE) BUILD=build/bench bench-bins
	BENCH_BUILD=build/bench bash bench/run.sh

bench-large:
	$(MAKE) BUILD=build/bench bench-bins
	BENCH_BUILD=build/bench BENCH_LARGE=1 bash bench/run.sh merge

# bench/gen.o, bench/util.o: a changed header (a struct of forms.h) must
# rebuild them, or the benchmarks run with the old layout and crash.
-include $(BENCH_BIN:=.d) $(BENCH_AUX_OBJ:.o=.d)

check: deps layers cppcheck
	$(MAKE) WERROR=1 all
	$(MAKE) WERROR=1 run-tests

# Includes point down the layers only (docs/HACKING.md "Layers"; curses only in
# src/tui, SQLite only in src/store).
layers:
	sh tools/layers.sh

# Static analysis: zero findings; each suppression is explained in tools/cppcheck.supp.
cppcheck:
	cppcheck -q -j2 --std=c11 --enable=warning,portability --inline-suppr --error-exitcode=1 \
	  -Iinclude -Isrc/store --suppressions-list=tools/cppcheck.supp src

asan: deps
	$(MAKE) BUILD=build/asan SAN=1 WERROR=1 run-tests

debug:
	$(MAKE) BUILD=build/debug OPT='-O0 -g3' WERROR=1 bin
	cp build/debug/xiaoan ./xiaoan

demo: deps
	$(MAKE) all
	@if ./xiaoan help demo >/dev/null 2>&1; then ./xiaoan demo; else \
		echo "xiaoan: 'xiaoan demo' is not in this build yet; the commands that work now:"; \
		./xiaoan --help; fi

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then $(MAKE) --no-print-directory zh-locale; exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "xiaoan: this is not a Debian system; install the equivalents of:$$missing" >&2; exit 1; \
	fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "xiaoan: missing packages:$$missing" >&2; \
		echo "xiaoan: run as root:  apt-get update && apt-get install -y$$missing" >&2; exit 1; \
	fi; \
	echo "installing:$$missing"; \
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	$(MAKE) --no-print-directory zh-locale

# The TUI tests and Chinese users need zh_CN.UTF-8; generate it when root can.
zh-locale:
	@if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$$' && [ "$$(id -u)" = 0 ] && \
		command -v localedef >/dev/null 2>&1; then \
		echo "generating the zh_CN.UTF-8 locale"; localedef -i zh_CN -f UTF-8 zh_CN.UTF-8 || true; fi

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/forms $(DESTDIR)$(DATADIR)/examples
	install -m 0755 xiaoan $(DESTDIR)$(BINDIR)/xiaoan
	install -m 0644 forms/*.csv $(DESTDIR)$(DATADIR)/forms/
	install -m 0644 docs/examples/roster.csv $(DESTDIR)$(DATADIR)/examples/
	for m in $(MO_FILES); do l=$${m#$(BUILD)/locale/}; \
		install -D -m 0644 $$m $(DESTDIR)$(LOCALEDIR)/$$l; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/xiaoan
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(LOCALEDIR)/*/LC_MESSAGES/xiaoan.mo

clean:
	rm -rf build xiaoan

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_BIN:=.d) $(TEST_AUX_OBJ:.o=.d) $(REPLAY_BIN:=.d) \
	$(CRASH_BIN:=.d)
