/*
 * grade_cli.c - `interleave grade --answers FILE`: grade an answers file.
 *
 * The answers file (interleave-answers(5)) is read first; a file that is
 * not a well-formed answers file is a usage error, reported as one
 * "file:line: message" line per problem on stderr and exit status 2,
 * before anything runs; one that cannot be read (missing, a directory,
 * a FIFO: util/file.h) is one "interleave: FILE: why" line.  Then the
 * lessons of the lesson path are loaded (lesson/lessonpath.h: --lessons
 * DIR first, as for `list` and the TUI), the lessons to grade chosen (--lesson, else the [LESSON]s
 * of the file), every question and challenge graded (grade_answers()), and the report written in
 * the chosen format to stdout or --output FILE.
 *
 * With --format gradescope, an answers file that cannot be read still
 * gives a results.json (score 0, the problems as its output), because
 * that file is all a Gradescope student sees; the exit status stays 2.
 *
 * Exit status: 0 everything passed, 1 something failed (a wrong or
 * missing answer, an unknown id, a challenge not reached), 2 usage,
 * 70 when a challenge could not be checked at all (its run did not start:
 * out of memory, no processes left) -- the report still says which --,
 * 74 when the report could not be written (cli_finish says why).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "grade/grade.h"
#include "lesson/answers.h"
#include "lesson/lesson.h"
#include "lesson/lessonpath.h"
#include "util/file.h"
#include "util/strbuf.h"

#define CLI_GRADE_MAX_LESSONS 64

static void cli_grade_usage(FILE *f)
{
    fprintf(f, "usage: interleave grade --answers FILE [--lesson NAME ...] [--lessons DIR ...]\n"
               "                        [--format text|json|tap|junit|gradescope] [--output FILE]\n"
               "                        [--timeout SECS] [--visibility V] [--explore]\n"
               "grade an answers file (format: interleave-answers(5)) against the lessons.\n"
               "  --answers FILE   the answers ('-' = standard input)\n"
               "  --lesson NAME    grade this lesson (repeatable; default: the [LESSON]s of FILE)\n"
               "  --lessons DIR    read lessons from DIR too, before $INTERLEAVE_LESSON_PATH and\n"
               "                   the built-in ones (repeatable; an instructor's own lessons)\n"
               "  --format F       output format (default text):\n");
    for (const GradeFormat *g = grade_formats; g->name != NULL; g++) {
        fprintf(f, "                     %-11s %s\n", g->name, g->help);
    }
    fprintf(f,
            "  --output FILE    write the report to FILE (default: standard output)\n"
            "  --timeout SECS   stop a challenge's replay after SECS (default %.0f)\n"
            "  --visibility V   gradescope: visible, hidden, after_due_date or after_published\n"
            "  --explore        a missed challenge: say how many steps the shortest schedule\n"
            "                   the explorer finds takes (not the schedule)\n"
            "exit status: 0 all passed, 1 some failed, 2 usage, 70 a challenge could not run,\n"
            "             74 the report could not be written\n",
            GRADE_DEFAULT_TIMEOUT);
}

/* Read all of standard input (at most ANSWERS_FILE_MAX bytes). */
static char *cli_grade_read_stdin(size_t *len, int *err)
{
    size_t cap = 4096, at = 0;
    char *buf = malloc(cap);
    if (buf == NULL) {
        *err = ENOMEM;
        return NULL;
    }
    for (;;) {
        ssize_t n;
        if (at == cap) {
            char *grown;
            if (cap > ANSWERS_FILE_MAX) {
                free(buf);
                *err = EFBIG;
                return NULL;
            }
            grown = realloc(buf, cap * 2);
            if (grown == NULL) {
                free(buf);
                *err = ENOMEM;
                return NULL;
            }
            buf = grown;
            cap *= 2;
        }
        n = read(0, buf + at, cap - at);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            *err = errno;
            free(buf);
            return NULL;
        }
        if (n == 0) {
            break;
        }
        at += (size_t)n;
    }
    if (at > ANSWERS_FILE_MAX) {
        free(buf);
        *err = EFBIG;
        return NULL;
    }
    *len = at;
    return buf;
}

