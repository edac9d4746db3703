/*
 * strbuf.h - a growable string: exports build their text here, and the
 * front ends decide where it goes (the library never writes to a stream).
 */
#ifndef INTERLEAVE_UTIL_STRBUF_H
#define INTERLEAVE_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compiler.h"

typedef struct StrBuf {
    char *s; /* NUL-terminated; owned; NULL until the first append */
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed: the text is incomplete */
} StrBuf;

/* Empty buf (caller-provided storage).  Thread: owner only. */
void strbuf_init(StrBuf *buf);

/* Free buf's text and empty it. */
void strbuf_fini(StrBuf *buf);

/* Append text; on allocation failure set buf->failed and drop the text. */
void strbuf_add(StrBuf *buf, const char *text);
void strbuf_addf(StrBuf *buf, const char *fmt, ...) ATTR_FORMAT(printf, 2, 3);

/* Append text as a JSON string literal, quotes included. */
void strbuf_add_json_string(StrBuf *buf, const char *text);

/* The text so far ("" when empty).  Borrowed until the next change. */
const char *strbuf_str(const StrBuf *buf);

#endif /* INTERLEAVE_UTIL_STRBUF_H */
