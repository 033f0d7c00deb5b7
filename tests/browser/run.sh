#!/usr/bin/env bash
# Browser tests of the Vigil web console.
#
#   tests/browser/run.sh VIGILD              run the browser tests (node --test)
#   tests/browser/run.sh VIGILD screenshots  save docs/screenshots/*.png instead
#
# VIGILD is the daemon binary (e.g. build/vigild). It is started in demo mode on
# a free loopback port with a fresh data directory, the repo's web/ folder and
# the SIA DC-09 alarm receiver on another free loopback port, and stopped with
# SIGTERM at the end. The tests get VIGIL_URL and VIGIL_DC09_PORT. The exit status is non-zero if a test
# fails or if the daemon does not exit cleanly.
#
# Needs: node >= 20, Debian's /usr/bin/chromium (override with CHROMIUM=...);
# fonts-noto-cjk for readable Chinese in screenshots.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [ $# -lt 1 ]; then
  echo "usage: $0 VIGILD [screenshots]" >&2
  exit 2
fi
vigild="$1"
mode="${2:-test}"
case "$vigild" in /*) ;; *) vigild="$PWD/$vigild" ;; esac
if [ ! -x "$vigild" ]; then
  echo "run.sh: $vigild is not an executable file" >&2
  exit 2
fi
if [ "$mode" != "test" ] && [ "$mode" != "screenshots" ]; then
  echo "run.sh: unknown mode '$mode' (expected: screenshots)" >&2
  exit 2
fi

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "run.sh: ${CHROMIUM:-/usr/bin/chromium} not found (apt-get install chromium)" >&2
  exit 2
fi

if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund) || { echo "run.sh: npm ci failed" >&2; exit 2; }
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/vigil-browser.XXXXXX")"
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid" 2>/dev/null
    wait "$daemon_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/data"
"$vigild" --data "$tmp/data" --http 127.0.0.1:0 --dc09 127.0.0.1:0 --demo --ready-file "$tmp/ready.json" --web "$repo/web" \
  >"$tmp/vigild.log" 2>&1 &
daemon_pid=$!

port=""
dc09_port=""
for _ in $(seq 1 200); do   # 200 x 0.1 s = 20 s
  if [ -s "$tmp/ready.json" ]; then
    # The ready file is {"http": P, "dc09": Q}.
    read -r port dc09_port < <(node -e 'try{const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));if(Number.isInteger(j.http)&&Number.isInteger(j.dc09))console.log(j.http,j.dc09)}catch(e){}' "$tmp/ready.json")
    [ -n "$port" ] && [ -n "$dc09_port" ] && break
  fi
  if ! kill -0 "$daemon_pid" 2>/dev/null; then
    echo "run.sh: the daemon exited before it was ready; its log:" >&2
    cat "$tmp/vigild.log" >&2
    daemon_pid=""
    exit 1
  fi
  sleep 0.1
done
if [ -z "$port" ] || [ -z "$dc09_port" ]; then
  echo "run.sh: no ready file with the http and dc09 ports after 20 s; daemon log:" >&2
  cat "$tmp/vigild.log" >&2
  exit 1
fi

export VIGIL_URL="http://127.0.0.1:$port"
export VIGIL_DC09_PORT="$dc09_port"
echo "run.sh: daemon ready at $VIGIL_URL, DC-09 receiver on port $VIGIL_DC09_PORT (pid $daemon_pid)"

status=0
cd "$here" || exit 2
if [ "$mode" = "screenshots" ]; then
  node screenshots.mjs || status=$?
else
  # VIGIL_BROWSER_TESTS="a.test.mjs b.test.mjs" runs only those files (while developing).
  # shellcheck disable=SC2086
  node --test --test-concurrency=1 --test-reporter=spec ${VIGIL_BROWSER_TESTS:-./*.test.mjs} || status=$?
fi

kill -TERM "$daemon_pid" 2>/dev/null
for _ in $(seq 1 100); do   # give it 10 s to shut down
  kill -0 "$daemon_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$daemon_pid" 2>/dev/null; then
  echo "run.sh: the daemon did not exit within 10 s of SIGTERM; killing it" >&2
  kill -KILL "$daemon_pid" 2>/dev/null
fi
daemon_rc=0
wait "$daemon_pid" || daemon_rc=$?
daemon_pid=""
if [ "$daemon_rc" -ne 0 ]; then
  echo "run.sh: the daemon exited with status $daemon_rc; its log:" >&2
  tail -n 50 "$tmp/vigild.log" >&2
  [ "$status" -eq 0 ] && status=1
fi
if [ "$status" -ne 0 ]; then
  echo "run.sh: FAILED (status $status); last daemon log lines:" >&2
  tail -n 30 "$tmp/vigild.log" >&2
fi
exit "$status"
