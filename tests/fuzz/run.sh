#!/bin/sh
# run.sh - build the libFuzzer harnesses and run each for a bounded time.
#
# usage: run.sh SRCDIR BUILDDIR [HARNESS...]
# environment: FUZZ_CC (default clang), FUZZ_SECONDS (default 60 per
# harness), CMARK_CFLAGS, CMARK_LIBS, PKGDATADIR.
#
# The library's sources are compiled once with clang, AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage into BUILDDIR/fuzz/;
# each harness (tests/fuzz/fuzz_NAME.c) links them.  Each run starts from
# the seed corpus (tests/fuzz/corpus/NAME, copied, so the source tree is
# never written) and stops after FUZZ_SECONDS; a crash, a leak, undefined
# behaviour or a failed check in the harness leaves its input in
# BUILDDIR/fuzz/crash-NAME-* and makes the script fail.
set -eu
src=$1
build=$2
shift 2
cc=${FUZZ_CC:-clang}
secs=${FUZZ_SECONDS:-60}
out="$build/fuzz"
harnesses=${*:-schedule params lesson progress scenario}

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: $cc not found (scripts/install-deps.sh installs clang)" >&2
    exit 1
fi
mkdir -p "$out/obj"
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
-std=gnu11 -pthread -I$src/src -I$build ${CMARK_CFLAGS:-}
-DINTERLEAVE_LESSON_DIR=\"${PKGDATADIR:-/usr/local/share/interleave}/lessons\"
-DINTERLEAVE_SCHEDULE_DIR=\"${PKGDATADIR:-/usr/local/share/interleave}/schedules\""

# the library (everything under src/ but the front ends), once
objs=""
for c in $(cd "$src/src" && ls core/*.c prims/*.c demos/*.c util/*.c view/*.c export/*.c lesson/*.c scenario/*.c 2>/dev/null); do
    o="$out/obj/$(echo "$c" | tr / _ | sed 's/\.c$/.o/')"
    if [ ! -f "$o" ] || [ "$src/src/$c" -nt "$o" ]; then
        # shellcheck disable=SC2086
        $cc $flags -fsanitize=fuzzer-no-link -c "$src/src/$c" -o "$o"
    fi
    objs="$objs $o"
done

status=0
for h in $harnesses; do
    bin="$out/fuzz-$h"
    # shellcheck disable=SC2086
    $cc $flags -fsanitize=fuzzer "$src/tests/fuzz/fuzz_$h.c" $objs ${CMARK_LIBS:--lcmark} -lm \
        -o "$bin"
    rm -rf "$out/corpus-$h"
    mkdir -p "$out/corpus-$h"
    cp "$src/tests/fuzz/corpus/$h/"* "$out/corpus-$h/"
    echo "fuzz: $h for $secs s"
    if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$out/crash-$h-" -print_final_stats=1 "$out/corpus-$h" \
        >"$out/$h.log" 2>&1; then
        echo "fuzz: $h: $(grep -E 'stat::number_of_executed_units' "$out/$h.log" | awk '{print $2}') runs, no failure"
    else
        echo "fuzz: $h FAILED (log: $out/$h.log)"
        grep -E 'ERROR|SUMMARY|Test unit written|runtime error' "$out/$h.log" | head -20
        status=1
    fi
done
exit $status
