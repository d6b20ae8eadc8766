# customs-sim build. `make` builds every program into build/; see README.md.
# Library sources are picked up by wildcard so each room can grow without editing this file.

CC      ?= cc
SAN     ?= 0
# parallel builds for run, test, bench and fuzz (one job a core)
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
BUILD   := build

PKGS     := gsl libconfig hdf5-serial sdl2 SDL2_ttf SDL2_image cmocka libxrl fftw3 plplot
DEB_PKGS := build-essential pkg-config libgsl-dev libconfig-dev libhdf5-dev libsdl2-dev \
            libsdl2-ttf-dev libsdl2-image-dev libcmocka-dev libxrl-dev libfftw3-dev \
            libplplot-dev plplot-driver-cairo openmpi-bin libopenmpi-dev python3-h5py \
            python3-pandas python3-numpy python3-pil python3-xarray python3-h5netcdf fonts-dejavu-core fonts-noto-cjk \
            xvfb xauth valgrind ffmpeg gmt-gshhg-low python3-simpy3

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhdf5_hl -lm -lpthread

WARN   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -Wundef -Wvla
# One build for use and tests: NDEBUG is never defined, so assert() checks internal
# invariants everywhere (there is no separate release build). -O3 runs a simulated day in
# about 5% less time than -O2 with the same results: no multiply-add is ever fused
# (-ffp-contract=off, which ISO C mode implies), so each rounding stays where the source
# puts it whatever the optimiser does.
CFLAGS := -std=c17 -O3 -ffp-contract=off -g $(WARN) -D_GNU_SOURCE -I. $(PKG_CFLAGS) -MMD -MP
LDFLAGS :=
ifeq ($(SAN),1)
  BUILD   := build/san
  CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
  LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRCS := $(wildcard sim/*.c models/*.c models/scenario/*.c models/port/*.c models/kernels/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libcustoms.a

CLI_SRCS    := $(wildcard models/cli/cli_*.c)
CLI_LIB     := $(BUILD)/libcli.a
SIM_SRCS    := $(filter-out $(CLI_SRCS),$(wildcard models/cli/*.c))
REPORT_SRCS := $(wildcard models/report/*.c)
# The reader of result files (models/report/report.h), shared by customs-report and the
# viewer's replay.
READ_SRCS   := models/report/report_read.c models/report/report_columns.c
SWEEP_SRCS  := $(wildcard models/sweep/*.c)
BENCH_SRCS  := $(wildcard tests/bench/*.c)
VIEW_SRCS   := $(wildcard viz/*.c)
TEST_SRCS   := $(wildcard tests/test_*.c)
TEST_BINS   := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%) $(BUILD)/tests/calibrate

PROGS := $(BUILD)/customs-sim $(BUILD)/customs-bench
ifneq ($(REPORT_SRCS),)
  PROGS += $(BUILD)/customs-report
endif
ifneq ($(VIEW_SRCS),)
  PROGS += $(BUILD)/customs-view
endif
ifneq ($(SWEEP_SRCS),)
  PROGS += $(BUILD)/customs-sweep
  ifneq ($(shell command -v mpicc 2>/dev/null),)
    PROGS += $(BUILD)/customs-sweep-mpi
  endif
endif

.PHONY: all deps run test bench valgrind clean view check-deps keys kpis calibrate fuzz fuzz-build fuzz-replay format
all: $(PROGS) $(TEST_BINS) $(BUILD)/tests/alloc/customs-sim

# Installs the Debian packages when one is missing; a no-op otherwise.
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || printf '%s ' $$p; done); \
	missing=$${missing% }; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	cmd="apt-get update && apt-get install -y $$missing"; \
	if [ "$$(id -u)" = 0 ]; then as=""; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as="sudo -n"; \
	else echo "make deps: missing packages; run as root: sudo sh -c '$$cmd'" >&2; exit 1; fi; \
	echo "make deps: installing $$missing"; \
	$$as env DEBIAN_FRONTEND=noninteractive sh -c "$$cmd" >/dev/null || { echo "make deps: '$$cmd' failed" >&2; exit 1; }

run: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	$(BUILD)/customs-sim scenarios/default.cfg

test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@BUILD=$(BUILD) SAN=$(SAN) tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	$(BUILD)/customs-bench

valgrind: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) VALGRIND=1 QUICK=1 tests/run.sh unit

view: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/customs-view scenarios/default.cfg

# Fits the free delays of the shipped ports to the 2015 Time Release Study and rewrites
# scenarios/parts/*_delays.cfg (tests/calibrate.c).
calibrate: $(BUILD)/tests/calibrate
	$(BUILD)/tests/calibrate

# Rewrites the key reference at the end of scenarios/README.md from customs-sim --keys.
keys: $(BUILD)/customs-sim
	@n=$$(grep -n '^## Key reference' scenarios/README.md | cut -d: -f1) && \
	{ head -n $$n scenarios/README.md; echo; $(BUILD)/customs-sim --keys; } > scenarios/README.md.new && \
	mv scenarios/README.md.new scenarios/README.md && echo "scenarios/README.md: key reference updated"

# The result columns reference at the end of results/README.md, from the KPI catalogue.
# Reflows the C lines wider than 100 columns (clang-format, .clang-format), nothing else.
format:
	@tests/format.sh

kpis: $(BUILD)/customs-sim
	@n=$$(grep -n '^<!-- generated by make kpis' results/README.md | cut -d: -f1) && \
	{ head -n $$n results/README.md; echo; $(BUILD)/customs-sim --kpis; } > results/README.md.new && \
	mv results/README.md.new results/README.md && echo "results/README.md: column reference updated"

clean:
	rm -rf build

# ---- fuzzing (libFuzzer; clang from Debian) --------------------------------------
# `make fuzz` builds tests/fuzz/fuzz_*.c with clang, ASan and UBSan and runs each
# harness for FUZZ_S seconds (default 60) from its seed corpus tests/fuzz/<name>/;
# new inputs go to build/fuzz/corpus/<name>/, failing inputs to build/fuzz/artifacts/.
# The run goes on past failures; tests/fuzz/triage.sh then replays each one and fails
# the target if its stack is in the project's code (failures inside HDF5 or libconfig
# are listed only). `make fuzz-replay` runs every seed once (CI).
FUZZ_S       ?= 60
FUZZ_CC      ?= clang
FUZZ_DEB     := clang libclang-rt-dev
FUZZ_DIR     := build/fuzz
FUZZ_CFLAGS  := -std=c17 -g -O1 -D_GNU_SOURCE -I. $(PKG_CFLAGS) -fno-omit-frame-pointer -MMD -MP \
                -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_SRCS    := $(LIB_SRCS) $(filter-out models/report/report_main.c,$(REPORT_SRCS))
FUZZ_OBJS    := $(FUZZ_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_NAMES   := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)
FUZZ_ENV     := ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
                LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp:print_suppressions=0

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "FUZZCC $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(FUZZ_DIR)/lib.a: $(FUZZ_OBJS)
	@rm -f $@ && ar rcs $@ $^
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DIR)/lib.a
	@echo "FUZZLD $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/lib.a $(PKG_LIBS)

fuzz-build:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(FUZZ_DEB)"
	@$(MAKE) --no-print-directory -j$(JOBS) $(FUZZ_BINS)

fuzz: fuzz-build
	@for n in $(FUZZ_NAMES); do \
	  art=$(FUZZ_DIR)/artifacts/$$n; rm -rf $$art; mkdir -p $$art $(FUZZ_DIR)/corpus/$$n; \
	  echo "fuzz: $$n for $(FUZZ_S) s (log: $(FUZZ_DIR)/$$n.log)"; \
	  $(FUZZ_ENV) $(FUZZ_DIR)/$$n -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
	    -max_total_time=$(FUZZ_S) -timeout=10 -rss_limit_mb=4096 -artifact_prefix=$$art/ \
	    $(FUZZ_DIR)/corpus/$$n tests/fuzz/$$n >$(FUZZ_DIR)/$$n.log 2>&1; \
	  grep -q 'INFO: exiting' $(FUZZ_DIR)/$$n.log || { tail -20 $(FUZZ_DIR)/$$n.log; exit 1; }; \
	  grep -E '^#[0-9]+: cov:' $(FUZZ_DIR)/$$n.log | tail -1; \
	  tests/fuzz/triage.sh $(FUZZ_DIR)/$$n $$art/* || exit 1; \
	done

fuzz-replay: fuzz-build
	@for n in $(FUZZ_NAMES); do \
	  $(FUZZ_ENV) $(FUZZ_DIR)/$$n -runs=0 -timeout=10 tests/fuzz/$$n >$(FUZZ_DIR)/$$n-replay.log 2>&1 \
	    && echo "fuzz-replay: $$n: $$(ls tests/fuzz/$$n | wc -l) seeds ok" \
	    || { tail -40 $(FUZZ_DIR)/$$n-replay.log; exit 1; }; \
	done

# Objects are rebuilt when the compiler command changes: its text is kept in a stamp,
# rewritten only when it differs, and only by a build that compiles or links (`make deps`
# or a run whose tools differ, as test_deps.sh's stand-ins, leaves it alone).
FLAGS_STAMP := $(BUILD)/flags.stamp
FLAGS_TEXT  := $(CC) $(CFLAGS) $(LDFLAGS)
$(FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@[ "$$(cat $@ 2>/dev/null)" = '$(FLAGS_TEXT)' ] || echo '$(FLAGS_TEXT)' > $@
FORCE:

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@ && ar rcs $@ $^

# The command-line module shared by the programs (models/cli/cli.h): program code, kept
# out of the library.
$(CLI_LIB): $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(dir $@)
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/customs-sim: $(SIM_SRCS:%.c=$(BUILD)/obj/%.o) $(CLI_LIB) $(LIB)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/customs-report: $(REPORT_SRCS:%.c=$(BUILD)/obj/%.o) $(CLI_LIB) $(LIB)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/customs-sweep: $(SWEEP_SRCS:%.c=$(BUILD)/obj/%.o) $(CLI_LIB) $(LIB)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/customs-bench: $(BENCH_SRCS:%.c=$(BUILD)/obj/%.o) $(CLI_LIB) $(LIB)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
READ_OBJS   := $(READ_SRCS:%.c=$(BUILD)/obj/%.o)
$(BUILD)/customs-view: $(VIEW_SRCS:%.c=$(BUILD)/obj/%.o) $(READ_OBJS) $(CLI_LIB) $(LIB)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# customs-sim with the test allocator (tests/alloc_fail.c): every allocation of the
# project's own code goes through one hook that can fail the n-th (CUSTOMS_FAIL_ALLOC=n).
ALLOC_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup \
              -Wl,--wrap=asprintf,--wrap=gsl_rng_alloc
$(BUILD)/tests/alloc/customs-sim: $(SIM_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/tests/alloc_fail.o $(CLI_LIB) $(LIB)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) $(ALLOC_WRAP) -o $@ $^ $(PKG_LIBS)

# The MPI task farm: the same sweep sources, built with mpicc and CUSTOMS_MPI defined.
$(BUILD)/obj-mpi/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "MPICC $<"
	@OMPI_CC=$(CC) mpicc $(CFLAGS) -DCUSTOMS_MPI=1 -c $< -o $@
$(BUILD)/customs-sweep-mpi: $(SWEEP_SRCS:%.c=$(BUILD)/obj-mpi/%.o) $(CLI_LIB) $(LIB)
	@echo "LD $@"
	@OMPI_CC=$(CC) mpicc $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/%.c $(CLI_LIB) $(LIB) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CLI_LIB) $(LIB) $(PKG_LIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
