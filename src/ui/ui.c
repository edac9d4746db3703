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

#include "core/clock.h"
#include "ui/crt.h"
#include "view/draw.h"
#include "ui/keys.h"
#include "ui/screen.h"

#define UI_TICK_MS 30

/* Exit codes (as the CLI's, see man/interleave.1). */
enum { UI_EXIT_OK = 0, UI_EXIT_USAGE = 2, UI_EXIT_INTERNAL = 70 };

typedef struct UiOpts {
    long long max_ticks; /* 0 = no limit */
    const char *lesson;  /* --lesson NAME, NULL = browser */
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

void ui_usage(FILE *out)
{
    fprintf(out, "terminal UI options (interleave [OPTION ...]):\n"
                 "  --lesson NAME            open lesson NAME (a lesson id like 'race', or a\n"
                 "                           demo name for its playground) instead of the list\n"
                 "  --max-ticks N            leave after N ticks of the UI loop (about 30 ms\n"
                 "                           each), for smoke tests without a person\n"
                 "  environment: INTERLEAVE_LESSON_DIR (lesson files), XDG_STATE_HOME (progress,\n"
                 "  saved schedules), NO_COLOR (monochrome), INTERLEAVE_ASCII (no Unicode),\n"
                 "  INTERLEAVE_UI_STATS=FILE (frame timings written at exit)\n");
}

static int ui_parse(int argc, char **argv, UiOpts *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        size_t nlen = eq != NULL ? (size_t)(eq - a) : strlen(a);

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            printf("usage: interleave [--lesson NAME] [--max-ticks N]\n");
            ui_usage(stdout);
            return 1;
        }
        if ((nlen == 11 && strncmp(a, "--max-ticks", nlen) == 0) ||
            (nlen == 8 && strncmp(a, "--lesson", nlen) == 0)) {
            if (eq != NULL) {
                val = eq + 1;
            } else if (i + 1 < argc) {
                val = argv[++i];
            } else {
                fprintf(stderr, "interleave: %.*s needs a value (try 'interleave --help')\n",
                        (int)nlen, a);
                return -1;
            }
            if (a[2] == 'm') {
                char *end;
                errno = 0;
                o->max_ticks = strtoll(val, &end, 10);
                if (errno != 0 || *end != '\0' || end == val || o->max_ticks < 1) {
                    fprintf(stderr, "interleave: --max-ticks: '%s' is not a number >= 1\n", val);
                    return -1;
                }
            } else {
                o->lesson = val;
            }
            continue;
        }
        fprintf(stderr, "interleave: unknown option '%s' (try 'interleave --help')\n", a);
        return -1;
    }
    return 0;
}

/* Build the browser's entries: lessons, then a playground per demo. */
static int ui_catalog(UiCatalog *cat, Lesson ***lessons, size_t *nlessons)
{
    IlError err;
    StrBuf problems;
    size_t ndemos = demo_count();

    memset(cat, 0, sizeof(*cat));
    *lessons = NULL;
    *nlessons = 0;
    cat->lesson_dir = lesson_dir();
    strbuf_init(&problems);
    if (lesson_list(cat->lesson_dir, lessons, nlessons, &problems, &err) < 0) {
        snprintf(cat->problems, sizeof(cat->problems), "%s", err.msg);
        *lessons = NULL;
        *nlessons = 0;
    } else if (problems.len > 0) {
        const char *p = strbuf_str(&problems);
        snprintf(cat->problems, sizeof(cat->problems), "%.*s", (int)strcspn(p, "\n"), p);
    }
    strbuf_fini(&problems);
    cat->entries = calloc(*nlessons + ndemos + 1, sizeof(*cat->entries));
    if (cat->entries == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < *nlessons; i++) {
        const Lesson *l = (*lessons)[i];
        const DemoClass *demo = NULL;
        const char *name = l->demo;
        for (size_t p = 0; name == NULL && p < l->npages; p++) {
            if (l->pages[p].nruns > 0) {
                name = l->pages[p].runs[0].demo;
            }
        }
        if (name != NULL) {
            demo = demo_find(name, &err);
        }
        cat->entries[cat->n++] = (UiEntry){l, demo};
    }
    for (size_t i = 0; i < ndemos; i++) {
        cat->entries[cat->n++] = (UiEntry){NULL, demo_at(i)};
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

/* Find the catalog entry for --lesson NAME: a lesson id, or a demo. */
static long ui_find_entry(const UiCatalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n; i++) {
        if (cat->entries[i].lesson != NULL && strcmp(cat->entries[i].lesson->id, name) == 0) {
            return (long)i;
        }
    }
    for (size_t i = 0; i < cat->n; i++) {
        if (cat->entries[i].lesson == NULL && strcmp(cat->entries[i].demo->name, name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

int ui_main(int argc, char **argv)
{
    UiOpts opts;
    UiCatalog cat;
    Lesson **lessons = NULL;
    size_t nlessons = 0;
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
    if (ui_catalog(&cat, &lessons, &nlessons) < 0) {
        fprintf(stderr, "interleave: out of memory\n");
        progress_free(progress);
        return UI_EXIT_INTERNAL;
    }
    cat.progress = progress;
    if (opts.lesson != NULL) {
        start_entry = ui_find_entry(&cat, opts.lesson);
        if (start_entry < 0) {
            fprintf(stderr, "interleave: no lesson or demo named '%s' in %s\n", opts.lesson,
                    cat.lesson_dir);
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
        /* kept in memory for this session: answers still count, and show */
        progress = progress_from_text("", 0, &err);
        cat.progress = progress;
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
    free(cat.entries);
    lesson_list_free(lessons, nlessons);
    progress_free(progress);
    return rc;
}
