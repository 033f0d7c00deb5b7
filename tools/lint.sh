#!/usr/bin/env bash
# make lint: formatting, banned functions, module layering and a complexity cap.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
fail() { echo "lint: $*" >&2; status=1; }

mapfile -t CFILES < <(git ls-files -co --exclude-standard -- 'src/*.c' 'src/*.h' 'tests/*.c' \
    'tests/*.h' 'bench/*.c' | while read -r f; do [ -f "$f" ] && echo "$f"; done)

# 1. Formatting (.clang-format, Debian clang-format 14).
if ! clang-format --dry-run --Werror "${CFILES[@]}" 2>/tmp/vigil-format.$$; then
    fail "formatting differs from .clang-format (run: clang-format -i FILE):"
    grep -E '^[^ ].*: (error|warning):' /tmp/vigil-format.$$ | cut -d: -f1 | sort -u | sed 's/^/  /' >&2
fi
rm -f /tmp/vigil-format.$$

# 2. Banned functions (curl's BANNEDFUNC plus the time functions that are not thread-safe).
banned='\b(sprintf|vsprintf|strcpy|strcat|strncat|gets|atoi|atol|atof|strtok|ctime|localtime|gmtime|asctime|system|tmpnam|mktemp)\s*\('
if grep -nE "$banned" "${CFILES[@]}" | grep -v 'lint:allow'; then
    fail "banned function used (use snprintf, strtol with range checks, *_r variants)"
fi

# 3. Layering: sqlite3.h only in src/store; dependencies point one way.
if grep -ln '#include <sqlite3.h>' $(printf '%s\n' "${CFILES[@]}" | grep -v '^src/store/' | grep -v '^tests/') 2>/dev/null; then
    fail "sqlite3.h included outside src/store"
fi
if grep -n 'store_q_\(rows\|row\|int\|exec\)' $(printf '%s\n' "${CFILES[@]}" | grep '^src/' | grep -v '^src/store/'); then
    fail "SQL helpers (store_q_*) used outside src/store: add a named store_* function"
fi
check_layer() { # dir, forbidden include prefixes...
    local dir=$1; shift
    for bad in "$@"; do
        if grep -ln "#include \"$bad/" "$dir"/*.[ch] 2>/dev/null; then
            fail "$dir must not include $bad/ (dependencies point daemon/cli -> http/proto -> app -> store -> core)"
        fi
    done
}
check_layer src/core app store http proto cli daemon
check_layer src/store app http proto cli daemon
check_layer src/app http proto cli daemon
check_layer src/http cli daemon
check_layer src/cli http daemon

# 4. Complexity cap: cyclomatic complexity <= 25 and <= 150 lines per function (pmccabe).
ALLOW=tools/complexity-allow.txt
while read -r cc _ _ _ lines loc; do
    fn=${loc##*: }
    file=${loc%%(*}
    if { [ "$cc" -gt 25 ] || [ "$lines" -gt 150 ]; } && ! grep -qx "$fn" "$ALLOW" 2>/dev/null; then
        fail "$file: $fn has complexity $cc and $lines lines (caps: 25, 150)"
    fi
done < <(pmccabe $(printf '%s\n' "${CFILES[@]}" | grep '\.c$' | grep -v '^tests/') 2>/dev/null)

# 5. File size: a file past ~1,000 lines probably holds two modules.
for f in "${CFILES[@]}"; do
    n=$(wc -l <"$f")
    [ "$n" -gt 1000 ] && fail "$f has $n lines (split it: one module per file)"
done

[ $status = 0 ] && echo "lint: ok (${#CFILES[@]} files)"
exit $status
