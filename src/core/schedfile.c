/*
 * schedfile.c - reading and writing schedule files (see schedfile.h).
 *
 * The reader works on the whole file in memory, line by line, with no
 * buffer of fixed size anywhere: the file's own bytes are kept, comments
 * and header lines are overwritten with spaces, and schedule_parse() runs
 * over the result.  Line ends stay where they were, so the position of a
 * bad token (from schedule_parse's message) maps back to its line.
 */
#include "config.h"

#include "core/schedfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buildtree.h"
#include "util/file.h"
#include "util/statedir.h"
#include "util/vec.h"

#define SCHEDFILE_WRAP 72 /* columns of tokens a saved line holds, about */

void schedfile_fini(SchedFile *sf)
{
    free(sf->path);
    free(sf->demo);
    for (size_t i = 0; i < sf->nparams; i++) {
        free(sf->params[i]);
    }
    free(sf->params);
    free(sf->text);
    memset(sf, 0, sizeof(*sf));
}

static bool schedfile_sep(char c)
{
    return c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r';
}

/* Split value (len bytes) into words at spaces, tabs and commas, appending
 * copies to sf->params.  0 or -ENOMEM. */
static int schedfile_add_params(SchedFile *sf, const char *value, size_t len)
{
    size_t cap = sf->nparams, i = 0;

    while (i < len) {
        size_t start;
        char **p;
        while (i < len && schedfile_sep(value[i])) {
            i++;
        }
        if (i == len) {
            break;
        }
        start = i;
        while (i < len && !schedfile_sep(value[i])) {
            i++;
        }
        p = vec_grow(sf->params, &cap, sf->nparams + 1, sizeof(*p));
        if (p == NULL) {
            return -ENOMEM;
        }
        sf->params = p;
        sf->params[sf->nparams] = strndup(value + start, i - start);
        if (sf->params[sf->nparams] == NULL) {
            return -ENOMEM;
        }
        sf->nparams++;
    }
    return 0;
}

/* Is the line s (len bytes, comment already blanked) a header "key: ..."?
 * A header starts with letters (after blanks) followed by optional blanks
 * and ':'; no schedule token has a ':'.  Sets the key's span. */
