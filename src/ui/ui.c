/*
 * ui.c - the terminal UI: options, the screen stack and the main loop.
 *
 * DESIGN
 * One loop, one thread (style rules 15, 16, 20).  Each tick it waits up
 * to UI_TICK_MS for a key (crt_getkey, a timed getch), gives the key to
 * the current screen (raw first, for dialogs; then through the key
 * table), lets the screen poll its run without blocking, and redraws
 * when a reaction asked for it, or on every tick while something is
 * live.  With a 30 ms tick a running demo is redrawn about 33 times a
 * second, and an idle UI sleeps in getch.
 *
 * Every exit path goes through ui_finish(): screens are freed (which
 * kills their runs), then crt_done() restores the terminal and prints
 * what went to stderr meanwhile.
 *
 * INTERLEAVE_UI_STATS=FILE writes frame statistics (frames, ticks, time
 * per frame, and the time each tick kept the loop from the keyboard) to
 * FILE at exit; bench/ui_cost.sh reads it.
 *
 * Thread: main thread only.
 */
#include "config.h"

#include "ui/ui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "lesson/script.h"
#include "ui/crt.h"
#include "view/draw.h"
#include "ui/keys.h"
#include "ui/screen.h"

#define UI_TICK_MS 30

/* Exit codes (as the CLI's, see man/interleave.1). */
enum { UI_EXIT_OK = 0, UI_EXIT_USAGE = 2, UI_EXIT_INTERNAL = 70 };

#define UI_MAX_LESSON_DIRS 16

typedef struct UiOpts {
    long long max_ticks;                     /* 0 = no limit */
    const char *lesson;                      /* --lesson NAME, NULL = browser */
    const char *lessons[UI_MAX_LESSON_DIRS]; /* --lessons DIR, in order */
    size_t nlessons;
    bool present;       /* --present: the presenter layout from the start */
    const char *script; /* --script FILE: a demo script to run, NULL = none */
} UiOpts;

typedef struct UiStats {
    const char *path; /* NULL = off */
    uint64_t frames, ticks;
    uint64_t live_frames, live_ns; /* frames and wall time while a run was live */
    uint64_t frame_ns_total, frame_ns_max;
    uint64_t *samples; /* frame times, ns (ring of the last UI_STATS_SAMPLES) */
    size_t nsamples;
    /* busy time of each tick that followed a run, ns: polling it, taking
     * in its events, drawing and copying to curses, all but waiting for a
     * key (the longest is the longest the UI left a key unanswered) */
    uint64_t busy_ns_max;
    uint64_t *busy; /* ring of the last UI_STATS_SAMPLES */
    size_t nbusy;
    uint64_t t_start;
} UiStats;

#define UI_STATS_SAMPLES 65536

/* The TUI's options: one table for parsing and for --help. */
enum { UI_OPT_LESSON, UI_OPT_LESSONS, UI_OPT_MAX_TICKS, UI_OPT_PRESENT, UI_OPT_SCRIPT };

static const struct {
    const char *name, *arg, *help;
    int id;
} ui_opts[] = {
    {"--lesson", "NAME",
     "open lesson NAME (a lesson id like 'race', or a demo name for its playground) instead of "
     "the list",
     UI_OPT_LESSON},
    {"--lessons", "DIR",
     "read lessons from DIR too, before the built-in ones (a lesson with a built-in's name "
     "replaces it); may be given up to 16 times",
     UI_OPT_LESSONS},
    {"--present", NULL, "start in the presenter layout (for a projector; v toggles it)",
     UI_OPT_PRESENT},
    {"--script", "FILE",
     "run the demo script FILE (interleave-script(5)): space pauses or resumes it, Enter skips "
     "a wait, Esc stops it; with --headless it runs without a terminal and prints what each "
     "command showed",
     UI_OPT_SCRIPT},
    {"--max-ticks", "N",
     "leave after N ticks of the UI loop (about 30 ms each), for smoke tests without a person",
     UI_OPT_MAX_TICKS},
};

