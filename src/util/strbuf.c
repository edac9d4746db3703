/*
 * strbuf.c - the growable string (see strbuf.h).
 */
#include "config.h"

#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

void strbuf_init(StrBuf *buf)
{
    buf->s = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->failed = false;
}

void strbuf_fini(StrBuf *buf)
{
    free(buf->s);
    strbuf_init(buf);
}

static bool strbuf_reserve(StrBuf *buf, size_t more)
{
    char *p;
    if (more > SIZE_MAX - buf->len - 1) {
        buf->failed = true; /* the length itself would overflow */
        return false;
    }
    p = vec_grow(buf->s, &buf->cap, buf->len + more + 1, 1);
    if (p == NULL) {
        buf->failed = true;
        return false;
    }
    buf->s = p;
    return true;
}

void strbuf_add(StrBuf *buf, const char *text)
{
    size_t n = strlen(text);
    if (!strbuf_reserve(buf, n)) {
        return;
    }
    memcpy(buf->s + buf->len, text, n + 1);
    buf->len += n;
}

void strbuf_addf(StrBuf *buf, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !strbuf_reserve(buf, (size_t)n)) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(buf->s + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
}

void strbuf_add_json_string(StrBuf *buf, const char *text)
{
    strbuf_add(buf, "\"");
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        char esc[8];
        switch (*p) {
        case '"':
            strbuf_add(buf, "\\\"");
            break;
        case '\\':
            strbuf_add(buf, "\\\\");
            break;
        case '\n':
            strbuf_add(buf, "\\n");
            break;
        case '\t':
            strbuf_add(buf, "\\t");
            break;
        case '\r':
            strbuf_add(buf, "\\r");
            break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof(esc), "\\u%04x", *p);
                strbuf_add(buf, esc);
            } else {
                esc[0] = (char)*p;
                esc[1] = '\0';
                strbuf_add(buf, esc);
            }
            break;
        }
    }
    strbuf_add(buf, "\"");
}

const char *strbuf_str(const StrBuf *buf)
{
    return buf->s != NULL ? buf->s : "";
}
