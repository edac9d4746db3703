/*
 * answers.c - answer files and question_check() (see answers.h).
 *
 * The parser walks the text once, line by line, and never stops at the
 * first problem: a student's file with three mistakes gets three
 * "path:line: ..." lines.  It accepts nothing it cannot explain: a NUL
 * byte, a line that is neither "[LESSON]", "ID: ANSWER", a continuation,
 * a comment nor blank, an id with characters no id can have, an answer
 * before any [LESSON] line, and the same id answered twice for one lesson
 * are all problems.  Which ids exist is not its business.
 */
#include "config.h"

#include "lesson/answers.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/file.h"

typedef struct AnswersParser {
    const char *path;
    StrBuf *problems;
    int nproblems;
    bool oom;
    Answers *a;
    const char *lesson; /* current section (points into a->lessons), NULL = none yet */
    bool bad_section;   /* the last [...] line was broken (and reported) */
    AnswerEntry *last;  /* the entry a continuation line extends */
} AnswersParser;

static void answers_problem(AnswersParser *p, unsigned line, const char *fmt, ...)
    ATTR_FORMAT(printf, 3, 4);

static void answers_problem(AnswersParser *p, unsigned line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    p->nproblems++;
    if (p->problems != NULL) {
        strbuf_addf(p->problems, "%s:%u: %s\n", p->path, line, msg);
    }
}

/* Collapse runs of white space to one space and trim, in place. */
static void answers_squeeze(char *s)
{
    char *w = s;
    bool space = false;
    for (const char *r = s; *r != '\0'; r++) {
        if (isspace((unsigned char)*r)) {
            space = w != s;
            continue;
        }
        if (space) {
            *w++ = ' ';
            space = false;
        }
        *w++ = *r;
    }
    *w = '\0';
}

static bool answers_name_ok(const char *s)
{
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.') {
            return false;
        }
    }
    return true;
}

void answers_free(Answers *a)
{
    if (a == NULL) {
        return;
    }
    for (size_t i = 0; i < a->n; i++) {
        free(a->e[i].lesson);
        free(a->e[i].id);
        free(a->e[i].value);
    }
    free(a->e);
    for (size_t i = 0; i < a->nlessons; i++) {
        free(a->lessons[i]);
    }
    free(a->lessons);
    free(a->path);
    free(a);
}

const AnswerEntry *answers_find(const Answers *a, const char *lesson, const char *id)
{
    for (size_t i = 0; i < a->n; i++) {
        if (strcmp(a->e[i].lesson, lesson) == 0 && strcmp(a->e[i].id, id) == 0) {
            return &a->e[i];
        }
    }
    return NULL;
}

/* "[race]": make race the current lesson. */
static void answers_section(AnswersParser *p, char *t, unsigned line)
{
    size_t n = strlen(t);
    char *name, **grown;

    if (n < 2 || t[n - 1] != ']') {
        answers_problem(p, line, "'%s' is not a lesson line: write [LESSON], e.g. [race]", t);
        p->lesson = NULL;
        p->bad_section = true;
        return;
    }
    p->bad_section = false;
    t[n - 1] = '\0';
    name = t + 1;
    answers_squeeze(name);
    if (!answers_name_ok(name)) {
        answers_problem(p, line,
                        "[%s]: a lesson name is letters, digits, '-', '_' or '.' (the lesson "
                        "file's name without .md)",
                        name);
        p->lesson = NULL;
        p->bad_section = true;
        return;
    }
    for (size_t i = 0; i < p->a->nlessons; i++) {
        if (strcmp(p->a->lessons[i], name) == 0) {
            p->lesson = p->a->lessons[i]; /* a lesson may come back: answers add up */
            return;
        }
    }
    grown = realloc(p->a->lessons, (p->a->nlessons + 1) * sizeof(*grown));
    if (grown == NULL) {
        p->oom = true;
        return;
    }
    p->a->lessons = grown;
    grown[p->a->nlessons] = strdup(name);
    if (grown[p->a->nlessons] == NULL) {
        p->oom = true;
        return;
    }
    p->lesson = grown[p->a->nlessons++];
}