void ui_usage(FILE *out)
{
    fprintf(out, "terminal UI options (interleave [OPTION ...]):\n");
    for (size_t i = 0; i < ARRAY_SIZE(ui_opts); i++) {
        char left[48];
        snprintf(left, sizeof(left), "%s%s%s", ui_opts[i].name, ui_opts[i].arg != NULL ? " " : "",
                 ui_opts[i].arg != NULL ? ui_opts[i].arg : "");
        fprintf(out, "  %-22s %s\n", left, ui_opts[i].help);
    }
    fprintf(out,
            "  environment: INTERLEAVE_LESSON_PATH (more lesson directories, colon-separated,\n"
            "  before the built-in ones), INTERLEAVE_LESSON_DIR (the built-in lessons),\n"
            "  XDG_STATE_HOME (progress and answers, saved schedules, traces written with x),\n"
            "  NO_COLOR (monochrome), INTERLEAVE_ASCII (no Unicode),\n"
            "  INTERLEAVE_UI_STATS=FILE (frame timings at exit)\n"
            "  in a lesson: Tab answers its questions and challenges, ? shows every key\n");
}

static int ui_parse(int argc, char **argv, UiOpts *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        size_t nlen = eq != NULL ? (size_t)(eq - a) : strlen(a);
        size_t k;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            printf("usage: interleave [--lesson NAME] [--lessons DIR] [--present] [--script FILE "
                   "[--headless]] [--max-ticks N]\n");
            ui_usage(stdout);
            return 1;
        }
        for (k = 0; k < ARRAY_SIZE(ui_opts); k++) {
            if (strlen(ui_opts[k].name) == nlen && strncmp(a, ui_opts[k].name, nlen) == 0) {
                break;
            }
        }
        if (k == ARRAY_SIZE(ui_opts)) {
            fprintf(stderr, "interleave: unknown option '%s' (try 'interleave --help')\n", a);
            return -1;
        }
        if (ui_opts[k].arg == NULL) {
            if (eq != NULL) {
                fprintf(stderr, "interleave: %s takes no value (try 'interleave --help')\n",
                        ui_opts[k].name);
                return -1;
            }
        } else if (eq != NULL) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            fprintf(stderr, "interleave: %s needs a value (try 'interleave --help')\n",
                    ui_opts[k].name);
            return -1;
        }
        switch (ui_opts[k].id) {
        case UI_OPT_MAX_TICKS: {
            char *end;
            errno = 0;
            o->max_ticks = strtoll(val, &end, 10);
            if (errno != 0 || *end != '\0' || end == val || o->max_ticks < 1 ||
                !(val[0] >= '0' && val[0] <= '9')) {
                fprintf(stderr, "interleave: --max-ticks: '%s' is not a number >= 1\n", val);
                return -1;
            }
            break;
        }
        case UI_OPT_LESSON:
            o->lesson = val;
            break;
        case UI_OPT_LESSONS: {
            struct stat st;
            if (o->nlessons == UI_MAX_LESSON_DIRS) {
                fprintf(stderr, "interleave: --lessons: at most %d directories\n",
                        UI_MAX_LESSON_DIRS);
                return -1;
            }
            if (stat(val, &st) != 0 || !S_ISDIR(st.st_mode)) {
                fprintf(stderr, "interleave: --lessons: %s: %s\n", val,
                        stat(val, &st) != 0 ? strerror(errno) : "not a directory");
                return -1;
            }
            o->lessons[o->nlessons++] = val;
            break;
        }
        case UI_OPT_PRESENT:
            o->present = true;
            break;
        case UI_OPT_SCRIPT:
            o->script = val;
            break;
        default:
            break;
        }
    }
    return 0;
}

static void ui_stats_frame(UiStats *st, uint64_t ns)
{
    if (st->path == NULL) {
        return;
    }
    st->frames++;
    st->frame_ns_total += ns;
    if (ns > st->frame_ns_max) {
        st->frame_ns_max = ns;
    }
    if (st->samples != NULL) {
        st->samples[st->nsamples++ % UI_STATS_SAMPLES] = ns;
    }
}

static void ui_stats_busy(UiStats *st, uint64_t ns)
{
    if (st->path == NULL) {
        return;
    }
    if (ns > st->busy_ns_max) {
        st->busy_ns_max = ns;
    }
    if (st->busy != NULL) {
        st->busy[st->nbusy++ % UI_STATS_SAMPLES] = ns;
    }
}

