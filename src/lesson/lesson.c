/*
 * lesson.c - lesson files: CommonMark parsed with libcmark into a Lesson.
 *
 * A lesson file is a Markdown document that reads well on its own (format:
 * interleave-lesson(5)).  Its shape:
 *
 *   <!-- interleave: demo=race order=1 -->  optional directive: the main demo
 *                                      and the lesson's place in the course
 *   # Title                           the lesson's title (exactly one)
 *   First paragraph.                  the summary (one line in the browser)
 *   ...                               more text: an opening page
 *   ## Page title                     every level-2 heading starts a page
 *   ```interleave-run                 a run the page offers (key: value lines)
 *   ```question                       a question (key: value lines)
 *   ```interleave-challenge           a goal for a run (challenge.c parses it)
 *   ```c                              any other fenced code: shown as-is
 *
 * Design.  libcmark does the Markdown; this module walks the top level of
 * the document once, cutting it into pages at level-2 headings, and renders
 * each page's blocks to plain text (paragraphs separated by blank lines,
 * lists and code kept line by line) so that the front ends need no
 * Markdown.  Runs and questions are fenced code blocks with a known info
 * string; they leave a one-line marker in the page text ("[run 1] label")
 * and become LessonRun / LessonQuestion records.
 *
 * Checking and loading are one pass: every problem goes through
 * lesson_problem(), which formats "path:line: message" (lines from cmark's
 * node positions) and either appends it to the lint report or keeps the
 * first one for lesson_load().  Demo names, parameters, modes and
 * schedules are checked with the same functions `interleave run` uses, so a
 * lesson that lints clean runs.
 *
 * Invariants: a Lesson returned by lesson_load() has a title, a summary
 * and at least one page; every run names a demo that exists; every string
 * is owned by the Lesson and freed by lesson_free().
 */
#include "config.h"

#include "lesson/lesson.h"

#include <cmark.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/sched.h"
#include "core/schedule.h"
#include "demos/demo.h"
#include "scenario/scn_demo.h"
#include "util/buildtree.h"
#include "util/file.h"
#include "util/vec.h"

#ifndef INTERLEAVE_LESSON_DIR
#define INTERLEAVE_LESSON_DIR "/usr/local/share/interleave/lessons"
#endif

#define LESSON_FILE_MAX (4u * 1024u * 1024u) /* bytes; a lesson is prose */
/* Blocks and inlines inside one another (block quotes, list items,
 * emphasis, links), at most.  The text is rendered by recursion over the
 * tree, so the depth is bounded before it starts: 8,000 nested '>' would
 * otherwise overflow the stack.  Prose never needs more than a few. */
#define LESSON_MAX_DEPTH 32
#define LESSON_DIRECTIVE "<!-- interleave:"
#define LESSON_RUN_INFO "interleave-run"
#define LESSON_CHALLENGE_INFO "interleave-challenge"
#define LESSON_SCENARIO_INFO "interleave-scenario"

/* The parse state of one file. */
typedef struct LessonParser {
    const char *path;
    StrBuf *report; /* lint: one line per problem, or NULL */
    int nproblems;
    IlError first; /* the first problem, for lesson_load() */
    bool oom;      /* an allocation failed: the result is incomplete */
    Lesson *lesson;
    unsigned title_line;
    unsigned demo_line; /* line of the directive that set lesson->demo */
    bool directive_seen;
    bool misplaced_reported;
    char first_run_demo[64]; /* demo: of the first run block that has one, "" = none */
} LessonParser;

/* ------------------------------------------------------------------ */
/* problems and small helpers                                          */
/* ------------------------------------------------------------------ */

/* Record one problem at line (0 = no line). */
static void lesson_problem(LessonParser *p, unsigned line, const char *fmt, ...)
    ATTR_FORMAT(printf, 3, 4);

static void lesson_problem(LessonParser *p, unsigned line, const char *fmt, ...)
{
    char msg[IL_ERROR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (p->nproblems == 0) {
        if (line > 0) {
            il_error_set(&p->first, -IL_EPARSE, "%s:%u: %s", p->path, line, msg);
        } else {
            il_error_set(&p->first, -IL_EPARSE, "%s: %s", p->path, msg);
        }
    }
    p->nproblems++;
    if (p->report != NULL) {
        if (line > 0) {
            strbuf_addf(p->report, "%s:%u: %s\n", p->path, line, msg);
        } else {
            strbuf_addf(p->report, "%s: %s\n", p->path, msg);
        }
    }
}

static char *lesson_strndup(LessonParser *p, const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d == NULL) {
        p->oom = true;
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static char *lesson_strdup(LessonParser *p, const char *s)
{
    return lesson_strndup(p, s, strlen(s));
}

/* Grow *arr (of elem-sized items, *n used) by one zeroed slot. */
static void *lesson_grow(LessonParser *p, void **arr, size_t *n, size_t elem)
{
    size_t cap = *n; /* the arrays keep no capacity: grow from their length */
    char *a = vec_grow(*arr, &cap, *n + 1, elem);
    if (a == NULL) {
        p->oom = true;
        return NULL;
    }
    *arr = a;
    memset(a + *n * elem, 0, elem);
    return a + (*n)++ * elem;
}

/* Collapse runs of white space to one space and trim both ends, in place. */
static void lesson_squeeze(char *s)
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

/* ------------------------------------------------------------------ */
/* rendering Markdown to plain text                                    */
/* ------------------------------------------------------------------ */

static void lesson_render_inlines(cmark_node *node, StrBuf *out)
{
    for (cmark_node *c = cmark_node_first_child(node); c != NULL; c = cmark_node_next(c)) {
        const char *lit;
        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
            lit = cmark_node_get_literal(c);
            strbuf_add(out, lit != NULL ? lit : "");
            break;
        case CMARK_NODE_CODE: /* keep the backticks: `A B` is a schedule, not prose */
            lit = cmark_node_get_literal(c);
            strbuf_addf(out, "`%s`", lit != NULL ? lit : "");
            break;
        case CMARK_NODE_SOFTBREAK:
            strbuf_add(out, " ");
            break;
        case CMARK_NODE_LINEBREAK:
            strbuf_add(out, "\n");
            break;
        case CMARK_NODE_LINK: {
            const char *url = cmark_node_get_url(c);
            size_t before = out->len;
            lesson_render_inlines(c, out);
            if (url != NULL && *url != '\0' &&
                (out->s == NULL || strcmp(out->s + before, url) != 0)) {
                strbuf_addf(out, " <%s>", url);
            }
            break;
        }
        case CMARK_NODE_IMAGE:
            strbuf_add(out, "[image: ");
            lesson_render_inlines(c, out);
            strbuf_add(out, "]");
            break;
        case CMARK_NODE_HTML_INLINE:
            break;
        default: /* emphasis, strong, custom inlines: their text */
            lesson_render_inlines(c, out);
            break;
        }
    }
}

/* The inline text of node (a heading or paragraph), squeezed to one line.
 * Returns a malloc'd string or NULL (p->oom set). */
static char *lesson_inline_line(LessonParser *p, cmark_node *node)
{
    StrBuf b;
    char *s;
    strbuf_init(&b);
    lesson_render_inlines(node, &b);
    if (b.failed) {
        strbuf_fini(&b);
        p->oom = true;
        return NULL;
    }
    s = lesson_strdup(p, strbuf_str(&b));
    strbuf_fini(&b);
    if (s != NULL) {
        lesson_squeeze(s);
    }
    return s;
}

/* Emit text line by line, the first line after first, the others after rest. */
static void lesson_emit_lines(StrBuf *out, const char *text, const char *first, const char *rest)
{
    const char *line = text;
    bool at_first = true;
    for (;;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
        strbuf_addf(out, "%s%.*s\n", at_first ? first : rest, (int)len, line);
        at_first = false;
        if (nl == NULL || nl[1] == '\0') {
            break;
        }
        line = nl + 1;
    }
}

typedef struct LessonPageBuild LessonPageBuild;
static void lesson_block(LessonParser *p, LessonPageBuild *pb, cmark_node *node, const char *first,
                         const char *rest);

/* The page being built: its text and a pointer to its LessonPage. */
struct LessonPageBuild {
    StrBuf text;
    LessonPage *page;
    bool has_content; /* anything besides the summary */
};

static void lesson_blocks(LessonParser *p, LessonPageBuild *pb, cmark_node *parent,
                          const char *first, const char *rest, bool tight)
{
    bool at_first = true;
    for (cmark_node *c = cmark_node_first_child(parent); c != NULL; c = cmark_node_next(c)) {
        if (!at_first && !tight) {
            strbuf_add(&pb->text, "\n");
        }
        lesson_block(p, pb, c, at_first ? first : rest, rest);
        at_first = false;
    }
}

/* ------------------------------------------------------------------ */
/* key: value blocks (runs and questions)                              */
/* ------------------------------------------------------------------ */

typedef struct LessonKv {
    const char *key;
    char *value; /* joined value; owned */
    unsigned line;
} LessonKv;

typedef struct LessonKvList {
    LessonKv *kv;
    size_t n;
} LessonKvList;

static void lesson_kv_fini(LessonKvList *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->kv[i].value);
    }
    free(l->kv);
    l->kv = NULL;
    l->n = 0;
}

