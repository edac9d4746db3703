/*
 * lint.c - `interleave lint FILE...`: check lesson files.
 *
 * Each problem is one line on stdout, "file:line: message", the form
 * editors and CI logs link to; a file that cannot be read is
 * "file: reason".  The checks themselves are lesson_lint() in the library,
 * the same pass that loads lessons for the TUI, so a file that lints clean
 * loads.  A clean file then has the solution of each of its challenges
 * replayed (challenge_lint_solution()): a solution that does not reach its
 * goal is a problem at the solution: line.  Exit status: 0 every file is clean, 1 some file has
 * problems, 2 usage.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/strbuf.h"
#include "lesson/lesson.h"

static void cli_lint_usage(FILE *f)
{
    fprintf(f, "usage: interleave lint FILE...\n"
               "check lesson files (format: interleave-lesson(5)); problems are printed as\n"
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
        }
    }
    lesson_free(l);
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
        fprintf(stderr, "interleave: lint: unknown option '%s'\n", argv[1]);
        cli_lint_usage(stderr);
        return EXIT_USAGE;
    }
    if (argc <= first) {
        cli_lint_usage(stderr);
        return EXIT_USAGE;
    }
    for (int i = first; i < argc; i++) {
        int n;
        strbuf_init(&out);
        n = lesson_lint(argv[i], &out);
        if (n == 0) {
            n = cli_lint_solutions(argv[i], &out);
        }
        fputs(strbuf_str(&out), stdout);
        if (out.failed) {
            printf("%s: out of memory (report incomplete)\n", argv[i]);
        }
        strbuf_fini(&out);
        if (n > 0) {
            bad_files++;
            problems += n;
        }
    }
    fflush(stdout);
    if (bad_files > 0) {
        fprintf(stderr, "interleave: lint: %d problem%s in %d of %d file%s\n", problems,
                problems == 1 ? "" : "s", bad_files, argc - first, argc - first == 1 ? "" : "s");
        return EXIT_CHECK_FAILED;
    }
    return EXIT_OK;
}
