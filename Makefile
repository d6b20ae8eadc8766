# customs-sim build. `make` builds every program into build/; see README.md.
# Library sources are picked up by wildcard so each room can grow without editing this file.

CC      ?= cc
SAN     ?= 0
BUILD   := build

PKGS     := gsl libconfig hdf5-serial sdl2 SDL2_ttf SDL2_image cmocka libxrl fftw3 plplot
DEB_PKGS := build-essential pkg-config libgsl-dev libconfig-dev libhdf5-dev libsdl2-dev \
            libsdl2-ttf-dev libsdl2-image-dev libcmocka-dev libxrl-dev libfftw3-dev \
            libplplot-dev plplot-driver-cairo openmpi-bin libopenmpi-dev python3-h5py \
            python3-pandas python3-numpy python3-pil python3-xarray python3-h5netcdf fonts-dejavu-core fonts-noto-cjk \
            xvfb xauth valgrind python3-simpy3

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhdf5_hl -lm -lpthread

WARN   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wpointer-arith -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -Wundef -Wvla
CFLAGS := -std=c17 -O2 -g $(WARN) -D_GNU_SOURCE -I. $(PKG_CFLAGS) -MMD -MP
LDFLAGS :=
ifeq ($(SAN),1)
  BUILD   := build/san
  CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
  LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRCS := $(wildcard sim/*.c models/*.c models/kernels/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libcustoms.a

SIM_SRCS    := $(wildcard models/cli/*.c)
REPORT_SRCS := $(wildcard models/report/*.c)
SWEEP_SRCS  := $(wildcard models/sweep/*.c)
BENCH_SRCS  := $(wildcard tests/bench/*.c)
VIEW_SRCS   := $(wildcard viz/*.c)
TEST_SRCS   := $(wildcard tests/test_*.c)
TEST_BINS   := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)

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

.PHONY: all deps run test bench valgrind clean view check-deps keys
all: $(PROGS) $(TEST_BINS)

# Installs the Debian packages when one is missing; a no-op otherwise.
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || printf '%s ' $$p; done); \
	missing=$${missing% }; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	cmd="apt-get update && apt-get install -y $$missing"; \
	if [ "$$(id -u)" = 0 ]; then echo "make deps: installing $$missing"; \
	  DEBIAN_FRONTEND=noninteractive sh -c "$$cmd" >/dev/null || { echo "make deps: '$$cmd' failed" >&2; exit 1; }; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	  DEBIAN_FRONTEND=noninteractive sudo sh -c "$$cmd" >/dev/null || exit 1; \
	else echo "make deps: missing packages; run as root: sudo sh -c '$$cmd'" >&2; exit 1; fi

run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/customs-sim scenarios/default.cfg

test: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) SAN=$(SAN) tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/customs-bench

valgrind: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) VALGRIND=1 QUICK=1 tests/run.sh unit

view: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/customs-view scenarios/default.cfg

# Rewrites the key reference at the end of scenarios/README.md from customs-sim --keys.
keys: $(BUILD)/customs-sim
	@n=$$(grep -n '^## Key reference' scenarios/README.md | cut -d: -f1) && \
	{ head -n $$n scenarios/README.md; echo; $(BUILD)/customs-sim --keys; } > scenarios/README.md.new && \
	mv scenarios/README.md.new scenarios/README.md && echo "scenarios/README.md: key reference updated"

clean:
	rm -rf build

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/customs-sim: $(SIM_SRCS:%.c=$(BUILD)/obj/%.o) $(LIB)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/customs-report: $(REPORT_SRCS:%.c=$(BUILD)/obj/%.o) $(LIB)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/customs-sweep: $(SWEEP_SRCS:%.c=$(BUILD)/obj/%.o) $(LIB)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/customs-bench: $(BENCH_SRCS:%.c=$(BUILD)/obj/%.o) $(LIB)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BUILD)/customs-view: $(VIEW_SRCS:%.c=$(BUILD)/obj/%.o) $(LIB)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The MPI task farm: the same sweep sources, built with mpicc and CUSTOMS_MPI defined.
$(BUILD)/obj-mpi/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "MPICC $<"
	@OMPI_CC=$(CC) mpicc $(CFLAGS) -DCUSTOMS_MPI=1 -c $< -o $@
$(BUILD)/customs-sweep-mpi: $(SWEEP_SRCS:%.c=$(BUILD)/obj-mpi/%.o) $(LIB)
	@echo "LD $@"
	@OMPI_CC=$(CC) mpicc $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
