/*
 * error.c - IlError helpers.  See error.h for the convention.
 */
#include "config.h"

#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

int il_error_set(IlError *err, int code, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return code;
}

void il_error_clear(IlError *err)
{
    if (err != NULL) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}