/* "ID: ANSWER" under the current lesson. */
static void answers_entry(AnswersParser *p, char *t, unsigned line)
{
    char *colon = strchr(t, ':');
    char *id, *value;
    const AnswerEntry *prev;
    AnswerEntry *e, *grown;

    if (colon == NULL) {
        answers_problem(p, line, "expected 'ID: ANSWER' or '[LESSON]', got '%s'", t);
        return;
    }
    *colon = '\0';
    id = t;
    value = colon + 1;
    answers_squeeze(id);
    answers_squeeze(value);
    if (!answers_name_ok(id)) {
        answers_problem(p, line,
                        "'%s' is not a question or challenge id (letters, digits, '-', '_' or "
                        "'.')",
                        id);
        return;
    }
    if (p->lesson == NULL) {
        if (!p->bad_section) {
            answers_problem(p, line,
                            "'%s' comes before any [LESSON] line: say which lesson it answers "
                            "first, e.g. [race]",
                            id);
        }
        return; /* under a broken [...] line: that line was reported */
    }
    prev = answers_find(p->a, p->lesson, id);
    if (prev != NULL) {
        answers_problem(p, line, "'%s' is answered twice for lesson %s (first at line %u)", id,
                        p->lesson, prev->line);
        return;
    }
    grown = realloc(p->a->e, (p->a->n + 1) * sizeof(*grown));
    if (grown == NULL) {
        p->oom = true;
        return;
    }
    p->a->e = grown;
    e = &grown[p->a->n];
    e->lesson = strdup(p->lesson);
    e->id = strdup(id);
    e->value = strdup(value);
    e->line = line;
    if (e->lesson == NULL || e->id == NULL || e->value == NULL) {
        free(e->lesson);
        free(e->id);
        free(e->value);
        p->oom = true;
        return;
    }
    p->a->n++;
    p->last = e;
}

/* An indented line: more of the answer above. */
static void answers_continue(AnswersParser *p, const char *t, unsigned line)
{
    char *v;
    size_t old;
    if (p->last == NULL) {
        answers_problem(p, line, "'%s' is indented but continues no 'ID: ANSWER' line above", t);
        return;
    }
    old = strlen(p->last->value);
    v = realloc(p->last->value, old + 1 + strlen(t) + 1);
    if (v == NULL) {
        p->oom = true;
        return;
    }
    if (old > 0) {
        v[old++] = ' ';
    }
    strcpy(v + old, t);
    answers_squeeze(v);
    p->last->value = v;
}

Answers *answers_parse(const char *text, size_t len, const char *path, StrBuf *problems, int *code)
{
    AnswersParser p;
    size_t at = 0;
    unsigned line = 1;
    int dummy;

    if (code == NULL) {
        code = &dummy;
    }
    *code = 0;
    memset(&p, 0, sizeof(p));
    p.path = path;
    p.problems = problems;
    p.a = calloc(1, sizeof(*p.a));
    if (p.a == NULL || (p.a->path = strdup(path)) == NULL) {
        answers_free(p.a);
        *code = -ENOMEM;
        return NULL;
    }
    while (at < len && !p.oom) {
        const char *s = text + at;
        const char *nl = memchr(s, '\n', len - at);
        size_t n = nl != NULL ? (size_t)(nl - s) : len - at;
        char *buf, *t, *end;
        bool indented;

        if (memchr(s, '\0', n) != NULL) {
            answers_problem(&p, line, "a NUL byte: an answers file is plain text");
            p.last = NULL;
        } else if ((buf = malloc(n + 1)) == NULL) {
            p.oom = true;
            break;
        } else {
            memcpy(buf, s, n);
            buf[n] = '\0';
            end = buf + n;
            while (end > buf && isspace((unsigned char)end[-1])) {
                *--end = '\0'; /* also the '\r' of a CRLF line */
            }
            t = buf;
            while (*t == ' ' || *t == '\t') {
                t++;
            }
            indented = t != buf;
            if (*t == '\0' || *t == '#') {
                /* blank or comment */
            } else if (indented) {
                answers_continue(&p, t, line);
            } else if (*t == '[') {
                p.last = NULL;
                answers_section(&p, t, line);
            } else {
                p.last = NULL;
                answers_entry(&p, t, line);
            }
            free(buf);
        }
        at += n + (nl != NULL ? 1 : 0);
        line++;
    }
    if (p.oom) {
        answers_free(p.a);
        *code = -ENOMEM;
        return NULL;
    }
    if (p.nproblems > 0) {
        answers_free(p.a);
        *code = -IL_EPARSE;
        return NULL;
    }
    return p.a;
}