static int ui_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void ui_stats_write(UiStats *st)
{
    FILE *f;
    size_t n;
    double wall;

    if (st->path == NULL) {
        return;
    }
    f = fopen(st->path, "w");
    if (f == NULL) {
        fprintf(stderr, "interleave: %s: %s\n", st->path, strerror(errno));
        return;
    }
    n = st->nsamples < UI_STATS_SAMPLES ? st->nsamples : UI_STATS_SAMPLES;
    wall = (double)(clock_mono_ns() - st->t_start) / 1e9;
    fprintf(f, "wall_s %.3f\nticks %llu\nframes %llu\nframes_per_s %.1f\n", wall,
            (unsigned long long)st->ticks, (unsigned long long)st->frames,
            wall > 0 ? (double)st->frames / wall : 0.0);
    fprintf(f, "live_s %.3f\nlive_frames %llu\nlive_frames_per_s %.1f\n", (double)st->live_ns / 1e9,
            (unsigned long long)st->live_frames,
            st->live_ns > 0 ? (double)st->live_frames / ((double)st->live_ns / 1e9) : 0.0);
    if (st->frames > 0) {
        fprintf(f, "frame_ms_mean %.3f\nframe_ms_max %.3f\n",
                (double)st->frame_ns_total / (double)st->frames / 1e6,
                (double)st->frame_ns_max / 1e6);
    }
    if (n > 0 && st->samples != NULL) {
        qsort(st->samples, n, sizeof(*st->samples), ui_cmp_u64);
        fprintf(f, "frame_ms_p50 %.3f\nframe_ms_p95 %.3f\n", (double)st->samples[n / 2] / 1e6,
                (double)st->samples[(n * 95) / 100] / 1e6);
    }
    n = st->nbusy < UI_STATS_SAMPLES ? st->nbusy : UI_STATS_SAMPLES;
    if (n > 0 && st->busy != NULL) {
        qsort(st->busy, n, sizeof(*st->busy), ui_cmp_u64);
        fprintf(f, "tick_ms_p95 %.3f\ntick_ms_max %.3f\n", (double)st->busy[(n * 95) / 100] / 1e6,
                (double)st->busy_ns_max / 1e6);
    }
    fclose(f);
}

void screen_draw_too_small(Grid *grid, int cols, int rows)
{
    char line[128];
    int y = grid->h / 2 - 1;

    snprintf(line, sizeof(line), "make the window larger: %dx%d needed, now %dx%d", UI_MIN_COLS,
             UI_MIN_ROWS, cols, rows);
    draw_text(grid, (grid->w - (int)strlen(line)) / 2 > 0 ? (grid->w - (int)strlen(line)) / 2 : 0,
              y > 0 ? y : 0, grid->w, line, (size_t)-1, UI_ERROR);
    draw_text(grid, 0, y + 2 < grid->h ? y + 2 : grid->h - 1, grid->w, "q quits", (size_t)-1,
              STYLE_DIM);
}

/*
 * Read the lesson files again (an instructor edited one).  The lesson on
 * screen follows its new version, at the same page when it still has it;
 * when it no longer loads, everything stays as it was and the lesson
 * screen says which file and line broke.
 */
static void ui_reload(Catalog *cat, Browser *browser, LessonScreen *lesson)
{
    const char *keep = lesson != NULL ? lesson_screen_lesson_id(lesson) : NULL;
    char *id = keep != NULL ? strdup(keep) : NULL;
    StrBuf why;
    int rc;

    strbuf_init(&why);
    rc = catalog_reload(cat, id, &why);
    if (rc == 0) {
        if (lesson != NULL && id != NULL) {
            long e = catalog_find(cat, id);
            if (e >= 0) {
                lesson_screen_relesson(lesson, &cat->entries[e]);
            }
        }
        browser_reloaded(browser);
    } else if (lesson != NULL) {
        char msg[1024];
        snprintf(msg, sizeof(msg), "not read again: %s",
                 rc == -1 ? strbuf_str(&why) : "out of memory");
        lesson_screen_say_error(lesson, msg);
    }
    strbuf_fini(&why);
    free(id);
}

