#!/usr/bin/env bash
# bench/run.sh - SIA DC-09 receiver and camera-health benchmarks, in one go (make bench;
# `bench/run.sh camera` runs only the camera-health one).
#
# Builds the release daemon and the bench tools, then runs the same load generator
# (bench/dc09_load) against the bare receiver (bench/dc09_bare: parse + ACK, stores nothing) and
# against vigild (every ACK after a durable group commit) in the same run, on a fresh data
# directory, and prints the figures side by side with the issue's targets. 127.0.0.1 only.
#
# Environment: BENCH_SECONDS (per phase, default 5), BENCH_FILL (stored alarms before the last
# memory reading, default 1000000), BENCH_IDLE (idle panels, default 10000), BENCH_DIR (where the
# temporary data directory goes; must be a real disk, default build/bench), BENCH_VIGILD (a vigild
# binary to measure instead of this tree's release build, e.g. a copy of main's for a before/after).
# The R_* result variables are assigned through printf -v in run().
# shellcheck disable=SC2154
set -euo pipefail
cd "$(dirname "$0")/.."

SECS=${BENCH_SECONDS:-5}
FILL=${BENCH_FILL:-1000000}
IDLE=${BENCH_IDLE:-10000}
BASE=${BENCH_DIR:-build/bench}
T_START=$(date +%s)

# ---- build (release) ----
make --no-print-directory -j2 all >/dev/null
mkdir -p build/bench "$BASE"
CFLAGS="-std=c11 -O2 -g -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc -I. -Wall -Wextra
  -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wcast-qual
  -Wformat=2 -Wvla -Werror=implicit-function-declaration -fno-common -pthread"
LIBS="build/libvigil.a $(pkg-config --libs libmicrohttpd jansson libsodium sqlite3 libcrypto)
  -pthread"
# shellcheck disable=SC2086
cc $CFLAGS -o build/bench/dc09_load bench/dc09_load.c bench/load_sse.c $LIBS
# shellcheck disable=SC2086
cc $CFLAGS -o build/bench/dc09_bare bench/dc09_bare.c $LIBS
LOAD=build/bench/dc09_load
# shellcheck disable=SC2086
cc $CFLAGS -Itests -o build/bench/camera_health bench/camera_health.c tests/lib/camera_img.c \
    tests/lib/snapsrv.c build/libvigil.a $(pkg-config --libs libmicrohttpd jansson libsodium sqlite3 \
    libcrypto libcurl libturbojpeg) -lm -pthread
# camera health: checks per second on 1080p snapshots beside the bare libturbojpeg decode
camera_bench() {
    echo "== camera health (1080p snapshots; load average $(sed 's/ .*//' /proc/loadavg))"
    ./build/bench/camera_health --seconds "$SECS" --threads 2 | sed 's/^/  /'
}
if [ "${1:-}" = camera ]; then # bench/run.sh camera: only this one
    camera_bench
    exit 0
fi

# 10,000 idle panels need more descriptors than the usual 1024 (vigild and the generator each).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((IDLE + 200)) ]; then
    echo "bench: ulimit -n is $(ulimit -n); lowering the idle-panel test to $(($(ulimit -n) - 200))"
    IDLE=$(($(ulimit -n) - 200))
fi

TMP=$(mktemp -d "$BASE/run.XXXXXX")
cp "${BENCH_VIGILD:-build/vigild}" "$TMP/vigild" # immune to a rebuild while the benchmark runs
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

fs=$(stat -f -c %T "$TMP")
[ "$fs" = tmpfs ] && echo "bench: WARNING: $TMP is on tmpfs: fsync costs nothing there"
echo "bench: $(nproc) CPUs, $(sed 's/ .*//' /proc/loadavg) load average before the run," \
    "data on $fs ($TMP), $SECS s per phase"
if awk '{exit !($1 > 1.0)}' /proc/loadavg; then
    echo "bench: WARNING: other work is running (load average above 1): the generator, vigild and" \
        "the bare receiver share $(nproc) CPUs with it, so the figures will be low and noisy"