/*
 * Split the literal of a fenced block into key: value lines.  keys is the
 * NULL-terminated list of known keys; repeat[i] says key i may repeat.  A
 * line that starts with white space continues the value above it; blank
 * lines and lines starting with '#' are skipped.
 */
static void lesson_kv_parse(LessonParser *p, const char *literal, unsigned first_line,
                            const char *what, const char *const *keys, const bool *repeat,
                            LessonKvList *out)
{
    unsigned line = first_line;
    const char *s = literal != NULL ? literal : "";
    LessonKv *last = NULL;

    out->kv = NULL;
    out->n = 0;
    while (*s != '\0') {
        const char *nl = strchr(s, '\n');
        size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);
        char *text = lesson_strndup(p, s, len);
        char *t, *colon;
        size_t k;

        if (text == NULL) {
            return;
        }
        t = text;
        while (*t == ' ' || *t == '\t') {
            t++;
        }
        for (char *e = t + strlen(t); e > t && isspace((unsigned char)e[-1]); e--) {
            e[-1] = '\0';
        }
        if (*t == '\0' || *t == '#') {
            /* blank or comment */
        } else if (t != text && last != NULL) {
            size_t old = strlen(last->value), cap = old + 1;
            char *v = vec_grow(last->value, &cap, old + 1 + strlen(t) + 1, 1);
            if (v == NULL) {
                p->oom = true;
            } else {
                v[old] = old > 0 ? ' ' : '\0';
                strcpy(v + old + (old > 0 ? 1 : 0), t);
                last->value = v;
            }
        } else if ((colon = strchr(t, ':')) == NULL) {
            lesson_problem(p, line, "expected 'key: value' in %s block, got '%s'", what, t);
            last = NULL;
        } else {
            *colon = '\0';
            for (char *e = colon; e > t && isspace((unsigned char)e[-1]); e--) {
                e[-1] = '\0';
            }
            for (k = 0; keys[k] != NULL; k++) {
                if (strcmp(keys[k], t) == 0) {
                    break;
                }
            }
            last = NULL;
            if (keys[k] == NULL) {
                char known[256];
                size_t at = 0;
                known[0] = '\0';
                for (size_t i = 0; keys[i] != NULL && at < sizeof(known); i++) {
                    at += (size_t)snprintf(known + at, sizeof(known) - at, "%s%s",
                                           i > 0 ? ", " : "", keys[i]);
                }
                lesson_problem(p, line, "unknown key '%s' in %s block (keys: %s)", t, what, known);
            } else {
                bool dup = false;
                for (size_t i = 0; i < out->n && !repeat[k]; i++) {
                    if (out->kv[i].key == keys[k]) {
                        lesson_problem(p, line,
                                       "%s: given twice in this %s block (first at line %u)",
                                       keys[k], what, out->kv[i].line);
                        dup = true;
                        break;
                    }
                }
                if (!dup) {
                    char *v = colon + 1;
                    LessonKv *kv;
                    while (*v == ' ' || *v == '\t') {
                        v++;
                    }
                    kv = lesson_grow(p, (void **)&out->kv, &out->n, sizeof(*kv));
                    if (kv != NULL) {
                        kv->key = keys[k];
                        kv->line = line;
                        kv->value = lesson_strdup(p, v);
                        if (kv->value == NULL) {
                            out->n--;
                        } else {
                            last = kv;
                        }
                    }
                }
            }
        }
        free(text);
        line++;
        if (nl == NULL) {
            break;
        }
        s = nl + 1;
    }
}

static const LessonKv *lesson_kv_get(const LessonKvList *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->kv[i].key, key) == 0) {
            return &l->kv[i];
        }
    }
    return NULL;
}

