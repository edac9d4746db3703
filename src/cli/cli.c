/*
 * cli.c - `interleave run` and `interleave list` (demos, then lessons).
 *
 * Every error is one line on stderr: "interleave: WHAT: WHY", followed by
 * an exit code from cli.h.  Results go to stdout.
 */
#include "config.h"

#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/run.h"
#include "core/schedule.h"
#include "demos/demo.h"
#include "export/chrome.h"
#include "export/csv.h"
#include "export/report.h"
#include "lesson/lesson.h"

#define CLI_DEFAULT_TIMEOUT 120.0

static int cli_error(int code, const char *fmt, const char *what)
{
    fprintf(stderr, "interleave: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n");
    return code;
}

static void cli_print_buf(FILE *f, StrBuf *b)
{
    fputs(strbuf_str(b), f);
    fflush(f);
    strbuf_fini(b);
}

static int cli_exit_for_verdict(int verdict)
{
    switch (verdict) {
    case VERDICT_COMPLETED:
        return EXIT_OK;
    case VERDICT_DEADLOCK:
    case VERDICT_HANG: /* no lane could move, like a deadlock: see cli.h */
        return EXIT_DEADLOCK;
    case VERDICT_LIVELOCK:
    case VERDICT_INVARIANT:
        return EXIT_CHECK_FAILED; /* a failed verdict, see cli.h */
    case VERDICT_BAD_SCHEDULE:
        return EXIT_BAD_SCHEDULE;
    case VERDICT_TIMEOUT:
    case VERDICT_CRASHED:
    case VERDICT_KILLED:
        return EXIT_RUN_FAILED;
    default:
        return EXIT_INTERNAL;
    }
}

/* Read a whole schedule file; '#' starts a comment to the end of a line.
 * Returns a malloc'd string or NULL with errno set. */
static char *cli_read_schedule_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[4096];
    StrBuf b;

    if (f == NULL) {
        return NULL;
    }
    strbuf_init(&b);
    while (fgets(line, sizeof(line), f) != NULL) {
        char *hash = strchr(line, '#');
        if (hash != NULL) {
            *hash = '\0';
        }
        strbuf_add(&b, line);
        strbuf_add(&b, " ");
    }
    fclose(f);
    if (b.failed) {
        strbuf_fini(&b);
        errno = ENOMEM;
        return NULL;
    }
    return b.s != NULL ? b.s : strdup("");
}

static void cli_run_usage(FILE *f)
{
    fprintf(f, "usage: interleave run DEMO [key=value ...] [--mode free|step|replay]\n"
               "                      [--schedule S | --schedule-file FILE]\n"
               "                      [--format text|json|chrome|csv]\n"
               "                      [--timeout SECS] [--pace-us N] [--no-trace] [--width N]\n");
}

/* --format values besides text (0) and json (1): streamed exports. */
enum { CLI_FORMAT_CHROME = 2, CLI_FORMAT_CSV = 3 };

/* The exports' sink: standard output, as the bytes come. */
static int cli_sink_file(void *ctx, const char *buf, size_t len)
{
    if (fwrite(buf, 1, len, ctx) != len) {
        return errno != 0 ? -errno : -EIO;
    }
    return 0;
}

typedef struct CliRunOpts {
    int mode; /* -1 = not given */
    const char *schedule;
    const char *schedule_file;
    int json; /* 0 text, 1 json, CLI_FORMAT_CHROME, CLI_FORMAT_CSV */
    double timeout;
    long pace_us;
    int tracing;
    int width;
} CliRunOpts;

/* Wait until stdin has input, keeping the run polled so its timeout holds
 * while nobody types.  Returns false when the run ended meanwhile. */
static bool cli_wait_input(Run *run)
{
    for (;;) {
        struct pollfd pfd = {0, POLLIN, 0};
        if (run_poll(run, 0)) {
            return false;
        }
        if (poll(&pfd, 1, 20) != 0) {
            return true; /* input, end of file, or an error fgets will see */
        }
    }
}

/* Interactive step mode: tokens from stdin, a state report after each line. */
static int cli_step_loop(Run *run, int json)
{
    char line[4096];
    int refused = 0;
    bool tty = isatty(0);
    FILE *out = json ? stderr : stdout;
    StrBuf b;

    strbuf_init(&b);
    report_state(&b, run);
    cli_print_buf(out, &b);
    while (!run_done(run)) {
        Schedule line_sched;
        IlError err;
        int rc = 0;

        if (tty) {
            fprintf(stderr, "step> ");
        }
        if (!cli_wait_input(run) || fgets(line, sizeof(line), stdin) == NULL) {
            break;
        }
        if (schedule_parse(line, run_nlanes(run), &line_sched, &err) < 0) {
            fprintf(out, "error: %s\n", err.msg);
            refused++;
            continue;
        }
        for (size_t i = 0; i < line_sched.n && rc >= 0; i++) {
            char tok[16];
            SchedToken t = line_sched.tok[i];
            t.pos = (uint32_t)(run_schedule(run)->n + 1);
            schedule_token_format(&t, tok);
            rc = run_send(run, &t, &err);
            if (rc == RUN_SEND_REFUSED) {
                fprintf(out, "error: %s\n", err.msg);
                refused++;
            } else if (rc == RUN_SEND_DEADLOCK) {
                fprintf(out, "deadlock: %s\n", err.msg);
                rc = -1;
            } else if (rc == RUN_SEND_FINISHED) {
                fprintf(out, "all lanes finished\n");
                rc = -1;
            } else if (rc < 0) {
                fprintf(out, "error: %s\n", err.msg);
            }
        }
        schedule_fini(&line_sched);
        if (!run_done(run)) {
            report_state(&b, run);
            cli_print_buf(out, &b);
        }
        if (rc < 0) {
            break;
        }
    }
    if (!run_done(run)) {
        (void)run_send_end(run);
    }
    return refused;
}

