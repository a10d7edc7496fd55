# SPDX-License-Identifier: Apache-2.0
# Entry points. Every target installs the Debian packages it needs first
# (scripts/deps.sh), so a fresh Debian 12 machine needs only `make demo`
# and `make test`.

JOBS ?= $(shell nproc)
BUILD ?= build
export JOBS

.PHONY: all build test demo bench crypto-soak powerfail-full fuzz clean

all: build

build:
	@scripts/deps.sh host
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test:
	@scripts/test.sh

demo:
	@scripts/demo.sh

bench:
	@scripts/bench.sh

crypto-soak:
	@KEEL_SOAK=1 scripts/test.sh crypto

powerfail-full:
	@KEEL_POWERFAIL_FULL=1 scripts/test.sh powerfail virt-powerfail

fuzz:
	@KEEL_FUZZ_LONG=1 scripts/test.sh fuzz

clean:
	rm -rf build build-* 