/* Steal the value of key (NULL when absent). */
static char *lesson_kv_take(LessonKvList *l, const char *key)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->kv[i].key, key) == 0) {
            char *v = l->kv[i].value;
            l->kv[i].value = NULL;
            return v;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* runs                                                                */
/* ------------------------------------------------------------------ */

static const char *const lesson_run_keys[] = {"demo", "params", "mode", "schedule", "label", NULL};
static const bool lesson_run_repeat[] = {false, true, false, false, false};

static void lesson_run_free(LessonRun *run)
{
    free(run->label);
    free(run->demo);
    for (size_t i = 0; i < run->nparams; i++) {
        free(run->params[i]);
    }
    free(run->params);
    free(run->mode);
    free(run->schedule);
}

/* Parse and check one interleave-run block starting at line into run. */
static void lesson_run_parse(LessonParser *p, cmark_node *node, LessonRun *run)
{
    unsigned line = (unsigned)cmark_node_get_start_line(node);
    LessonKvList kv;
    const LessonKv *v;
    const DemoClass *demo = NULL;
    int64_t values[DEMO_MAX_PARAMS];
    bool params_ok = true;
    int mode = -1;
    IlError err;

    run->line = line;
    lesson_kv_parse(p, cmark_node_get_literal(node), line + 1, LESSON_RUN_INFO, lesson_run_keys,
                    lesson_run_repeat, &kv);

    v = lesson_kv_get(&kv, "demo");
    if (v != NULL) {
        demo = demo_find_scoped(p->lesson->id, v->value, &err);
        if (demo == NULL) {
            lesson_problem(p, v->line, "demo: %s", err.msg);
        }
    } else if (p->lesson->demo != NULL) {
        demo = demo_find_scoped(p->lesson->id, p->lesson->demo, &err);
    } else if (p->first_run_demo[0] != '\0') {
        /* the lesson's main demo is the first run's (interleave-lesson(5));
         * an unknown one is reported at that run */
        demo = demo_find_scoped(p->lesson->id, p->first_run_demo, NULL);
    } else {
        lesson_problem(p, line,
                       "run block without demo: (give demo: NAME, or the lesson's main demo "
                       "in '<!-- interleave: demo=NAME -->')");
    }
    if (demo != NULL) {
        run->demo = lesson_strdup(p, demo->name);
        demo_params_default(demo, values);
    }

    for (size_t i = 0; i < kv.n; i++) {
        const char *s;
        if (strcmp(kv.kv[i].key, "params") != 0) {
            continue;
        }
        s = kv.kv[i].value;
        while (*s != '\0') {
            size_t len;
            char *tok, **slot;
            while (*s == ' ' || *s == '\t' || *s == ',') {
                s++;
            }
            len = strcspn(s, " \t,");
            if (len == 0) {
                break;
            }
            tok = lesson_strndup(p, s, len);
            s += len;
            if (tok == NULL) {
                break;
            }
            if (demo != NULL && demo_param_set(demo, tok, values, &err) < 0) {
                lesson_problem(p, kv.kv[i].line, "params: %s", err.msg);
                params_ok = false;
            }
            slot = lesson_grow(p, (void **)&run->params, &run->nparams, sizeof(*slot));
            if (slot == NULL) {
                free(tok);
                break;
            }
            *slot = tok;
        }
    }

    v = lesson_kv_get(&kv, "mode");
    if (v != NULL) {
        mode = sched_mode_parse(v->value);
        if (mode < 0) {
            lesson_problem(p, v->line, "mode: must be free, step or replay, got '%s'", v->value);
        }
    }
    v = lesson_kv_get(&kv, "schedule");
    if (v != NULL) {
        Schedule sched;
        if (mode == SCHED_FREE) {
            lesson_problem(p, v->line,
                           "schedule: a free run takes no schedule "
                           "(use mode: step or replay)");
        }
        if (demo != NULL && params_ok) {
            int rc = schedule_parse(v->value, demo_lanes(demo, values), &sched, &err);
            if (rc == -ENOMEM) {
                p->oom = true;
            } else if (rc < 0) {
                lesson_problem(p, v->line, "schedule: %s", err.msg);
            } else {
                if (sched.n == 0) {
                    lesson_problem(p, v->line, "schedule: empty (give lanes, e.g. 'A B A B')");
                }
                schedule_fini(&sched);
            }
        }
        if (mode < 0) {
            mode = SCHED_REPLAY; /* as `interleave run --schedule` */
        }
    } else if (mode == SCHED_REPLAY) {
        lesson_problem(p, lesson_kv_get(&kv, "mode")->line, "mode: replay needs a schedule: line");
    }
    if (mode >= 0) {
        run->mode = lesson_strdup(p, sched_mode_name(mode));
    }
    run->schedule = lesson_kv_take(&kv, "schedule");
    if (run->schedule != NULL) {
        lesson_squeeze(run->schedule);
    }
    run->label = lesson_kv_take(&kv, "label");
    if (run->label != NULL && run->label[0] == '\0') {
        lesson_problem(p, lesson_kv_get(&kv, "label")->line, "label: empty");
    }
    if (run->label == NULL && run->demo != NULL) {
        /* default label: the command a student could type */
        StrBuf b;
        strbuf_init(&b);
        strbuf_add(&b, run->demo);
        for (size_t i = 0; i < run->nparams; i++) {
            strbuf_addf(&b, " %s", run->params[i]);
        }
        if (run->mode != NULL && strcmp(run->mode, "free") != 0) {
            strbuf_addf(&b, " (%s)", run->mode);
        }
        if (b.failed) {
            p->oom = true;
        } else {
            run->label = lesson_strdup(p, strbuf_str(&b));
        }
        strbuf_fini(&b);
    }
    lesson_kv_fini(&kv);
}

/* ------------------------------------------------------------------ */
/* questions                                                           */
/* ------------------------------------------------------------------ */

static const char *const lesson_question_keys[] = {"id",     "prompt",  "choice",
                                                   "answer", "explain", NULL};
static const bool lesson_question_repeat[] = {false, false, true, false, false};

static void lesson_question_free(LessonQuestion *q)
{
    free(q->id);
    free(q->prompt);
    for (size_t i = 0; i < q->nchoices; i++) {
        free(q->choices[i]);
    }
    free(q->choices);
    free(q->explain);
    free(q->value);
}

static bool lesson_id_ok(const char *id)
{
    if (*id == '\0') {
        return false;
    }
    for (const char *c = id; *c != '\0'; c++) {
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.') {
            return false;
        }
    }
    return true;
}

