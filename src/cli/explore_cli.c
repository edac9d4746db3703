/*
 * explore_cli.c - `interleave explore (DEMO [key=value...] | FILE.scn)`.
 *
 * Runs the explorer (core/explore.h) and prints its outcome histogram as
 * text or JSON.  On a terminal, stderr shows a progress bar while the
 * search goes (the share done is an estimate from the search's position).
 *
 * Exit status: 0 the search ran and found no failing outcome; 1 a failing
 * outcome is reachable (a deadlock, a broken assert ...); 2 usage or a
 * scenario file that does not parse; 5 the search timed out or failed.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/explore.h"
#include "export/explore_report.h"
#include "scenario/scn_demo.h"
#include "util/num.h"

#define CLI_EXPLORE_TIMEOUT 300.0

static void cli_explore_usage(FILE *f)
{
    fprintf(f,
            "usage: interleave explore (DEMO [key=value ...] | FILE.scn [key=value ...])\n"
            "                          [--preemptions K] [--limit N] [--max-steps N]\n"
            "                          [--format text|json] [--timeout SECS]\n"
            "enumerate the interleavings of a run in step mode, bounded by preemptions\n"
            "(switches away from a lane that could go on), and list every outcome with\n"
            "the shortest schedule that reaches it.\n\n"
            "  --preemptions K   at most K preemptions per schedule (default %d)\n"
            "  --limit N         run at most N schedules (default %d)\n"
            "  --max-steps N     a schedule longer than N steps ends as a step limit\n"
            "                    (default %d)\n"
            "  --format F        text (default) or json\n"
            "  --timeout SECS    stop the search after SECS (default %g, 0 = never)\n\n"
            "exit status: 0 no failing outcome, 1 a failing outcome is reachable,\n"
            "             2 usage, 5 the search timed out or failed\n",
            EXPLORE_DEFAULT_PREEMPTIONS, EXPLORE_DEFAULT_LIMIT, EXPLORE_DEFAULT_STEPS,
            CLI_EXPLORE_TIMEOUT);
}

/* The progress bar on stderr: "[#####.....]  43%  1234 schedules". */
static void cli_explore_progress(const ExploreResult *res, bool last)
{
    unsigned pm = atomic_load(&((ExploreResult *)res)->permille);
    char bar[31];
    unsigned fill = pm * 30 / 1000;

    if (last) {
        fprintf(stderr, "\r%60s\r", "");
        return;
    }
    for (unsigned i = 0; i < 30; i++) {
        bar[i] = i < fill ? '#' : '.';
    }
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %3u%%  %" PRIu64 " schedules", bar, pm / 10,
            atomic_load(&((ExploreResult *)res)->schedules));
    fflush(stderr);
}

/* `interleave explore` with pos, room for argc pointers to the positional
 * arguments, and *scn, a scenario file's class: both belong to the caller
 * (cli_explore), freed after this returns. */
