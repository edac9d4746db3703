/*
 * progress.c - a student's progress, kept in one small text file.
 *
 * The file is "progress" in the state directory (util/statedir.h:
 * $XDG_STATE_HOME/interleave/, default ~/.local/state/interleave/), one
 * fact a line:
 *
 *   # interleave progress 1
 *   page race 0          page 0 of lesson "race" was seen
 *   runs race 7          7 runs of lesson "race" were done
 *   answer race q1 right the last answer to question q1 was right (or wrong)
 *   try race q1 wrong 3  an attempt at question or challenge q1: how it was
 *                        judged (right, wrong, or noted: a question that is
 *                        not graded), then the answer given (a choice, a
 *                        value, free text, a schedule); one line per attempt,
 *                        in the order they were made
 *   at race 4            the student was last on page 4 of "race" (0-based)
 *
 * Names and answers are written with %XX escapes for white space, '%' and
 * control bytes, so any lesson or question id, and any answer, fits on one
 * line of any length as one word: no line is cut or dropped for being long.
 * An older interleave that does not know "try" or "at" keeps those lines
 * as they are (below), so attempts survive a round trip through it.
 *
 * Design.  The state lives in memory and every change rewrites the file
 * atomically (statedir_write: a temporary file, fsync, rename), so after a
 * crash at any moment the file holds the old or the new progress.  Lines
 * this version does not understand (a newer version's keys, damage) are
 * kept as they are and written back after the facts it knows, so an older
 * interleave never deletes what a newer one wrote.  Loading is linear in
 * the size of the file: lessons and answers are found through hash tables,
 * and pages are sorted once at the end.  A failed save is returned to the
 * caller at once, with a one-line message in progress_error().
 *
 * Two instances of the app writing at once: the last writer wins.
 */
#include "config.h"

#include "lesson/progress.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "util/statedir.h"
#include "util/strbuf.h"
#include "util/vec.h"

#define PROGRESS_HEADER "# interleave progress 1"
#define PROGRESS_PAGE_MAX 100000u                /* larger page numbers are garbage */
#define PROGRESS_FILE_MAX (256u * 1024u * 1024u) /* bytes, at most: a progress file is small */

typedef struct ProgressTry {
    char *text;  /* the answer given, never empty; owned */
    int outcome; /* PROGRESS_RIGHT, PROGRESS_WRONG or PROGRESS_NOTED */
} ProgressTry;

typedef struct ProgressAnswer {
    char *question;
    bool correct;       /* the verdict of the last answer ("answer" line) */
    bool has_verdict;   /* an "answer" line is due (a graded answer was given) */
    ProgressTry *tries; /* every attempt, in order */
    size_t ntries, cap_tries;
} ProgressAnswer;

typedef struct ProgressLesson {
    char *lesson;
    unsigned *pages; /* sorted, distinct (after loading) */
    size_t npages, cap_pages;
    unsigned runs;
    ProgressAnswer *answers;
    size_t nanswers, cap_answers;
    unsigned at; /* the page the student was last on */
    bool has_at; /* at is known */
} ProgressLesson;

/* Open addressing over indices; a slot holds index + 1, 0 = empty. */
typedef struct ProgressMap {
    size_t *slot;
    size_t cap; /* a power of two, or 0 */
    size_t n;
} ProgressMap;

typedef struct ProgressLine {
    char *text; /* a line kept as it was (no '\n'); owned */
    size_t len;
} ProgressLine;

struct Progress {
    char *dir;  /* the directory of the file */
    char *path; /* the file */
    ProgressLesson *lessons;
    size_t nlessons, cap_lessons;
    ProgressMap by_lesson; /* lesson name -> index in lessons */
    ProgressMap by_answer; /* (lesson index, question) -> packed index */
    size_t *answer_lesson; /* packed index -> lesson index */
    size_t *answer_slot;   /* packed index -> index in the lesson's answers */
    size_t nanswers_all, cap_answers_all;
    ProgressLine *unknown; /* lines not understood, in file order */
    size_t nunknown, cap_unknown;
    char error[IL_ERROR_MSG_MAX]; /* the last failed save, "" = none */
};

