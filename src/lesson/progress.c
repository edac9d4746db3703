/*
 * progress.c - a student's progress, kept in one small text file.
 *
 * The file is $XDG_STATE_HOME/interleave/progress (default
 * ~/.local/state/interleave/progress), one fact a line:
 *
 *   # interleave progress 1
 *   page race 0          page 0 of lesson "race" was seen
 *   runs race 7          7 runs of lesson "race" were done
 *   answer race q1 right the last answer to question q1 was right (or wrong)
 *
 * Names are written with %XX escapes for white space, '%' and control
 * bytes, so any lesson or question id fits on one line.
 *
 * Design.  The whole state is small (a few lines per lesson), so it lives
 * in memory and every change rewrites the file: the text goes to a
 * temporary file in the same directory, which is fsync'd and rename()d
 * over the old one, and the directory is fsync'd.  rename() is atomic, so
 * after a crash at any moment the file holds either the old or the new
 * progress, never a torn mix.  Reading is forgiving: a line that does not
 * parse (garbage, a newer version's keys) is skipped, so a damaged file
 * loses at most the damaged lines.  Directories are made with mode 0700,
 * as the XDG base directory specification asks.
 *
 * Two instances of the app writing at once: the last writer wins.
 */
#include "config.h"

#include "lesson/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/strbuf.h"

#define PROGRESS_HEADER "# interleave progress 1"
#define PROGRESS_PAGE_MAX 100000u /* larger page numbers are garbage */

typedef struct ProgressAnswer {
    char *question;
    bool correct;
} ProgressAnswer;

typedef struct ProgressLesson {
    char *lesson;
    unsigned *pages; /* sorted, distinct */
    size_t npages;
    unsigned runs;
    ProgressAnswer *answers;
    size_t nanswers;
} ProgressLesson;

struct Progress {
    char *dir;  /* the directory of the file */
    char *path; /* the file */
    ProgressLesson *lessons;
    size_t nlessons;
};

/* ------------------------------------------------------------------ */
/* the model                                                           */
/* ------------------------------------------------------------------ */

static ProgressLesson *progress_find(const Progress *progress, const char *lesson)
{
    for (size_t i = 0; i < progress->nlessons; i++) {
        if (strcmp(progress->lessons[i].lesson, lesson) == 0) {
            return &progress->lessons[i];
        }
    }
    return NULL;
}

/* Find or add lesson.  NULL when out of memory. */
static ProgressLesson *progress_get(Progress *progress, const char *lesson)
{
    ProgressLesson *pl = progress_find(progress, lesson);
    ProgressLesson *arr;
    char *name;

    if (pl != NULL) {
        return pl;
    }
    name = strdup(lesson);
    if (name == NULL) {
        return NULL;
    }
    arr = realloc(progress->lessons, (progress->nlessons + 1) * sizeof(*arr));
    if (arr == NULL) {
        free(name);
        return NULL;
    }
    progress->lessons = arr;
    pl = &arr[progress->nlessons++];
    memset(pl, 0, sizeof(*pl));
    pl->lesson = name;
    return pl;
}

/* Add page to pl.  Returns 1 if added, 0 if already there, -ENOMEM. */
static int progress_add_page(ProgressLesson *pl, unsigned page)
{
    size_t at = 0;
    unsigned *arr;

    while (at < pl->npages && pl->pages[at] < page) {
        at++;
    }
    if (at < pl->npages && pl->pages[at] == page) {
        return 0;
    }
    arr = realloc(pl->pages, (pl->npages + 1) * sizeof(*arr));
    if (arr == NULL) {
        return -ENOMEM;
    }
    memmove(arr + at + 1, arr + at, (pl->npages - at) * sizeof(*arr));
    arr[at] = page;
    pl->pages = arr;
    pl->npages++;
    return 1;
}

/* Set the answer to question.  Returns 1 if changed, 0 if not, -ENOMEM. */
static int progress_set_answer(ProgressLesson *pl, const char *question, bool correct)
{
    ProgressAnswer *arr;
    char *q;

    for (size_t i = 0; i < pl->nanswers; i++) {
        if (strcmp(pl->answers[i].question, question) == 0) {
            if (pl->answers[i].correct == correct) {
                return 0;
            }
            pl->answers[i].correct = correct;
            return 1;
        }
    }
    q = strdup(question);
    if (q == NULL) {
        return -ENOMEM;
    }
    arr = realloc(pl->answers, (pl->nanswers + 1) * sizeof(*arr));
    if (arr == NULL) {
        free(q);
        return -ENOMEM;
    }
    pl->answers = arr;
    arr[pl->nanswers].question = q;
    arr[pl->nanswers].correct = correct;
    pl->nanswers++;
    return 1;
}

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
            free(pl->answers[a].question);
        }
        free(pl->answers);
    }
    free(progress->lessons);
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

/* Apply one line of the file.  Bad lines are ignored.  -ENOMEM or 0. */
static int progress_apply_line(Progress *progress, char *line)
{
    char *words[5];
    int nwords = 0;
    char *save = NULL;
    ProgressLesson *pl;
    unsigned n;

    if (line[0] == '#') {
        return 0;
    }
    for (char *w = strtok_r(line, " \t\r\n", &save); w != NULL;
         w = strtok_r(NULL, " \t\r\n", &save)) {
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
        return pl == NULL ? -ENOMEM : (progress_add_page(pl, n) < 0 ? -ENOMEM : 0);
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
        return 0;
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
        return progress_set_answer(pl, words[2], correct) < 0 ? -ENOMEM : 0;
    }
    return 0;
}

