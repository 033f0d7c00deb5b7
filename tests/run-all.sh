#!/usr/bin/env bash
# Runs every test binary of a build variant, then the browser tests, and ends with the line
# "N passed, N failed". Exit status is non-zero when anything failed.
#   tests/run-all.sh BUILD_DIR [--no-browser]
# With VIGIL_VALGRIND=1 each binary runs under valgrind (leaks are errors).
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:?usage: run-all.sh BUILD_DIR [--no-browser]}
BROWSER=1
[ "${2:-}" = "--no-browser" ] && BROWSER=0

export VIGILD="$PWD/$BUILD/vigild" VIGILCTL="$PWD/$BUILD/vigilctl" VIGIL_WEB="$PWD/web"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
LOGDIR="$BUILD/test-logs"
rm -rf "$LOGDIR"
mkdir -p "$LOGDIR"

passed=0
failed=0
failures=()

run_cmocka() {
    local bin=$1 name log
    name=$(basename "$bin")
    log="$LOGDIR/$(basename "$(dirname "$bin")")_$name.log" # unit_x and integration_x differ
    local -a cmd=("$bin")
    if [ "${VIGIL_VALGRIND:-0}" = 1 ]; then
        cmd=(valgrind --quiet --error-exitcode=99 --leak-check=full
             --errors-for-leak-kinds=definite,indirect --suppressions=tests/valgrind.supp "$bin")
    fi
    local start=$SECONDS
    timeout 600 "${cmd[@]}" >"$log" 2>&1
    local rc=$?
    local p f
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' "$log" | tail -1)
    p=${p:-0}
    f=${f:-0}
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed, leaked or hung: count the binary as one failure
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ $rc -ne 0 ] || [ "$f" -ne 0 ]; then
        failures+=("$name (see $log)")
        printf '  FAIL %-34s %3d passed %3d failed  rc=%d  %ds\n' "$name" "$p" "$f" "$rc" $((SECONDS - start))
        grep -E '^\[  (FAILED|ERROR) |ERROR: AddressSanitizer|runtime error:|definitely lost' "$log" | head -20 | sed 's/^/       /'
    else
        printf '  ok   %-34s %3d passed  %ds\n' "$name" "$p" $((SECONDS - start))
    fi
}

echo "== unit and integration tests ($BUILD)"
for bin in "$BUILD"/tests/unit/test_* "$BUILD"/tests/integration/test_*; do
    [ -x "$bin" ] || continue
    run_cmocka "$bin"
done

if [ "${VIGIL_VALGRIND:-0}" != 1 ]; then
    FUZZ_SECONDS=${VIGIL_FUZZ_SECONDS:-5}
    echo "== fuzz: corpus replay and ${FUZZ_SECONDS}s per target (clang-14, libFuzzer, ASan+UBSan)"
    log="$LOGDIR/fuzz.log"
    tests/fuzz/run.sh build/fuzz "$FUZZ_SECONDS" --replay >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^fuzz: \([0-9]*\) passed.*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/^fuzz: [0-9]* passed, \([0-9]*\) failed/\1/p' "$log" | tail -1)
    p=${p:-0}
    f=${f:-0}
    [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
    if [ $rc -ne 0 ]; then
        failures+=("fuzz replay (see $log)")
        printf '  FAIL %-34s %3d passed %3d failed\n' fuzz "$p" "$f"
    else
        printf '  ok   %-34s %3d passed\n' fuzz "$p"
    fi
fi

if [ $BROWSER = 1 ]; then
    echo "== browser tests (Chromium)"
    log="$LOGDIR/browser.log"
    tests/browser/run.sh "$BUILD/vigild" >"$log" 2>&1
    rc=$?
    p=$(sed -n -E 's/^(# |ℹ )pass ([0-9]+)/\2/p' "$log" | tail -1)
    f=$(sed -n -E 's/^(# |ℹ )fail ([0-9]+)/\2/p' "$log" | tail -1)
    p=${p:-0}
    f=${f:-0}
    [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
    if [ $rc -ne 0 ] || [ "$f" -ne 0 ]; then
        failures+=("browser (see $log)")
        printf '  FAIL %-34s %3d passed %3d failed\n' browser "$p" "$f"
        grep -E '^not ok|Error|error' "$log" | head -20 | sed 's/^/       /'
    else
        printf '  ok   %-34s %3d passed\n' browser "$p"
    fi
fi

if [ ${#failures[@]} -gt 0 ]; then
    echo "failed:"
    printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ ${#failures[@]} -eq 0 ]