/* ------------------------------------------------------------------ */
/* hashing                                                             */
/* ------------------------------------------------------------------ */

static uint64_t progress_hash(const char *s, uint64_t h)
{
    /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
        h = (h ^ *c) * 0x100000001b3ull;
    }
    return h;
}

static uint64_t progress_lesson_hash(const char *lesson)
{
    return progress_hash(lesson, 0xcbf29ce484222325ull);
}

static uint64_t progress_answer_hash(size_t lesson, const char *question)
{
    return progress_hash(question, (0xcbf29ce484222325ull ^ lesson) * 0x100000001b3ull);
}

static bool progress_lesson_eq(const Progress *p, size_t idx, const void *key, size_t unused)
{
    (void)unused;
    return strcmp(p->lessons[idx].lesson, key) == 0;
}

static bool progress_answer_eq(const Progress *p, size_t idx, const void *key, size_t lesson)
{
    return p->answer_lesson[idx] == lesson &&
           strcmp(p->lessons[lesson].answers[p->answer_slot[idx]].question, key) == 0;
}

typedef bool (*ProgressEq)(const Progress *p, size_t idx, const void *key, size_t aux);

/* The index stored for key, or (size_t)-1. */
static size_t progress_map_find(const Progress *p, const ProgressMap *m, uint64_t h, ProgressEq eq,
                                const void *key, size_t aux)
{
    if (m->cap == 0) {
        return (size_t)-1;
    }
    for (size_t i = (size_t)h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->slot[i] == 0) {
            return (size_t)-1;
        }
        if (eq(p, m->slot[i] - 1, key, aux)) {
            return m->slot[i] - 1;
        }
    }
}

/* Insert idx under hash h (the key is known to be absent).  0 or -ENOMEM.
 * hash_of(p, idx) recomputes a stored index's hash when the table grows. */
static int progress_map_add(Progress *p, ProgressMap *m, uint64_t h, size_t idx,
                            uint64_t (*hash_of)(const Progress *p, size_t idx))
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap == 0 ? 64 : m->cap * 2;
        size_t *ns;
        if (ncap > SIZE_MAX / sizeof(*ns) / 2) {
            return -ENOMEM;
        }
        ns = calloc(ncap, sizeof(*ns));
        if (ns == NULL) {
            return -ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (m->slot[i] != 0) {
                size_t j = (size_t)hash_of(p, m->slot[i] - 1) & (ncap - 1);
                while (ns[j] != 0) {
                    j = (j + 1) & (ncap - 1);
                }
                ns[j] = m->slot[i];
            }
        }
        free(m->slot);
        m->slot = ns;
        m->cap = ncap;
    }
    for (size_t i = (size_t)h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->slot[i] == 0) {
            m->slot[i] = idx + 1;
            m->n++;
            return 0;
        }
    }
}

static uint64_t progress_lesson_hash_of(const Progress *p, size_t idx)
{
    return progress_lesson_hash(p->lessons[idx].lesson);
}

static uint64_t progress_answer_hash_of(const Progress *p, size_t idx)
{
    size_t l = p->answer_lesson[idx];
    return progress_answer_hash(l, p->lessons[l].answers[p->answer_slot[idx]].question);
}

/* ------------------------------------------------------------------ */
/* the model                                                           */
/* ------------------------------------------------------------------ */

static ProgressLesson *progress_find(const Progress *progress, const char *lesson)
{
    size_t i = progress_map_find(progress, &progress->by_lesson, progress_lesson_hash(lesson),
                                 progress_lesson_eq, lesson, 0);
    return i == (size_t)-1 ? NULL : &progress->lessons[i];
}