/*
 * Write text to path.  A new or regular file is written through a
 * temporary file and rename(2), so a reader (Gradescope's harness) never
 * sees half a report.  Anything else that exists (a device such as
 * /dev/stdout or /dev/full, a FIFO) is written in place, as a shell's >
 * would: renaming over it would replace the device node.  A FIFO with no
 * reader is refused at once (-ENXIO), never waited on.  Returns 0 or
 * -errno.
 */
static int cli_grade_write_file(const char *path, const char *text)
{
    struct stat st;
    size_t n = strlen(path) + 32;
    char *tmp;
    int fd, rc = 0;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        return -EISDIR;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        int flags;
        fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            return -errno;
        }
        flags = fcntl(fd, F_GETFL);
        if (flags >= 0) {
            (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        }
        rc = file_write_all(fd, text, strlen(text));
        if (close(fd) < 0 && rc == 0) {
            rc = -errno;
        }
        return rc;
    }
    tmp = malloc(n);
    if (tmp == NULL) {
        return -ENOMEM;
    }
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = -errno;
        free(tmp);
        return rc;
    }
    rc = file_write_all(fd, text, strlen(text));
    if (close(fd) < 0 && rc == 0) {
        rc = -errno;
    }
    if (rc == 0 && rename(tmp, path) < 0) {
        rc = -errno;
    }
    if (rc < 0) {
        (void)unlink(tmp);
    }
    free(tmp);
    return rc;
}

/* A bad option: one line, exit 2 (arg: the word given; else the short
 * option optopt_c). */
static int cli_grade_bad_option(const char *arg, int optopt_c, const char *why)
{
    if (arg != NULL) {
        fprintf(stderr, "interleave: grade: %s '%s' (try 'interleave grade --help')\n", why, arg);
    } else {
        fprintf(stderr, "interleave: grade: %s '-%c' (try 'interleave grade --help')\n", why,
                optopt_c);
    }
    return EXIT_USAGE;
}

static const Lesson *cli_grade_find(Lesson **all, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(all[i]->id, name) == 0) {
            return all[i];
        }
    }
    return NULL;
}

