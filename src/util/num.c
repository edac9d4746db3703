/*
 * num.c - strict decimal parsing (see num.h).
 */
#include "config.h"

#include "util/num.h"

#include <errno.h>
#include <stdlib.h>

static bool num_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    const char *d = s;
    char *end;
    long long v;

    if (*d == '-') {
        d++;
    }
    if (!num_is_digit(*d)) {
        return false;
    }
    for (const char *c = d; *c != '\0'; c++) {
        if (!num_is_digit(*c)) {
            return false;
        }
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        return false;
    }
    *out = v;
    return true;
}

bool num_parse_decimal(const char *s, double max, double *out)
{
    const char *c = s;
    double v = 0, scale = 1;

    /* by hand, not strtod: strtod reads the locale's decimal point */
    if (!num_is_digit(*c)) {
        return false;
    }
    while (num_is_digit(*c)) {
        v = v * 10 + (*c - '0');
        c++;
        if (v > max) {
            return false;
        }
    }
    if (*c == '.') {
        c++;
        if (!num_is_digit(*c)) {
            return false;
        }
        while (num_is_digit(*c)) {
            scale /= 10;
            v += (*c - '0') * scale;
            c++;
        }
    }
    if (*c != '\0' || v > max) {
        return false;
    }
    *out = v;
    return true;
}
