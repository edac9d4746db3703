/*
 * json.c - the streaming JSON writer (see json.h).
 *
 * The writer keeps one flag per open level ("nothing written yet") to put
 * commas between members, and one flag for "a key was written, its value
 * is due" to put nothing between a key and its value.  Text goes into a
 * fixed buffer that is handed to the sink when it fills and at
 * json_flush(); after the first sink error nothing more is written.
 */
#include "config.h"

#include "util/json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

void json_init(JsonWriter *w, JsonSink sink, void *ctx, unsigned indent)
{
    memset(w, 0, sizeof(*w));
    w->sink = sink;
    w->ctx = ctx;
    w->indent = indent > 8 ? 8 : indent;
    w->first[0] = true;
}

int json_sink_strbuf(void *ctx, const char *buf, size_t len)
{
    StrBuf *b = ctx;
    char chunk[1025];
    while (len > 0) {
        size_t n = len < sizeof(chunk) - 1 ? len : sizeof(chunk) - 1;
        memcpy(chunk, buf, n);
        chunk[n] = '\0';
        strbuf_add(b, chunk);
        buf += n;
        len -= n;
    }
    return b->failed ? -ENOMEM : 0;
}

static void json_drain(JsonWriter *w)
{
    if (w->len > 0 && w->error == 0) {
        int rc = w->sink(w->ctx, w->buf, w->len);
        if (rc < 0) {
            w->error = rc;
        } else {
            w->written += w->len;
        }
    }
    w->len = 0;
}

static void json_put(JsonWriter *w, const char *s, size_t n)
{
    while (n > 0 && w->error == 0) {
        size_t room = sizeof(w->buf) - w->len;
        size_t k = n < room ? n : room;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
        if (w->len == sizeof(w->buf)) {
            json_drain(w);
        }
    }
}

static void json_puts(JsonWriter *w, const char *s)
{
    json_put(w, s, strlen(s));
}

/* A caller's bug: sticky -EINVAL, nothing more is written (tests check
 * it, so it is not an assert). */
static void json_misuse(JsonWriter *w)
{
    if (w->error == 0) {
        w->error = -EINVAL;
    }
}

static void json_line(JsonWriter *w, unsigned depth)
{
    static const char spaces[] = "                                                                ";
    size_t n = (size_t)depth * w->indent;
    json_put(w, "\n", 1);
    while (n > 0) {
        size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
        json_put(w, spaces, k);
        n -= k;
    }
}

/* Before a value (or a key): the comma and line break it needs. */
static bool json_before(JsonWriter *w, bool is_key)
{
    unsigned d = w->depth;
    if (w->error != 0) {
        return false;
    }
    if (w->key_done) {
        if (is_key) {
            json_misuse(w);
            return false;
        }
        w->key_done = false;
        return true;
    }
    if (d > 0 && w->in_object[d] && !is_key) {
        json_misuse(w); /* a value in an object needs a key first */
        return false;
    }
    if (d > 0 && !w->in_object[d] && is_key) {
        json_misuse(w);
        return false;
    }
    if (d == 0 && !w->first[0]) {
        json_misuse(w); /* one top-level value per document */
        return false;
    }
    if (!w->first[d]) {
        json_put(w, ",", 1);
    }
    if (d > 0 && w->indent > 0) {
        json_line(w, d);
    }
    w->first[d] = false;
    return true;
}

static void json_open(JsonWriter *w, bool object)
{
    if (!json_before(w, false)) {
        return;
    }
    if (w->depth >= JSON_MAX_DEPTH) {
        json_misuse(w);
        return;
    }
    json_put(w, object ? "{" : "[", 1);
    w->depth++;
    w->in_object[w->depth] = object;
    w->first[w->depth] = true;
}

static void json_close(JsonWriter *w, bool object)
{
    if (w->error != 0) {
        return;
    }
    if (w->depth == 0 || w->in_object[w->depth] != object || w->key_done) {
        json_misuse(w);
        return;
    }
    if (w->indent > 0 && !w->first[w->depth]) {
        json_line(w, w->depth - 1);
    }
    w->depth--;
    json_put(w, object ? "}" : "]", 1);
}

void json_begin_object(JsonWriter *w)
{
    json_open(w, true);
}

void json_end_object(JsonWriter *w)
{
    json_close(w, true);
}

void json_begin_array(JsonWriter *w)
{
    json_open(w, false);
}

void json_end_array(JsonWriter *w)
{
    json_close(w, false);
}

/* The escaped inside of a string, into put(ctx, ...). */
typedef void (*JsonPut)(void *ctx, const char *s, size_t n);