int cli_grade(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"answers", required_argument, NULL, 'a'}, {"lesson", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},  {"output", required_argument, NULL, 'o'},
        {"timeout", required_argument, NULL, 't'}, {"visibility", required_argument, NULL, 'v'},
        {"lessons", required_argument, NULL, 'L'}, {"help", no_argument, NULL, 'h'},
        {"explore", no_argument, NULL, 'x'},       {NULL, 0, NULL, 0},
    };
    const char *dirs[CLI_MAX_LESSON_DIRS];
    size_t ndirs = 0;
    const char *answers_path = NULL, *output = NULL, *visibility = "visible";
    const char *wanted[CLI_GRADE_MAX_LESSONS];
    size_t nwanted = 0;
    const GradeFormat *format = grade_format_find("text");
    GradeOptions opt = {0, NULL, 0, false};
    Answers *answers;
    Lesson **all = NULL, *chosen[CLI_GRADE_MAX_LESSONS];
    const char **known = NULL;
    size_t nall = 0, nchosen = 0;
    StrBuf problems, out, where;
    GradeReport report;
    IlError err;
    int c, code, rc;

    optind = 1;
    opterr = 0; /* our own one-line messages, not getopt's */
    while ((c = getopt_long(argc, argv, ":a:l:L:f:o:t:v:hx", longopts, NULL)) != -1) {
        switch (c) {
        case 'a':
            answers_path = optarg;
            break;
        case 'L':
            if (cli_lessons_dir("grade", optarg, dirs, &ndirs) != EXIT_OK) {
                return EXIT_USAGE;
            }
            break;
        case 'l':
            if (nwanted >= CLI_GRADE_MAX_LESSONS) {
                fprintf(stderr, "interleave: --lesson: at most %d lessons\n",
                        CLI_GRADE_MAX_LESSONS);
                return EXIT_USAGE;
            }
            wanted[nwanted++] = optarg;
            break;
        case 'f':
            format = grade_format_find(optarg);
            if (format == NULL) {
                fprintf(stderr,
                        "interleave: --format: must be text, json, tap, junit or gradescope, got "
                        "'%s'\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case 'o':
            output = optarg;
            break;
        case 't': {
            char *end;
            opt.timeout_s = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(opt.timeout_s > 0) || opt.timeout_s > 3600) {
                fprintf(stderr, "interleave: --timeout: must be seconds in (0, 3600], got '%s'\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'x':
            opt.explore = true;
            break;
        case 'v': {
            bool ok = false;
            for (size_t i = 0; grade_visibilities[i] != NULL; i++) {
                ok = ok || strcmp(grade_visibilities[i], optarg) == 0;
            }
            if (!ok) {
                fprintf(stderr,
                        "interleave: --visibility: must be visible, hidden, after_due_date or "
                        "after_published, got '%s'\n",
                        optarg);
                return EXIT_USAGE;
            }
            visibility = optarg;
            break;
        }
        case 'h':
            cli_grade_usage(stdout);
            return EXIT_OK;
        case ':':
            return cli_grade_bad_option(argv[optind - 1], optopt, "this option needs a value:");
        default:
            return cli_grade_bad_option(optopt == 0 ? argv[optind - 1] : NULL, optopt,
                                        "unrecognized option");
        }
    }
    if (optind < argc) {
        fprintf(stderr,
                "interleave: grade: unexpected argument '%s' (try 'interleave grade --help')\n",
                argv[optind]);
        return EXIT_USAGE;
    }
    if (answers_path == NULL) {
        fprintf(stderr, "interleave: grade: --answers FILE is required (try 'interleave grade "
                        "--help')\n");
        return EXIT_USAGE;
    }

    /* the answers: a broken file stops here, every problem on its own line */
    strbuf_init(&problems);
    if (strcmp(answers_path, "-") == 0) {
        size_t len = 0;
        int e = 0;
        char *text = cli_grade_read_stdin(&len, &e);
        if (text == NULL) {
            if (e == EFBIG) {
                fprintf(stderr,
                        "interleave: standard input: larger than the %u bytes an answers file "
                        "may have\n",
                        ANSWERS_FILE_MAX);
            } else {
                fprintf(stderr, "interleave: standard input: %s\n", strerror(e));
            }
            strbuf_fini(&problems);
            return e == ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
        }
        answers = answers_parse(text, len, "(stdin)", &problems, &rc);
        free(text);
    } else {
        answers = answers_load(answers_path, &problems, &rc);
    }
    if (answers == NULL) {
        int nlines = 0;
        for (const char *p = strbuf_str(&problems); *p != '\0'; p++) {
            nlines += *p == '\n';
        }
        if (rc == -IL_EPARSE) {
            fputs(strbuf_str(&problems), stderr); /* "file:line: what", one per problem */
        } else if (rc != -ENOMEM) {
            /* the file could not be read: one line, "interleave: FILE: why" */
            fprintf(stderr, "interleave: %s", strbuf_str(&problems));
        }
        if (rc == -IL_EPARSE) {
            fprintf(stderr, "interleave: grade: %d problem%s in the answers file\n", nlines,
                    nlines == 1 ? "" : "s");
        } else if (rc == -ENOMEM) {
            fprintf(stderr, "interleave: grade: out of memory\n");
        }
        if (rc != -ENOMEM && strcmp(format->name, "gradescope") == 0) {
            /* Gradescope shows the student only results.json: say it there */
            strbuf_init(&out);
            grade_gradescope_error(&out, strbuf_str(&problems), visibility);
            if (output != NULL) {
                (void)cli_grade_write_file(output, strbuf_str(&out));
            } else {
                fputs(strbuf_str(&out), stdout);
            }
            strbuf_fini(&out);
        }
        strbuf_fini(&problems);
        return rc == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }

    /* the lessons: every one there is on the lesson path (--lessons first),
     * and those to grade */
    strbuf_init(&where);
    {
        LessonPath lp;
        int lrc = lessonpath_init(&lp, dirs, ndirs);
        if (lrc == 0) {
            lessonpath_describe(&lp, &where);
            lrc = lessonpath_load(&lp, &all, &nall, &problems, &err);
            lessonpath_fini(&lp);
        } else {
            il_error_set(&err, lrc, "out of memory");
        }
        if (lrc < 0) {
            fprintf(stderr, "interleave: lessons: %s\n", err.msg);
            answers_free(answers);
            strbuf_fini(&problems);
            strbuf_fini(&where);
            return EXIT_INTERNAL;
        }
    }
    cli_problems(strbuf_str(&problems)); /* lesson files that do not load */
    strbuf_fini(&problems);
    for (size_t i = 0; i < nwanted; i++) {
        const Lesson *l = cli_grade_find(all, nall, wanted[i]);
        bool dup = false;
        if (l == NULL) {
            fprintf(stderr, "interleave: --lesson: no lesson '%s' in %s (see 'interleave list')\n",
                    wanted[i], strbuf_str(&where));
            answers_free(answers);
            lesson_list_free(all, nall);
            strbuf_fini(&where);
            return EXIT_USAGE;
        }
        for (size_t j = 0; j < nchosen; j++) {
            dup = dup || chosen[j] == l;
        }
        if (!dup) {
            chosen[nchosen++] = (Lesson *)l;
        }
    }
    strbuf_fini(&where);
    if (nwanted == 0) {
        for (size_t i = 0; i < answers->nlessons && nchosen < CLI_GRADE_MAX_LESSONS; i++) {
            const Lesson *l = cli_grade_find(all, nall, answers->lessons[i]);
            if (l != NULL) {
                chosen[nchosen++] = (Lesson *)l;
            }
        }
        if (answers->nlessons == 0) {
            fprintf(stderr,
                    "interleave: grade: %s answers no lesson (no [LESSON] line) and no "
                    "--lesson was given: nothing to grade\n",
                    answers->path);
            answers_free(answers);
            lesson_list_free(all, nall);
            return EXIT_USAGE;
        }
    }
    known = calloc(nall + 1, sizeof(*known));
    if (known == NULL) {
        fprintf(stderr, "interleave: grade: out of memory\n");
        answers_free(answers);
        lesson_list_free(all, nall);
        return EXIT_INTERNAL;
    }
    for (size_t i = 0; i < nall; i++) {
        known[i] = all[i]->id;
    }
    opt.known = known;
    opt.nknown = nall;

    rc = grade_answers(answers, chosen, nchosen, &opt, &report);
    free(known);
    answers_free(answers);
    lesson_list_free(all, nall);
    if (rc < 0) {
        fprintf(stderr, "interleave: grade: out of memory\n");
        return EXIT_INTERNAL;
    }

    strbuf_init(&out);
    format->write(&out, &report, visibility);
    if (out.failed) {
        fprintf(stderr, "interleave: grade: out of memory\n");
        strbuf_fini(&out);
        grade_report_fini(&report);
        return EXIT_INTERNAL;
    }
    code = report.internal > 0 ? EXIT_INTERNAL
                               : (report.passed == report.n ? EXIT_OK : EXIT_CHECK_FAILED);
    if (output != NULL) {
        rc = cli_grade_write_file(output, strbuf_str(&out));
        if (rc < 0) {
            /* a path that cannot be a report is a usage error; a write that
             * failed (a full disk) lost the report: exit 74, as for stdout */
            fprintf(stderr, "interleave: --output %s: %s\n", output, strerror(-rc));
            code = rc == -ENOENT || rc == -EACCES || rc == -EISDIR || rc == -ENOTDIR ||
                           rc == -ENXIO || rc == -EROFS
                       ? EXIT_USAGE
                       : (rc == -ENOMEM ? EXIT_INTERNAL : EXIT_WRITE_FAILED);
        }
    } else {
        /* a failed write is remembered with its errno: cli_finish() says
         * it ("No space left on device") and exits 74, as for run */
        (void)cli_write_stdout(strbuf_str(&out));
    }
    if (report.internal > 0) {
        fprintf(stderr, "interleave: grade: %d challenge%s could not be checked (see the report)\n",
                report.internal, report.internal == 1 ? "" : "s");
    }
    strbuf_fini(&out);
    grade_report_fini(&report);
    return code;
}
