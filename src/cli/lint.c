/*
 * lint.c - `interleave lint FILE...`: check lesson files.
 *
 * Each problem is one line on stdout, "file:line: message", the form
 * editors and CI logs link to; a file that cannot be read is
 * "file: reason".  The checks themselves are lesson_lint() in the library,
 * the same pass that loads lessons for the TUI, so a file that lints clean
 * loads.  A clean file then has the solution of each of its challenges
 * replayed (challenge_lint_solution()): a solution that does not reach its
 * goal is a problem at the solution: line.  Each run block with a schedule
 * is dry-run too (replayed to its end, as the TUI would when the student
 * presses g): a schedule the scheduler would refuse is a problem at the
 * block's line, so it shows here and not in front of a class.
 *
 * A file's messages come in line order; a last line on stderr sums up
 * ("interleave: lint: 3 files, 2 problems in 1 of them" or
 * "interleave: lint: 3 files, clean"; interleave(1) quotes them).
 * Exit status: 0 every file is clean, 1 some file has problems, 2 usage.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/run.h"
#include "core/schedule.h"
#include "demos/demo.h"
#include "lesson/lesson.h"
#include "scenario/scn_demo.h"
#include "util/strbuf.h"

#define LINT_REPLAY_TIMEOUT_S 60.0 /* one run block's dry run, at most */

static void cli_lint_usage(FILE *f)
{
    fprintf(f, "usage: interleave lint FILE...\n"
               "check lesson files (interleave-lesson(5)) and scenario files, FILE.scn\n"
               "(interleave-scenario(5)); problems are printed as\n"
               "file:line: message.  Exit status 0 clean, 1 problems, 2 usage.\n");
}

/* A clean file: replay the solution of every challenge, and count the
 * ones that do not reach their goal (one "file:line: solution: ..." each). */
static int cli_lint_solutions(const char *path, StrBuf *out)
{
    IlError err;
    Lesson *l = lesson_load(path, &err);
    int n = 0;

    if (l == NULL) {
        strbuf_addf(out, "%s\n", err.msg);
        return 1;
    }
    for (size_t pg = 0; pg < l->npages; pg++) {
        for (size_t c = 0; c < l->pages[pg].nchallenges; c++) {
            n += challenge_lint_solution(&l->pages[pg].challenges[c], path, out);
            n += challenge_lint_reachable(&l->pages[pg].challenges[c], path, out);
        }
    }
    lesson_free(l);
    return n;
}

/* Run block r of a clean file (its demo and each parameter already
 * checked): its parameters together must make a run that can start (a
 * scenario's lane copies, sizes and counts: demo_check_params), and its
 * schedule is dry-run: replayed, a refused token reported.  Returns the
 * problems found (0 or 1). */
static int cli_lint_run_block(const LessonRun *r, const char *path, StrBuf *out)
{
    const DemoClass *demo;
    RunConfig cfg;
    Schedule sched;
    IlError err;
    Run *run;
    char why[IL_ERROR_MSG_MAX];
    int n = 0;

    if ((demo = demo_find(r->demo, &err)) == NULL) {
        return 0;
    }
    run_config_init(&cfg, demo);
    if (demo_params_parse(demo, (const char *const *)r->params, r->nparams, cfg.params, &err) < 0) {
        strbuf_addf(out, "%s:%u: run block '%s': %s\n", path, r->line, r->label, err.msg);
        return 1;
    }
    if (demo_check_params(demo, cfg.params, why, sizeof(why)) < 0) {
        strbuf_addf(out, "%s:%u: run block '%s': cannot start: %s\n", path, r->line, r->label, why);
        return 1;
    }
    if (r->schedule == NULL) {
        return 0;
    }
    if (schedule_parse(r->schedule, demo_lanes(demo, cfg.params), &sched, &err) < 0) {
        strbuf_addf(out, "%s:%u: run block '%s': %s\n", path, r->line, r->label, err.msg);
        return 1;
    }
    cfg.mode = SCHED_REPLAY;
    cfg.schedule = &sched;
    cfg.timeout_s = LINT_REPLAY_TIMEOUT_S;
    run = run_start(&cfg, &err);
    schedule_fini(&sched);
    if (run == NULL) {
        strbuf_addf(out, "%s:%u: run block '%s': cannot dry-run it: %s\n", path, r->line, r->label,
                    err.msg);
        return 1;
    }
    if (run_wait(run) == VERDICT_BAD_SCHEDULE) {
        strbuf_addf(out, "%s:%u: run block '%s': the schedule would be refused: %s\n", path,
                    r->line, r->label, run_message(run));
        n = 1;
    }
    run_free(run);
    return n;
}

static int cli_lint_run_blocks(const char *path, StrBuf *out)
{
    IlError err;
    Lesson *l = lesson_load(path, &err);
    int n = 0;

    if (l == NULL) {
        return 0; /* lesson_lint() said why */
    }
    for (size_t pg = 0; pg < l->npages; pg++) {
        for (size_t k = 0; k < l->pages[pg].nruns; k++) {
            n += cli_lint_run_block(&l->pages[pg].runs[k], path, out);
        }
    }
    lesson_free(l);
    return n;
}