static void lesson_question_parse(LessonParser *p, cmark_node *node, LessonQuestion *q)
{
    unsigned line = (unsigned)cmark_node_get_start_line(node);
    LessonKvList kv;
    const LessonKv *v;

    q->line = line;
    q->answer = -1;
    lesson_kv_parse(p, cmark_node_get_literal(node), line + 1, "question", lesson_question_keys,
                    lesson_question_repeat, &kv);

    v = lesson_kv_get(&kv, "id");
    if (v == NULL) {
        lesson_problem(p, line, "question without id: (give each question a unique id)");
    } else if (!lesson_id_ok(v->value)) {
        lesson_problem(p, v->line, "id: '%s' must be letters, digits, '-', '_' or '.'", v->value);
    } else {
        for (size_t pg = 0; pg < p->lesson->npages; pg++) {
            const LessonPage *page = &p->lesson->pages[pg];
            for (size_t i = 0; i < page->nquestions; i++) {
                const LessonQuestion *o = &page->questions[i];
                if (o != q && o->id != NULL && strcmp(o->id, v->value) == 0) {
                    lesson_problem(p, v->line, "id: '%s' is used twice (first at line %u)",
                                   v->value, o->line);
                }
            }
            for (size_t i = 0; i < page->nchallenges; i++) {
                const LessonChallenge *o = &page->challenges[i];
                if (o->id != NULL && strcmp(o->id, v->value) == 0) {
                    lesson_problem(p, v->line, "id: '%s' is used twice (first at line %u)",
                                   v->value, o->line);
                }
            }
        }
    }
    v = lesson_kv_get(&kv, "prompt");
    if (v == NULL) {
        lesson_problem(p, line, "question without prompt: (the question to ask)");
    } else if (v->value[0] == '\0') {
        lesson_problem(p, v->line, "prompt: empty");
    }
    for (size_t i = 0; i < kv.n; i++) {
        char **slot;
        if (strcmp(kv.kv[i].key, "choice") != 0) {
            continue;
        }
        if (kv.kv[i].value[0] == '\0') {
            lesson_problem(p, kv.kv[i].line, "choice: empty");
        }
        slot = lesson_grow(p, (void **)&q->choices, &q->nchoices, sizeof(*slot));
        if (slot == NULL) {
            break;
        }
        *slot = kv.kv[i].value;
        kv.kv[i].value = NULL;
    }
    if (q->nchoices == 1) {
        v = lesson_kv_get(&kv, "id");
        lesson_problem(p, line,
                       "question '%s' has one choice: give two or more, or none "
                       "for a free-text answer",
                       v != NULL ? v->value : "?");
    }
    v = lesson_kv_get(&kv, "answer");
    if (v != NULL) {
        if (q->nchoices == 0) {
            /* a question that asks for a value: the right value */
            if (v->value[0] == '\0') {
                lesson_problem(p, v->line, "answer: empty (the value a right answer gives)");
            } else {
                q->value = lesson_kv_take(&kv, "answer");
                if (q->value != NULL) {
                    lesson_squeeze(q->value);
                }
            }
        } else {
            for (size_t i = 0; i < q->nchoices; i++) {
                if (strcmp(q->choices[i], v->value) == 0) {
                    q->answer = (int)i;
                    break;
                }
            }
            if (q->answer < 0) {
                char *end;
                long n = strtol(v->value, &end, 10);
                if (v->value[0] != '\0' && *end == '\0' && n >= 1 && (size_t)n <= q->nchoices) {
                    q->answer = (int)(n - 1);
                } else {
                    lesson_problem(p, v->line,
                                   "answer: '%s' is neither the text of a choice nor a number "
                                   "1..%zu",
                                   v->value, q->nchoices);
                }
            }
        }
    }
    q->id = lesson_kv_take(&kv, "id");
    q->prompt = lesson_kv_take(&kv, "prompt");
    q->explain = lesson_kv_take(&kv, "explain");
    lesson_kv_fini(&kv);
}

/* ------------------------------------------------------------------ */
/* blocks                                                              */
/* ------------------------------------------------------------------ */

/* The first word of a fenced block's info string, in buf. */
static const char *lesson_info_word(cmark_node *node, char *buf, size_t len)
{
    const char *info = cmark_node_get_fence_info(node);
    size_t n;
    if (info == NULL) {
        info = "";
    }
    while (*info == ' ') {
        info++;
    }
    n = strcspn(info, " \t");
    if (n >= len) {
        n = len - 1;
    }
    memcpy(buf, info, n);
    buf[n] = '\0';
    return buf;
}

/*
 * An interleave-scenario NAME block: the scenario is parsed and made known
 * as "ID/NAME" (scn_demo_register), so the lesson's run and challenge
 * blocks can name it as demo: NAME.  A parse error is a problem at its
 * own line of the file.
 */
