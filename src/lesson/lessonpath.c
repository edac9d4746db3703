/*
 * lessonpath.c - where lessons come from (see lessonpath.h).
 */
#include "config.h"

#include "lesson/lessonpath.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/vec.h"

static int lessonpath_add(LessonPath *lp, size_t *cap, const char *dir, size_t len,
                          LessonOrigin origin)
{
    LessonPathDir *d;
    char *copy;

    if (len == 0) {
        return 0; /* an empty entry of the path ("a::b") means nothing */
    }
    for (size_t i = 0; i < lp->n; i++) {
        if (strlen(lp->dirs[i].dir) == len && strncmp(lp->dirs[i].dir, dir, len) == 0) {
            return 0; /* already on the path: the first place counts */
        }
    }
    d = vec_grow(lp->dirs, cap, lp->n + 1, sizeof(*d));
    if (d == NULL) {
        return -ENOMEM;
    }
    lp->dirs = d;
    copy = strndup(dir, len);
    if (copy == NULL) {
        return -ENOMEM;
    }
    lp->dirs[lp->n++] = (LessonPathDir){copy, origin};
    return 0;
}

int lessonpath_init(LessonPath *lp, const char *const *opt, size_t nopt)
{
    const char *env = getenv("INTERLEAVE_LESSON_PATH");
    size_t cap = 0;
    int rc = 0;

    memset(lp, 0, sizeof(*lp));
    for (size_t i = 0; rc == 0 && i < nopt; i++) {
        rc = lessonpath_add(lp, &cap, opt[i], strlen(opt[i]), LESSON_FROM_OPTION);
    }
    while (rc == 0 && env != NULL && *env != '\0') {
        size_t len = strcspn(env, ":");
        rc = lessonpath_add(lp, &cap, env, len, LESSON_FROM_PATH);
        env += len;
        env += *env == ':';
    }
    if (rc == 0) {
        const char *builtin = lesson_dir();
        rc = lessonpath_add(lp, &cap, builtin, strlen(builtin), LESSON_BUILTIN);
    }
    if (rc < 0) {
        lessonpath_fini(lp);
    }
    return rc;
}

void lessonpath_fini(LessonPath *lp)
{
    for (size_t i = 0; i < lp->n; i++) {
        free(lp->dirs[i].dir);
    }
    free(lp->dirs);
    memset(lp, 0, sizeof(*lp));
}

int lessonpath_check_dir(const char *dir, IlError *err)
{
    struct stat st;

    if (stat(dir, &st) != 0) {
        int e = errno;
        return il_error_set(err, -e, "%s: %s", dir, strerror(e));
    }
    if (!S_ISDIR(st.st_mode)) {
        return il_error_set(err, -ENOTDIR, "%s: not a directory", dir);
    }
    return 0;
}

/* Course order: numbered lessons first by number, then the rest by id. */
static int lessonpath_order_cmp(const void *a, const void *b)
{
    const Lesson *x = *(Lesson *const *)a, *y = *(Lesson *const *)b;
    int ox = x->order > 0 ? x->order : 1000, oy = y->order > 0 ? y->order : 1000;
    if (ox != oy) {
        return ox < oy ? -1 : 1;
    }
    return strcmp(x->id, y->id);
}

static Lesson *lessonpath_find(Lesson **list, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i]->id, id) == 0) {
            return list[i];
        }
    }
    return NULL;
}

/* Where a directory of the path was given, for messages. */
static const char *lessonpath_source(LessonOrigin origin)
{
    const char *env = getenv("INTERLEAVE_LESSON_DIR");

    switch (origin) {
    case LESSON_FROM_OPTION:
        return "--lessons";
    case LESSON_FROM_PATH:
        return "INTERLEAVE_LESSON_PATH";
    default:
        return env != NULL && *env != '\0' ? "INTERLEAVE_LESSON_DIR" : "the built-in lessons";
    }
}

int lessonpath_load(const LessonPath *lp, Lesson ***out, size_t *n, StrBuf *problems, IlError *err)
{
    Lesson **all = NULL;
    size_t nall = 0, cap = 0;

    *out = NULL;
    *n = 0;
    for (size_t d = 0; d < lp->n; d++) {
        Lesson **one;
        size_t none;
        IlError e;

        if (lesson_list(lp->dirs[d].dir, &one, &none, problems, &e) < 0) {
            if (e.code == -ENOMEM) {
                lesson_list_free(all, nall);
                return il_error_set(err, -ENOMEM, "out of memory");
            }
            if (problems != NULL && (lp->dirs[d].origin != LESSON_BUILTIN || lp->n == 1)) {
                /* a directory of the path is missing: say where it came from */
                strbuf_addf(problems, "%s: %s\n", lessonpath_source(lp->dirs[d].origin), e.msg);
            }
            continue;
        }
        for (size_t i = 0; i < none; i++) {
            Lesson *l = one[i], *prev = lessonpath_find(all, nall, l->id), **grown;
            if (prev != NULL) {
                /* an earlier directory has this lesson: it wins */
                prev->replaces = prev->replaces || lp->dirs[d].origin == LESSON_BUILTIN;
                lesson_free(l);
                continue;
            }
            grown = vec_grow(all, &cap, nall + 1, sizeof(*grown));
            l->origin = (int)lp->dirs[d].origin;
            if (grown == NULL) {
                for (size_t k = i; k < none; k++) {
                    lesson_free(one[k]);
                }
                free(one);
                lesson_list_free(all, nall);
                return il_error_set(err, -ENOMEM, "out of memory");
            }
            all = grown;
            all[nall++] = l;
        }
        free(one);
    }
    if (nall > 1) {
        qsort(all, nall, sizeof(*all), lessonpath_order_cmp);
    }
    *out = all;
    *n = nall;
    return 0;
}

/* dir with $HOME written as ~ */
static void lessonpath_home(const char *dir, StrBuf *out)
{
    const char *home = getenv("HOME");
    size_t hl = home != NULL ? strlen(home) : 0;
    if (hl > 1 && strncmp(dir, home, hl) == 0 && (dir[hl] == '/' || dir[hl] == '\0')) {
        strbuf_addf(out, "~%s", dir + hl);
    } else {
        strbuf_add(out, dir);
    }
}

void lessonpath_describe(const LessonPath *lp, StrBuf *out)
{
    for (size_t i = 0; i < lp->n; i++) {
        if (i > 0) {
            strbuf_add(out, ":");
        }
        lessonpath_home(lp->dirs[i].dir, out);
    }
}

void lessonpath_origin(const Lesson *lesson, StrBuf *out)
{
    if (lesson->origin == LESSON_BUILTIN) {
        strbuf_add(out, "built-in");
        return;
    }
    {
        /* the directory of the lesson's file */
        const char *slash = strrchr(lesson->path, '/');
        char *dir =
            slash != NULL ? strndup(lesson->path, (size_t)(slash - lesson->path)) : strdup(".");
        lessonpath_home(dir != NULL ? dir : lesson->path, out);
        free(dir);
    }
    if (lesson->replaces) {
        strbuf_add(out, " (replaces the built-in)");
    }
}
