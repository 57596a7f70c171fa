#!/usr/bin/env bash
# Runs every test suite and ends with one line: "N passed, N failed".
# Unit tests (doctest, one binary per layer), then integration and differential tests
# (pytest with Debian's /usr/bin/python3 against the real dq-server binary).
set -u
cd "$(dirname "$0")/.."
BUILD=${DQ_BUILD:-build}
export DQ_SERVER="$PWD/$BUILD/dq-server"
passed=0; failed=0; status=0

for t in "$BUILD"/tests/unit_*; do
  [ -x "$t" ] || continue
  out=$("$t" 2>&1); rc=$?
  line=$(echo "$out" | grep -E '^\[doctest\] test cases:' | tail -1)
  p=$(echo "$line" | sed -nE 's/.*\| *([0-9]+) passed.*/\1/p')
  f=$(echo "$line" | sed -nE 's/.*\| *([0-9]+) failed.*/\1/p')
  echo "unit $(basename "$t"): ${p:-0} passed, ${f:-0} failed"
  if [ $rc -ne 0 ]; then echo "$out" | tail -40; status=1; [ "${f:-0}" = 0 ] && f=1; fi
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done

log=$(mktemp)
/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/integration tests/compat "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
summary=$(grep -E '^[=]* *[0-9]+ (passed|failed|error)' "$log" | tail -1)
p=$(echo "$summary" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
f=$(echo "$summary" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
e=$(echo "$summary" | grep -oE '[0-9]+ error' | grep -oE '[0-9]+')
rm -f "$log"
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
if [ $rc -ne 0 ] && [ $rc -ne 5 ]; then status=1; [ $failed -eq 0 ] && failed=1; fi
echo "${passed} passed, ${failed} failed"
exit $status
