/*
 * vec.h - growing an array without overflowing its size computation.
 *
 * One helper for every growable array of the library (event logs, token
 * lists, name lists, ...): vec_grow() makes room for `need` elements,
 * doubling the capacity (first 8, or `need` when larger), and refuses a
 * size whose byte count would not fit in a size_t, where a hand-written
 * `realloc(p, cap * size)` silently wraps around and then writes past the
 * smaller block it got back.  The array is left as it was on failure, so
 * the caller still owns (and frees) the old one: the shape of
 * reallocarray(3), plus the growth policy.
 *
 *     Event *p = vec_grow(log->ev, &log->cap, log->n + n, sizeof(*p));
 *     if (p == NULL) return -ENOMEM;
 *     log->ev = p;
 *
 * Thread: any thread (no shared state).
 */
#ifndef INTERLEAVE_UTIL_VEC_H
#define INTERLEAVE_UTIL_VEC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Return an array of at least need elements of elem bytes holding the
 * *cap elements of arr (arr may be NULL with *cap 0).  When *cap >= need
 * (need 0 counts as 1), returns arr unchanged.  Otherwise grows to max(2 * *cap, need, 8)
 * elements (capped at what fits in SIZE_MAX bytes) and updates *cap.
 * Returns NULL when the bytes would overflow a size_t or realloc fails;
 * then arr is still valid and *cap unchanged.  elem must be > 0.
 */
static inline void *vec_grow(void *arr, size_t *cap, size_t need, size_t elem)
{
    size_t max = SIZE_MAX / elem;
    size_t ncap;
    void *p;

    if (need == 0) {
        need = 1; /* so that a non-NULL result always means success */
    }
    if (need <= *cap && arr != NULL) {
        return arr;
    }
    if (need > max) {
        return NULL;
    }
    ncap = *cap < 8 ? 8 : *cap;
    while (ncap < need) {
        ncap = ncap > max / 2 ? max : ncap * 2;
    }
    p = realloc(arr, ncap * elem);
    if (p == NULL) {
        return NULL;
    }
    *cap = ncap;
    return p;
}

#endif /* INTERLEAVE_UTIL_VEC_H */
