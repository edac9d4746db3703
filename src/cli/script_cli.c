/*
 * script_cli.c - `interleave --script FILE --headless`: a demo script run
 * without a terminal.
 *
 * DESIGN
 * The headless twin of the terminal UI's autopilot (lesson/script.h): the
 * same script drives the same LessonSession, and what each command showed
 * (the lesson opened, the page, the steps taken, the verdict a wait saw
 * with the run's figures) is printed one line per command,
 * "line N: what", so an instructor can check a script before class and a
 * test can check it.  A `say` is printed; a `key` does not wait (there is
 * no presenter); `present` has no layout to switch.  Waits take their real
 * time: a free run needs it.
 *
 * Thread: main thread only.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "lesson/catalog.h"
#include "lesson/script.h"
#include "lesson/session.h"

#define SCRIPT_CLI_POLL_NS (5u * 1000000u) /* a verdict wait looks this often */

typedef struct ScriptCli {
    Catalog cat;
    long entry; /* the open lesson's catalog entry, -1 = none */
    LessonSession *session;
    size_t page;
} ScriptCli;

static int sc_open(void *ctx, const char *name, IlError *err)
{
    ScriptCli *sc = ctx;
    long e = catalog_find(&sc->cat, name);
    LessonSession *ses;

    if (e < 0) {
        return il_error_set(err, -ENOENT, "no lesson or demo named '%s' in %s", name,
                            strbuf_str(&sc->cat.path_text));
    }
    /* progress is not marked: checking a script is not studying */
    ses =
        session_new(sc->cat.entries[e].demo,
                    sc->cat.entries[e].lesson != NULL ? sc->cat.entries[e].lesson->id : name, NULL);
    if (ses == NULL) {
        return il_error_set(err, -ENOMEM, "out of memory");
    }
    session_free(sc->session); /* kills its run */
    sc->session = ses;
    sc->entry = e;
    sc->page = 0;
    return 0;
}

static LessonSession *sc_session(void *ctx)
{
    return ((ScriptCli *)ctx)->session;
}

static const Lesson *sc_lesson(void *ctx)
{
    ScriptCli *sc = ctx;
    return sc->entry >= 0 ? sc->cat.entries[sc->entry].lesson : NULL;
}

static int sc_goto_page(void *ctx, size_t page, IlError *err)
{
    (void)err;
    ((ScriptCli *)ctx)->page = page;
    return 0;
}

static size_t sc_page(void *ctx)
{
    return ((ScriptCli *)ctx)->page;
}

static void sc_poll(void *ctx)
{
    ScriptCli *sc = ctx;
    bool ended;
    if (sc->session != NULL) {
        (void)session_tick(sc->session, &ended);
    }
}

static void sc_report(void *ctx, unsigned line, const char *text)
{
    (void)ctx;
    printf("line %u: %s\n", line, text);
    fflush(stdout);
}

static void sc_usage(FILE *f)
{
    fprintf(f, "usage: interleave --script FILE --headless [--lessons DIR]...\n"
               "  run a demo script (interleave-script(5)) without a terminal and print what\n"
               "  each command showed, one line each: \"line N: ...\"\n"
               "  exit status: 0 the script ran to its end, 1 a command failed (the\n"
               "  line and why on stderr), 2 a bad option or a script that does not parse\n");
}

static void sleep_ns(uint64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/*
 * Run the script of the command line headless.  argv are the program's
 * own (argv[0] the program): --script FILE, --headless, --lessons DIR.
 * Returns an exit code: EXIT_OK when every command ran, EXIT_CHECK_FAILED
 * when one failed, EXIT_USAGE for a bad command line or a script that
 * does not parse.
 */
int cli_script(int argc, char **argv)
{
    const char *path = NULL;
    const char *dirs[CLI_MAX_LESSON_DIRS];
    size_t ndirs = 0;
    ScriptCli sc;
    ScriptHost host;
    Script *script;
    IlError err;
    ScriptState st;
    int rc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            sc_usage(stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "--headless") == 0) {
            continue;
        }
        if (strcmp(a, "--script") == 0 || strcmp(a, "--lessons") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "interleave: %s needs a value (try 'interleave --help')\n", a);
                return EXIT_USAGE;
            }
            if (strcmp(a, "--script") == 0) {
                path = argv[++i];
                continue;
            }
            if (cli_lessons_dir(NULL, argv[++i], dirs, &ndirs) != EXIT_OK) {
                return EXIT_USAGE;
            }
            continue;
        }
        fprintf(stderr,
                "interleave: --headless: unknown option '%s' (--script FILE, --lessons DIR)\n", a);
        return EXIT_USAGE;
    }
    if (path == NULL) {
        fprintf(stderr, "interleave: --headless needs --script FILE (a demo script to run)\n");
        return EXIT_USAGE;
    }
    script = script_load(path, &err);
    if (script == NULL) {
        fprintf(stderr, "interleave: %s\n", err.msg);
        return err.code == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    memset(&sc, 0, sizeof(sc));
    sc.entry = -1;
    if (catalog_load(&sc.cat, dirs, ndirs) < 0) {
        fprintf(stderr, "interleave: out of memory\n");
        catalog_fini(&sc.cat);
        script_free(script);
        return EXIT_INTERNAL;
    }
    if (sc.cat.problems.len > 0) {
        /* a lesson the script opens may be among them: say so up front */
        cli_problems(strbuf_str(&sc.cat.problems));
    }
    memset(&host, 0, sizeof(host));
    host.ctx = &sc;
    host.open = sc_open;
    host.session = sc_session;
    host.lesson = sc_lesson;
    host.goto_page = sc_goto_page;
    host.page = sc_page;
    host.poll = sc_poll;
    host.report = sc_report;

    for (;;) {
        uint64_t now = clock_mono_ns(), wake = 0;
        st = script_tick(script, &host, now, &wake);
        if (st == SCRIPT_DONE || st == SCRIPT_FAILED) {
            break;
        }
        if (st == SCRIPT_KEY) {
            /* nobody to press it */
            printf("line %u: key (headless: not waiting)\n", script_line(script));
            script_key(script);
            continue;
        }
        /* a time to wait for, or a run to watch */
        now = clock_mono_ns();
        if (wake == 0) {
            sleep_ns(SCRIPT_CLI_POLL_NS);
        } else if (wake > now) {
            sleep_ns(wake - now < SCRIPT_CLI_POLL_NS ? wake - now : SCRIPT_CLI_POLL_NS);
        }
    }
    rc = EXIT_OK;
    if (st == SCRIPT_FAILED) {
        fprintf(stderr, "interleave: %s\n", script_error(script));
        rc = EXIT_CHECK_FAILED;
    }
    session_free(sc.session);
    catalog_fini(&sc.cat);
    script_free(script);
    return rc;
}