/* Find or add lesson.  NULL when out of memory. */
static ProgressLesson *progress_get(Progress *progress, const char *lesson)
{
    ProgressLesson *pl = progress_find(progress, lesson), *arr;
    char *name;

    if (pl != NULL) {
        return pl;
    }
    name = strdup(lesson);
    arr = vec_grow(progress->lessons, &progress->cap_lessons, progress->nlessons + 1, sizeof(*arr));
    if (name == NULL || arr == NULL) {
        free(name);
        return NULL;
    }
    progress->lessons = arr;
    pl = &arr[progress->nlessons];
    memset(pl, 0, sizeof(*pl));
    pl->lesson = name;
    progress->nlessons++;
    if (progress_map_add(progress, &progress->by_lesson, progress_lesson_hash(lesson),
                         progress->nlessons - 1, progress_lesson_hash_of) < 0) {
        progress->nlessons--;
        free(name);
        return NULL;
    }
    return pl;
}

/* Add page to pl, keeping the pages sorted and distinct.  Returns 1 if
 * added, 0 if already there, -ENOMEM. */
static int progress_add_page(ProgressLesson *pl, unsigned page)
{
    size_t lo = 0, hi = pl->npages;
    unsigned *arr;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pl->pages[mid] < page) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < pl->npages && pl->pages[lo] == page) {
        return 0;
    }
    arr = vec_grow(pl->pages, &pl->cap_pages, pl->npages + 1, sizeof(*arr));
    if (arr == NULL) {
        return -ENOMEM;
    }
    memmove(arr + lo + 1, arr + lo, (pl->npages - lo) * sizeof(*arr));
    arr[lo] = page;
    pl->pages = arr;
    pl->npages++;
    return 1;
}

/* While loading: append page unsorted (progress_sort_pages sorts later). */
static int progress_append_page(ProgressLesson *pl, unsigned page)
{
    unsigned *arr = vec_grow(pl->pages, &pl->cap_pages, pl->npages + 1, sizeof(*arr));
    if (arr == NULL) {
        return -ENOMEM;
    }
    pl->pages = arr;
    arr[pl->npages++] = page;
    return 0;
}