static int cli_explore_main(int argc, char **argv, const char **pos, ScnDemo **scn)
{
    static const struct option longopts[] = {
        {"preemptions", required_argument, NULL, 'k'},
        {"limit", required_argument, NULL, 'l'},
        {"max-steps", required_argument, NULL, 'x'},
        {"format", required_argument, NULL, 'f'},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    ExploreConfig cfg;
    const DemoClass *demo;
    int npos = 0, c, json = 0;
    int64_t k = EXPLORE_DEFAULT_PREEMPTIONS, limit = EXPLORE_DEFAULT_LIMIT;
    int64_t steps = EXPLORE_DEFAULT_STEPS;
    double timeout = CLI_EXPLORE_TIMEOUT;
    IlError err;
    Explore *ex;
    StrBuf b;
    bool tty = isatty(2) != 0;
    int code = EXIT_OK;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "-:k:l:x:f:t:h", longopts, NULL)) != -1) {
        const char *bad = NULL;
        switch (c) {
        case 1:
            pos[npos++] = optarg;
            break;
        case 'k':
            if (!num_parse_i64(optarg, 0, 16, &k)) {
                bad = "--preemptions: must be 0..16";
            }
            break;
        case 'l':
            if (!num_parse_i64(optarg, 1, 100000000, &limit)) {
                bad = "--limit: must be 1..100000000";
            }
            break;
        case 'x':
            if (!num_parse_i64(optarg, 1, 1000000, &steps)) {
                bad = "--max-steps: must be 1..1000000";
            }
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0) {
                json = 1;
            } else if (strcmp(optarg, "text") == 0) {
                json = 0;
            } else {
                bad = "--format: must be text or json";
            }
            break;
        case 't':
            if (!num_parse_decimal(optarg, 86400, &timeout)) {
                bad = "--timeout: must be seconds in 0..86400 (0 = none)";
            }
            break;
        case 'h':
            cli_explore_usage(stdout);
            return EXIT_OK;
        case ':':
            fprintf(stderr, "interleave: explore: '%s' needs a value (try --help)\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        default:
            fprintf(stderr, "interleave: explore: unknown option '%s' (try --help)\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        }
        if (bad != NULL) {
            fprintf(stderr, "interleave: explore: %s, got '%s'\n", bad, optarg);
            return EXIT_USAGE;
        }
    }
    if (npos == 0 || strchr(pos[0], '=') != NULL) {
        fprintf(stderr, "interleave: explore: which demo or scenario file? (try --help)\n");
        return EXIT_USAGE;
    }
    demo = scn_demo_find(pos[0], scn, &err);
    if (demo == NULL) {
        fprintf(stderr, "interleave: %s\n", err.msg);
        return EXIT_USAGE;
    }
    explore_config_init(&cfg, demo);
    if (demo_params_parse(demo, pos + 1, (size_t)(npos - 1), cfg.params, &err) < 0) {
        fprintf(stderr, "interleave: %s\n", err.msg);
        return EXIT_USAGE;
    }
    cfg.preemptions = (unsigned)k;
    cfg.limit = (uint64_t)limit;
    cfg.max_steps = (uint32_t)steps;
    cfg.timeout_s = timeout;
    ex = explore_start(&cfg, &err);
    if (ex == NULL) {
        fprintf(stderr, "interleave: explore: %s\n", err.msg);
        return err.code == -IL_EUSAGE ? EXIT_USAGE : EXIT_INTERNAL;
    }
    while (!explore_poll(ex, 100)) {
        if (tty) {
            cli_explore_progress(explore_result(ex), false);
        }
    }
    if (tty) {
        cli_explore_progress(explore_result(ex), true);
    }
    strbuf_init(&b);
    if (json) {
        explore_report_json(&b, &cfg, explore_result(ex), explore_timed_out(ex));
    } else {
        explore_report_text(&b, &cfg, explore_result(ex), explore_timed_out(ex));
    }
    (void)cli_write_stdout(strbuf_str(&b)); /* a failed write: cli_finish, exit 74 */
    strbuf_fini(&b);
    if (explore_result(ex)->failed) {
        fprintf(stderr, "interleave: explore: %s\n", explore_result(ex)->error);
        code = EXIT_RUN_FAILED;
    } else if (explore_timed_out(ex)) {
        fprintf(stderr, "interleave: explore: stopped at its time limit of %g s\n", timeout);
        code = EXIT_RUN_FAILED;
    } else {
        for (uint32_t i = 0; i < explore_result(ex)->noutcomes; i++) {
            if (explore_outcome_failing(&explore_result(ex)->outcomes[i])) {
                code = EXIT_CHECK_FAILED;
            }
        }
    }
    explore_free(ex);
    return code;
}

int cli_explore(int argc, char **argv)
{
    const char **pos = calloc((size_t)argc + 1, sizeof(*pos));
    ScnDemo *scn = NULL;
    int code;

    if (pos == NULL) {
        fprintf(stderr, "interleave: explore: out of memory\n");
        return EXIT_INTERNAL;
    }
    code = cli_explore_main(argc, argv, pos, &scn);
    scn_demo_free(scn);
    free(pos); /* after every message that may name what it holds */
    return code;
}