/* The UI's screens and what a demo script drives through them. */
typedef struct Ui {
    UiOpts opts;
    Catalog cat;
    Progress *progress;
    Browser *browser;
    LessonScreen *lesson; /* NULL = the browser is on screen */
    const ScreenClass *cls;
    void *self;
    bool present;           /* the presenter layout for lessons opened from now on */
    char progress_why[600]; /* "progress is not saved: ..." when it cannot be, "" */

    Script *script;        /* --script, NULL = none (or stopped) */
    ScriptHost host;       /* the script's hooks into this UI */
    bool script_held_run;  /* pausing the script paused the run too */
    char script_note[256]; /* the script's last word ("done", a failure), "" = none */
    int script_note_style;
    uint64_t script_note_until; /* when the note gives the key bar back, 0 = at a key */
} Ui;

/* Show the lesson screen of catalog entry e (its run, if any, goes with
 * the old screen).  Returns false when out of memory. */
static bool ui_open_entry(Ui *ui, long e)
{
    LessonScreen *ls = lesson_screen_new(&ui->cat.entries[e], ui->progress);
    if (ls == NULL) {
        return false;
    }
    lesson_screen_free(ui->lesson); /* kills its run */
    ui->lesson = ls;
    lesson_screen_set_present(ls, ui->present);
    if (ui->progress_why[0] != '\0') {
        lesson_screen_say_error(ls, ui->progress_why);
    }
    ui->cls = &lesson_screen_class;
    ui->self = ls;
    return true;
}

/* ---- the demo script's hooks (lesson/script.h) ---- */

static int ui_sc_open(void *ctx, const char *name, IlError *err)
{
    Ui *ui = ctx;
    long e = catalog_find(&ui->cat, name);
    if (e < 0) {
        return il_error_set(err, -ENOENT, "no lesson or demo named '%s' in %s", name,
                            strbuf_str(&ui->cat.path_text));
    }
    if (!ui_open_entry(ui, e)) {
        return il_error_set(err, -ENOMEM, "out of memory");
    }
    /* a script opens a lesson at its first page, as in every class, not
     * where a student last left it */
    lesson_screen_goto_page(ui->lesson, 0);
    return 0;
}

static LessonSession *ui_sc_session(void *ctx)
{
    Ui *ui = ctx;
    return ui->lesson != NULL ? lesson_screen_session(ui->lesson) : NULL;
}

static const Lesson *ui_sc_lesson(void *ctx)
{
    Ui *ui = ctx;
    return ui->lesson != NULL ? lesson_screen_lesson(ui->lesson) : NULL;
}

static int ui_sc_goto_page(void *ctx, size_t page, IlError *err)
{
    Ui *ui = ctx;
    (void)err;
    lesson_screen_goto_page(ui->lesson, page);
    return 0;
}

static size_t ui_sc_page(void *ctx)
{
    Ui *ui = ctx;
    return ui->lesson != NULL ? lesson_screen_page(ui->lesson) : 0;
}

static void ui_sc_present(void *ctx, bool on)
{
    Ui *ui = ctx;
    ui->present = on;
    if (ui->lesson != NULL) {
        lesson_screen_set_present(ui->lesson, on);
    }
}

static void ui_sc_say(void *ctx, const char *text)
{
    Ui *ui = ctx;
    if (ui->lesson != NULL) {
        lesson_screen_set_caption(ui->lesson, text);
    }
}

/* The script ended (done, failed or stopped): its last word stays on the
 * key bar's row, a few seconds for good news, until a key for a failure. */
static void ui_script_end(Ui *ui, const char *note, int style, uint64_t show_ns)
{
    snprintf(ui->script_note, sizeof(ui->script_note), "%s", note);
    ui->script_note_style = style;
    ui->script_note_until = show_ns > 0 ? clock_mono_ns() + show_ns : 0;
    script_free(ui->script);
    ui->script = NULL;
}

/* Pause or resume the script, and with it a free run that goes. */
static void ui_script_pause(Ui *ui, bool pause)
{
    LessonSession *ses = ui_sc_session(ui);
    const Run *run = ses != NULL ? session_run(ses) : NULL;
    bool live = run != NULL && !run_done(run) && session_mode(ses) == SCHED_FREE;

    script_pause(ui->script, pause);
    if (pause && live && !session_paused(ses)) {
        session_run_pause(ses);
        ui->script_held_run = true;
    } else if (!pause && ui->script_held_run) {
        if (live && session_paused(ses)) {
            session_run_pause(ses);
        }
        ui->script_held_run = false;
    }
}

