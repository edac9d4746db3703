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
#include "core/schedfile.h"
#include "core/schedule.h"
#include "demos/demo.h"
#include "export/chrome.h"
#include "export/csv.h"
#include "export/report.h"
#include "lesson/lesson.h"
#include "scenario/scn_demo.h"
#include "lesson/lessonpath.h"
#include "util/num.h"
#include "util/vec.h"

#define CLI_DEFAULT_TIMEOUT 120.0
#define CLI_LONG_REPLAY 200000 /* steps: a replay this long gets a warning */

static int cli_error(int code, const char *fmt, const char *what)
{
    fprintf(stderr, "interleave: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n");
    return code;
}

/* The errno of the first failed write to stdout, 0 = none (cli_finish). */
static int cli_write_errno;

/* Copy b to f and empty b; a failed write is remembered for cli_finish(). */
static void cli_print_buf(FILE *f, StrBuf *b)
{
    errno = 0;
    if (fputs(strbuf_str(b), f) == EOF || fflush(f) == EOF) {
        if (f == stdout && cli_write_errno == 0) {
            cli_write_errno = errno != 0 ? errno : EIO;
        }
    }
    strbuf_fini(b);
}

bool cli_write_stdout(const char *text)
{
    errno = 0;
    if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
        if (cli_write_errno == 0) {
            cli_write_errno = errno != 0 ? errno : EIO;
        }
        return false;
    }
    return true;
}