fi

# field LINE KEY: the value of KEY=... in a RESULT line
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
wait_file() { for _ in $(seq 300); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# ticks PID: CPU ticks per thread name (the daemon names its threads vigil-*; others sum up)
ticks() {
    for t in /proc/"$1"/task/*; do echo "$(cat "$t/comm") $(awk '{print $14 + $15}' "$t/stat")"; done |
        awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
metric() { curl -s "http://127.0.0.1:$HTTP/metrics" | awk -v k="$1" '$1 == k {print $2}'; }
# run LABEL ARGS...: one load phase; keeps the RESULT line in R_<LABEL>
run() {
    local label=$1
    shift
    local out
    out=$("$LOAD" --label "$label" "$@") || true
    grep -v '^RESULT' <<<"$out" | sed 's/^/  /'
    printf -v "R_$label" '%s' "$(grep '^RESULT' <<<"$out" || echo "RESULT label=$label fps=0")"
}

# ---- the bare receiver ----
echo "== bare receiver (parse + ACK, no store)"
./build/bench/dc09_bare --ready-file "$TMP/bare.json" 2>"$TMP/bare.log" &
BARE=$!
PIDS+=("$BARE")
wait_file "$TMP/bare.json"
PORT=$(sed 's/.*"dc09": *\([0-9]*\).*/\1/' "$TMP/bare.json")
run b_rate --port "$PORT" --mode tcp --panels 100 --rate 5000 --seconds $((SECS * 2)) --prefix B1
run b_tcp --port "$PORT" --mode tcp --panels 1000 --seconds "$SECS" --prefix B2
run b_tcpw8 --port "$PORT" --mode tcp --panels 1000 --window 8 --seconds "$SECS" --prefix B3
run b_conn --port "$PORT" --mode tcpconn --panels 1000 --seconds "$SECS" --prefix B4
run b_udp --port "$PORT" --mode udp --panels 1000 --seconds "$SECS" --prefix B5
kill "$BARE"
wait "$BARE" 2>/dev/null || true

# ---- vigild ----
echo "== vigild (ACK after a durable commit: WAL, synchronous=FULL)"
DATA="$TMP/data"
mkdir -p "$DATA"
"$TMP/vigild" --data "$DATA" --http 127.0.0.1:0 --dc09 127.0.0.1:0 --ready-file "$TMP/ready.json" \
    --demo 2>"$TMP/vigild.log" &
VIGILD=$!
PIDS+=("$VIGILD")
wait_file "$TMP/ready.json" || {
    echo "bench: vigild did not start"
    tail "$TMP/vigild.log"
    exit 1
}
HTTP=$(sed 's/.*"http": *\([0-9]*\).*/\1/' "$TMP/ready.json")
PORT=$(sed 's/.*"dc09": *\([0-9]*\).*/\1/' "$TMP/ready.json")
RSS_START=$(rss "$VIGILD")

echo "== $IDLE idle panels (on the fresh daemon)"
"$LOAD" --port "$PORT" --idle "$IDLE" --seconds 3 --ready-file "$TMP/idle.ok" --label idle \
    >"$TMP/idle.out" &
IDLER=$!
PIDS+=("$IDLER")
RSS_IDLE=0
if wait_file "$TMP/idle.ok"; then
    sleep 1
    RSS_IDLE=$(rss "$VIGILD")
fi
wait "$IDLER" || true
sed 's/^/  /' "$TMP/idle.out"
IDLE_UP=$(field "$(grep RESULT "$TMP/idle.out" || true)" connected)


run v_rate --port "$PORT" --mode tcp --panels 100 --rate 5000 --seconds $((SECS * 2)) --prefix A1 \
    --sse "$HTTP"
run v_tcp --port "$PORT" --mode tcp --panels 1000 --seconds "$SECS" --prefix A2
ticks "$VIGILD" >"$TMP/ticks.0"
run v_tcpw8 --port "$PORT" --mode tcp --panels 1000 --window 8 --seconds "$SECS" --prefix A3
ticks "$VIGILD" >"$TMP/ticks.1"
# CPU per alarm of each of vigild's threads in that phase, busiest first.
THREADS=$(join "$TMP/ticks.0" "$TMP/ticks.1" | awk -v n="$(field "$R_v_tcpw8" acked)" \
    -v hz="$(getconf CLK_TCK)" '{d = ($3 - $2) * 1e6 / hz / n; if (d >= 0.05) printf "%.1f %s\n", d, $1}' |
    sort -rn | awk '{printf "%s%s %s us", (NR > 1 ? ", " : ""), $2, $1}')
run v_conn --port "$PORT" --mode tcpconn --panels 1000 --seconds "$SECS" --prefix A4
run v_udp --port "$PORT" --mode udp --panels 1000 --seconds "$SECS" --prefix A5

STORED=$(metric 'vigil_dc09_replies_total{reply="ACK"}')
LEFT=$((FILL - ${STORED:-0}))
echo "== fill to $FILL stored alarms ($LEFT more, max throughput, at most 180 s)"
if [ "$LEFT" -gt 0 ]; then
    run v_fill --port "$PORT" --mode tcp --panels 1000 --window 8 --frames "$LEFT" --seconds 180 \
        --prefix A6
fi
STORED=$(metric 'vigil_dc09_replies_total{reply="ACK"}')
sleep 1
RSS_FILL=$(rss "$VIGILD")
HWM=$(awk '/VmHWM/ {print $2}' "/proc/$VIGILD/status" 2>/dev/null || echo 0)
run v_rate2 --port "$PORT" --mode tcp --panels 100 --rate 5000 --seconds "$SECS" --prefix A7 \
    --sse "$HTTP"
COMMITS=$(metric vigil_store_commits_total)
JOBS=$(metric vigil_store_jobs_total)
CSUM=$(metric vigil_store_commit_seconds_sum)
BMAX=$(metric vigil_store_batch_max)
SYNCS=$(metric vigil_store_syncs_total)
SSUM=$(metric vigil_store_sync_seconds_sum)
DBSIZE=$(du -sm "$DATA" | cut -f1)
kill "$VIGILD"
wait "$VIGILD" 2>/dev/null || true

# ---- the table ----
row() { # name, bare RESULT, vigild RESULT
    local b=$2 v=$3 ratio="-" bf vf
    bf=$(field "$b" fps)
    vf=$(field "$v" fps)
    [ -n "$bf" ] && [ "${bf:-0}" -gt 0 ] && ratio=$(awk -v a="$vf" -v b="$bf" 'BEGIN{printf "%.2f", a/b}')
    printf "%-30s | %8s %7s %7s | %8s %7s %7s %8s | %5s | %s\n" "$1" "${bf:--}" \
        "$(field "$b" p50)" "$(field "$b" p99)" "${vf:--}" "$(field "$v" p50)" "$(field "$v" p99)" \
        "$(field "$v" max)" "$ratio" \
        "nak=$(field "$v" nak) duh=$(field "$v" duh) to=$(field "$v" timeout) bad=$(field "$v" bad) conn_err=$(field "$v" conn_err)"
}
echo
echo "== results (frames/s = ACKs received per second; latency frame->ACK in ms)"
printf "%-30s | %8s %7s %7s | %8s %7s %7s %8s | %5s | %s\n" "scenario" "bare/s" "p50" "p99" \
    "vigild/s" "p50" "p99" "max" "ratio" "vigild errors"
printf -- '-%.0s' {1..130}
echo
row "tcp 100 panels, 5000/s offered" "$R_b_rate" "$R_v_rate"
row "tcp 1000 panels, max, window 1" "$R_b_tcp" "$R_v_tcp"
row "tcp 1000 panels, max, window 8" "$R_b_tcpw8" "$R_v_tcpw8"
row "tcp conn/msg 1000 panels, max" "$R_b_conn" "$R_v_conn"
row "udp 1000 panels, max" "$R_b_udp" "$R_v_udp"
[ -n "${R_v_fill:-}" ] && row "fill: tcp 1000 p., window 8" "" "$R_v_fill"
row "tcp 5000/s after the fill" "" "$R_v_rate2"
echo
printf "frame->SSE (alarm event), 5000/s, 100 panels: p50 %s p90 %s p99 %s max %s ms; %s events," \
    "$(field "$R_v_rate" sse_p50)" "$(field "$R_v_rate" sse_p90)" "$(field "$R_v_rate" sse_p99)" \
    "$(field "$R_v_rate" sse_max)" "$(field "$R_v_rate" sse_n)"
echo " missing $(field "$R_v_rate" sse_missing), reset $(field "$R_v_rate" sse_reset)"
printf "  the same after the fill: p50 %s p99 %s max %s ms; missing %s\n" \
    "$(field "$R_v_rate2" sse_p50)" "$(field "$R_v_rate2" sse_p99)" \
    "$(field "$R_v_rate2" sse_max)" "$(field "$R_v_rate2" sse_missing)"
echo "vigild RSS (VmRSS): at start $((RSS_START / 1024)) MiB; with $IDLE_UP idle panels connected" \
    "$((RSS_IDLE / 1024)) MiB ($(((RSS_IDLE - RSS_START) * 1024 / (${IDLE_UP:-0} > 0 ? ${IDLE_UP:-0} : 1)))" \
    "bytes per panel); after $STORED stored alarms $((RSS_FILL / 1024)) MiB (peak $((HWM / 1024))" \
    "MiB; data directory $DBSIZE MiB)"
echo "vigild CPU per alarm by thread (tcp, window 8): $THREADS"
awk -v c="$COMMITS" -v j="$JOBS" -v s="$CSUM" -v m="$BMAX" -v y="${SYNCS:-0}" -v ys="${SSUM:-0}" \
    'BEGIN{if (c > 0) printf "store: %d commits, %.1f jobs per commit on average (max %d), %.2f ms per COMMIT; %d WAL fsyncs, %.2f ms each\n", c, j/c, m, s*1000/c, y, y ? ys*1000/y : 0}'

# ---- targets ----
met() { awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN{ok = (op == "<=") ? (a <= b) : (a >= b); print ok ? "MET" : "NOT MET"}'; }
ACKP99=$(field "$R_v_rate" p99)
SSEP99=$(field "$R_v_rate" sse_p99)
SUST=$(field "${R_v_fill:-$R_v_tcpw8}" fps)
RATIO=$(awk -v a="$(field "$R_v_tcp" fps)" -v b="$(field "$R_b_tcp" fps)" 'BEGIN{printf "%.2f", b ? a/b : 0}')
RATIO8=$(awk -v a="$(field "$R_v_tcpw8" fps)" -v b="$(field "$R_b_tcpw8" fps)" 'BEGIN{printf "%.2f", b ? a/b : 0}')
echo
echo "== targets"
echo "frame->SSE p99 <= 50 ms at 5000/s, 100 panels:   ${SSEP99:-?} ms  $(met "${SSEP99:-999}" 50 '<=')"
echo "frame->ACK p99 <= 5 ms at 5000/s, 100 panels:    ${ACKP99:-?} ms  $(met "${ACKP99:-999}" 5 '<=')"
W1=$(field "$R_v_tcp" fps)
echo "sustained >= 30000 alarms/s, durable:           ${SUST:-0}/s over the fill, window 8  $(met "${SUST:-0}" 30000 '>=');" \
    "${W1:-0}/s with one frame outstanding per panel  $(met "${W1:-0}" 30000 '>=')"
echo ">= 0.5x the bare receiver (tcp, 1000 panels):    ${RATIO}x window 1, ${RATIO8}x window 8  $(met "$RATIO" 0.5 '>=')"
echo
camera_bench
echo "bench: done in $(($(date +%s) - T_START)) s; load average now $(sed 's/ .*//' /proc/loadavg)"