/* Run the script's commands that are due.  Returns true when the screen
 * should be drawn again. */
static bool ui_script_tick(Ui *ui)
{
    size_t done_before;
    ScriptState before, st;
    uint64_t wake;

    if (ui->script == NULL) {
        if (ui->script_note[0] != '\0' && ui->script_note_until != 0 &&
            clock_mono_ns() >= ui->script_note_until) {
            ui->script_note[0] = '\0';
            return true;
        }
        return false;
    }
    done_before = script_done(ui->script);
    before = script_state(ui->script);
    st = script_tick(ui->script, &ui->host, clock_mono_ns(), &wake);
    if (st == SCRIPT_DONE) {
        char note[128];
        snprintf(note, sizeof(note), "script done: %zu command%s ran", script_ncommands(ui->script),
                 script_ncommands(ui->script) == 1 ? "" : "s");
        ui_script_end(ui, note, UI_GOOD, 4000000000ull);
        return true;
    }
    if (st == SCRIPT_FAILED) {
        char note[256];
        snprintf(note, sizeof(note), "script stopped: %s", script_error(ui->script));
        ui_script_end(ui, note, UI_ERROR, 0);
        return true;
    }
    return st != before || script_done(ui->script) != done_before;
}

/*
 * A key while a script runs: space pauses or resumes it, Enter skips what
 * it waits for, Esc stops it, and while it waits for a key (`key`) any
 * other key but q goes on.  Returns true when the key was the script's.
 */
static bool ui_script_key(Ui *ui, int key)
{
    if (ui->script == NULL) {
        if (ui->script_note[0] != '\0' && ui->script_note_until == 0) {
            ui->script_note[0] = '\0'; /* a failure was read */
        }
        return false;
    }
    if (key == ' ') {
        ui_script_pause(ui, script_state(ui->script) != SCRIPT_PAUSED);
        return true;
    }
    if (key == CRT_KEY_ENTER || key == '\n' || key == '\r') {
        if (script_state(ui->script) == SCRIPT_KEY) {
            script_key(ui->script);
        } else {
            script_skip(ui->script);
        }
        return true;
    }
    if (key == CRT_KEY_ESC) {
        char note[128];
        if (ui->script_held_run) {
            ui_script_pause(ui, false);
        }
        snprintf(note, sizeof(note), "script stopped at line %u (Esc)", script_line(ui->script));
        ui_script_end(ui, note, STYLE_DIM, 4000000000ull);
        return true;
    }
    if (script_state(ui->script) == SCRIPT_KEY && key != 'q' && key != CRT_KEY_RESIZE) {
        script_key(ui->script);
        return true;
    }
    return false;
}

/* The script's row, over the key bar: where it is and its keys. */
static void ui_script_draw(Ui *ui, Grid *g)
{
    int y = g->h - 1, x;
    const char *state;
    char left[96];

    if (ui->script == NULL) {
        if (ui->script_note[0] != '\0') {
            draw_fill(g, 0, y, g->w, 1, STYLE_TEXT);
            draw_text(g, 0, y, g->w, ui->script_note, (size_t)-1, ui->script_note_style);
        }
        return;
    }
    switch (script_state(ui->script)) {
    case SCRIPT_PAUSED:
        state = "PAUSED";
        break;
    case SCRIPT_KEY:
        state = "press a key";
        break;
    default:
        state = "running";
        break;
    }
    snprintf(left, sizeof(left), "SCRIPT %zu/%zu %s", script_done(ui->script) + 1,
             script_ncommands(ui->script), state);
    draw_fill(g, 0, y, g->w, 1, STYLE_TEXT);
    x = draw_text(g, 0, y, g->w, left, (size_t)-1, UI_TITLE);
    draw_text(g, x + 1, y, g->w - x - 1,
              script_state(ui->script) == SCRIPT_PAUSED
                  ? " space resume  Enter skip  Esc stop script  q quit"
                  : " space pause  Enter skip  Esc stop script  q quit",
              (size_t)-1, STYLE_DIM);
}

