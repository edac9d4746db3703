/*
 * kv.h - "key: value" lines, the body of a lesson file's blocks.
 *
 * The blocks of a lesson file (interleave-lesson(5)) hold one "key: value"
 * a line.  A line that starts with a space or a tab continues the value
 * above it (joined with one space), and blank lines and lines starting
 * with '#' are skipped.  kv_parse() splits such text, checks the keys
 * against a table (unknown keys, keys given twice) and reports each
 * problem with its line number through a callback, so the caller decides
 * whether problems become lint lines or the first error of a load.
 *
 * Thread: any thread (no shared state).
 */
#ifndef INTERLEAVE_LESSON_KV_H
#define INTERLEAVE_LESSON_KV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compiler.h"

/* One key of a block: its name and whether it may be given more than once. */
typedef struct KvKey {
    const char *name;
    bool repeat;
} KvKey;

typedef struct KvEntry {
    const KvKey *key; /* the table entry it matched (borrowed) */
    char *value;      /* owned; white space at both ends trimmed */
    unsigned line;    /* line of the key */
} KvEntry;

typedef struct KvList {
    KvEntry *e; /* owned; free with kv_fini() */
    size_t n;
} KvList;

/* Report one problem at line. */
typedef void (*KvProblemFn)(void *ctx, unsigned line, const char *msg);

/*
 * Parse text (NUL-terminated; NULL = empty) whose first line is
 * first_line.  keys is a table ended by {NULL, false}; what names the
 * block in messages ("interleave-challenge").  Problems (a line without a
 * colon, an unknown key, a key given twice) go to problem(ctx, line, msg)
 * and their lines are skipped.  Returns 0 with *out filled (caller owns
 * it: kv_fini()), or -ENOMEM (out empty).
 */
int kv_parse(const char *text, unsigned first_line, const char *what, const KvKey *keys,
             KvProblemFn problem, void *ctx, KvList *out) ATTR_WARN_UNUSED_RESULT;

/* Free the entries of list and empty it.  NULL-safe. */
void kv_fini(KvList *list);

/* The first entry for key name, or NULL.  Borrowed. */
const KvEntry *kv_get(const KvList *list, const char *name);

/* Take the value of the first entry for name (the entry keeps NULL).
 * Returns it (caller frees) or NULL when absent. */
char *kv_take(KvList *list, const char *name);

#endif /* INTERLEAVE_LESSON_KV_H */
