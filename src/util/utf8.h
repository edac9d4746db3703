/*
 * utf8.h - one question about bytes: is a valid UTF-8 sequence here?
 *
 * Text that interleave writes for other programs (JSON, XML, TAP) must be
 * valid UTF-8, and what users give it (lesson files, answer files) need
 * not be.  Writers ask utf8_seq_len() at each byte and replace what is
 * not valid by U+FFFD.  The rules are RFC 3629 section 4: no overlong
 * forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
 *
 * Thread: any thread.
 */
#ifndef INTERLEAVE_UTIL_UTF8_H
#define INTERLEAVE_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* Length (1..4) of the valid UTF-8 sequence that starts at s (n bytes
 * available), or 0 when the bytes there are not valid UTF-8.  On success
 * *cp (when not NULL) is the code point. */
static inline size_t utf8_seq_len(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c;
    size_t len;

    if (n == 0) {
        return 0;
    }
    if (u[0] < 0x80) {
        if (cp != NULL) {
            *cp = u[0];
        }
        return 1;
    }
    if (u[0] >= 0xc2 && u[0] <= 0xdf) {
        len = 2;
        c = u[0] & 0x1fu;
    } else if (u[0] >= 0xe0 && u[0] <= 0xef) {
        len = 3;
        c = u[0] & 0x0fu;
    } else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
        len = 4;
        c = u[0] & 0x07u;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xc0u) != 0x80u) {
            return 0;
        }
        c = (c << 6) | (u[i] & 0x3fu);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff)) {
        return 0;
    }
    if (cp != NULL) {
        *cp = c;
    }
    return len;
}

#endif /* INTERLEAVE_UTIL_UTF8_H */