static int progress_cmp_uint(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

static void progress_sort_pages(Progress *progress)
{
    for (size_t i = 0; i < progress->nlessons; i++) {
        ProgressLesson *pl = &progress->lessons[i];
        size_t w = 0;
        if (pl->npages < 2) {
            continue; /* nothing to sort (and qsort must not get NULL) */
        }
        qsort(pl->pages, pl->npages, sizeof(*pl->pages), progress_cmp_uint);
        for (size_t r = 0; r < pl->npages; r++) {
            if (w == 0 || pl->pages[w - 1] != pl->pages[r]) {
                pl->pages[w++] = pl->pages[r];
            }
        }
        pl->npages = w;
    }
}

/* The record of question (or challenge) in pl, or NULL. */
static ProgressAnswer *progress_answer_find(const Progress *progress, const ProgressLesson *pl,
                                            const char *question)
{
    size_t li = (size_t)(pl - progress->lessons);
    size_t at =
        progress_map_find(progress, &progress->by_answer, progress_answer_hash(li, question),
                          progress_answer_eq, question, li);
    return at == (size_t)-1 ? NULL : &pl->answers[progress->answer_slot[at]];
}

/* Find or add the record of question in pl.  NULL when out of memory. */
static ProgressAnswer *progress_answer_get(Progress *progress, ProgressLesson *pl,
                                           const char *question)
{
    size_t li = (size_t)(pl - progress->lessons);
    uint64_t h = progress_answer_hash(li, question);
    ProgressAnswer *arr, *a = progress_answer_find(progress, pl, question);
    size_t *al, *as;
    char *q;

    if (a != NULL) {
        return a;
    }
    q = strdup(question);
    arr = vec_grow(pl->answers, &pl->cap_answers, pl->nanswers + 1, sizeof(*arr));
    if (q == NULL || arr == NULL) {
        free(q);
        return NULL;
    }
    pl->answers = arr;
    {
        size_t cap = progress->cap_answers_all;
        al = vec_grow(progress->answer_lesson, &cap, progress->nanswers_all + 1, sizeof(*al));
        if (al == NULL) {
            free(q);
            return NULL;
        }
        progress->answer_lesson = al;
        as = vec_grow(progress->answer_slot, &progress->cap_answers_all, progress->nanswers_all + 1,
                      sizeof(*as));
        if (as == NULL) {
            free(q);
            return NULL;
        }
        progress->answer_slot = as;
    }
    a = &arr[pl->nanswers];
    memset(a, 0, sizeof(*a));
    a->question = q;
    al[progress->nanswers_all] = li;
    as[progress->nanswers_all] = pl->nanswers;
    pl->nanswers++;
    progress->nanswers_all++;
    if (progress_map_add(progress, &progress->by_answer, h, progress->nanswers_all - 1,
                         progress_answer_hash_of) < 0) {
        progress->nanswers_all--;
        pl->nanswers--;
        free(q);
        return NULL;
    }
    return a;
}

/* Set the verdict of the last answer to question.  Returns 1 if changed,
 * 0 if not, -ENOMEM. */
static int progress_set_answer(Progress *progress, ProgressLesson *pl, const char *question,
                               bool correct)
{
    ProgressAnswer *a = progress_answer_get(progress, pl, question);

    if (a == NULL) {
        return -ENOMEM;
    }
    if (a->has_verdict && a->correct == correct) {
        return 0;
    }
    a->correct = correct;
    a->has_verdict = true;
    return 1;
}

/* Append an attempt (text is copied; it must not be empty).  0 or -ENOMEM. */
static int progress_add_try(ProgressAnswer *a, int outcome, const char *text)
{
    ProgressTry *arr = vec_grow(a->tries, &a->cap_tries, a->ntries + 1, sizeof(*arr));
    char *copy = strdup(text);

    if (arr == NULL || copy == NULL) {
        free(copy);
        return -ENOMEM;
    }
    a->tries = arr;
    arr[a->ntries++] = (ProgressTry){copy, outcome};
    return 0;
}

static const char *const progress_outcomes[] = {
    [PROGRESS_WRONG] = "wrong", [PROGRESS_RIGHT] = "right", [PROGRESS_NOTED] = "noted"};

void progress_free(Progress *progress)
{
    if (progress == NULL) {
        return;
    }
    for (size_t i = 0; i < progress->nlessons; i++) {
        ProgressLesson *pl = &progress->lessons[i];
        free(pl->lesson);
        free(pl->pages);
        for (size_t a = 0; a < pl->nanswers; a++) {
            for (size_t t = 0; t < pl->answers[a].ntries; t++) {
                free(pl->answers[a].tries[t].text);
            }
            free(pl->answers[a].tries);
            free(pl->answers[a].question);
        }
        free(pl->answers);
    }
    for (size_t i = 0; i < progress->nunknown; i++) {
        free(progress->unknown[i].text);
    }
    free(progress->unknown);
    free(progress->lessons);
    free(progress->by_lesson.slot);
    free(progress->by_answer.slot);
    free(progress->answer_lesson);
    free(progress->answer_slot);
    free(progress->dir);
    free(progress->path);
    free(progress);
}

/* ------------------------------------------------------------------ */
/* names on a line                                                     */
/* ------------------------------------------------------------------ */

static void progress_escape(StrBuf *b, const char *name)
{
    for (const unsigned char *c = (const unsigned char *)name; *c != '\0'; c++) {
        if (*c <= ' ' || *c == '%' || *c == 0x7f) {
            strbuf_addf(b, "%%%02X", *c);
        } else {
            char s[2] = {(char)*c, '\0'};
            strbuf_add(b, s);
        }
    }
}

static int progress_hex(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* Undo progress_escape in place.  Returns false for a bad or empty name. */
static bool progress_unescape(char *s)
{
    char *w = s;
    if (*s == '\0') {
        return false;
    }
    for (const char *r = s; *r != '\0'; r++) {
        if (*r == '%') {
            int hi = progress_hex(r[1]);
            int lo = hi >= 0 ? progress_hex(r[2]) : -1;
            if (lo < 0 || (hi == 0 && lo == 0)) {
                return false;
            }
            *w++ = (char)(hi * 16 + lo);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return true;
}

/* Parse an unsigned decimal with nothing after it. */
static bool progress_uint(const char *s, unsigned long max, unsigned *out)
{
    char *end;
    unsigned long v;
    if (*s < '0' || *s > '9') {
        return false;
    }
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max) {
        return false;
    }
    *out = (unsigned)v;
    return true;
}

/* ------------------------------------------------------------------ */
/* reading                                                             */
/* ------------------------------------------------------------------ */

/* Apply one line (NUL-terminated, no '\n', may be changed).  Returns 1
 * when applied, 0 when not understood, -ENOMEM. */
static int progress_apply_line(Progress *progress, char *line)
{
    char *words[5];
    int nwords = 0;
    char *save = NULL;
    ProgressLesson *pl;
    unsigned n;

    for (char *w = strtok_r(line, " \t\r", &save); w != NULL; w = strtok_r(NULL, " \t\r", &save)) {
        if (nwords == 5) {
            return 0; /* too many words: not a line we wrote */
        }
        words[nwords++] = w;
    }
    if (nwords < 3 || !progress_unescape(words[1])) {
        return 0;
    }
    if (strcmp(words[0], "page") == 0 && nwords == 3) {
        if (!progress_uint(words[2], PROGRESS_PAGE_MAX, &n)) {
            return 0;
        }
        pl = progress_get(progress, words[1]);
        return pl == NULL || progress_append_page(pl, n) < 0 ? -ENOMEM : 1;
    }
    if (strcmp(words[0], "runs") == 0 && nwords == 3) {
        if (!progress_uint(words[2], UINT_MAX, &n)) {
            return 0;
        }
        pl = progress_get(progress, words[1]);
        if (pl == NULL) {
            return -ENOMEM;
        }
        pl->runs = n;
        return 1;
    }
    if (strcmp(words[0], "answer") == 0 && nwords == 4) {
        bool correct;
        if (!progress_unescape(words[2])) {
            return 0;
        }
        if (strcmp(words[3], "right") == 0) {
            correct = true;
        } else if (strcmp(words[3], "wrong") == 0) {
            correct = false;
        } else {
            return 0;
        }
        pl = progress_get(progress, words[1]);
        if (pl == NULL) {
            return -ENOMEM;
        }
        return progress_set_answer(progress, pl, words[2], correct) < 0 ? -ENOMEM : 1;
    }
    if (strcmp(words[0], "try") == 0 && nwords == 5) {
        ProgressAnswer *a;
        int outcome = -1;
        for (int o = 0; o < (int)ARRAY_SIZE(progress_outcomes); o++) {
            if (strcmp(words[3], progress_outcomes[o]) == 0) {
                outcome = o;
            }
        }
        if (outcome < 0 || !progress_unescape(words[2]) || !progress_unescape(words[4])) {
            return 0;
        }
        pl = progress_get(progress, words[1]);
        a = pl != NULL ? progress_answer_get(progress, pl, words[2]) : NULL;
        if (a == NULL || progress_add_try(a, outcome, words[4]) < 0) {
            return -ENOMEM;
        }
        return 1;
    }
    if (strcmp(words[0], "at") == 0 && nwords == 3) {
        if (!progress_uint(words[2], PROGRESS_PAGE_MAX, &n)) {
            return 0;
        }
        pl = progress_get(progress, words[1]);
        if (pl == NULL) {
            return -ENOMEM;
        }
        pl->at = n;
        pl->has_at = true;
        return 1;
    }
    return 0;
}

/* Keep a line this version does not understand, to write it back. */
static int progress_keep_line(Progress *progress, const char *text, size_t len)
{
    ProgressLine *arr =
        vec_grow(progress->unknown, &progress->cap_unknown, progress->nunknown + 1, sizeof(*arr));
    char *copy = malloc(len + 1);

    if (arr == NULL || copy == NULL) {
        free(copy);
        return -ENOMEM;
    }
    progress->unknown = arr;
    memcpy(copy, text, len);
    copy[len] = '\0';
    arr[progress->nunknown++] = (ProgressLine){copy, len};
    return 0;
}

/* Parse the len bytes of the file's text (changed in place). */
static int progress_parse(Progress *progress, char *text, size_t len)
{
    size_t at = 0;

    while (at < len) {
        char *s = text + at;
        char *nl = memchr(s, '\n', len - at);
        size_t llen = nl != NULL ? (size_t)(nl - s) : len - at;
        int rc = 0;

        at += llen + (nl != NULL ? 1 : 0);
        if (llen == 0 ||
            (llen == strlen(PROGRESS_HEADER) && memcmp(s, PROGRESS_HEADER, llen) == 0)) {
            continue; /* blank, or the header: written anew */
        }
        if (memchr(s, '\0', llen) == NULL && s[0] != '#') {
            char *copy = malloc(llen + 1);
            if (copy == NULL) {
                return -ENOMEM;
            }
            memcpy(copy, s, llen);
            copy[llen] = '\0';
            rc = progress_apply_line(progress, copy);
            free(copy);
        }
        if (rc == 0) {
            rc = progress_keep_line(progress, s, llen);
        }
        if (rc < 0) {
            return rc;
        }
    }
    progress_sort_pages(progress);
    return 0;
}

Progress *progress_load(IlError *err)
{
    Progress *progress = calloc(1, sizeof(*progress));
    char *text = NULL, why[UTIL_WHY_MAX];
    size_t len = 0;
    int rc;

    if (progress == NULL) {
        il_error_set(err, -ENOMEM, "progress: out of memory");
        return NULL;
    }
    rc = statedir_path(NULL, &progress->dir, why, sizeof(why));
    if (rc < 0) {
        il_error_set(err, rc, "progress: %s", why);
        progress_free(progress);
        return NULL;
    }
    progress->path = malloc(strlen(progress->dir) + sizeof("/progress"));
    if (progress->path == NULL) {
        il_error_set(err, -ENOMEM, "progress: out of memory");
        progress_free(progress);
        return NULL;
    }
    sprintf(progress->path, "%s/progress", progress->dir);
    rc = file_read(progress->path, "progress file", PROGRESS_FILE_MAX, &text, &len, why,
                   sizeof(why));
    if (rc == -ENOENT) {
        return progress; /* nothing saved yet */
    }
    if (rc < 0) {
        il_error_set(err, rc, "%s", why);
        progress_free(progress);
        return NULL;
    }
    rc = progress_parse(progress, text, len);
    free(text);
    if (rc < 0) {
        il_error_set(err, rc, "%s: %s", progress->path, strerror(-rc));
        progress_free(progress);
        return NULL;
    }
    return progress;
}

/* ------------------------------------------------------------------ */
/* writing                                                             */
/* ------------------------------------------------------------------ */

int progress_format(const Progress *progress, StrBuf *b)
{
    strbuf_add(b, PROGRESS_HEADER "\n");
    for (size_t i = 0; i < progress->nlessons; i++) {
        const ProgressLesson *pl = &progress->lessons[i];
        for (size_t p = 0; p < pl->npages; p++) {
            strbuf_add(b, "page ");
            progress_escape(b, pl->lesson);
            strbuf_addf(b, " %u\n", pl->pages[p]);
        }
        if (pl->runs > 0) {
            strbuf_add(b, "runs ");
            progress_escape(b, pl->lesson);
            strbuf_addf(b, " %u\n", pl->runs);
        }
        if (pl->has_at) {
            strbuf_add(b, "at ");
            progress_escape(b, pl->lesson);
            strbuf_addf(b, " %u\n", pl->at);
        }
        for (size_t a = 0; a < pl->nanswers; a++) {
            const ProgressAnswer *pa = &pl->answers[a];
            if (pa->has_verdict) {
                strbuf_add(b, "answer ");
                progress_escape(b, pl->lesson);
                strbuf_add(b, " ");
                progress_escape(b, pa->question);
                strbuf_addf(b, " %s\n", pa->correct ? "right" : "wrong");
            }
            for (size_t t = 0; t < pa->ntries; t++) {
                strbuf_add(b, "try ");
                progress_escape(b, pl->lesson);
                strbuf_add(b, " ");
                progress_escape(b, pa->question);
                strbuf_addf(b, " %s ", progress_outcomes[pa->tries[t].outcome]);
                progress_escape(b, pa->tries[t].text);
                strbuf_add(b, "\n");
            }
        }
    }
    /* the lines of another version, byte for byte (they may hold NULs) */
    for (size_t i = 0; i < progress->nunknown && !b->failed; i++) {
        const ProgressLine *l = &progress->unknown[i];
        char *p = vec_grow(b->s, &b->cap, b->len + l->len + 2, 1);
        if (p == NULL) {
            b->failed = true;
            break;
        }
        b->s = p;
        memcpy(b->s + b->len, l->text, l->len);
        b->len += l->len;
        b->s[b->len++] = '\n';
        b->s[b->len] = '\0';
    }
    return b->failed ? -ENOMEM : 0;
}

/* Write the whole state (the facts, then the lines kept as they were) to
 * the file, atomically.  0 or a negative errno, with progress->error. */
static int progress_save(Progress *progress)
{
    StrBuf b;
    char why[UTIL_WHY_MAX];
    int rc;

    if (progress->path == NULL) {
        return 0; /* progress_from_text: kept in memory only */
    }
    strbuf_init(&b);
    if (progress_format(progress, &b) < 0) {
        strbuf_fini(&b);
        snprintf(progress->error, sizeof(progress->error), "cannot save progress: out of memory");
        return -ENOMEM;
    }
    rc = statedir_mkdirs(progress->dir, why, sizeof(why));
    if (rc == 0) {
        rc = statedir_write(progress->path, b.s, b.len, why, sizeof(why));
    }
    strbuf_fini(&b);
    if (rc < 0) {
        snprintf(progress->error, sizeof(progress->error), "progress is not saved: %.400s", why);
        return rc;
    }
    progress->error[0] = '\0';
    return 0;
}

/* ------------------------------------------------------------------ */
/* the API                                                             */
/* ------------------------------------------------------------------ */

int progress_mark_page(Progress *progress, const char *lesson, unsigned page)
{
    ProgressLesson *pl;
    int rc;

    if (progress == NULL || lesson == NULL || *lesson == '\0' || page > PROGRESS_PAGE_MAX) {
        return -EINVAL;
    }
    pl = progress_get(progress, lesson);
    if (pl == NULL) {
        return -ENOMEM;
    }
    rc = progress_add_page(pl, page);
    if (rc < 0) {
        return rc;
    }
    if (rc == 0 && pl->has_at && pl->at == page) {
        return 0; /* seen before, and the student is there already: nothing to write */
    }
    pl->at = page;
    pl->has_at = true;
    return progress_save(progress);
}

int progress_mark_run(Progress *progress, const char *lesson)
{
    ProgressLesson *pl;

    if (progress == NULL || lesson == NULL || *lesson == '\0') {
        return -EINVAL;
    }
    pl = progress_get(progress, lesson);
    if (pl == NULL) {
        return -ENOMEM;
    }
    if (pl->runs < UINT_MAX) {
        pl->runs++;
    }
    return progress_save(progress);
}

int progress_mark_answer(Progress *progress, const char *lesson, const char *question, bool correct)
{
    ProgressLesson *pl;
    int rc;

    if (progress == NULL || lesson == NULL || *lesson == '\0' || question == NULL ||
        *question == '\0') {
        return -EINVAL;
    }
    pl = progress_get(progress, lesson);
    if (pl == NULL) {
        return -ENOMEM;
    }
    rc = progress_set_answer(progress, pl, question, correct);
    if (rc <= 0) {
        return rc;
    }
    return progress_save(progress);
}

int progress_mark_try(Progress *progress, const char *lesson, const char *id, int outcome,
                      const char *text)
{
    ProgressLesson *pl;
    ProgressAnswer *a;

    if (progress == NULL || lesson == NULL || *lesson == '\0' || id == NULL || *id == '\0' ||
        text == NULL || *text == '\0' || outcome < 0 ||
        outcome >= (int)ARRAY_SIZE(progress_outcomes)) {
        return -EINVAL;
    }
    pl = progress_get(progress, lesson);
    a = pl != NULL ? progress_answer_get(progress, pl, id) : NULL;
    if (a == NULL || progress_add_try(a, outcome, text) < 0) {
        return -ENOMEM;
    }
    if (outcome != PROGRESS_NOTED) {
        a->correct = outcome == PROGRESS_RIGHT;
        a->has_verdict = true;
    }
    return progress_save(progress);
}

bool progress_item(const Progress *progress, const char *lesson, const char *id, ProgressItem *out)
{
    const ProgressLesson *pl;
    const ProgressAnswer *a;

    memset(out, 0, sizeof(*out));
    out->last = -1;
    if (progress == NULL || lesson == NULL || id == NULL) {
        return false;
    }
    pl = progress_find(progress, lesson);
    a = pl != NULL ? progress_answer_find(progress, pl, id) : NULL;
    if (a == NULL) {
        return false;
    }
    out->attempts = (unsigned)(a->ntries < UINT_MAX ? a->ntries : UINT_MAX);
    out->right = a->has_verdict && a->correct;
    for (size_t t = 0; t < a->ntries; t++) {
        out->right = out->right || a->tries[t].outcome == PROGRESS_RIGHT;
        out->noted = out->noted || a->tries[t].outcome == PROGRESS_NOTED;
    }
    if (a->ntries > 0) {
        out->last = a->tries[a->ntries - 1].outcome;
        out->text = a->tries[a->ntries - 1].text;
    } else if (a->has_verdict) {
        out->last = a->correct ? PROGRESS_RIGHT : PROGRESS_WRONG;
    }
    return true;
}

int progress_at(const Progress *progress, const char *lesson)
{
    const ProgressLesson *pl;
    if (progress == NULL || lesson == NULL) {
        return -1;
    }
    pl = progress_find(progress, lesson);
    return pl != NULL && pl->has_at ? (int)pl->at : -1;
}

unsigned progress_pages_seen(const Progress *progress, const char *lesson)
{
    const ProgressLesson *pl;
    if (progress == NULL || lesson == NULL) {
        return 0;
    }
    pl = progress_find(progress, lesson);
    return pl != NULL ? (unsigned)pl->npages : 0;
}

unsigned progress_runs(const Progress *progress, const char *lesson)
{
    const ProgressLesson *pl;
    if (progress == NULL || lesson == NULL) {
        return 0;
    }
    pl = progress_find(progress, lesson);
    return pl != NULL ? pl->runs : 0;
}

const char *progress_path(const Progress *progress)
{
    return progress->path;
}

const char *progress_error(const Progress *progress)
{
    return progress != NULL ? progress->error : "";
}

Progress *progress_from_text(const char *text, size_t len, IlError *err)
{
    Progress *progress = calloc(1, sizeof(*progress));
    char *copy = malloc(len + 1);
    int rc;

    if (progress == NULL || copy == NULL) {
        free(progress);
        free(copy);
        il_error_set(err, -ENOMEM, "progress: out of memory");
        return NULL;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    rc = progress_parse(progress, copy, len);
    free(copy);
    if (rc < 0) {
        il_error_set(err, rc, "progress: %s", strerror(-rc));
        progress_free(progress);
        return NULL;
    }
    return progress;
}
