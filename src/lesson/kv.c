/*
 * kv.c - "key: value" lines (see kv.h).
 *
 * One pass over the text, line by line.  Each line is trimmed; blank and
 * '#' lines are skipped; a line that began with white space is appended to
 * the value of the entry above it; any other line must be "key: value"
 * with a known key.  A problem skips its line and forgets the entry above
 * it, so a continuation after a bad line is not glued to the wrong value.
 */
#include "config.h"

#include "lesson/kv.h"
#include "util/vec.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void kv_problem(KvProblemFn problem, void *ctx, unsigned line, const char *fmt, ...)
    ATTR_FORMAT(printf, 4, 5);

static void kv_problem(KvProblemFn problem, void *ctx, unsigned line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (problem != NULL) {
        problem(ctx, line, msg);
    }
}

void kv_fini(KvList *list)
{
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->n; i++) {
        free(list->e[i].value);
    }
    free(list->e);
    list->e = NULL;
    list->n = 0;
}

const KvEntry *kv_get(const KvList *list, const char *name)
{
    for (size_t i = 0; i < list->n; i++) {
        if (strcmp(list->e[i].key->name, name) == 0) {
            return &list->e[i];
        }
    }
    return NULL;
}

char *kv_take(KvList *list, const char *name)
{
    for (size_t i = 0; i < list->n; i++) {
        if (strcmp(list->e[i].key->name, name) == 0) {
            char *v = list->e[i].value;
            list->e[i].value = NULL;
            return v;
        }
    }
    return NULL;
}

static void kv_known(const KvKey *keys, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; keys[i].name != NULL && at < len; i++) {
        int n = snprintf(buf + at, len - at, "%s%s", i > 0 ? ", " : "", keys[i].name);
        if (n < 0) {
            break;
        }
        at += (size_t)n;
    }
}

/* Append " text" to *value.  Returns 0 or -ENOMEM. */
static int kv_append(char **value, const char *text)
{
    size_t old = strlen(*value), add = strlen(text);
    char *v = realloc(*value, old + 1 + add + 1);
    if (v == NULL) {
        return -ENOMEM;
    }
    if (old > 0) {
        v[old++] = ' ';
    }
    memcpy(v + old, text, add + 1);
    *value = v;
    return 0;
}

int kv_parse(const char *text, unsigned first_line, const char *what, const KvKey *keys,
             KvProblemFn problem, void *ctx, KvList *out)
{
    const char *s = text != NULL ? text : "";
    unsigned line = first_line;
    KvEntry *last = NULL;
    size_t cap = 0;

    out->e = NULL;
    out->n = 0;
    while (*s != '\0') {
        const char *nl = strchr(s, '\n');
        size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);
        char *buf = malloc(len + 1);
        char *t, *colon, *end;
        const KvKey *key = NULL;

        if (buf == NULL) {
            kv_fini(out);
            return -ENOMEM;
        }
        memcpy(buf, s, len);
        buf[len] = '\0';
        t = buf;
        while (*t == ' ' || *t == '\t') {
            t++;
        }
        end = t + strlen(t);
        while (end > t && isspace((unsigned char)end[-1])) {
            *--end = '\0';
        }
        if (*t == '\0' || *t == '#') {
            /* blank line or comment: keeps `last`, so a value may go on after it */
        } else if (t != buf) {
            if (last == NULL) {
                kv_problem(problem, ctx, line,
                           "'%s' is indented but continues no 'key: value' line above", t);
            } else if (kv_append(&last->value, t) < 0) {
                free(buf);
                kv_fini(out);
                return -ENOMEM;
            }
        } else if ((colon = strchr(t, ':')) == NULL) {
            kv_problem(problem, ctx, line, "expected 'key: value' in %s block, got '%s'", what, t);
            last = NULL;
        } else {
            char *k_end = colon;
            char *v = colon + 1;
            *colon = '\0';
            while (k_end > t && isspace((unsigned char)k_end[-1])) {
                *--k_end = '\0';
            }
            while (*v == ' ' || *v == '\t') {
                v++;
            }
            for (size_t i = 0; keys[i].name != NULL; i++) {
                if (strcmp(keys[i].name, t) == 0) {
                    key = &keys[i];
                    break;
                }
            }
            last = NULL;
            if (key == NULL) {
                char known[400];
                kv_known(keys, known, sizeof(known));
                kv_problem(problem, ctx, line, "unknown key '%s' in %s block (keys: %s)", t, what,
                           known);
            } else {
                const KvEntry *prev = key->repeat ? NULL : kv_get(out, key->name);
                if (prev != NULL) {
                    kv_problem(problem, ctx, line,
                               "%s: given twice in this %s block (first at line %u)", key->name,
                               what, prev->line);
                } else {
                    if (out->n == cap) {
                        KvEntry *e = vec_grow(out->e, &cap, out->n + 1, sizeof(*e));
                        if (e == NULL) {
                            free(buf);
                            kv_fini(out);
                            return -ENOMEM;
                        }
                        out->e = e;
                    }
                    last = &out->e[out->n];
                    last->key = key;
                    last->line = line;
                    last->value = strdup(v);
                    if (last->value == NULL) {
                        free(buf);
                        kv_fini(out);
                        return -ENOMEM;
                    }
                    out->n++;
                }
            }
        }
        free(buf);
        line++;
        if (nl == NULL) {
            break;
        }
        s = nl + 1;
    }
    return 0;
}
