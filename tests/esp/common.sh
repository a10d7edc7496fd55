# Sourced by the tests/esp scripts: paths, a scratch folder, fail/expect helpers.
set -euo pipefail
KEEL=${KEEL:-$KEEL_BUILD/tools/keel/keel}
U=${ESP_TESTUTIL:-$KEEL_BUILD/tests/esp/esp_testutil}
V=$KEEL_SHARED/vectors/esp
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$KEEL" ] || fail "no keel at $KEEL"
[ -d "$V" ] || fail "no ESP vectors at $V"
mkdir -p "$T/out"
nfail=0

# expect_fail WHAT PATTERN -- keel args...: non-zero exit, exactly one stderr line
# "keel: esp: ..." matching PATTERN, nothing left in $T/out.
expect_fail() {
  local what=$1 pat=$2; shift 3
  local err rc
  set +e
  err=$("$KEEL" "$@" 2>&1 >/dev/null </dev/null); rc=$?
  set -e
  [ $rc -ne 0 ] || fail "$what: exit status 0"
  [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "$what: not one line: $err"
  printf '%s\n' "$err" | grep -Eq '^keel: esp: ' || fail "$what: not 'keel: esp: ...': $err"
  printf '%s\n' "$err" | grep -Eiq -- "$pat" || fail "$what: message does not name the problem ($pat): $err"
  [ -z "$(ls -A "$T/out")" ] || fail "$what: left files behind: $(ls -A "$T/out")"
  nfail=$((nfail + 1))
}
