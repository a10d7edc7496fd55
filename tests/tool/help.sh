#!/usr/bin/env bash
# `keel --help` and `keel CMD --help` work for every command, exit 0, and
# print a usage line naming the command; an unknown command fails in one line.
set -euo pipefail
KEEL=${KEEL:-$KEEL_BUILD/tools/keel/keel}
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$KEEL" --help) || fail "keel --help exited $?"
cmds=$(printf '%s\n' "$out" | awk '/^commands:/{c=1;next} c&&NF{print $1}')
[ -n "$cmds" ] || fail "keel --help lists no commands"
n=0
for c in keygen getpub getpubhash getpriv keyinfo sign verify dumpinfo; do
  printf '%s\n' "$cmds" | grep -qx "$c" || fail "keel --help does not list '$c'"
done
for c in $cmds; do
  h=$("$KEEL" "$c" --help) || fail "keel $c --help exited non-zero"
  printf '%s\n' "$h" | head -1 | grep -q "^usage: keel $c" || fail "keel $c --help: no usage line: $(printf '%s' "$h" | head -1)"
  n=$((n + 1))
done
set +e
err=$("$KEEL" no-such-command 2>&1 >/dev/null); rc=$?
set -e
[ $rc -ne 0 ] || fail "unknown command exited 0"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "unknown command: not one line: $err"
printf '%s\n' "$err" | grep -q '^keel: no-such-command: ' || fail "unknown command message: $err"
echo "help: $n commands OK"
