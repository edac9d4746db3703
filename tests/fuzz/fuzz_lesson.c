/*
 * fuzz_lesson.c - libFuzzer harness for the lesson parser.
 *
 * The input is a lesson file's contents, checked with lesson_lint_text()
 * (the parse that `lint`, `list` and the TUI share, cmark included).
 * Every problem is one line naming the lesson.
 * Build and run: make fuzz (tests/fuzz/README).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    StrBuf out;
    int n, lines = 0;

    strbuf_init(&out);
    n = lesson_lint_text("fuzz.md", (const char *)data, size, &out);
    for (const char *s = strbuf_str(&out); *s != '\0'; s++) {
        lines += *s == '\n';
    }
    if (!out.failed && lines != n) {
        abort(); /* one line per problem */
    }
    if (!out.failed && n > 0 && strncmp(strbuf_str(&out), "fuzz.md", 7) != 0) {
        abort(); /* each names the file */
    }
    strbuf_fini(&out);
    return 0;
}
