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
 * per frame) to FILE at exit; bench/ui_cost.sh reads it.
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
    bool present; /* --present: the presenter layout from the start */
} UiOpts;

typedef struct UiStats {
    const char *path; /* NULL = off */
    uint64_t frames, ticks;
    uint64_t live_frames, live_ns; /* frames and wall time while a run was live */
    uint64_t frame_ns_total, frame_ns_max;
    uint64_t *samples; /* frame times, ns (ring of the last UI_STATS_SAMPLES) */
    size_t nsamples;
    uint64_t t_start;
} UiStats;

#define UI_STATS_SAMPLES 65536

/* The TUI's options: one table for parsing and for --help. */
enum { UI_OPT_LESSON, UI_OPT_LESSONS, UI_OPT_MAX_TICKS, UI_OPT_PRESENT };

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
            "  XDG_STATE_HOME (progress, saved schedules), NO_COLOR (monochrome),\n"
            "  INTERLEAVE_ASCII (no Unicode), INTERLEAVE_UI_STATS=FILE (frame timings at exit)\n");
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
            printf(
                "usage: interleave [--lesson NAME] [--lessons DIR] [--present] [--max-ticks N]\n");
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
static void ui_reload(UiCatalog *cat, Browser *browser, LessonScreen *lesson)
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
        lesson_screen_say_error(lesson, rc == -1 ? strbuf_str(&why) : "out of memory");
    }
    strbuf_fini(&why);
    free(id);
}

int ui_main(int argc, char **argv)
{
    UiOpts opts;
    UiCatalog cat;
    Progress *progress;
    Browser *browser = NULL;
    LessonScreen *lesson = NULL;
    const ScreenClass *cls;
    void *self;
    UiStats stats;
    IlError err;
    Grid *grid = NULL;
    bool help = false, dirty = true;
    int rc = UI_EXIT_OK, sig;
    int cols = 0, rows = 0;
    long start_entry = -1;

    switch (ui_parse(argc, argv, &opts)) {
    case 1:
        return UI_EXIT_OK;
    case -1:
        return UI_EXIT_USAGE;
    default:
        break;
    }
    memset(&stats, 0, sizeof(stats));
    stats.path = getenv("INTERLEAVE_UI_STATS");
    if (stats.path != NULL && stats.path[0] == '\0') {
        stats.path = NULL;
    }
    if (stats.path != NULL) {
        stats.samples = malloc(UI_STATS_SAMPLES * sizeof(*stats.samples));
    }
    progress = progress_load(&err);
    if (catalog_load(&cat, opts.lessons, opts.nlessons) < 0) {
        fprintf(stderr, "interleave: out of memory\n");
        catalog_fini(&cat);
        progress_free(progress);
        return UI_EXIT_INTERNAL;
    }
    cat.progress = progress;
    if (opts.lesson != NULL) {
        start_entry = catalog_find(&cat, opts.lesson);
        if (start_entry < 0) {
            fprintf(stderr, "interleave: no lesson or demo named '%s' in %s\n", opts.lesson,
                    strbuf_str(&cat.path_text));
            rc = UI_EXIT_USAGE;
            goto out;
        }
    }
    browser = browser_new(&cat);
    if (browser == NULL) {
        rc = UI_EXIT_INTERNAL;
        goto out;
    }
    if (crt_init(&err) < 0) {
        fprintf(stderr, "interleave: %s\n", err.msg);
        rc = UI_EXIT_USAGE;
        goto out;
    }
    if (progress == NULL) {
        /* goes to the captured stderr, printed at exit */
        fprintf(stderr, "interleave: progress is not saved: %s\n", err.msg);
    }
    stats.t_start = clock_mono_ns();
    cls = &browser_class;
    self = browser;
    if (start_entry >= 0) {
        lesson = lesson_screen_new(&cat.entries[start_entry], progress);
        if (lesson != NULL) {
            cls = &lesson_screen_class;
            self = lesson;
        }
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
        r |= cls->tick(self);
        if (dirty || (r & (REACT_REDRAW | REACT_LIVE))) {
            uint64_t t = clock_mono_ns();
            grid_clear(grid);
            if (small) {
                screen_draw_too_small(grid, cols, rows);
            } else {
                cls->draw(self, grid);
                if (help) {
                    keys_draw_help(grid, cls->scope(self),
                                   cls->help_extra != NULL ? cls->help_extra(self) : NULL);
                }
            }
            crt_blit(grid);
            ui_stats_frame(&stats, clock_mono_ns() - t);
            stats.live_frames += (r & REACT_LIVE) != 0;
            dirty = false;
        }
        stats.ticks++;
        if (opts.max_ticks > 0 && (long long)stats.ticks >= opts.max_ticks) {
            break;
        }
        /* a tick lasts UI_TICK_MS in all, however long the frame took */
        wait_ms = UI_TICK_MS - (int)((clock_mono_ns() - tick_start) / 1000000u);
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
            help = false; /* any other key closes the help */
            continue;
        }
        if (small) {
            if (key == 'q') {
                break;
            }
            continue;
        }
        r = cls->on_key(self, key);
        if (!(r & REACT_HANDLED)) {
            const KeyBinding *b = keys_find(key, cls->scope(self));
            if (b == NULL) {
                continue;
            }
            if (b->action == ACT_QUIT) {
                break;
            }
            if (b->action == ACT_HELP) {
                help = true;
                continue;
            }
            r = cls->on_action(self, b, key);
        }
        if (r & REACT_QUIT) {
            break;
        }
        if (r & REACT_RELOAD) {
            ui_reload(&cat, browser, lesson);
        }
        if (r & REACT_OPEN) {
            lesson_screen_free(lesson);
            lesson = lesson_screen_new(&cat.entries[browser_selected(browser)], progress);
            if (lesson != NULL) {
                cls = &lesson_screen_class;
                self = lesson;
            }
        } else if (r & REACT_BACK) {
            lesson_screen_free(lesson); /* kills its run */
            lesson = NULL;
            cls = &browser_class;
            self = browser;
        }
    }

out:
    lesson_screen_free(lesson);
    crt_done();
    ui_stats_write(&stats);
    free(stats.samples);
    grid_free(grid);
    browser_free(browser);
    catalog_fini(&cat);
    progress_free(progress);
    return rc;
}
