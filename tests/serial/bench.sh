#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Serial recovery's part of make bench: upload throughput over a pty and
# protocol efficiency per device buffer size. Writes the "Serial recovery"
# section of docs/benchmarks.md. Usage: tests/serial/bench.sh [--no-doc]
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/deps.sh host serial
dir=${KEEL_BENCH_DIR:-build-bench}-serial
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release >"$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
cmake --build "$dir" --target keel keel-sim -j "${JOBS:-2}" >>"$dir.log" 2>&1 || { tail -30 "$dir.log"; exit 1; }
section=$(mktemp)
trap 'rm -f "$section"' EXIT
{
  echo "## Serial recovery"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`make bench\` (tests/serial/bench.sh): \`keel serial upload\`"
  echo "into keel-boot's recovery running in keel-sim, console on a pseudo-terminal (no baud"
  echo "limit: the figures show protocol and host cost, not a UART's)."
  echo
  /usr/bin/python3 tests/serial/bench_serial.py "$dir/tools/keel/keel" "$dir/ports/sim/keel-sim" "$dir/serial-bench"
} >"$section"
cat "$section"
[ "${1:-}" = "--no-doc" ] || scripts/doc-section.sh docs/benchmarks.md serial-recovery tests/serial/bench.sh "$section"