int ui_main(int argc, char **argv)
{
    Ui ui;
    UiStats stats;
    IlError err;
    Grid *grid = NULL;
    bool help = false, dirty = true;
    int help_scroll = 0, help_page = 0; /* the help's first row; its page, 0 = all shows */
    int rc = UI_EXIT_OK, sig;
    int cols = 0, rows = 0;
    long start_entry = -1;

    memset(&ui, 0, sizeof(ui));
    switch (ui_parse(argc, argv, &ui.opts)) {
    case 1:
        return UI_EXIT_OK;
    case -1:
        return UI_EXIT_USAGE;
    default:
        break;
    }
    ui.present = ui.opts.present;
    if (ui.opts.script != NULL) {
        /* a script that does not parse stops here, before the terminal */
        ui.script = script_load(ui.opts.script, &err);
        if (ui.script == NULL) {
            fprintf(stderr, "interleave: %s\n", err.msg);
            return err.code == -ENOMEM ? UI_EXIT_INTERNAL : UI_EXIT_USAGE;
        }
        ui.host.ctx = &ui;
        ui.host.open = ui_sc_open;
        ui.host.session = ui_sc_session;
        ui.host.lesson = ui_sc_lesson;
        ui.host.goto_page = ui_sc_goto_page;
        ui.host.page = ui_sc_page;
        ui.host.present = ui_sc_present;
        ui.host.say = ui_sc_say;
    }
    memset(&stats, 0, sizeof(stats));
    stats.path = getenv("INTERLEAVE_UI_STATS");
    if (stats.path != NULL && stats.path[0] == '\0') {
        stats.path = NULL;
    }
    if (stats.path != NULL) {
        stats.samples = malloc(UI_STATS_SAMPLES * sizeof(*stats.samples));
        stats.busy = malloc(UI_STATS_SAMPLES * sizeof(*stats.busy));
    }
    ui.progress = progress_load(&err);
    if (ui.progress == NULL) {
        snprintf(ui.progress_why, sizeof(ui.progress_why), "progress is not saved: %s", err.msg);
    }
    if (catalog_load(&ui.cat, ui.opts.lessons, ui.opts.nlessons) < 0) {
        fprintf(stderr, "interleave: out of memory\n");
        catalog_fini(&ui.cat);
        progress_free(ui.progress);
        script_free(ui.script);
        return UI_EXIT_INTERNAL;
    }
    ui.cat.progress = ui.progress;
    if (ui.opts.lesson != NULL) {
        start_entry = catalog_find(&ui.cat, ui.opts.lesson);
        if (start_entry < 0) {
            fprintf(stderr, "interleave: no lesson or demo named '%s' in %s\n", ui.opts.lesson,
                    strbuf_str(&ui.cat.path_text));
            rc = UI_EXIT_USAGE;
            goto out;
        }
    }
    ui.browser = browser_new(&ui.cat);
    if (ui.browser == NULL) {
        rc = UI_EXIT_INTERNAL;
        goto out;
    }
    if (crt_init(&err) < 0) {
        fprintf(stderr, "interleave: %s\n", err.msg);
        rc = UI_EXIT_USAGE;
        goto out;
    }
    if (ui.progress == NULL) {
        /* said on screen (the browser, each lesson opened) and, at exit, on
         * stderr */
        fprintf(stderr, "interleave: %s\n", ui.progress_why);
        browser_set_notice(ui.browser, ui.progress_why);
        /* kept in memory for this session: answers still count, and show */
        ui.progress = progress_from_text("", 0, &err);
        ui.cat.progress = ui.progress;
    }
    stats.t_start = clock_mono_ns();
    ui.cls = &browser_class;
    ui.self = ui.browser;
    if (start_entry >= 0) {
        (void)ui_open_entry(&ui, start_entry);
    }

    for (;;) {
        int key, r = REACT_NONE, wait_ms;
        bool small;
        uint64_t tick_start = clock_mono_ns();

        if ((sig = crt_quit_signal()) != 0) {
            rc = 128 + sig;
            break;
        }
        crt_size(&cols, &rows);
        small = cols < UI_MIN_COLS || rows < UI_MIN_ROWS;
        if (grid == NULL || grid->w != cols || grid->h != rows) {
            grid_free(grid);
            grid = grid_new(cols > 0 ? cols : 1, rows > 0 ? rows : 1);
            if (grid == NULL) {
                rc = UI_EXIT_INTERNAL;
                break;
            }
            grid->utf8 = crt_utf8(); /* views intern Unicode glyphs, else ASCII */
            dirty = true;
        }
        r |= ui.cls->tick(ui.self);
        /* after the screen polled its run, so the screen sees every end */
        if (ui_script_tick(&ui)) {
            dirty = true;
        }
        if (dirty || (r & (REACT_REDRAW | REACT_LIVE))) {
            uint64_t t = clock_mono_ns();
            grid_clear(grid);
            if (small) {
                screen_draw_too_small(grid, cols, rows);
            } else {
                ui.cls->draw(ui.self, grid);
                ui_script_draw(&ui, grid);
                if (help) {
                    help_page = keys_draw_help(
                        grid, ui.cls->scope(ui.self),
                        ui.cls->help_extra != NULL ? ui.cls->help_extra(ui.self) : NULL,
                        &help_scroll);
                }
            }
            crt_blit(grid);
            ui_stats_frame(&stats, clock_mono_ns() - t);
            stats.live_frames += (r & REACT_LIVE) != 0;
            dirty = false;
        }
        stats.ticks++;
        if (ui.opts.max_ticks > 0 && (long long)stats.ticks >= ui.opts.max_ticks) {
            break;
        }
        /* a tick lasts UI_TICK_MS in all, however long the frame took */
        {
            uint64_t busy = clock_mono_ns() - tick_start;
            if (r & (REACT_LIVE | REACT_REDRAW)) {
                ui_stats_busy(&stats, busy); /* a tick with a run to follow */
            }
            wait_ms = UI_TICK_MS - (int)(busy / 1000000u);
        }
        key = crt_getkey(wait_ms > 1 ? wait_ms : 1);
        if (r & REACT_LIVE) {
            stats.live_ns += clock_mono_ns() - tick_start;
        }
        if (key == CRT_KEY_NONE) {
            continue;
        }
        dirty = true;
        if (key == CRT_KEY_RESIZE) {
            continue;
        }
        if (help) {
            if (key == 'q') {
                break; /* q quits from anywhere */
            }
            if (help_page > 0 && (key == CRT_KEY_UP || key == CRT_KEY_DOWN || key == CRT_KEY_PGUP ||
                                  key == CRT_KEY_PGDN)) {
                /* a help taller than the screen scrolls (the draw keeps it
                 * within its rows) */
                help_scroll += key == CRT_KEY_UP     ? -1
                               : key == CRT_KEY_DOWN ? 1
                               : key == CRT_KEY_PGUP ? -help_page
                                                     : help_page;
                continue;
            }
            help = false; /* any other key closes the help */
            continue;
        }
        if (small) {
            if (key == 'q') {
                break;
            }
            continue;
        }
        if (ui_script_key(&ui, key)) {
            continue;
        }
        r = ui.cls->on_key(ui.self, key);
        if (!(r & REACT_HANDLED)) {
            const KeyBinding *b = keys_find(key, ui.cls->scope(ui.self));
            if (b == NULL) {
                continue;
            }
            if (b->action == ACT_QUIT) {
                break;
            }
            if (b->action == ACT_HELP) {
                help = true;
                help_scroll = 0;
                continue;
            }
            r = ui.cls->on_action(ui.self, b, key);
        }
        if (r & REACT_QUIT) {
            break;
        }
        if (r & REACT_RELOAD) {
            ui_reload(&ui.cat, ui.browser, ui.lesson);
        }
        if (r & REACT_OPEN) {
            (void)ui_open_entry(&ui, (long)browser_selected(ui.browser));
        } else if (r & REACT_BACK) {
            lesson_screen_free(ui.lesson); /* kills its run */
            ui.lesson = NULL;
            ui.cls = &browser_class;
            ui.self = ui.browser;
        }
    }

out:
    script_free(ui.script);
    lesson_screen_free(ui.lesson);
    crt_done();
    ui_stats_write(&stats);
    free(stats.samples);
    free(stats.busy);
    grid_free(grid);
    browser_free(ui.browser);
    catalog_fini(&ui.cat);
    progress_free(ui.progress);
    return rc;
}