int cli_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"mode", required_argument, NULL, 'm'},
        {"schedule", required_argument, NULL, 's'},
        {"schedule-file", required_argument, NULL, 'S'},
        {"format", required_argument, NULL, 'f'},
        {"timeout", required_argument, NULL, 't'},
        {"pace-us", required_argument, NULL, 'p'},
        {"no-trace", no_argument, NULL, 'n'},
        {"width", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    CliRunOpts o = {-1, NULL, NULL, 0, CLI_DEFAULT_TIMEOUT, 0, 1, 80};
    const DemoClass *demo;
    RunConfig cfg;
    Schedule sched = {NULL, 0, 0};
    char *file_text = NULL;
    IlError err;
    Run *run;
    StrBuf b;
    int c, code, refused = 0;
    const char *pos[DEMO_MAX_PARAMS + 2];
    int npos = 0;

    optind = 1;
    /* a leading '-' in optstring returns positional arguments in order as 1 */
    while ((c = getopt_long(argc, argv, "-m:s:S:f:t:p:nw:h", longopts, NULL)) != -1) {
        switch (c) {
        case 1:
            if (npos >= (int)ARRAY_SIZE(pos)) {
                return cli_error(EXIT_USAGE, "%s: too many parameters", optarg);
            }
            pos[npos++] = optarg;
            break;
        case 'm':
            o.mode = sched_mode_parse(optarg);
            if (o.mode < 0) {
                return cli_error(EXIT_USAGE, "--mode: must be free, step or replay, got '%s'",
                                 optarg);
            }
            break;
        case 's':
            o.schedule = optarg;
            break;
        case 'S':
            o.schedule_file = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0) {
                o.json = 1;
            } else if (strcmp(optarg, "text") == 0) {
                o.json = 0;
            } else if (strcmp(optarg, "chrome") == 0) {
                o.json = CLI_FORMAT_CHROME;
            } else if (strcmp(optarg, "csv") == 0) {
                o.json = CLI_FORMAT_CSV;
            } else {
                return cli_error(EXIT_USAGE,
                                 "--format: must be text, json, chrome or csv, got '%s'", optarg);
            }
            break;
        case 't': {
            char *end;
            o.timeout = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(o.timeout >= 0) || o.timeout > 86400) {
                return cli_error(EXIT_USAGE,
                                 "--timeout: must be seconds in 0..86400 (0 = none), got '%s'",
                                 optarg);
            }
            break;
        }
        case 'p': {
            char *end;
            o.pace_us = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || o.pace_us < 0 || o.pace_us > 10000000) {
                return cli_error(EXIT_USAGE, "--pace-us: must be 0..10000000, got '%s'", optarg);
            }
            break;
        }
        case 'n':
            o.tracing = 0;
            break;
        case 'w': {
            char *end;
            long w = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || w < 20 || w > 1000) {
                return cli_error(EXIT_USAGE, "--width: must be 20..1000, got '%s'", optarg);
            }
            o.width = (int)w;
            break;
        }
        case 'h':
            cli_run_usage(stdout);
            return EXIT_OK;
        default:
            cli_run_usage(stderr);
            return EXIT_USAGE;
        }
    }
    {
        if (npos == 0) {
            cli_run_usage(stderr);
            return EXIT_USAGE;
        }
        demo = demo_find(pos[0], &err);
        if (demo == NULL) {
            return cli_error(EXIT_USAGE, "%s", err.msg);
        }
        run_config_init(&cfg, demo);
        for (int i = 1; i < npos; i++) {
            if (demo_param_set(demo, pos[i], cfg.params, &err) < 0) {
                return cli_error(EXIT_USAGE, "%s", err.msg);
            }
        }
    }
    if (o.schedule != NULL && o.schedule_file != NULL) {
        return cli_error(EXIT_USAGE, "%s", "give --schedule or --schedule-file, not both");
    }
    if (o.schedule_file != NULL) {
        file_text = cli_read_schedule_file(o.schedule_file);
        if (file_text == NULL) {
            fprintf(stderr, "interleave: %s: %s\n", o.schedule_file, strerror(errno));
            return EXIT_USAGE;
        }
        o.schedule = file_text;
    }
    if (o.mode < 0) {
        o.mode = o.schedule != NULL ? SCHED_REPLAY : SCHED_FREE;
    }
    if (o.mode == SCHED_FREE && o.schedule != NULL) {
        free(file_text);
        return cli_error(EXIT_USAGE, "%s", "a schedule needs --mode replay or step");
    }
    if (o.mode != SCHED_FREE && o.pace_us > 0) {
        free(file_text);
        return cli_error(EXIT_USAGE, "%s", "--pace-us applies to free runs only");
    }
    if (o.schedule != NULL) {
        if (schedule_parse(o.schedule, demo->lanes(cfg.params), &sched, &err) < 0) {
            fprintf(stderr, "interleave: bad schedule%s%s: %s\n",
                    o.schedule_file != NULL ? " in " : "",
                    o.schedule_file != NULL ? o.schedule_file : "", err.msg);
            free(file_text);
            return EXIT_BAD_SCHEDULE;
        }
    }
    free(file_text);
    cfg.mode = (SchedMode)o.mode;
    cfg.schedule = &sched;
    cfg.interactive = o.mode == SCHED_STEP;
    cfg.tracing = o.tracing != 0;
    cfg.pace_us = (uint32_t)o.pace_us;
    cfg.timeout_s = o.timeout;

    run = run_start(&cfg, &err);
    schedule_fini(&sched);
    if (run == NULL) {
        return cli_error(EXIT_INTERNAL, "%s", err.msg);
    }
    if (cfg.interactive) {
        refused = cli_step_loop(run, o.json);
    }
    run_wait(run);
    strbuf_init(&b);
    if (o.json == CLI_FORMAT_CHROME || o.json == CLI_FORMAT_CSV) {
        int wrc = o.json == CLI_FORMAT_CHROME ? chrome_write(run, cli_sink_file, stdout)
                                              : csv_write(run, cli_sink_file, stdout);
        if (wrc < 0) {
            fprintf(stderr, "interleave: writing the %s output: %s\n",
                    o.json == CLI_FORMAT_CHROME ? "chrome" : "csv", strerror(-wrc));
        }
    } else if (o.json) {
        report_json(&b, run);
    } else {
        report_text(&b, run, o.width);
    }
    cli_print_buf(stdout, &b);
    code = cli_exit_for_verdict(run_verdict(run));
    if (run_verdict(run) == VERDICT_BAD_SCHEDULE || run_verdict(run) == VERDICT_DEADLOCK ||
        run_verdict(run) == VERDICT_HANG || run_verdict(run) == VERDICT_INVARIANT ||
        run_verdict(run) == VERDICT_TIMEOUT || run_verdict(run) == VERDICT_CRASHED) {
        fprintf(stderr, "interleave: %s: %s\n", verdict_name(run_verdict(run)), run_message(run));
    }
    if (code == EXIT_OK && refused > 0) {
        code = EXIT_BAD_SCHEDULE;
    }
    run_free(run);
    return code;
}