static void lesson_add_scenario(LessonParser *p, cmark_node *node)
{
    unsigned line = (unsigned)cmark_node_get_start_line(node);
    const char *info = cmark_node_get_fence_info(node);
    const char *lit = cmark_node_get_literal(node);
    char name[64], full[160];
    size_t n;
    IlError err;
    ScnDemo *d;

    info = info != NULL ? info + strspn(info, " ") : "";
    info += strcspn(info, " \t");
    info += strspn(info, " \t");
    n = strcspn(info, " \t\r\n");
    if (n == 0 || n >= sizeof(name) ||
        strspn(info, "abcdefghijklmnopqrstuvwxyz"
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") < n) {
        lesson_problem(p, line,
                       "interleave-scenario needs a name after it (```interleave-scenario flags), "
                       "of letters, digits, '-' and '_'");
        return;
    }
    memcpy(name, info, n);
    name[n] = '\0';
    d = scn_demo_parse(lit != NULL ? lit : "", lit != NULL ? strlen(lit) : 0, p->path,
                       (int)line + 1, &err);
    if (d == NULL) {
        /* "path:L:C: what": the problem is at line L, column C */
        size_t plen = strlen(p->path);
        const char *m = err.msg;
        unsigned l = line, col = 0;
        if (strncmp(m, p->path, plen) == 0 && m[plen] == ':') {
            char *end;
            l = (unsigned)strtoul(m + plen + 1, &end, 10);
            if (*end == ':') {
                col = (unsigned)strtoul(end + 1, &end, 10);
            }
            m = strncmp(end, ": ", 2) == 0 ? end + 2 : err.msg;
        }
        if (col > 0) {
            lesson_problem(p, l, "scenario %s, column %u: %s", name, col, m);
        } else {
            lesson_problem(p, l, "scenario %s: %s", name, m);
        }
        return;
    }
    {
        /* what its params size or start, with their defaults, can run (a
         * run block may set others: lint checks each) */
        int64_t params[DEMO_MAX_PARAMS];
        char why[IL_ERROR_MSG_MAX];
        size_t plen = strlen(p->path);
        demo_params_default(scn_demo_class(d), params);
        if (demo_check_params(scn_demo_class(d), params, why, sizeof(why)) < 0) {
            /* "path:L: what" */
            const char *m = why;
            unsigned l = line;
            if (strncmp(m, p->path, plen) == 0 && m[plen] == ':') {
                char *end;
                l = (unsigned)strtoul(m + plen + 1, &end, 10);
                m = strncmp(end, ": ", 2) == 0 ? end + 2 : why;
            }
            lesson_problem(p, l, "scenario %s: %s (the default params)", name, m);
        }
    }
    snprintf(full, sizeof(full), "%s/%s", p->lesson->id != NULL ? p->lesson->id : "lesson", name);
    if (scn_demo_register(d, full) == NULL) {
        p->oom = true;
    }
}

static void lesson_add_run(LessonParser *p, LessonPageBuild *pb, cmark_node *node,
                           const char *first)
{
    LessonPage *page = pb->page;
    LessonRun *run = lesson_grow(p, (void **)&page->runs, &page->nruns, sizeof(*run));
    if (run == NULL) {
        return;
    }
    lesson_run_parse(p, node, run);
    strbuf_addf(&pb->text, "%s[run %zu] %s\n", first, page->nruns,
                run->label != NULL ? run->label : "");
    pb->has_content = true;
}

static void lesson_challenge_problem(void *ctx, unsigned line, const char *msg)
{
    lesson_problem(ctx, line, "%s", msg);
}

static void lesson_add_challenge(LessonParser *p, LessonPageBuild *pb, cmark_node *node,
                                 const char *first)
{
    LessonPage *page = pb->page;
    unsigned line = (unsigned)cmark_node_get_start_line(node);
    LessonChallenge *ch;

    ch = lesson_grow(p, (void **)&page->challenges, &page->nchallenges, sizeof(*ch));
    if (ch == NULL) {
        return;
    }
    if (challenge_parse_scoped(cmark_node_get_literal(node), line + 1, line, p->lesson->demo,
                               p->lesson->id, lesson_challenge_problem, p, ch) < 0) {
        p->oom = true;
        page->nchallenges--;
        return;
    }
    for (size_t pg = 0; ch->id != NULL && pg < p->lesson->npages; pg++) {
        const LessonPage *o = &p->lesson->pages[pg];
        for (size_t i = 0; i < o->nquestions; i++) {
            if (o->questions[i].id != NULL && strcmp(o->questions[i].id, ch->id) == 0) {
                lesson_problem(p, ch->id_line, "id: '%s' is used twice (first at line %u)", ch->id,
                               o->questions[i].line);
            }
        }
        for (size_t i = 0; i < o->nchallenges; i++) {
            const LessonChallenge *c = &o->challenges[i];
            if (c != ch && c->id != NULL && strcmp(c->id, ch->id) == 0) {
                lesson_problem(p, ch->id_line, "id: '%s' is used twice (first at line %u)", ch->id,
                               c->line);
            }
        }
    }
    strbuf_addf(&pb->text, "%s[challenge %zu] %s\n", first, page->nchallenges,
                ch->goal != NULL ? ch->goal : "");
    pb->has_content = true;
}

static void lesson_add_question(LessonParser *p, LessonPageBuild *pb, cmark_node *node,
                                const char *first)
{
    LessonPage *page = pb->page;
    LessonQuestion *q = lesson_grow(p, (void **)&page->questions, &page->nquestions, sizeof(*q));
    if (q == NULL) {
        return;
    }
    lesson_question_parse(p, node, q);
    strbuf_addf(&pb->text, "%s[question %zu] %s\n", first, page->nquestions,
                q->prompt != NULL ? q->prompt : "");
    pb->has_content = true;
}

/* Render one block into the page (runs and questions are recorded too). */
static void lesson_block(LessonParser *p, LessonPageBuild *pb, cmark_node *node, const char *first,
                         const char *rest)
{
    char buf[64];
    size_t flen = strlen(first), rlen = strlen(rest);
    char *f2, *r2;

    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH:
    case CMARK_NODE_HEADING: {
        StrBuf t;
        strbuf_init(&t);
        lesson_render_inlines(node, &t);
        if (t.failed) {
            p->oom = true;
        } else {
            lesson_emit_lines(&pb->text, strbuf_str(&t), first, rest);
        }
        strbuf_fini(&t);
        break;
    }
    case CMARK_NODE_CODE_BLOCK: {
        const char *word = lesson_info_word(node, buf, sizeof(buf));
        const char *lit = cmark_node_get_literal(node);
        if (strcmp(word, LESSON_RUN_INFO) == 0) {
            lesson_add_run(p, pb, node, first);
            return;
        }
        if (strcmp(word, "question") == 0 || strcmp(word, "interleave-question") == 0) {
            lesson_add_question(p, pb, node, first);
            return;
        }
        if (strcmp(word, LESSON_CHALLENGE_INFO) == 0) {
            lesson_add_challenge(p, pb, node, first);
            return;
        }
        if (strcmp(word, LESSON_SCENARIO_INFO) == 0) {
            lesson_add_scenario(p, node); /* and shown as code, below */
        } else if (strncmp(word, "interleave-", 11) == 0) {
            lesson_problem(p, (unsigned)cmark_node_get_start_line(node),
                           "unknown block '%s' (known: interleave-run, question, "
                           "interleave-challenge, interleave-scenario)",
                           word);
        }
        if (lit == NULL || *lit == '\0') {
            break;
        }
        /* code: kept line by line, indented so it stands apart */
        f2 = malloc(flen + 5);
        r2 = malloc(rlen + 5);
        if (f2 == NULL || r2 == NULL) {
            p->oom = true;
        } else {
            snprintf(f2, flen + 5, "%s    ", first);
            snprintf(r2, rlen + 5, "%s    ", rest);
            lesson_emit_lines(&pb->text, lit, f2, r2);
        }
        free(f2);
        free(r2);
        break;
    }
    case CMARK_NODE_BLOCK_QUOTE:
        f2 = malloc(flen + 3);
        r2 = malloc(rlen + 3);
        if (f2 == NULL || r2 == NULL) {
            p->oom = true;
        } else {
            snprintf(f2, flen + 3, "%s> ", first);
            snprintf(r2, rlen + 3, "%s> ", rest);
            lesson_blocks(p, pb, node, f2, r2, false);
        }
        free(f2);
        free(r2);
        break;
    case CMARK_NODE_LIST: {
        bool ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
        int n = cmark_node_get_list_start(node);
        bool tight = cmark_node_get_list_tight(node) != 0;
        bool at_first = true;
        for (cmark_node *item = cmark_node_first_child(node); item != NULL;
             item = cmark_node_next(item), n++) {
            char mark[32];
            size_t mlen;
            if (ordered) {
                snprintf(mark, sizeof(mark), "%d. ", n);
            } else {
                snprintf(mark, sizeof(mark), "- ");
            }
            mlen = strlen(mark);
            if (!at_first && !tight) {
                strbuf_add(&pb->text, "\n");
            }
            f2 = malloc((at_first ? flen : rlen) + mlen + 1);
            r2 = malloc(rlen + mlen + 1);
            if (f2 == NULL || r2 == NULL) {
                p->oom = true;
            } else {
                snprintf(f2, (at_first ? flen : rlen) + mlen + 1, "%s%s", at_first ? first : rest,
                         mark);
                snprintf(r2, rlen + mlen + 1, "%s%*s", rest, (int)mlen, "");
                lesson_blocks(p, pb, item, f2, r2, tight);
            }
            free(f2);
            free(r2);
            at_first = false;
        }
        break;
    }
    case CMARK_NODE_THEMATIC_BREAK:
        strbuf_addf(&pb->text, "%s----\n", first);
        break;
    case CMARK_NODE_HTML_BLOCK: {
        const char *lit = cmark_node_get_literal(node);
        if (lit != NULL && strncmp(lit, LESSON_DIRECTIVE, strlen(LESSON_DIRECTIVE)) == 0) {
            lesson_problem(p, (unsigned)cmark_node_get_start_line(node),
                           "the interleave: directive belongs before the title");
        }
        return; /* HTML (comments, mostly) is for the source, not the student */
    }
    default:
        lesson_blocks(p, pb, node, first, rest, false);
        return;
    }
    pb->has_content = true;
}