int cli_finish(int code, bool stdout_closed)
{
    errno = 0;
    if (fflush(stdout) == EOF || ferror(stdout)) {
        if (cli_write_errno == 0) {
            cli_write_errno = errno != 0 ? errno : EIO;
        }
    }
    if (cli_write_errno != 0) {
        /* a closed fd 1 was given /dev/full at start (main.c): say what it was */
        fprintf(stderr, "interleave: cannot write the output: standard output: %s\n",
                stdout_closed ? "it is closed" : strerror(cli_write_errno));
        return EXIT_WRITE_FAILED;
    }
    return code;
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

/* The options of `interleave run`: getopt's table, --help and the usage
 * text of `interleave --help` all come from here. */
typedef struct CliRunOption {
    const char *name; /* long name, without "--" */
    int key;          /* getopt value */
    const char *arg;  /* argument in the usage, NULL = takes none */
    const char *help; /* lines separated by '\n' */
} CliRunOption;

static const CliRunOption cli_run_options[] = {
    {"mode", 'm', "free|step|replay",
     "free: real concurrency; step: grants from stdin;\n"
     "replay: grants from the schedule (implied by --schedule)"},
    {"schedule", 's', "S",
     "lanes A, B, ...: 'A' one step, 'A3' three, 'A*' until\n"
     "it blocks or finishes; then round-robin"},
    {"schedule-file", 'S', "FILE",
     "read the schedule from FILE ('#' starts a comment; its\n"
     "demo: and params: lines apply unless given here)"},
    {"format", 'f', "text|json|chrome|csv",
     "output format (default text): chrome is a trace for\n"
     "Perfetto or chrome://tracing, csv one row per event"},
    {"timeout", 't', "SECS", "kill the run after SECS (default 120, 0 = never)"},
    {"pace-us", 'p', "N", "free mode: pause N microseconds at every step"},
    {"no-trace", 'n', NULL, "do not record events"},
    {"width", 'w', "N", "timeline width in columns (default 80)"},
    {"help", 'h', NULL, "show this help"},
};

void cli_run_options_print(FILE *f)
{
    for (size_t i = 0; i < ARRAY_SIZE(cli_run_options); i++) {
        const CliRunOption *o = &cli_run_options[i];
        const char *h = o->help;
        char syn[48];
        bool first = true;

        snprintf(syn, sizeof(syn), "--%s%s%s", o->name, o->arg != NULL ? " " : "",
                 o->arg != NULL ? o->arg : "");
        while (*h != '\0' || first) {
            size_t n = strcspn(h, "\n");
            fprintf(f, "  %-24s %.*s\n", first ? syn : "", (int)n, h);
            h += n + (h[n] == '\n' ? 1 : 0);
            first = false;
        }
    }
}

static void cli_run_usage(FILE *f)
{
    fprintf(f, "usage: interleave run DEMO [key=value ...] [--mode free|step|replay]\n"
               "                      [--schedule S | --schedule-file FILE]\n"
               "                      [--format text|json|chrome|csv]\n"
               "                      [--timeout SECS] [--pace-us N] [--no-trace] [--width N]\n"
               "       interleave run --schedule-file FILE [key=value ...] [options]\n"
               "run a demo headless and print its results.\n\noptions:\n");
    cli_run_options_print(f);
    fprintf(f, "\nexit status: 0 ok, 1 check failed, 2 usage, 3 bad schedule, 4 deadlock,\n"
               "             5 run timed out or crashed, 70 internal error,\n"
               "             74 the output could not be written\n");
}

/* --format values besides text (0) and json (1): streamed exports. */
enum { CLI_FORMAT_CHROME = 2, CLI_FORMAT_CSV = 3 };

/* A streamed export passing this many bytes says so, once, on stderr:
 * a long run's trace grows without bound (a 64-lane run with ten million
 * iterations wrote 1.8 GB), and the user may not expect it. */
#define CLI_EXPORT_NOTICE_BYTES ((uint64_t)100 << 20)

/* The exports' sink: standard output, as the bytes come. */
typedef struct CliSink {
    FILE *f;
    uint64_t bytes; /* written so far */
    bool said;      /* the notice was given */
} CliSink;

static int cli_sink_file(void *ctx, const char *buf, size_t len)
{
    CliSink *sink = ctx;

    if (fwrite(buf, 1, len, sink->f) != len) {
        return errno != 0 ? -errno : -EIO;
    }
    sink->bytes += len;
    if (!sink->said && sink->bytes >= CLI_EXPORT_NOTICE_BYTES) {
        sink->said = true;
        fprintf(stderr, "interleave: the export is past 100 MB and goes on; fewer lanes or "
                        "iterations make it smaller\n");
    }
    return 0;
}

typedef struct CliRunOpts {
    int mode; /* -1 = not given */
    const char *schedule;
    const char *schedule_file;
    int json; /* 0 text, 1 json, CLI_FORMAT_CHROME, CLI_FORMAT_CSV */
    double timeout;
    int64_t pace_us;
    int tracing;
    int width;
} CliRunOpts;

/* Standard input, read in whatever pieces arrive, cut into lines of any
 * length (no fixed buffer: a token is never split). */
typedef struct CliLineReader {
    char *buf;
    size_t len, cap;
    size_t taken; /* bytes of buf handed out so far */
    bool eof;
    unsigned lineno; /* lines handed out */
} CliLineReader;

/* Hand out the next whole line (without its '\n') in *line (borrowed until
 * the next call); at end of input, the last unterminated piece.  Returns 1
 * for a line, 0 when nothing is left, -errno on a read error or when out
 * of memory.  Polls the run while waiting, so its timeout holds while
 * nobody types; returns 0 when the run ended meanwhile. */
static int cli_next_line(CliLineReader *r, Run *run, char **line, size_t *len)
{
    for (;;) {
        /* the unread input is buf[taken .. len) */
        char *nl = r->len > r->taken ? memchr(r->buf + r->taken, '\n', r->len - r->taken) : NULL;
        struct pollfd pfd = {0, POLLIN, 0};
        char *p;
        ssize_t got;

        if (nl != NULL || (r->eof && r->len > r->taken)) {
            char *start = r->buf + r->taken;
            size_t n = nl != NULL ? (size_t)(nl - start) : r->len - r->taken;
            p = vec_grow(r->buf, &r->cap, r->len + 1, 1);
            if (p == NULL) {
                return -ENOMEM;
            }
            r->buf = p;
            start = r->buf + r->taken;
            start[n] = '\0'; /* over the '\n', or after the last byte */
            *line = start;
            *len = n;
            r->taken += nl != NULL ? n + 1 : n;
            r->lineno++;
            return 1;
        }
        if (r->eof) {
            return 0;
        }
        if (run_poll(run, 0)) {
            return 0;
        }
        if (poll(&pfd, 1, 20) == 0) {
            continue;
        }
        if (r->taken > 0) {
            /* keep only the unread part before reading more: each byte
             * moves at most once per read, not once per line */
            memmove(r->buf, r->buf + r->taken, r->len - r->taken);
            r->len -= r->taken;
            r->taken = 0;
        }
        p = vec_grow(r->buf, &r->cap, r->len + 65536, 1);
        if (p == NULL) {
            return -ENOMEM;
        }
        r->buf = p;
        got = read(0, r->buf + r->len, r->cap - r->len);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (got < 0) {
            return -errno;
        }
        if (got == 0) {
            r->eof = true; /* end of input; a closed stdin reads as /dev/null (main.c) */
        }
        r->len += (size_t)got;
    }
}

/* Step mode: a line that does not parse is refused as a whole.  Say it
 * in one line, numbering the bad token in the run's schedule (taken
 * tokens before it), and count it as the run's refusal (run_refuse). */
static void cli_step_malformed(Run *run, const char *msg)
{
    uint32_t taken = (uint32_t)run_schedule(run)->n;
    unsigned k = 1;
    int at = 0;
    const char *why = msg, *end = NULL;
    char text[40] = ""; /* schedule_parse() quotes at most 20 bytes and "..." */

    /* schedule_parse() says "token K 'TEXT': why" */
    if (sscanf(msg, "token %u '%n", &k, &at) == 1 && at > 0) {
        end = strstr(msg + at, "': ");
    }
    if (end != NULL) {
        snprintf(text, sizeof(text), "%.*s", (int)(end - (msg + at)), msg + at);
        why = end + 3;
    } else {
        k = 1;
    }
    fprintf(stderr, "interleave: token %u '%s': %s\n", taken + k, text, why);
    run_refuse(run, taken + k, text, why);
}

/*
 * Interactive step mode: tokens from stdin, a state report after each
 * line.  A token that cannot be taken is one "interleave: token N ..."
 * line on stderr and the run goes on; it counts (RunConfig.refusal_fails):
 * the report's verdict is then bad_schedule, naming the first one.  When
 * the last lane finishes, a token after it on the same line is refused
 * like a token left over in a replayed schedule ("lane A has finished");
 * the lines after it are not read.  Returns the number of refusals.
 */
static int cli_step_loop(Run *run, int json)
{
    CliLineReader in = {NULL, 0, 0, 0, false, 0};
    int refused = 0;
    bool tty = isatty(0), over = false;
    FILE *out = json ? stderr : stdout;
    StrBuf b;

    strbuf_init(&b);
    report_state(&b, run);
    cli_print_buf(out, &b);
    while (!over && !run_done(run)) {
        Schedule line_sched;
        IlError err;
        char *line = NULL;
        size_t len = 0;
        int rc = 0;
        bool finished = false;

        if (tty) {
            fprintf(stderr, "step> ");
        }
        rc = cli_next_line(&in, run, &line, &len);
        if (rc < 0) {
            fprintf(stderr, "interleave: standard input: %s\n", strerror(-rc));
            refused++;
            break;
        }
        if (rc == 0) {
            break;
        }
        if (memchr(line, '\0', len) != NULL) {
            char why[64];
            snprintf(why, sizeof(why), "a NUL byte on line %u: step input is text", in.lineno);
            fprintf(stderr, "interleave: %s\n", why);
            run_refuse(run, (uint32_t)run_schedule(run)->n + 1, "\\0", why);
            refused++;
            continue;
        }
        if (schedule_parse(line, run_nlanes(run), &line_sched, &err) < 0) {
            cli_step_malformed(run, err.msg);
            refused++;
            continue;
        }
        for (size_t i = 0; i < line_sched.n && !over; i++) {
            SchedToken t = line_sched.tok[i];
            t.pos = (uint32_t)(run_schedule(run)->n + 1);
            rc = run_send(run, &t, &err);
            if (rc == RUN_SEND_REFUSED) {
                fprintf(stderr, "interleave: %s\n", err.msg);
                refused++;
                over = finished; /* one token after the end is enough to say */
            } else if (rc == RUN_SEND_DEADLOCK) {
                fprintf(out, "deadlock: %s\n", err.msg);
                over = true;
            } else if (rc == RUN_SEND_FINISHED) {
                fprintf(out, "all lanes finished\n");
                finished = true; /* a token after this one on the line is refused */
            } else if (rc < 0) {
                over = true; /* the run ended (timed out, crashed): its verdict says why */
            }
        }
        schedule_fini(&line_sched);
        over = over || finished;
        if (!run_done(run) && !over) {
            report_state(&b, run);
            cli_print_buf(out, &b);
        }
    }
    free(in.buf);
    if (!run_done(run)) {
        (void)run_send_end(run);
    }
    return refused;
}

/* A usage error about an option: one line, exit 2. */
static int cli_bad_option(const char *arg, int optopt_c, const char *why)
{
    if (arg != NULL) {
        fprintf(stderr, "interleave: run: %s '%s' (try 'interleave run --help')\n", why, arg);
    } else {
        fprintf(stderr, "interleave: run: %s '-%c' (try 'interleave run --help')\n", why, optopt_c);
    }
    return EXIT_USAGE;
}

/* Wait for run to end; with est > 0 (a long replay, stderr a terminal)
 * show a progress line, "step 123456 of about 1.2 M", until it does. */
static void cli_wait_progress(Run *run, uint64_t est)
{
    if (est == 0) {
        run_wait(run);
        return;
    }
    while (!run_poll(run, 250)) {
        fprintf(stderr, "\rstep %llu of about %.1f M ",
                (unsigned long long)arena_step(run_arena(run)), (double)est / 1e6);
        fflush(stderr);
    }
    fprintf(stderr, "\r%40s\r", "");
}

/* Does arg look like a parameter (key=value) rather than a demo name? */
static bool cli_is_param(const char *arg)
{
    return strchr(arg, '=') != NULL;
}

/* `interleave run` with pos, room for argc pointers to the positional
 * arguments: pos belongs to the caller (cli_run), which frees it after
 * this returns, so that every message may still name what is in it; so
 * does *scnp, a scenario file's class. */
static int cli_run_main(int argc, char **argv, const char **pos, ScnDemo **scnp)
{
    struct option longopts[ARRAY_SIZE(cli_run_options) + 1];
    CliRunOpts o = {-1, NULL, NULL, 0, CLI_DEFAULT_TIMEOUT, 0, 1, 80};
    const DemoClass *demo;
    RunConfig cfg;
    Schedule sched = {NULL, 0, 0};
    SchedFile sf;
    bool have_file = false;
    IlError err;
    Run *run;
    StrBuf b;
    int c, code, refused = 0;
    const char **params;
    int npos = 0, first_param = 0;
    uint64_t est;

    for (size_t i = 0; i < ARRAY_SIZE(cli_run_options); i++) {
        longopts[i] =
            (struct option){cli_run_options[i].name,
                            cli_run_options[i].arg != NULL ? required_argument : no_argument, NULL,
                            cli_run_options[i].key};
    }
    longopts[ARRAY_SIZE(cli_run_options)] = (struct option){NULL, 0, NULL, 0};
    optind = 1;
    opterr = 0; /* our own one-line messages, not getopt's */
    /* a leading '-' in optstring returns positional arguments in order as 1 */
    while ((c = getopt_long(argc, argv, "-:m:s:S:f:t:p:nw:h", longopts, NULL)) != -1) {
        switch (c) {
        case 1:
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
        case 't':
            /* plain decimal seconds: not "0x10", "1e3", " 5" (util/num.h) */
            if (!num_parse_decimal(optarg, 86400, &o.timeout)) {
                return cli_error(EXIT_USAGE,
                                 "--timeout: must be seconds in 0..86400 (0 = none), got '%s'",
                                 optarg);
            }
            break;
        case 'p':
            if (!num_parse_i64(optarg, 0, 10000000, &o.pace_us)) {
                return cli_error(EXIT_USAGE, "--pace-us: must be 0..10000000, got '%s'", optarg);
            }
            break;
        case 'n':
            o.tracing = 0;
            break;
        case 'w': {
            int64_t w;
            if (!num_parse_i64(optarg, 20, 1000, &w)) {
                return cli_error(EXIT_USAGE, "--width: must be 20..1000, got '%s'", optarg);
            }
            o.width = (int)w;
            break;
        }
        case 'h':
            cli_run_usage(stdout);
            return EXIT_OK;
        case ':':
            return cli_bad_option(argv[optind - 1], optopt, "this option needs a value:");
        default:
            return cli_bad_option(optopt == 0 ? argv[optind - 1] : NULL, optopt, "unknown option");
        }
    }
    if (o.schedule != NULL && o.schedule_file != NULL) {
        return cli_error(EXIT_USAGE, "%s", "give --schedule or --schedule-file, not both");
    }
    if (o.schedule_file != NULL) {
        char *path = schedfile_resolve(o.schedule_file);
        int rc = path != NULL ? schedfile_read(path, &sf, &err)
                              : il_error_set(&err, -ENOMEM, "out of memory");
        free(path);
        if (rc < 0) {
            return cli_error(rc == -IL_EPARSE ? EXIT_BAD_SCHEDULE : EXIT_USAGE, "%s", err.msg);
        }
        have_file = true;
    }
    /* the demo: the first argument, or the schedule file's demo: line */
    if (npos > 0 && !cli_is_param(pos[0])) {
        first_param = 1;
        demo = scn_demo_find(pos[0], scnp, &err);
    } else if (have_file && sf.demo != NULL) {
        demo = scn_demo_find(sf.demo, scnp, &err);
        if (demo == NULL) {
            IlError e = err;
            il_error_set(&err, e.code, "%s:%u: demo: %s", sf.path, sf.demo_line, e.msg);
        }
    } else {
        if (have_file) {
            schedfile_fini(&sf);
        }
        fprintf(stderr, "interleave: run: which demo? (interleave run DEMO ...; "
                        "'interleave list' shows them)\n");
        return EXIT_USAGE;
    }
    if (demo == NULL) {
        if (have_file) {
            schedfile_fini(&sf);
        }
        return cli_error(EXIT_USAGE, "%s", err.msg);
    }
    run_config_init(&cfg, demo);
    /* the file's parameters (when it is for this demo), then the command
     * line's, which override them; each source gives a parameter once */
    if (have_file && sf.nparams > 0 && (sf.demo == NULL || demo_find(sf.demo, NULL) == demo) &&
        schedfile_apply_params(&sf, demo, cfg.params, &err) < 0) {
        schedfile_fini(&sf);
        return cli_error(EXIT_USAGE, "%s", err.msg);
    }
    params = pos + first_param;
    for (int i = 0; i < npos - first_param; i++) {
        if (!cli_is_param(params[i])) {
            if (have_file) {
                schedfile_fini(&sf);
            }
            return cli_error(EXIT_USAGE,
                             "%s: parameters are key=value (e.g. threads=4), one demo per run",
                             params[i]);
        }
    }
    if (demo_params_parse(demo, params, (size_t)(npos - first_param), cfg.params, &err) < 0) {
        if (have_file) {
            schedfile_fini(&sf);
        }
        return cli_error(EXIT_USAGE, "%s", err.msg);
    }
    {
        char why[IL_ERROR_MSG_MAX];
        if (demo_check_params(demo, cfg.params, why, sizeof(why)) < 0) {
            if (have_file) {
                schedfile_fini(&sf);
            }
            return cli_error(EXIT_USAGE, "%s", why);
        }
    }
    if (o.mode < 0) {
        o.mode = o.schedule != NULL || have_file ? SCHED_REPLAY : SCHED_FREE;
    }
    if (o.mode == SCHED_FREE && (o.schedule != NULL || have_file)) {
        if (have_file) {
            schedfile_fini(&sf);
        }
        return cli_error(EXIT_USAGE, "%s", "a schedule needs --mode replay or step");
    }
    if (o.mode != SCHED_FREE && o.pace_us > 0) {
        if (have_file) {
            schedfile_fini(&sf);
        }
        return cli_error(EXIT_USAGE, "%s", "--pace-us applies to free runs only");
    }
    if (have_file) {
        int rc = schedfile_schedule(&sf, demo_lanes(demo, cfg.params), &sched, &err);
        schedfile_fini(&sf);
        if (rc < 0) {
            fprintf(stderr, "interleave: bad schedule: %s\n", err.msg);
            return rc == -ENOMEM ? EXIT_INTERNAL : EXIT_BAD_SCHEDULE;
        }
    } else if (o.schedule != NULL) {
        int rc = schedule_parse(o.schedule, demo_lanes(demo, cfg.params), &sched, &err);
        if (rc < 0) {
            fprintf(stderr, "interleave: bad schedule: %s\n", err.msg);
            return rc == -ENOMEM ? EXIT_INTERNAL : EXIT_BAD_SCHEDULE;
        }
    }
    cfg.mode = (SchedMode)o.mode;
    cfg.schedule = &sched;
    cfg.interactive = o.mode == SCHED_STEP;
    cfg.refusal_fails = cfg.interactive; /* a refused step is exit 3: the report says so */
    cfg.tracing = o.tracing != 0;
    cfg.pace_us = (uint32_t)o.pace_us;
    cfg.timeout_s = o.timeout;

    est = cfg.mode != SCHED_FREE ? demo_steps_estimate(demo, cfg.params) : 0;
    if (est >= CLI_LONG_REPLAY) {
        /* one step is a hand-off between two threads: a long replay takes
         * a while, so say so before it starts */
        fprintf(stderr,
                "interleave: this replay takes about %.1f M steps (%s after the schedule); "
                "--timeout %g may end it first\n",
                (double)est / 1e6, "round-robin", o.timeout);
    }
    run = run_start(&cfg, &err);
    schedule_fini(&sched);
    if (run == NULL) {
        return cli_error(EXIT_INTERNAL, "%s", err.msg);
    }
    if (cfg.interactive) {
        refused = cli_step_loop(run, o.json);
    }
    cli_wait_progress(run, est >= CLI_LONG_REPLAY && isatty(2) ? est : 0);
    strbuf_init(&b);
    if (o.json == CLI_FORMAT_CHROME || o.json == CLI_FORMAT_CSV) {
        CliSink sink = {stdout, 0, false};
        int wrc = o.json == CLI_FORMAT_CHROME ? chrome_write(run, cli_sink_file, &sink)
                                              : csv_write(run, cli_sink_file, &sink);
        if (wrc < 0 && cli_write_errno == 0) {
            cli_write_errno = -wrc; /* cli_finish says it, once, and exits 74 */
        }
    } else if (o.json) {
        report_json(&b, run);
    } else {
        report_text(&b, run, o.width);
    }
    cli_print_buf(stdout, &b);
    code = cli_exit_for_verdict(run_verdict(run));
    if ((run_verdict(run) == VERDICT_BAD_SCHEDULE && refused == 0) ||
        run_verdict(run) == VERDICT_DEADLOCK || run_verdict(run) == VERDICT_HANG ||
        run_verdict(run) == VERDICT_INVARIANT || run_verdict(run) == VERDICT_TIMEOUT ||
        run_verdict(run) == VERDICT_CRASHED) {
        /* (a step refused in step mode was said when it was refused) */
        fprintf(stderr, "interleave: %s: %s\n", verdict_name(run_verdict(run)), run_message(run));
    }
    if (code == EXIT_OK && refused > 0) {
        code = EXIT_BAD_SCHEDULE;
    }
    run_free(run);
    return code;
}

int cli_run(int argc, char **argv)
{
    const char **pos = calloc((size_t)argc + 1, sizeof(*pos));
    ScnDemo *scn = NULL; /* a scenario file's class: freed after its run */
    int code;

    if (pos == NULL) {
        return cli_error(EXIT_INTERNAL, "%s", "out of memory");
    }
    code = cli_run_main(argc, argv, pos, &scn);
    scn_demo_free(scn);
    free(pos);
    return code;
}

/* The lessons of the lesson path (--lessons dirs first), with their
 * titles, summaries, and where each comes from when it is not built in,
 * into out; the files that do not load into problems. */
static void cli_list_lessons(StrBuf *out, const char *const *dirs, size_t ndirs, StrBuf *problems)
{
    LessonPath lp;
    Lesson **lessons;
    size_t n;
    StrBuf text;
    IlError err;

    strbuf_init(&text);
    if (lessonpath_init(&lp, dirs, ndirs) < 0) {
        strbuf_add(out, "\nlessons: (none: out of memory)\n");
        return;
    }
    lessonpath_describe(&lp, &text);
    strbuf_addf(out, "\nlessons (%s):\n", strbuf_str(&text));
    strbuf_fini(&text);
    if (lessonpath_load(&lp, &lessons, &n, problems, &err) < 0) {
        strbuf_addf(out, "  (none: %s)\n", err.msg);
        lessonpath_fini(&lp);
        return;
    }
    lessonpath_fini(&lp);
    for (size_t i = 0; i < n; i++) {
        strbuf_addf(out, "  %-14s %s\n", lessons[i]->id, lessons[i]->title);
        strbuf_addf(out, "  %-14s %s\n", "", lessons[i]->summary);
        if (lessons[i]->origin != LESSON_BUILTIN) {
            strbuf_init(&text);
            lessonpath_origin(lessons[i], &text);
            strbuf_addf(out, "  %-14s from %s\n", "", strbuf_str(&text));
            strbuf_fini(&text);
        }
    }
    if (n == 0) {
        strbuf_add(out, "  (none)\n");
    }
    lesson_list_free(lessons, n);
}

/* Column widths of a demo's table: its widest entries, at least the usual
 * widths, so that no long value runs into the next column. */
typedef struct CliListWidths {
    int name, range, def, variant, result, unit;
} CliListWidths;

static int cli_max(int a, size_t b)
{
    return (size_t)a > b ? a : (int)b;
}

static CliListWidths cli_list_widths(const DemoClass *d)
{
    CliListWidths w = {12, 28, 8, 12, 12, 6};

    for (unsigned p = 0; p < d->nparams; p++) {
        char range[256], def[64];
        demo_param_range(&d->params[p], range, sizeof(range));
        demo_param_format(&d->params[p], d->params[p].def, def, sizeof(def));
        w.name = cli_max(w.name, strlen(d->params[p].name));
        w.range = cli_max(w.range, strlen(range));
        w.def = cli_max(w.def, strlen(def));
        for (int64_t v = 0; d->params[p].variants != NULL && v <= d->params[p].max; v++) {
            w.variant = cli_max(w.variant, strlen(d->params[p].variants[v].name));
        }
    }
    for (unsigned r = 0; r < d->nresults; r++) {
        w.result = cli_max(w.result, strlen(d->results[r].name));
        w.unit = cli_max(w.unit, strlen(demo_unit_name(d->results[r].unit, false)));
    }
    return w;
}

void cli_problems(const char *text)
{
    while (*text != '\0') {
        size_t n = strcspn(text, "\n");
        fprintf(stderr, "interleave: %.*s\n", (int)n, text);
        text += n;
        text += *text == '\n';
    }
}

int cli_lessons_dir(const char *cmd, const char *dir, const char **dirs, size_t *ndirs)
{
    IlError err;

    if (*ndirs == CLI_MAX_LESSON_DIRS) {
        fprintf(stderr, "interleave: %s%s--lessons: at most %d directories\n",
                cmd != NULL ? cmd : "", cmd != NULL ? ": " : "", CLI_MAX_LESSON_DIRS);
        return EXIT_USAGE;
    }
    if (lessonpath_check_dir(dir, &err) < 0) {
        fprintf(stderr, "interleave: %s%s--lessons: %s\n", cmd != NULL ? cmd : "",
                cmd != NULL ? ": " : "", err.msg);
        return EXIT_USAGE;
    }
    dirs[(*ndirs)++] = dir;
    return EXIT_OK;
}

int cli_list(int argc, char **argv)
{
    const char *dirs[CLI_MAX_LESSON_DIRS];
    size_t ndirs = 0;
    StrBuf out, problems;

    /* argv[0] is "list"; the rest: --lessons DIR ... */
    for (int i = 1; i < argc; i++) {
        const char *val = NULL;
        if (strncmp(argv[i], "--lessons=", 10) == 0) {
            val = argv[i] + 10;
        } else if (strcmp(argv[i], "--lessons") == 0 && i + 1 < argc) {
            val = argv[++i];
        } else {
            return cli_error(EXIT_USAGE, "list: unknown argument '%s' (list [--lessons DIR]...)",
                             argv[i]);
        }
        if (cli_lessons_dir("list", val, dirs, &ndirs) != EXIT_OK) {
            return EXIT_USAGE;
        }
    }
    strbuf_init(&out);
    strbuf_init(&problems);
    strbuf_add(&out, "demos:\n");
    for (size_t i = 0; i < demo_count(); i++) {
        const DemoClass *d = demo_at(i);
        CliListWidths w = cli_list_widths(d);
        strbuf_addf(&out, "  %-14s %s\n", d->name, d->summary);
        for (unsigned p = 0; p < d->nparams; p++) {
            char range[256], def[64];
            demo_param_range(&d->params[p], range, sizeof(range));
            demo_param_format(&d->params[p], d->params[p].def, def, sizeof(def));
            strbuf_addf(&out, "      %-*s %-*s default %-*s %s\n", w.name, d->params[p].name,
                        w.range, range, w.def, def, d->params[p].help);
            for (int64_t v = 0; d->params[p].variants != NULL && v <= d->params[p].max; v++) {
                const DemoVariant *dv = &d->params[p].variants[v];
                strbuf_addf(&out, "        %-*s %s%s\n", w.variant, dv->name,
                            dv->broken ? "BROKEN ON PURPOSE: " : "", dv->help);
            }
        }
        if (d->nresults > 0) {
            strbuf_add(&out, "      results:\n");
        }
        for (unsigned r = 0; r < d->nresults; r++) {
            strbuf_addf(&out, "        %-*s %-*s %s\n", w.result, d->results[r].name, w.unit,
                        demo_unit_name(d->results[r].unit, false), d->results[r].help);
        }
    }
    cli_list_lessons(&out, dirs, ndirs, &problems);
    if (out.failed) {
        strbuf_fini(&out);
        strbuf_fini(&problems);
        return cli_error(EXIT_INTERNAL, "%s", "list: out of memory");
    }
    /* the list, with a failed write remembered for cli_finish (exit 74) */
    cli_print_buf(stdout, &out);
    /* files that do not load: say so, as `interleave lint` would */
    cli_problems(strbuf_str(&problems));
    strbuf_fini(&problems);
    return EXIT_OK;
}