/* The lessons in lesson_dir(), with their titles and summaries. */
static void cli_list_lessons(void)
{
    const char *dir = lesson_dir();
    Lesson **lessons;
    size_t n;
    StrBuf problems;
    IlError err;

    strbuf_init(&problems);
    printf("\nlessons (%s):\n", dir);
    if (lesson_list(dir, &lessons, &n, &problems, &err) < 0) {
        printf("  (none: %s)\n", err.msg);
        strbuf_fini(&problems);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        printf("  %-14s %s\n", lessons[i]->id, lessons[i]->title);
        printf("  %-14s %s\n", "", lessons[i]->summary);
    }
    if (n == 0) {
        printf("  (none)\n");
    }
    lesson_list_free(lessons, n);
    fflush(stdout);
    /* files that do not load: say so, as `interleave lint` would */
    fputs(strbuf_str(&problems), stderr);
    strbuf_fini(&problems);
}

int cli_list(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("demos:\n");
    for (size_t i = 0; i < demo_count(); i++) {
        const DemoClass *d = demo_at(i);
        printf("  %-14s %s\n", d->name, d->summary);
        for (unsigned p = 0; p < d->nparams; p++) {
            char range[256], def[64];
            demo_param_range(&d->params[p], range, sizeof(range));
            demo_param_format(&d->params[p], d->params[p].def, def, sizeof(def));
            printf("      %-12s %-28s default %-8s %s\n", d->params[p].name, range, def,
                   d->params[p].help);
            for (int64_t v = 0; d->params[p].variants != NULL && v <= d->params[p].max; v++) {
                const DemoVariant *dv = &d->params[p].variants[v];
                printf("        %-12s %s%s\n", dv->name, dv->broken ? "BROKEN ON PURPOSE: " : "",
                       dv->help);
            }
        }
        if (d->nresults > 0) {
            printf("      results:\n");
        }
        for (unsigned r = 0; r < d->nresults; r++) {
            printf("        %-12s %-6s %s\n", d->results[r].name,
                   demo_unit_name(d->results[r].unit, false), d->results[r].help);
        }
    }
    cli_list_lessons();
    return EXIT_OK;
}