/* ------------------------------------------------------------------ */
/* the document                                                        */
/* ------------------------------------------------------------------ */

/* <!-- interleave: demo=NAME --> */
static void lesson_directive(LessonParser *p, cmark_node *node)
{
    unsigned line = (unsigned)cmark_node_get_start_line(node);
    const char *lit = cmark_node_get_literal(node);
    const char *s = lit + strlen(LESSON_DIRECTIVE);
    const char *end = strstr(s, "-->");
    char *body;

    if (p->directive_seen) {
        lesson_problem(p, line, "a second interleave: directive (give it once)");
        return;
    }
    p->directive_seen = true;
    if (end == NULL) {
        lesson_problem(p, line, "the interleave: directive is not closed with '-->'");
        return;
    }
    body = lesson_strndup(p, s, (size_t)(end - s));
    if (body == NULL) {
        return;
    }
    for (char *tok = body; *tok != '\0';) {
        size_t len;
        char *eq;
        while (isspace((unsigned char)*tok)) {
            tok++;
        }
        len = strcspn(tok, " \t\r\n");
        if (len == 0) {
            break;
        }
        if (tok[len] != '\0') {
            tok[len++] = '\0';
        }
        eq = strchr(tok, '=');
        if (eq != NULL && strncmp(tok, "demo=", 5) == 0) {
            IlError err;
            const DemoClass *demo = demo_find_scoped(p->lesson->id, eq + 1, &err);
            if (demo == NULL) {
                lesson_problem(p, line, "demo: %s", err.msg);
            } else {
                free(p->lesson->demo);
                p->lesson->demo = lesson_strdup(p, demo->name);
                p->demo_line = line;
            }
        } else if (eq != NULL && strncmp(tok, "order=", 6) == 0) {
            char *endp;
            long v = strtol(eq + 1, &endp, 10);
            if (eq[1] == '\0' || *endp != '\0' || v < 1 || v > 999) {
                lesson_problem(p, line, "order: must be a number in 1..999, got '%s'", eq + 1);
            } else {
                p->lesson->order = (int)v;
            }
        } else {
            lesson_problem(p, line,
                           "interleave: directive: unknown setting '%s' (settings: "
                           "demo=NAME, order=N)",
                           tok);
        }
        tok += len;
    }
    free(body);
}

static void lesson_page_fini(LessonPage *page)
{
    free(page->title);
    free(page->text);
    for (size_t i = 0; i < page->nruns; i++) {
        lesson_run_free(&page->runs[i]);
    }
    free(page->runs);
    for (size_t i = 0; i < page->nquestions; i++) {
        lesson_question_free(&page->questions[i]);
    }
    free(page->questions);
    for (size_t i = 0; i < page->nchallenges; i++) {
        challenge_fini(&page->challenges[i]);
    }
    free(page->challenges);
}

/* Drop the last page (an opening page that held only the summary). */
static void lesson_page_free_last(Lesson *l)
{
    if (l->npages > 0) {
        lesson_page_fini(&l->pages[--l->npages]);
    }
}

/* Finish the page being built: move the text in, check it is not empty. */
static void lesson_page_finish(LessonParser *p, LessonPageBuild *pb, bool check_empty)
{
    char *text;
    size_t len;

    if (pb->page == NULL) {
        return;
    }
    if (pb->text.failed) {
        p->oom = true;
    }
    text = lesson_strdup(p, strbuf_str(&pb->text));
    if (text != NULL) {
        len = strlen(text);
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ')) {
            text[--len] = '\0';
        }
        pb->page->text = text;
    }
    if (text != NULL) {
        /* one blank line between blocks, none at the start */
        char *w = text;
        size_t nl = 2;
        for (const char *r = text; *r != '\0'; r++) {
            if (*r == '\n') {
                if (nl >= 2) {
                    continue;
                }
                nl++;
            } else {
                nl = 0;
            }
            *w++ = *r;
        }
        *w = '\0';
    }
    if (check_empty && !pb->has_content) {
        lesson_problem(p, pb->page->line, "page '%s' is empty (give it text, a run or a question)",
                       pb->page->title != NULL ? pb->page->title : "");
    }
    strbuf_fini(&pb->text);
    pb->page = NULL;
    pb->has_content = false;
}

static LessonPage *lesson_page_new(LessonParser *p, LessonPageBuild *pb, const char *title,
                                   unsigned line)
{
    Lesson *l = p->lesson;
    LessonPage *page = lesson_grow(p, (void **)&l->pages, &l->npages, sizeof(*page));
    if (page == NULL) {
        return NULL;
    }
    page->title = lesson_strdup(p, title);
    page->line = line;
    strbuf_init(&pb->text);
    pb->page = page;
    pb->has_content = false;
    return page;
}

/* Find the demo: of the first interleave-run block that names one, for
 * the blocks that name none (the lesson's main demo when no directive
 * gives it).  A quick look at the raw lines: the block itself is checked
 * when the walk reaches it. */
static void lesson_find_first_run_demo(LessonParser *p, cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    char word[64];

    if (it == NULL) {
        return;
    }
    while (p->first_run_demo[0] == '\0' && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const char *s;
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK ||
            strcmp(lesson_info_word(n, word, sizeof(word)), LESSON_RUN_INFO) != 0) {
            continue;
        }
        s = cmark_node_get_literal(n);
        while (s != NULL && *s != '\0') {
            size_t len = strcspn(s, "\n"), v, e;
            if (len > 5 && strncmp(s, "demo", 4) == 0) {
                v = 4;
                while (v < len && (s[v] == ' ' || s[v] == '\t')) {
                    v++;
                }
                if (v < len && s[v] == ':') {
                    v++;
                    while (v < len && (s[v] == ' ' || s[v] == '\t')) {
                        v++;
                    }
                    e = len;
                    while (e > v && isspace((unsigned char)s[e - 1])) {
                        e--;
                    }
                    if (e > v && e - v < sizeof(p->first_run_demo)) {
                        memcpy(p->first_run_demo, s + v, e - v);
                        p->first_run_demo[e - v] = '\0';
                    }
                    break;
                }
            }
            s += len + (s[len] == '\n' ? 1 : 0);
        }
    }
    cmark_iter_free(it);
}

/* True when doc nests no deeper than LESSON_MAX_DEPTH; else records the
 * problem at the first node too deep.  Walks with cmark's iterator, which
 * keeps no recursion of its own. */