/* The line number of a "file:line: ..." message, 0 for "file: ...". */
static unsigned long cli_lint_line_of(const char *msg, size_t plen)
{
    if (strncmp(msg + plen, ":", 1) != 0) {
        return 0;
    }
    return strtoul(msg + plen + 1, NULL, 10);
}

typedef struct LintMsg {
    unsigned long line;
    size_t seq;
    const char *text;
    size_t len;
} LintMsg;

static int cli_lint_msg_cmp(const void *a, const void *b)
{
    const LintMsg *x = a, *y = b;
    if (x->line != y->line) {
        return x->line < y->line ? -1 : 1;
    }
    return x->seq < y->seq ? -1 : (x->seq > y->seq ? 1 : 0);
}

/* Print the messages of one file (lines of text) in line order. */
static void cli_lint_print(const char *path, const char *text)
{
    size_t n = 0, plen = strlen(path);
    LintMsg *msgs;
    StrBuf sorted;
    const char *p;

    for (p = text; *p != '\0'; p += strcspn(p, "\n"), p += *p == '\n') {
        n++;
    }
    msgs = calloc(n > 0 ? n : 1, sizeof(*msgs));
    if (msgs == NULL) {
        (void)cli_write_stdout(text); /* unsorted, but all of it */
        return;
    }
    n = 0;
    for (p = text; *p != '\0';) {
        size_t len = strcspn(p, "\n");
        bool mine = strncmp(p, path, plen) == 0;
        msgs[n] = (LintMsg){mine ? cli_lint_line_of(p, plen) : 0, n, p, len};
        n++;
        p += len;
        p += *p == '\n';
    }
    qsort(msgs, n, sizeof(*msgs), cli_lint_msg_cmp);
    strbuf_init(&sorted);
    for (size_t i = 0; i < n; i++) {
        strbuf_addf(&sorted, "%.*s\n", (int)msgs[i].len, msgs[i].text);
    }
    /* through cli_write_stdout: a failed write is said with its errno
     * (cli_finish), not as a lost one */
    (void)cli_write_stdout(sorted.failed ? text : strbuf_str(&sorted));
    strbuf_fini(&sorted);
    free(msgs);
}

/* A scenario file (interleave-scenario(5)): it parses, and its lanes
 * with the default params can run (demo_check_params).  Returns the problems. */
static int cli_lint_scenario(const char *path, StrBuf *out)
{
    IlError err;
    ScnDemo *d = scn_demo_load(path, &err);
    const DemoClass *cls;
    int64_t params[DEMO_MAX_PARAMS];
    char why[IL_ERROR_MSG_MAX];
    int n = 0;

    if (d == NULL) {
        strbuf_addf(out, "%s\n", err.msg);
        return 1;
    }
    cls = scn_demo_class(d);
    demo_params_default(cls, params);
    if (demo_check_params(cls, params, why, sizeof(why)) < 0) {
        strbuf_addf(out, "%s (the default params)\n", why);
        n = 1;
    }
    scn_demo_free(d);
    return n;
}

int cli_lint(int argc, char **argv)
{
    int first = 1, bad_files = 0, problems = 0;
    StrBuf out;

    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        cli_lint_usage(stdout);
        return EXIT_OK;
    }
    if (argc > 1 && strcmp(argv[1], "--") == 0) {
        first = 2;
    } else if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0') {
        fprintf(stderr, "interleave: lint: unknown option '%s' (try 'interleave lint --help')\n",
                argv[1]);
        return EXIT_USAGE;
    }
    if (argc <= first) {
        fprintf(stderr, "interleave: lint: which files? (interleave lint FILE...)\n");
        return EXIT_USAGE;
    }
    for (int i = first; i < argc; i++) {
        int n;
        strbuf_init(&out);
        if (scn_is_path(argv[i])) {
            n = cli_lint_scenario(argv[i], &out);
        } else {
            n = lesson_lint(argv[i], &out);
        }
        if (n == 0 && !scn_is_path(argv[i])) {
            n = cli_lint_solutions(argv[i], &out);
            n += cli_lint_run_blocks(argv[i], &out);
        }
        cli_lint_print(argv[i], strbuf_str(&out));
        if (out.failed) {
            char oom[320];
            snprintf(oom, sizeof(oom), "%.280s: out of memory (report incomplete)\n", argv[i]);
            (void)cli_write_stdout(oom);
        }
        strbuf_fini(&out);
        if (n > 0) {
            bad_files++;
            problems += n;
        }
    }
    if (bad_files > 0) {
        fprintf(stderr, "interleave: lint: %d file%s, %d problem%s in %d of them\n", argc - first,
                argc - first == 1 ? "" : "s", problems, problems == 1 ? "" : "s", bad_files);
        return EXIT_CHECK_FAILED;
    }
    fprintf(stderr, "interleave: lint: %d file%s, clean\n", argc - first,
            argc - first == 1 ? "" : "s");
    return EXIT_OK;
}
