/*
 * json.h - a small streaming JSON writer.
 *
 * DESIGN
 * A JsonWriter turns calls (begin an object, a key, a string, a number)
 * into JSON text and hands it, a few kilobytes at a time, to a sink: a
 * function the caller provides.  Nothing is kept but a small buffer and
 * the nesting state, so a document of any size (a trace of millions of
 * events) is written in constant memory, and the library still never
 * touches a stream itself: the front end's sink decides where the bytes
 * go (a FILE, a StrBuf).
 *
 * The writer places the commas and colons; the caller only says what
 * comes next.  Strings are escaped per RFC 8259 section 7: '"', '\' and
 * the control characters U+0000..U+001F are escaped, and bytes that are
 * not valid UTF-8 are replaced by U+FFFD, so the output is always valid
 * JSON in valid UTF-8 whatever the input (lesson files, answer files and
 * demo names come from users).  Numbers that JSON cannot hold (NaN,
 * infinities) are written as null.
 *
 * Misuse (a value where a key is due, closing more than was opened,
 * nesting deeper than JSON_MAX_DEPTH) is a bug in the caller: it sets the
 * sticky error -EINVAL and nothing more is written.
 *
 * Thread: one writer belongs to one thread.
 */
#ifndef INTERLEAVE_UTIL_JSON_H
#define INTERLEAVE_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "util/strbuf.h"

#define JSON_MAX_DEPTH 32
#define JSON_BUF_SIZE 8192

/* Where the text goes: write len bytes of buf.  Returns 0, or a negative
 * errno value (kept as the writer's error; nothing more is written). */
typedef int (*JsonSink)(void *ctx, const char *buf, size_t len);

typedef struct JsonWriter {
    JsonSink sink;
    void *ctx;
    int error;                          /* first error (sink or misuse), 0 = none */
    unsigned depth;                     /* open objects and arrays */
    bool in_object[JSON_MAX_DEPTH + 1]; /* per level: object (true) or array */
    bool first[JSON_MAX_DEPTH + 1];     /* per level: nothing written yet */
    bool key_done;                      /* a key was written; its value is due */
    unsigned indent;                    /* spaces per level, 0 = compact */
    uint64_t written;                   /* bytes handed to the sink so far */
    size_t len;                         /* bytes waiting in buf */
    char buf[JSON_BUF_SIZE];
} JsonWriter;

/* Start a writer that sends its text to sink(ctx, ...).  indent > 0 puts
 * every member and element on its own line, indented by that many spaces
 * per level.  Thread: owner. */
void json_init(JsonWriter *w, JsonSink sink, void *ctx, unsigned indent);

/* A sink that appends to the StrBuf ctx (-ENOMEM when it failed). */
int json_sink_strbuf(void *ctx, const char *buf, size_t len);

void json_begin_object(JsonWriter *w);
void json_end_object(JsonWriter *w);
void json_begin_array(JsonWriter *w);
void json_end_array(JsonWriter *w);

/* The key of the next member (inside an object only). */
void json_key(JsonWriter *w, const char *key);

/* Values.  s may be NULL: written as null. */
void json_string(JsonWriter *w, const char *s);
void json_string_n(JsonWriter *w, const char *s, size_t len);
void json_int(JsonWriter *w, int64_t v);
void json_uint(JsonWriter *w, uint64_t v);
/* v with up to `decimals` digits after the point (0..9), trailing zeros
 * kept so the value reads as a number with a fraction ("1.500"). */
void json_double(JsonWriter *w, double v, int decimals);
void json_bool(JsonWriter *w, bool v);
void json_null(JsonWriter *w);

/* key + value in one call. */
void json_kv_string(JsonWriter *w, const char *key, const char *s);
void json_kv_int(JsonWriter *w, const char *key, int64_t v);
void json_kv_uint(JsonWriter *w, const char *key, uint64_t v);
void json_kv_double(JsonWriter *w, const char *key, double v, int decimals);
void json_kv_bool(JsonWriter *w, const char *key, bool v);

/* A line break between values (compact mode), for text meant to be read
 * one record a line.  JSON allows white space between any two tokens. */
void json_newline(JsonWriter *w);

/*
 * Flush what is buffered to the sink.  Returns 0, or the writer's first
 * error (a sink error, or -EINVAL for misuse).  Call it once at the end;
 * a complete document also needs every object and array closed
 * (json_complete()).
 */
int json_flush(JsonWriter *w) ATTR_WARN_UNUSED_RESULT;

/* True when every object and array opened has been closed. */
bool json_complete(const JsonWriter *w);

/* Append s to out escaped as the inside of a JSON string (no quotes):
 * the same escaping the writer uses.  For code that builds JSON in a
 * StrBuf.  Thread: any thread. */
void json_escape_to(StrBuf *out, const char *s, size_t len);

#endif /* INTERLEAVE_UTIL_JSON_H */