static bool lesson_depth_ok(LessonParser *p, cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    bool ok = true;

    if (it == NULL) {
        p->oom = true;
        return false;
    }
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        int depth = 0;
        if (ev != CMARK_EVENT_ENTER) {
            continue;
        }
        /* count ancestors, never more than the limit and one: bounded work */
        for (cmark_node *a = cmark_node_parent(n); a != NULL && depth <= LESSON_MAX_DEPTH;
             a = cmark_node_parent(a)) {
            depth++;
        }
        if (depth > LESSON_MAX_DEPTH) {
            cmark_node *at = n;
            while (at != NULL && cmark_node_get_start_line(at) == 0) {
                at = cmark_node_parent(at);
            }
            lesson_problem(p, at != NULL ? (unsigned)cmark_node_get_start_line(at) : 0,
                           "nested deeper than %d levels (block quotes, lists, emphasis or "
                           "links inside one another)",
                           LESSON_MAX_DEPTH);
            ok = false;
            break;
        }
    }
    cmark_iter_free(it);
    return ok;
}

static void lesson_walk(LessonParser *p, cmark_node *doc)
{
    Lesson *l = p->lesson;
    LessonPageBuild pb = {{NULL, 0, 0, false}, NULL, false};
    bool in_pages = false;     /* a ## heading was seen */
    bool summary_done = false; /* the block after the title was looked at */
    size_t intro = (size_t)-1; /* index of the opening page, if any */

    for (cmark_node *c = cmark_node_first_child(doc); c != NULL && !p->oom;
         c = cmark_node_next(c)) {
        unsigned line = (unsigned)cmark_node_get_start_line(c);
        cmark_node_type type = cmark_node_get_type(c);
        int level = type == CMARK_NODE_HEADING ? cmark_node_get_heading_level(c) : 0;

        if (type == CMARK_NODE_HTML_BLOCK && l->title == NULL) {
            const char *lit = cmark_node_get_literal(c);
            if (lit != NULL && strncmp(lit, LESSON_DIRECTIVE, strlen(LESSON_DIRECTIVE)) == 0) {
                lesson_directive(p, c);
            }
            continue;
        }
        if (level == 1) {
            if (l->title != NULL) {
                lesson_problem(p, line,
                               "a second '# ' title (the first is at line %u); "
                               "pages start with '## '",
                               p->title_line);
                continue;
            }
            if (in_pages) {
                lesson_problem(p, line, "the '# ' title must come before the first page");
                continue;
            }
            l->title = lesson_inline_line(p, c);
            p->title_line = line;
            if (l->title != NULL && l->title[0] == '\0') {
                lesson_problem(p, line, "the title is empty");
            }
            /* the opening page: text between the title and the first ## */
            if (lesson_page_new(p, &pb, l->title != NULL ? l->title : "", line) != NULL) {
                intro = l->npages - 1;
            }
            continue;
        }
        if (l->title == NULL && !in_pages) {
            if (!p->misplaced_reported) {
                lesson_problem(p, line, "the lesson must open with a '# Title' heading");
                p->misplaced_reported = true;
            }
            if (level != 2) {
                continue;
            }
        }
        if (level == 2) {
            char *title = lesson_inline_line(p, c);
            if (title == NULL) {
                break;
            }
            if (title[0] == '\0') {
                lesson_problem(p, line, "a page heading is empty");
            }
            if (pb.page != NULL && pb.page - l->pages == (ptrdiff_t)intro) {
                /* the opening page stays only when it holds more than the summary */
                bool keep = pb.has_content;
                lesson_page_finish(p, &pb, false);
                if (!keep) {
                    lesson_page_free_last(l);
                }
                intro = (size_t)-1;
            } else {
                lesson_page_finish(p, &pb, true);
            }
            in_pages = true;
            summary_done = true;
            lesson_page_new(p, &pb, title, line);
            free(title);
            continue;
        }
        if (pb.page == NULL) {
            continue;
        }
        if (!summary_done) {
            summary_done = true;
            if (type == CMARK_NODE_PARAGRAPH) {
                l->summary = lesson_inline_line(p, c);
                lesson_block(p, &pb, c, "", "");
                pb.has_content = false; /* the summary alone makes no page */
                continue;
            }
        }
        strbuf_add(&pb.text, "\n");
        lesson_block(p, &pb, c, "", "");
    }
    if (pb.page != NULL) {
        bool is_intro = pb.page - l->pages == (ptrdiff_t)intro;
        bool keep = pb.has_content;
        lesson_page_finish(p, &pb, !is_intro);
        if (is_intro && !keep) {
            lesson_page_free_last(l);
        }
    }
    if (l->demo == NULL) {
        /* no directive: the first run's demo is the lesson's main demo */
        for (size_t i = 0; i < l->npages && l->demo == NULL; i++) {
            for (size_t r = 0; r < l->pages[i].nruns && l->demo == NULL; r++) {
                if (l->pages[i].runs[r].demo != NULL) {
                    l->demo = lesson_strdup(p, l->pages[i].runs[r].demo);
                }
            }
        }
    }
    if (p->oom) {
        return;
    }
    if (l->title == NULL) {
        if (!p->misplaced_reported) {
            /* (text before any title was said at its line: one problem) */
            lesson_problem(p, 1, "no title: the lesson must open with a '# Title' heading");
        }
        return;
    }
    if (l->summary == NULL || l->summary[0] == '\0') {
        lesson_problem(p, p->title_line,
                       "no summary: put a one-paragraph summary right under the title");
    }
    if (l->npages == 0) {
        lesson_problem(p, p->title_line, "no pages: start each page with a '## Heading'");
    }
}

/* ------------------------------------------------------------------ */
/* files                                                               */
/* ------------------------------------------------------------------ */

void lesson_free(Lesson *lesson)
{
    if (lesson == NULL) {
        return;
    }
    free(lesson->id);
    free(lesson->path);
    free(lesson->title);
    free(lesson->summary);
    free(lesson->demo);
    for (size_t i = 0; i < lesson->npages; i++) {
        lesson_page_fini(&lesson->pages[i]);
    }
    free(lesson->pages);
    free(lesson);
}

/* The lesson id: the file name without directory and extension. */
static char *lesson_id_from_path(LessonParser *p, const char *path)
{
    const char *base = strrchr(path, '/');
    const char *dot;
    base = base != NULL ? base + 1 : path;
    dot = strrchr(base, '.');
    return lesson_strndup(p, base,
                          dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base));
}

/*
 * Parse the file at path.  Problems go to p (report and first).  Returns the
 * lesson (possibly with problems) or NULL when the file cannot be read or
 * memory ran out; *code is 0, a negative errno, or -ENOMEM.
 */
