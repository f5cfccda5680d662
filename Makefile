# sertel - build, test, demo.  See README.md.
#
#   make            build build/sertel
#   make check      install deps if missing, build, run every test (TAP via prove)
#   make check-memory  the end-to-end tests under ASan/UBSan, a batch under valgrind
#   make demo       install deps if missing, build, throwaway PKI + spool, nightly run
#   make bench      the benchmark on realistic documents, against BENCHMARKS.md (not part of check)
#   make check-long the long fault cases (tests/long/), run by CI after check
#   make soak       the crash test at 2000 documents and 200 kills (not part of check)
#   make fuzz       the libFuzzer targets (tests/fuzz/), FUZZ_SECONDS each (default 30)
#   make SAN=1 ...  build with AddressSanitizer + UBSan

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
BUILD   ?= build
PKGS     = openssl libp11 libarchive yaml-0.1 sqlite3 libcurl harfbuzz libopenjp2 libpng zlib libmicrohttpd

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -pthread -D_GNU_SOURCE -DFZ_ENABLE_ICC=0 -Wall -Wextra -Werror \
           -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
           -fstack-protector-strong -D_FORTIFY_SOURCE=2 -MMD -MP \
           $(shell pkg-config --cflags $(PKGS) mupdf 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) \
           $(shell pkg-config --static --libs mupdf 2>/dev/null) -lharfbuzz -lzint -lm -pthread
ifeq ($(SAN),1)
CFLAGS  += -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
BUILD   := build-san
endif
# The fuzz targets' objects (make fuzz): clang, coverage for libFuzzer, ASan + UBSan.
# -Wno-string-concatenation: clang's guess at a missing comma misfires on a long
# message split over two lines (cfg_marks.c); gcc has no such warning.
ifeq ($(FUZZ),1)
CC       = clang
CFLAGS  += -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
           -fno-sanitize-recover=all -Wno-string-concatenation
LDFLAGS += -fsanitize=address,undefined
BUILD   := build-fuzz
endif
# The same targets without ASan, to run under valgrind (README: a write made
# inside MuPDF, which ASan does not see): make FUZZ=valgrind build-fuzz-vg/fuzz/fuzz_verify
ifeq ($(FUZZ),valgrind)
CC       = clang
CFLAGS  += -O1 -gdwarf-4 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link \
           -Wno-string-concatenation
BUILD   := build-fuzz-vg
endif

# One folder per layer, lowest first (README, "Design"; tests/layers.py enforces it).
LAYERS  := base config spool db pki stages/pdf stages/paraf stages/mark stages web pipeline
LIBSRC  := $(filter-out pipeline/main.c,$(foreach d,$(LAYERS),$(wildcard $(d)/*.c)))
LIBOBJ  := $(LIBSRC:%.c=$(BUILD)/%.o)
TESTSRC := $(wildcard tests/unit/test_*.c)
TESTBIN := $(TESTSRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN     := $(BUILD)/sertel

all: $(BIN)

$(BIN): $(BUILD)/pipeline/main.o $(LIBOBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIBOBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJ) $(LDLIBS) -lcmocka

# test_db makes the n-th realloc fail on demand (db_jobs_open must not return part of a list)
$(BUILD)/tests/test_db: LDFLAGS += -Wl,--wrap=realloc

$(BUILD)/bench/%: tests/bench/%.c $(LIBOBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJ) $(LDLIBS)

# What each target needs from Debian: building alone installs nothing; the
# demo adds Python, the tests their tools (scripts/install-deps.sh says which).
deps:
	@./scripts/install-deps.sh
deps-demo:
	@./scripts/install-deps.sh --demo
deps-test:
	@./scripts/install-deps.sh --tests

# Unit tests print TAP through cmocka; end-to-end scripts print TAP themselves.
# Each test file has a time limit: one that hangs fails alone instead of
# holding CI until its own limit (the longest takes about a minute).
TEST_LIMIT = timeout -k 10 600
check: deps-test
	@$(MAKE) --no-print-directory all tests
	@SERTEL=$(abspath $(BIN)) CMOCKA_MESSAGE_OUTPUT=TAP \
	    prove --exec '$(TEST_LIMIT)' $(TESTBIN) $(sort $(wildcard tests/e2e/*.sh))

tests: $(TESTBIN)

# Sanitizer build over the end-to-end tests, and a batch under valgrind.
check-memory: deps-test
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SAN=1 all
	@./tests/memcheck.sh

demo: deps-demo
	@$(MAKE) --no-print-directory all
	@SERTEL=$(abspath $(BIN)) ./scripts/demo.sh

# The fault harness's long cases (issue 11): minutes each, not part of check.
check-long: deps-test
	@$(MAKE) --no-print-directory all
	@$(if $(wildcard tests/long/*.sh),SERTEL=$(abspath $(BIN)) prove --exec 'timeout -k 10 3600' $(sort $(wildcard tests/long/*.sh)),echo "check-long: no long cases in tests/long/")

# Long runs, not part of check: 2000 documents and 200 SIGKILLs.
soak: deps-test
	@$(MAKE) --no-print-directory all
	@SERTEL=$(abspath $(BIN)) CRASH_PER_PD=400 CRASH_KILLS=200 sh tests/e2e/20-crash.sh

# libFuzzer targets (tests/fuzz/fuzz_*.c) over the objects clang builds in
# build-fuzz/ (FUZZ=1); each runs FUZZ_SECONDS over its seed corpus, and any
# crash, leak, sanitizer report or time-out fails (tests/fuzz/run.sh).
FUZZSRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_SECONDS ?= 30
fuzz: deps-test
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-targets
	@FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run.sh $(abspath build-fuzz/fuzz)

fuzz-targets: $(FUZZSRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(LIBOBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(LIBOBJ) $(LDLIBS)

bench: deps-test
	@$(MAKE) --no-print-directory all $(BUILD)/bench/sign_cost $(BUILD)/bench/key_cost
	@SERTEL=$(abspath $(BIN)) SIGN_COST=$(abspath $(BUILD)/bench/sign_cost) \
		KEY_COST=$(abspath $(BUILD)/bench/key_cost) ./tests/bench/bench.sh

install: $(BIN)
	install -D -m 0755 -s $(BIN) $(DESTDIR)$(PREFIX)/bin/sertel
	install -D -m 0644 man/sertel.1 $(DESTDIR)$(PREFIX)/share/man/man1/sertel.1
	install -D -m 0644 man/sertel.yaml.5 $(DESTDIR)$(PREFIX)/share/man/man5/sertel.yaml.5
	install -D -m 0644 config/sertel.example.yaml $(DESTDIR)$(PREFIX)/share/doc/sertel/sertel.example.yaml
	for u in sertel.service sertel-augment.service sertel-report@.service sertel-prune.service sertel-notify.service sertel-web.service; do \
		sed 's|/usr/local/bin/sertel|$(PREFIX)/bin/sertel|' config/$$u > $$u.tmp && \
		install -D -m 0644 $$u.tmp $(DESTDIR)$(PREFIX)/lib/systemd/system/$$u && rm -f $$u.tmp; \
	done
	for t in sertel-augment.timer sertel-report-half.timer sertel-report-year.timer sertel-prune.timer sertel-notify.timer; do \
		install -D -m 0644 config/$$t $(DESTDIR)$(PREFIX)/lib/systemd/system/$$t; \
	done

clean:
	rm -rf build build-san build-fuzz build-fuzz-vg

.PHONY: all deps deps-demo deps-test check check-memory check-long tests demo bench soak fuzz fuzz-targets install clean
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