/* Work out the directory and file names.  0 or a negative error. */
static int progress_paths(Progress *progress, IlError *err)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    StrBuf b;

    strbuf_init(&b);
    /* the spec says relative paths in XDG_* are invalid: ignore them */
    if (state != NULL && state[0] == '/') {
        strbuf_addf(&b, "%s/interleave", state);
    } else if (home != NULL && home[0] == '/') {
        strbuf_addf(&b, "%s/.local/state/interleave", home);
    } else {
        return il_error_set(err, -ENOENT,
                            "progress: neither XDG_STATE_HOME nor HOME is an absolute path");
    }
    if (b.failed) {
        strbuf_fini(&b);
        return il_error_set(err, -ENOMEM, "progress: out of memory");
    }
    progress->dir = b.s;
    strbuf_init(&b);
    strbuf_addf(&b, "%s/progress", progress->dir);
    if (b.failed) {
        strbuf_fini(&b);
        return il_error_set(err, -ENOMEM, "progress: out of memory");
    }
    progress->path = b.s;
    return 0;
}

Progress *progress_load(IlError *err)
{
    Progress *progress = calloc(1, sizeof(*progress));
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;

    if (progress == NULL) {
        il_error_set(err, -ENOMEM, "progress: out of memory");
        return NULL;
    }
    if (progress_paths(progress, err) < 0) {
        progress_free(progress);
        return NULL;
    }
    f = fopen(progress->path, "re");
    if (f == NULL) {
        if (errno == ENOENT) {
            return progress; /* nothing saved yet */
        }
        il_error_set(err, -errno, "%s: %s", progress->path, strerror(errno));
        progress_free(progress);
        return NULL;
    }
    while (rc == 0) {
        errno = 0;
        if (getline(&line, &cap, f) < 0) {
            if (errno == ENOMEM) {
                rc = -ENOMEM;
            } else if (ferror(f)) {
                rc = errno != 0 ? -errno : -EIO;
            }
            break;
        }
        if (strlen(line) > 4096) {
            continue; /* no line we write is this long */
        }
        rc = progress_apply_line(progress, line);
    }
    free(line);
    fclose(f);
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

/* mkdir -p dir, new directories with mode 0700.  0 or -errno. */
static int progress_mkdirs(const char *dir)
{
    char *path = strdup(dir);
    int rc = 0;

    if (path == NULL) {
        return -ENOMEM;
    }
    for (char *s = path + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char saved = *s;
            *s = '\0';
            if (mkdir(path, 0700) < 0 && errno != EEXIST) {
                rc = -errno;
                break;
            }
            *s = saved;
            if (saved == '\0') {
                break;
            }
        }
    }
    free(path);
    return rc;
}

static int progress_write_all(int fd, const char *s, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, s, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        s += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Write the whole state to a temporary file and rename it into place. */
static int progress_save(const Progress *progress)
{
    StrBuf b, tmp;
    int fd, dfd, rc;

    strbuf_init(&b);
    strbuf_add(&b, PROGRESS_HEADER "\n");
    for (size_t i = 0; i < progress->nlessons; i++) {
        const ProgressLesson *pl = &progress->lessons[i];
        for (size_t p = 0; p < pl->npages; p++) {
            strbuf_add(&b, "page ");
            progress_escape(&b, pl->lesson);
            strbuf_addf(&b, " %u\n", pl->pages[p]);
        }
        if (pl->runs > 0) {
            strbuf_add(&b, "runs ");
            progress_escape(&b, pl->lesson);
            strbuf_addf(&b, " %u\n", pl->runs);
        }
        for (size_t a = 0; a < pl->nanswers; a++) {
            strbuf_add(&b, "answer ");
            progress_escape(&b, pl->lesson);
            strbuf_add(&b, " ");
            progress_escape(&b, pl->answers[a].question);
            strbuf_addf(&b, " %s\n", pl->answers[a].correct ? "right" : "wrong");
        }
    }
    strbuf_init(&tmp);
    strbuf_addf(&tmp, "%s/.progress.XXXXXX", progress->dir);
    if (b.failed || tmp.failed) {
        strbuf_fini(&b);
        strbuf_fini(&tmp);
        return -ENOMEM;
    }
    rc = progress_mkdirs(progress->dir);
    if (rc < 0) {
        strbuf_fini(&b);
        strbuf_fini(&tmp);
        return rc;
    }
    fd = mkstemp(tmp.s); /* mode 0600 */
    if (fd < 0) {
        rc = -errno;
        strbuf_fini(&b);
        strbuf_fini(&tmp);
        return rc;
    }
    rc = progress_write_all(fd, b.s, b.len);
    if (rc == 0 && fsync(fd) < 0) {
        rc = -errno;
    }
    if (close(fd) < 0 && rc == 0) {
        rc = -errno;
    }
    if (rc == 0 && rename(tmp.s, progress->path) < 0) {
        rc = -errno;
    }
    if (rc < 0) {
        unlink(tmp.s);
    } else {
        /* make the rename itself durable */
        dfd = open(progress->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    strbuf_fini(&b);
    strbuf_fini(&tmp);
    return rc;
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
    if (rc <= 0) {
        return rc; /* seen before: nothing to write */
    }
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
    rc = progress_set_answer(pl, question, correct);
    if (rc <= 0) {
        return rc;
    }
    return progress_save(progress);
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