/* Parse len bytes of text (a lesson file's contents) named path. */
static Lesson *lesson_parse_text(LessonParser *p, const char *path, const char *text, size_t len,
                                 int *code)
{
    cmark_node *doc;
    Lesson *l;

    *code = 0;
    if (len > LESSON_FILE_MAX) {
        lesson_problem(p, 0, "larger than the %u bytes a lesson file may have", LESSON_FILE_MAX);
        *code = -EFBIG;
        p->first.code = -EFBIG;
        return NULL;
    }
    {
        /* a lesson file is text: a NUL byte is said at its line, as for
         * answers files, schedule files and scripts (CommonMark would turn
         * it into U+FFFD and go on) */
        const char *nul = memchr(text, '\0', len);
        if (nul != NULL) {
            unsigned line = 1;
            for (const char *c = text; c < nul; c++) {
                line += *c == '\n';
            }
            lesson_problem(p, line, "a NUL byte: not a text file");
            *code = -IL_EPARSE;
            return NULL;
        }
    }
    l = calloc(1, sizeof(*l));
    if (l == NULL) {
        *code = -ENOMEM;
        return NULL;
    }
    p->lesson = l;
    l->path = lesson_strdup(p, path);
    l->id = lesson_id_from_path(p, path);
    doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
    if (doc == NULL) {
        p->oom = true;
    } else {
        if (lesson_depth_ok(p, doc)) {
            lesson_find_first_run_demo(p, doc);
            lesson_walk(p, doc);
        }
        cmark_node_free(doc);
    }
    if (p->oom) {
        lesson_free(l);
        p->lesson = NULL;
        *code = -ENOMEM;
        return NULL;
    }
    return l;
}

static Lesson *lesson_parse_file(LessonParser *p, const char *path, int *code)
{
    char *text = NULL;
    size_t len = 0;
    Lesson *l;
    char why[UTIL_WHY_MAX];
    int rc;

    *code = 0;
    /* regular files only, without blocking on a FIFO, and not too large */
    rc = file_read(path, "lesson file", LESSON_FILE_MAX, &text, &len, why, sizeof(why));
    if (rc < 0) {
        const char *msg = why;
        size_t plen = strlen(path);
        *code = rc;
        if (strncmp(msg, path, plen) == 0 && msg[plen] == ':' && msg[plen + 1] == ' ') {
            msg += plen + 2; /* lesson_problem names the file itself */
        }
        lesson_problem(p, 0, "%s", msg);
        p->first.code = rc;
        return NULL;
    }
    l = lesson_parse_text(p, path, text, len, code);
    free(text);
    return l;
}

int lesson_lint_text(const char *name, const char *text, size_t len, StrBuf *out)
{
    LessonParser p;
    Lesson *l;
    int code;

    memset(&p, 0, sizeof(p));
    p.path = name;
    p.report = out;
    l = lesson_parse_text(&p, name, text, len, &code);
    lesson_free(l);
    if (code == -ENOMEM && p.nproblems == 0) {
        lesson_problem(&p, 0, "out of memory");
    }
    return p.nproblems;
}

Lesson *lesson_load(const char *path, IlError *err)
{
    LessonParser p;
    Lesson *l;
    int code;

    memset(&p, 0, sizeof(p));
    p.path = path;
    l = lesson_parse_file(&p, path, &code);
    if (code == -ENOMEM) {
        il_error_set(err, -ENOMEM, "%s: out of memory", path);
        return NULL;
    }
    if (p.nproblems > 0) {
        if (err != NULL) {
            *err = p.first;
        }
        lesson_free(l);
        return NULL;
    }
    return l;
}

int lesson_lint(const char *path, StrBuf *out)
{
    LessonParser p;
    Lesson *l;
    int code;

    memset(&p, 0, sizeof(p));
    p.path = path;
    p.report = out;
    l = lesson_parse_file(&p, path, &code);
    lesson_free(l);
    if (code == -ENOMEM && p.nproblems == 0) {
        lesson_problem(&p, 0, "out of memory");
    }
    return p.nproblems;
}

const char *lesson_dir(void)
{
    const char *env = getenv("INTERLEAVE_LESSON_DIR");
    struct stat st;

    if (env != NULL && *env != '\0') {
        return env;
    }
#ifdef INTERLEAVE_SRCDIR
    if (buildtree_pick(INTERLEAVE_SRCDIR "/lessons", NULL) != NULL) {
        return INTERLEAVE_SRCDIR "/lessons"; /* run from a checkout's build tree */
    }
#endif
    if (stat(INTERLEAVE_LESSON_DIR, &st) == 0 && S_ISDIR(st.st_mode)) {
        return INTERLEAVE_LESSON_DIR;
    }
    return "lessons";
}

static int lesson_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool lesson_is_md(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 3 && strcmp(name + n - 3, ".md") == 0;
}

/* Course order: numbered lessons first by number, then the rest by id. */
static int lesson_order_cmp(const void *a, const void *b)
{
    const Lesson *x = *(Lesson *const *)a, *y = *(Lesson *const *)b;
    int ox = x->order > 0 ? x->order : 1000, oy = y->order > 0 ? y->order : 1000;
    if (ox != oy) {
        return ox < oy ? -1 : 1;
    }
    return strcmp(x->id, y->id);
}

int lesson_list(const char *dir, Lesson ***out, size_t *n, StrBuf *problems, IlError *err)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t nnames = 0, cap = 0;
    Lesson **list = NULL;
    size_t nlist = 0;
    int rc = 0;

    *out = NULL;
    *n = 0;
    if (d == NULL) {
        rc = -errno;
        return il_error_set(err, rc, "%s: %s", dir, strerror(-rc));
    }
    while ((de = readdir(d)) != NULL) {
        size_t len;
        if (!lesson_is_md(de->d_name)) {
            continue;
        }
        {
            char **nn = vec_grow(names, &cap, nnames + 1, sizeof(*nn));
            if (nn == NULL) {
                rc = -ENOMEM;
                break;
            }
            names = nn;
        }
        len = strlen(dir) + 1 + strlen(de->d_name) + 1;
        names[nnames] = malloc(len);
        if (names[nnames] == NULL) {
            rc = -ENOMEM;
            break;
        }
        snprintf(names[nnames], len, "%s/%s", dir, de->d_name);
        nnames++;
    }
    closedir(d);
    if (rc == 0 && nnames > 0) {
        qsort(names, nnames, sizeof(*names), lesson_name_cmp);
        list = calloc(nnames, sizeof(*list));
        if (list == NULL) {
            rc = -ENOMEM;
        }
    }
    for (size_t i = 0; rc == 0 && i < nnames; i++) {
        IlError e;
        Lesson *l = lesson_load(names[i], &e);
        if (l != NULL) {
            list[nlist++] = l;
        } else if (e.code == -ENOMEM) {
            rc = -ENOMEM;
        } else if (problems != NULL) {
            strbuf_addf(problems, "%s\n", e.msg);
        }
    }
    for (size_t i = 0; i < nnames; i++) {
        free(names[i]);
    }
    free(names);
    if (rc < 0) {
        lesson_list_free(list, nlist);
        return il_error_set(err, rc, "%s: %s", dir, strerror(-rc));
    }
    if (nlist > 1) {
        qsort(list, nlist, sizeof(*list), lesson_order_cmp);
    }
    *out = list;
    *n = nlist;
    return 0;
}

void lesson_list_free(Lesson **list, size_t n)
{
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        lesson_free(list[i]);
    }
    free(list);
}
