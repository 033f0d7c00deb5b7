# Vigil - build, run and test. See README.md.
#   make          release build: build/vigild, build/vigilctl
#   make run      install missing packages, build, serve the demo console on :8080
#   make test     install missing packages, lint, build with ASan+UBSan, run every test
#   make valgrind unit and integration suites under valgrind
#   make lint     clang-format, banned functions, layering, complexity cap
#   make fuzz     build the libFuzzer targets and fuzz each for FUZZ_SECONDS
#   make bench    benchmarks under bench/
#   make screenshots  pictures of the console under docs/screenshots/

VERSION  := 0.1.0
CC       ?= cc
PKGS     := libmicrohttpd jansson libsodium sqlite3 libcrypto libcurl libturbojpeg
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wcast-qual -Wformat=2 -Wvla -Werror=implicit-function-declaration \
            -fno-common
BASE     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DVIGIL_VERSION=\"$(VERSION)\" \
            -Isrc $(PKG_CFLAGS) $(WARN) -pthread -MMD -MP
LIBS     := $(PKG_LIBS) -lm -pthread

LIB_SRC  := $(wildcard src/core/*.c src/store/*.c src/app/*.c src/http/*.c src/proto/*.c src/proto/*/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
E2E_SRC  := $(wildcard tests/integration/test_*.c)
TLIB_SRC := $(wildcard tests/lib/*.c)

# ---- variants: release (build/), asan (build/asan/), vg (build/vg/) ----
REL_FLAGS  := -O2 -g
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
VG_FLAGS   := -O0 -g

define variant
$(1)_DIR   := $(2)
$(1)_CFLAGS := $(BASE) $(3)
$(1)_LDFLAGS := $(3)
$(1)_LIBOBJ := $$(patsubst src/%.c,$(2)/obj/%.o,$$(LIB_SRC))
$(2)/obj/%.o: src/%.c
	@mkdir -p $$(@D)
	@echo "  CC      $$@"
	@$$(CC) $$($(1)_CFLAGS) -c $$< -o $$@
$(2)/libvigil.a: $$($(1)_LIBOBJ)
	@rm -f $$@
	@echo "  AR      $$@"
	@ar rcs $$@ $$^
$(2)/vigild: $(2)/obj/daemon/main.o $(2)/libvigil.a
	@echo "  LD      $$@"
	@$$(CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(LIBS)
$(2)/vigilctl: $$(patsubst src/%.c,$(2)/obj/%.o,$$(CLI_SRC)) $(2)/libvigil.a
	@echo "  LD      $$@"
	@$$(CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(LIBS)
$(2)/tobj/%.o: tests/%.c
	@mkdir -p $$(@D)
	@echo "  CC      $$@"
	@$$(CC) $$($(1)_CFLAGS) -Itests -c $$< -o $$@
$(2)/tests/%: $(2)/tobj/%.o $$(patsubst tests/%.c,$(2)/tobj/%.o,$$(TLIB_SRC)) $(2)/libvigil.a
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	@$$(CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(LIBS) -lcmocka -lcurl
$(1)_TESTS := $$(patsubst tests/%.c,$(2)/tests/%,$$(UNIT_SRC) $$(E2E_SRC))
-include $$(shell find $(2) -name '*.d' 2>/dev/null)
endef

$(eval $(call variant,REL,build,$(REL_FLAGS)))
$(eval $(call variant,ASAN,build/asan,$(ASAN_FLAGS)))
$(eval $(call variant,VG,build/vg,$(VG_FLAGS)))

.PHONY: all run test lint valgrind fuzz fuzz-replay bench screenshots bootstrap clean check-tests
.SECONDARY:

all: build/vigild build/vigilctl

bootstrap:
	@scripts/bootstrap

run: bootstrap
	@$(MAKE) --no-print-directory all
	@scripts/run-demo

test: bootstrap
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory -j2 build/asan/vigild build/asan/vigilctl $(ASAN_TESTS) build/vigild
	@tests/run-all.sh build/asan

valgrind: bootstrap
	@$(MAKE) --no-print-directory -j2 build/vg/vigild build/vg/vigilctl $(VG_TESTS)
	@VIGIL_VALGRIND=1 VIGIL_DAEMON_VALGRIND=1 tests/run-all.sh build/vg --no-browser

lint:
	@tools/lint.sh

FUZZ_SECONDS ?= 30
fuzz: bootstrap
	@tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

fuzz-replay:
	@tests/fuzz/run.sh build/fuzz 0 --replay

bench: bootstrap all
	@bench/run.sh

screenshots: bootstrap all
	@tests/browser/run.sh build/vigild screenshots

clean:
	rm -rf build