static bool schedfile_header(const char *s, size_t len, size_t *kstart, size_t *klen, size_t *colon)
{
    size_t i = 0, k;

    while (i < len && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    k = i;
    while (i < len && (isalpha((unsigned char)s[i]) || s[i] == '_' || s[i] == '-')) {
        i++;
    }
    if (i == k) {
        return false;
    }
    *kstart = k;
    *klen = i - k;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    if (i == len || s[i] != ':') {
        return false;
    }
    *colon = i;
    return true;
}

int schedfile_parse(const char *text, size_t len, const char *name, SchedFile *sf, IlError *err)
{
    SchedFile f;
    size_t at = 0;
    unsigned line = 0;
    unsigned first_token_line = 0;
    int rc = 0;

    memset(&f, 0, sizeof(f));
    memset(sf, 0, sizeof(*sf));
    f.path = strdup(name);
    f.text = malloc(len + 1);
    if (f.path == NULL || f.text == NULL) {
        schedfile_fini(&f);
        return il_error_set(err, -ENOMEM, "%s: out of memory", name);
    }
    memcpy(f.text, text, len);
    f.text[len] = '\0';
    f.len = len;
    while (at < len && rc == 0) {
        char *s = f.text + at;
        char *nl = memchr(s, '\n', len - at);
        size_t llen = nl != NULL ? (size_t)(nl - s) : len - at;
        char *hash = memchr(s, '#', llen);
        char *nul = memchr(s, '\0', llen);
        size_t kstart, klen, colon;

        line++;
        if (nul != NULL && (hash == NULL || nul < hash)) {
            rc = il_error_set(err, -IL_EPARSE, "%s:%u: a NUL byte: not a text file", name, line);
            break;
        }
        if (hash != NULL) {
            memset(hash, ' ', llen - (size_t)(hash - s)); /* the comment, to the line end */
        }
        if (schedfile_header(s, llen, &kstart, &klen, &colon)) {
            const char *v = s + colon + 1;
            size_t vlen = llen - colon - 1;
            while (vlen > 0 && (*v == ' ' || *v == '\t')) {
                v++;
                vlen--;
            }
            while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t' || v[vlen - 1] == '\r')) {
                vlen--;
            }
            if (first_token_line != 0) {
                rc = il_error_set(err, -IL_EPARSE,
                                  "%s:%u: '%.*s:' must come before the schedule (line %u)", name,
                                  line, (int)(klen < 32 ? klen : 32), s + kstart, first_token_line);
            } else if (klen == 4 && strncmp(s + kstart, "demo", 4) == 0) {
                if (f.demo_line != 0) {
                    rc =
                        il_error_set(err, -IL_EPARSE, "%s:%u: demo: given twice (first at line %u)",
                                     name, line, f.demo_line);
                } else if (vlen == 0 || memchr(v, ' ', vlen) != NULL ||
                           memchr(v, '\t', vlen) != NULL) {
                    rc = il_error_set(err, -IL_EPARSE, "%s:%u: demo: expected one demo name", name,
                                      line);
                } else if ((f.demo = strndup(v, vlen)) == NULL) {
                    rc = il_error_set(err, -ENOMEM, "%s: out of memory", name);
                } else {
                    f.demo_line = line;
                }
            } else if (klen == 6 && strncmp(s + kstart, "params", 6) == 0) {
                if (f.params_line != 0) {
                    rc = il_error_set(err, -IL_EPARSE,
                                      "%s:%u: params: given twice (first at line %u)", name, line,
                                      f.params_line);
                } else if (schedfile_add_params(&f, v, vlen) < 0) {
                    rc = il_error_set(err, -ENOMEM, "%s: out of memory", name);
                } else {
                    f.params_line = line;
                }
            } else {
                rc = il_error_set(err, -IL_EPARSE,
                                  "%s:%u: unknown header '%.*s:' (headers: demo, params)", name,
                                  line, (int)(klen < 32 ? klen : 32), s + kstart);
            }
            memset(s, ' ', llen); /* not tokens */
        } else if (first_token_line == 0) {
            for (size_t i = 0; i < llen; i++) {
                if (!schedfile_sep(s[i])) {
                    first_token_line = line;
                    break;
                }
            }
        }
        at += llen + (nl != NULL ? 1 : 0);
    }
    if (rc < 0) {
        schedfile_fini(&f);
        return rc;
    }
    *sf = f;
    return 0;
}

int schedfile_read(const char *path, SchedFile *sf, IlError *err)
{
    char why[UTIL_WHY_MAX];
    char *text;
    size_t len;
    int rc;

    memset(sf, 0, sizeof(*sf));
    rc = file_read(path, "schedule file", SCHEDFILE_MAX, &text, &len, why, sizeof(why));
    if (rc < 0) {
        return il_error_set(err, rc, "%s", why);
    }
    rc = schedfile_parse(text, len, path, sf, err);
    free(text);
    return rc;
}

/* The line of token pos (1-based) in sf->text, 0 when there is none. */
static unsigned schedfile_token_line(const SchedFile *sf, unsigned pos)
{
    unsigned line = 1, n = 0;
    size_t i = 0;

    while (i < sf->len) {
        if (sf->text[i] == '\n') {
            line++;
            i++;
        } else if (schedfile_sep(sf->text[i])) {
            i++;
        } else {
            if (++n == pos) {
                return line;
            }
            while (i < sf->len && !schedfile_sep(sf->text[i])) {
                i++;
            }
        }
    }
    return 0;
}

int schedfile_schedule(const SchedFile *sf, unsigned nlanes, Schedule *out, IlError *err)
{
    IlError e;
    int rc = schedule_parse(sf->text, nlanes, out, &e);
    unsigned pos;

    if (rc == 0) {
        return 0;
    }
    if (rc == -IL_EPARSE && sscanf(e.msg, "token %u", &pos) == 1) {
        return il_error_set(err, rc, "%s:%u: %s", sf->path, schedfile_token_line(sf, pos), e.msg);
    }
    return il_error_set(err, rc, "%s: %s", sf->path, e.msg);
}

int schedfile_apply_params(const SchedFile *sf, const DemoClass *demo,
                           int64_t values[DEMO_MAX_PARAMS], IlError *err)
{
    IlError e;
    int rc = demo_params_parse(demo, (const char *const *)sf->params, sf->nparams, values, &e);
    if (rc < 0) {
        return il_error_set(err, rc, "%s:%u: %s", sf->path, sf->params_line, e.msg);
    }
    return 0;
}