Answers *answers_load(const char *path, StrBuf *problems, int *code)
{
    char why[UTIL_WHY_MAX];
    char *buf = NULL;
    size_t len = 0;
    int rc, dummy;
    Answers *a;

    if (code == NULL) {
        code = &dummy;
    }
    /* like every file read by name: a regular file only, opened without
     * blocking (a FIFO cannot hang the grader), within the limit */
    rc = file_read(path, "answers file", ANSWERS_FILE_MAX, &buf, &len, why, sizeof(why));
    if (rc < 0) {
        if (problems != NULL) {
            strbuf_addf(problems, "%s\n", why);
        }
        *code = rc;
        return NULL;
    }
    a = answers_parse(buf, len, path, problems, code);
    free(buf);
    return a;
}

/* ------------------------------------------------------------------ */
/* one answer, one question                                            */
/* ------------------------------------------------------------------ */

bool question_graded(const LessonQuestion *q)
{
    return (q->nchoices > 0 && q->answer >= 0) || (q->nchoices == 0 && q->value != NULL);
}

static const char *answers_skip_space(const char *s)
{
    while (isspace((unsigned char)*s)) {
        s++;
    }
    return s;
}

/* Equal ignoring case, white space at the ends, and the length of runs of
 * white space inside. */
static bool answers_same_text(const char *a, const char *b)
{
    a = answers_skip_space(a);
    b = answers_skip_space(b);
    while (*a != '\0' && *b != '\0') {
        bool sa = isspace((unsigned char)*a) != 0, sb = isspace((unsigned char)*b) != 0;
        if (sa || sb) {
            if (!(sa && sb)) {
                return false;
            }
            a = answers_skip_space(a);
            b = answers_skip_space(b);
            continue;
        }
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) {
            return false;
        }
        a++;
        b++;
    }
    return *answers_skip_space(a) == '\0' && *answers_skip_space(b) == '\0';
}

/* s as a finite number (all of it, white space around allowed). */
/* The numbers a student may write as a word ("five" for 5). */
static const char *const answers_number_words[] = {
    "zero",     "one",     "two",     "three",     "four",     "five",     "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
};

static bool answers_number(const char *s, double *out)
{
    char *end;
    double v;
    while (isspace((unsigned char)*s)) {
        s++;
    }
    if (*s == '\0') {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(answers_number_words); i++) {
        size_t n = strlen(answers_number_words[i]);
        if (strncasecmp(s, answers_number_words[i], n) == 0) {
            const char *rest = s + n;
            while (isspace((unsigned char)*rest)) {
                rest++;
            }
            if (*rest == '\0') {
                *out = (double)i;
                return true;
            }
        }
    }
    errno = 0;
    v = strtod(s, &end);
    if (end == s || errno != 0 || !isfinite(v)) {
        return false;
    }
    while (isspace((unsigned char)*end)) {
        end++;
    }
    if (*end != '\0') {
        return false;
    }
    *out = v;
    return true;
}

bool question_check(const LessonQuestion *q, const char *answer, char *msg, size_t len)
{
    const char *a = answer != NULL ? answer : "";
    while (isspace((unsigned char)*a)) {
        a++;
    }
    if (!question_graded(q)) {
        snprintf(msg, len, "this question takes no answer to check (it is for thinking)");
        return false;
    }
    if (*a == '\0') {
        snprintf(msg, len, "no answer given");
        return false;
    }
    if (q->nchoices > 0) {
        int pick = -1;
        double num;
        for (size_t i = 0; i < q->nchoices && pick < 0; i++) {
            if (answers_same_text(q->choices[i], a)) {
                pick = (int)i;
            }
        }
        if (pick < 0 && answers_number(a, &num)) {
            if (num != floor(num) || num < 1 || num > (double)q->nchoices) {
                snprintf(msg, len, "'%.60s' is not one of the choices 1..%zu", a, q->nchoices);
                return false;
            }
            pick = (int)num - 1;
        }
        if (pick < 0) {
            snprintf(msg, len,
                     "'%.60s' is not one of the choices (give its number 1..%zu or its "
                     "text)",
                     a, q->nchoices);
            return false;
        }
        if (pick != q->answer) {
            snprintf(msg, len, "choice %d is not the right one", pick + 1);
            return false;
        }
        snprintf(msg, len, "right: choice %d", pick + 1);
        return true;
    } else {
        double want, got;
        bool right;
        if (answers_number(q->value, &want)) {
            right = answers_number(a, &got) && got == want;
        } else {
            right = answers_same_text(q->value, a);
        }
        if (!right) {
            snprintf(msg, len, "'%.60s' is not the right value", a);
            return false;
        }
        snprintf(msg, len, "right");
        return true;
    }
}
