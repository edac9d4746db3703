/*
 * num.h - strict parsing of the numbers users type.
 *
 * strtol(3) and strtod(3) accept more than a person means by "a number":
 * leading white space (" 4"), a sign ("+4"), hexadecimal ("0x10"),
 * exponents, "inf" and "nan".  Parameters, options and lesson settings are
 * plain decimals, so these parsers accept exactly:
 *
 *   integers   -?[0-9]+            ("4", "-1"; not " 4", "+4", "0x10", "4k")
 *   seconds    [0-9]+(.[0-9]+)?    ("3", "0.25"; not ".5", "1e3", "0x10")
 *
 * and nothing around them.
 *
 * Thread: any thread.
 */
#ifndef INTERLEAVE_UTIL_NUM_H
#define INTERLEAVE_UTIL_NUM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/compiler.h"

/* Parse s as a decimal integer in min..max into *out.  Returns false (and
 * leaves *out alone) when s is not one or is out of range. */
bool num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out) ATTR_WARN_UNUSED_RESULT;

/* Parse s as a non-negative decimal with an optional fraction, at most max,
 * into *out.  Returns false (and leaves *out alone) otherwise. */
bool num_parse_decimal(const char *s, double max, double *out) ATTR_WARN_UNUSED_RESULT;

#endif /* INTERLEAVE_UTIL_NUM_H */
