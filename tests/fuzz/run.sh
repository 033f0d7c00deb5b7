#!/usr/bin/env bash
# Builds every libFuzzer target (clang-14, ASan+UBSan), replays the committed corpus (one test
# per file) with --replay, and fuzzes each target for SECONDS when SECONDS > 0.
#   tests/fuzz/run.sh OUTDIR SECONDS [--replay]
# `make test` runs `run.sh build/fuzz 5 --replay`; `make fuzz` runs longer sessions.
# Replay prints "N passed, N failed" (one per corpus file) for tests/run-all.sh to add up.
set -uo pipefail
shopt -s nullglob
cd "$(dirname "$0")/../.."
OUT=${1:?usage: run.sh OUTDIR SECONDS}
SECS=${2:-0}
REPLAY=0
[ "${3:-}" = "--replay" ] && REPLAY=1
[ "$SECS" = 0 ] && REPLAY=1
CC=clang-14
FLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc -g -O1 -fno-omit-frame-pointer
       -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -pthread
       $(pkg-config --cflags libmicrohttpd jansson libsodium sqlite3 libcrypto libcurl libturbojpeg)"
LIBS="$(pkg-config --libs libmicrohttpd jansson libsodium sqlite3 libcrypto libcurl libturbojpeg) -lm -pthread"
mkdir -p "$OUT/obj"
objs=()
for src in src/core/*.c src/store/*.c src/app/*.c src/http/*.c src/proto/*.c src/proto/*/*.c; do
    o="$OUT/obj/$(echo "$src" | tr / _).o"
    if [ ! -f "$o" ] || [ "$src" -nt "$o" ]; then
        # shellcheck disable=SC2086
        $CC $FLAGS -c "$src" -o "$o" || exit 1
    fi
    objs+=("$o")
done
passed=0
failed=0
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    corpus="tests/fuzz/corpus/${name#fuzz_}"
    bin="$OUT/$name"
    # shellcheck disable=SC2086
    $CC $FLAGS -fsanitize=fuzzer "$t" "${objs[@]}" $LIBS -o "$bin" || exit 1
    if [ $REPLAY = 1 ]; then
        for f in "$corpus"/*; do
            if "$bin" -runs=1 "$f" >/dev/null 2>&1; then
                passed=$((passed + 1))
            else
                failed=$((failed + 1))
                echo "fuzz replay FAILED: $name $f"
            fi
        done
    fi
    if [ "$SECS" != 0 ]; then
        work="tests/fuzz/corpus-work/${name#fuzz_}"
        mkdir -p "$work"
        echo "fuzzing $name for ${SECS}s"
        if "$bin" -max_total_time="$SECS" -timeout=5 -print_final_stats=1 \
            -artifact_prefix="$OUT/$name-" "$work" "$corpus" >"$OUT/$name.log" 2>&1; then
            passed=$((passed + 1))
            grep -E 'stat::number_of_executed_units' "$OUT/$name.log" | sed "s/^/  $name /"
        else
            failed=$((failed + 1))
            echo "fuzz FAILED: $name (see $OUT/$name.log; the crashing input is $OUT/$name-crash-*)"
            tail -30 "$OUT/$name.log"
        fi
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed = 0 ]