static void json_escape_with(JsonPut put, void *ctx, const char *s, size_t len)
{
    size_t run = 0; /* bytes at s that need no escaping, not yet put */
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char ubuf[8];
        size_t adv = 1;
        if (c == '"') {
            esc = "\\\"";
        } else if (c == '\\') {
            esc = "\\\\";
        } else if (c == '\n') {
            esc = "\\n";
        } else if (c == '\r') {
            esc = "\\r";
        } else if (c == '\t') {
            esc = "\\t";
        } else if (c == '\b') {
            esc = "\\b";
        } else if (c == '\f') {
            esc = "\\f";
        } else if (c < 0x20) {
            snprintf(ubuf, sizeof(ubuf), "\\u%04x", c);
            esc = ubuf;
        } else if (c >= 0x80) {
            adv = utf8_seq_len(s + i, len - i, NULL);
            if (adv == 0) {
                esc = UTF8_REPLACEMENT;
                adv = 1;
            }
        }
        if (esc != NULL) {
            put(ctx, s + i - run, run);
            run = 0;
            put(ctx, esc, strlen(esc));
        } else {
            run += adv;
        }
        i += adv;
    }
    put(ctx, s + i - run, run);
}

static void json_put_cb(void *ctx, const char *s, size_t n)
{
    json_put(ctx, s, n);
}

static void json_strbuf_cb(void *ctx, const char *s, size_t n)
{
    char chunk[257];
    while (n > 0) {
        size_t k = n < sizeof(chunk) - 1 ? n : sizeof(chunk) - 1;
        memcpy(chunk, s, k);
        chunk[k] = '\0';
        strbuf_add(ctx, chunk);
        s += k;
        n -= k;
    }
}

void json_escape_to(StrBuf *out, const char *s, size_t len)
{
    json_escape_with(json_strbuf_cb, out, s, len);
}

static void json_quoted(JsonWriter *w, const char *s, size_t len)
{
    json_put(w, "\"", 1);
    json_escape_with(json_put_cb, w, s, len);
    json_put(w, "\"", 1);
}

void json_key(JsonWriter *w, const char *key)
{
    if (!json_before(w, true)) {
        return;
    }
    json_quoted(w, key != NULL ? key : "", key != NULL ? strlen(key) : 0);
    json_put(w, w->indent > 0 ? ": " : ":", w->indent > 0 ? 2 : 1);
    w->key_done = true;
}

void json_string_n(JsonWriter *w, const char *s, size_t len)
{
    if (s == NULL) {
        json_null(w);
        return;
    }
    if (json_before(w, false)) {
        json_quoted(w, s, len);
    }
}

void json_string(JsonWriter *w, const char *s)
{
    json_string_n(w, s, s != NULL ? strlen(s) : 0);
}

void json_int(JsonWriter *w, int64_t v)
{
    char b[32];
    if (json_before(w, false)) {
        snprintf(b, sizeof(b), "%lld", (long long)v);
        json_puts(w, b);
    }
}

void json_uint(JsonWriter *w, uint64_t v)
{
    char b[32];
    if (json_before(w, false)) {
        snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
        json_puts(w, b);
    }
}

void json_double(JsonWriter *w, double v, int decimals)
{
    char b[64];
    if (!isfinite(v)) {
        json_null(w);
        return;
    }
    if (decimals < 0) {
        decimals = 0;
    } else if (decimals > 9) {
        decimals = 9;
    }
    if (json_before(w, false)) {
        int n = snprintf(b, sizeof(b), "%.*f", decimals, v);
        if (n < 0 || (size_t)n >= sizeof(b)) {
            json_puts(w, "0"); /* cannot happen for finite v below 1e50 */
        } else {
            /* "-0.000" is a number, but say 0 for zero */
            if (v == 0.0 && b[0] == '-') {
                memmove(b, b + 1, strlen(b));
            }
            json_puts(w, b);
        }
    }
}

void json_bool(JsonWriter *w, bool v)
{
    if (json_before(w, false)) {
        json_puts(w, v ? "true" : "false");
    }
}

void json_null(JsonWriter *w)
{
    if (json_before(w, false)) {
        json_puts(w, "null");
    }
}

void json_kv_string(JsonWriter *w, const char *key, const char *s)
{
    json_key(w, key);
    json_string(w, s);
}

void json_kv_int(JsonWriter *w, const char *key, int64_t v)
{
    json_key(w, key);
    json_int(w, v);
}

void json_kv_uint(JsonWriter *w, const char *key, uint64_t v)
{
    json_key(w, key);
    json_uint(w, v);
}

void json_kv_double(JsonWriter *w, const char *key, double v, int decimals)
{
    json_key(w, key);
    json_double(w, v, decimals);
}

void json_kv_bool(JsonWriter *w, const char *key, bool v)
{
    json_key(w, key);
    json_bool(w, v);
}

void json_newline(JsonWriter *w)
{
    if (w->error == 0) {
        json_put(w, "\n", 1);
    }
}

int json_flush(JsonWriter *w)
{
    json_drain(w);
    return w->error;
}

bool json_complete(const JsonWriter *w)
{
    return w->error == 0 && w->depth == 0 && !w->key_done && !w->first[0];
}
