/*
 * error.h - the one error convention of libinterleave.
 *
 * A function that can fail returns int: 0 on success, a negative errno
 * value (-EINVAL, -ENOMEM, ...) or a project code IL_E* on failure.
 * Where the reason matters for the user, the function also fills an
 * IlError with the code and a one-line message ("threads: must be 1..64").
 */
#ifndef INTERLEAVE_CORE_ERROR_H
#define INTERLEAVE_CORE_ERROR_H

#include <stddef.h>

#include "core/compiler.h"

/* Project error codes sit above the errno range (negated like errno). */
enum {
    IL_EPARSE = 1000,    /* malformed input: schedule, lesson file, parameter */
    IL_EUSAGE = 1001,    /* bad command line or parameter value */
    IL_ESCHEDULE = 1002, /* schedule grants a step the run cannot take */
    IL_EDEADLOCK = 1003, /* no lane can move while some lane is unfinished */
    IL_ETIMEOUT = 1004,  /* the run passed its time limit */
    IL_ECRASH = 1005,    /* the run's process died unexpectedly */
    IL_EINTERNAL = 1006  /* a bug or an unexpected OS failure */
};

#define IL_ERROR_MSG_MAX 512

typedef struct IlError {
    int code;                   /* negative code, 0 = no error */
    char msg[IL_ERROR_MSG_MAX]; /* one line, no trailing newline */
} IlError;

/*
 * Fill err (when not NULL) with code and a printf-style message.
 * Returns code, so callers can write `return il_error_set(err, ...)`.
 * Thread: any thread.
 */
int il_error_set(IlError *err, int code, const char *fmt, ...) ATTR_FORMAT(printf, 3, 4);

/* Reset err to "no error".  Thread: any thread. */
void il_error_clear(IlError *err);

#endif /* INTERLEAVE_CORE_ERROR_H */
