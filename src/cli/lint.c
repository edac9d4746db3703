/*
 * lint.c - `interleave lint FILE...`: check lesson files.
 *
 * Each problem is one line on stdout, "file:line: message", the form
 * editors and CI logs link to; a file that cannot be read is
 * "file: reason".  The checks themselves are lesson_lint() in the library,
 * the same pass that loads lessons for the TUI, so a file that lints clean
 * loads.  Exit status: 0 every file is clean, 1 some file has problems,
 * 2 usage.
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