/* dir/name, malloc'd, if it names an existing file (of any kind: reading
 * it refuses what is not regular, with a clear message). */
static char *schedfile_try(const char *dir, const char *name)
{
    struct stat st;
    size_t n = strlen(dir) + 1 + strlen(name) + 1;
    char *p = malloc(n);
    if (p == NULL) {
        return NULL;
    }
    snprintf(p, n, "%s/%s", dir, name);
    if (stat(p, &st) == 0) {
        return p;
    }
    free(p);
    return NULL;
}

const char *schedfile_dir(void)
{
#ifdef INTERLEAVE_SRCDIR
    return buildtree_pick(INTERLEAVE_SRCDIR "/data/schedules", INTERLEAVE_SCHEDULE_DIR);
#else
    return INTERLEAVE_SCHEDULE_DIR;
#endif
}

char *schedfile_resolve(const char *name)
{
    struct stat st;
    const char *env = getenv("INTERLEAVE_SCHEDULE_DIR");
    const char *dirs[4];
    char *state = NULL, *with_suffix = NULL, *found = NULL;
    const char *base = name;
    size_t ndirs = 0;

    if (strchr(name, '/') != NULL || stat(name, &st) == 0 || name[0] == '\0') {
        return strdup(name);
    }
    if (strchr(name, '.') == NULL) {
        size_t n = strlen(name) + sizeof(SCHEDFILE_SUFFIX);
        with_suffix = malloc(n);
        if (with_suffix == NULL) {
            return NULL;
        }
        snprintf(with_suffix, n, "%s%s", name, SCHEDFILE_SUFFIX);
        base = with_suffix;
    }
    if (statedir_path("schedules", &state, NULL, 0) == 0) {
        dirs[ndirs++] = state;
    }
    if (env != NULL && env[0] != '\0') {
        dirs[ndirs++] = env;
    }
    dirs[ndirs++] = schedfile_dir();
    for (size_t i = 0; i < ndirs && found == NULL; i++) {
        found = schedfile_try(dirs[i], base);
    }
    free(state);
    free(with_suffix);
    return found != NULL ? found : strdup(name);
}

void schedfile_format(StrBuf *out, const char *comment, const DemoClass *demo,
                      const int64_t *params, const Schedule *sched)
{
    size_t col = 0;

    if (comment != NULL) {
        strbuf_addf(out, "# %s\n", comment);
    }
    strbuf_addf(out, "demo: %s\nparams:", demo->name);
    for (unsigned i = 0; i < demo->nparams; i++) {
        char v[64];
        demo_param_format(&demo->params[i], params[i], v, sizeof(v));
        strbuf_addf(out, " %s=%s", demo->params[i].name, v);
    }
    strbuf_add(out, "\n");
    for (size_t i = 0; i < sched->n; i++) {
        char t[16];
        size_t tl;
        schedule_token_format(&sched->tok[i], t);
        tl = strlen(t);
        if (col > 0 && col + 1 + tl > SCHEDFILE_WRAP) {
            strbuf_add(out, "\n");
            col = 0;
        }
        strbuf_addf(out, "%s%s", col > 0 ? " " : "", t);
        col += (col > 0 ? 1 : 0) + tl;
    }
    if (col > 0) {
        strbuf_add(out, "\n");
    }
}

int schedfile_save(const char *stem, const char *comment, const DemoClass *demo,
                   const int64_t *params, const Schedule *sched, char **path, IlError *err)
{
    StrBuf b;
    char *dir = NULL, why[UTIL_WHY_MAX];
    int rc;

    strbuf_init(&b);
    schedfile_format(&b, comment, demo, params, sched);
    if (b.failed) {
        strbuf_fini(&b);
        return il_error_set(err, -ENOMEM, "cannot save the schedule: out of memory");
    }
    rc = statedir_make("schedules", &dir, why, sizeof(why));
    if (rc == 0) {
        rc = statedir_write_new(dir, stem, SCHEDFILE_SUFFIX, b.s, b.len, path, why, sizeof(why));
    }
    if (rc < 0) {
        il_error_set(err, rc, "%s", why);
    }
    free(dir);
    strbuf_fini(&b);
    return rc;
}
