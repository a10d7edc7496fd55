#!/usr/bin/env bash
# run.sh FUZZER CORPUS_DIR RUNS: replays the corpus, then fuzzes for RUNS
# new inputs (KEEL_FUZZ_LONG=1: for 10 minutes instead). New corpus entries
# go to a scratch folder, so the repo's corpus changes only by hand.
set -euo pipefail
fuzzer=$1 corpus=$2 runs=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "${KEEL_FUZZ_LONG:-0}" = 1 ]; then
  limit=(-max_total_time=600)
else
  limit=(-runs="$runs")
fi
"$fuzzer" -seed="${KEEL_SEED:-1}" "${limit[@]}" -max_len=2048 -print_final_stats=1 "$work" "$corpus" 2>&1 | tail -15
