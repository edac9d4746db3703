/*
 * browser.c - the lesson browser, the first screen of `interleave`.
 *
 * Lists every lesson (title, one-line summary, the student's progress:
 * pages seen, questions and challenges done, and "done" when the lesson
 * is, lesson/quiz.h), then a playground entry per demo, so every demo can
 * be explored even without a lesson file.  Enter opens the selected
 * entry.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/quiz.h"
#include "view/draw.h"
#include "ui/screen.h"

struct Browser {
    const Catalog *cat; /* borrowed */
    size_t sel;
    size_t top;       /* first entry shown */
    char notice[512]; /* an error that stays above the key bar, "" = none */
};

void browser_set_notice(Browser *browser, const char *text)
{
    snprintf(browser->notice, sizeof(browser->notice), "%s", text);
}

Browser *browser_new(const Catalog *catalog)
{
    Browser *b = calloc(1, sizeof(*b));
    if (b != NULL) {
        b->cat = catalog;
    }
    return b;
}

void browser_free(Browser *browser)
{
    free(browser);
}

void browser_reloaded(Browser *browser)
{
    if (browser != NULL && browser->sel >= browser->cat->n) {
        browser->sel = browser->cat->n > 0 ? browser->cat->n - 1 : 0;
    }
}

size_t browser_selected(const Browser *browser)
{
    return browser->sel;
}

static unsigned browser_scope(void *self)
{
    (void)self;
    return KEYS_BROWSER;
}

static int browser_on_key(void *self, int key)
{
    (void)self;
    (void)key;
    return REACT_NONE;
}

static int browser_on_action(void *self, const KeyBinding *binding, int key)
{
    Browser *b = self;
    (void)key;
    switch (binding->action) {
    case ACT_UP:
        if (b->sel > 0) {
            b->sel--;
        }
        return REACT_HANDLED | REACT_REDRAW;
    case ACT_DOWN:
        if (b->sel + 1 < b->cat->n) {
            b->sel++;
        }
        return REACT_HANDLED | REACT_REDRAW;
    case ACT_OPEN:
        return b->cat->n > 0 ? REACT_HANDLED | REACT_OPEN : REACT_HANDLED;
    case ACT_RELOAD:
        return REACT_HANDLED | REACT_REDRAW | REACT_RELOAD;
    default:
        return REACT_NONE;
    }
}

static int browser_tick(void *self)
{
    (void)self;
    return REACT_NONE;
}

static void browser_draw(void *self, Grid *g)
{
    Browser *b = self;
    const Catalog *cat = b->cat;
    int y = 3, per = 3, nprob = 0, shown_prob;
    int rows;
    size_t i;
    bool playground_heading = false;
    const char *p;

    draw_fill(g, 0, 0, g->w, 1, UI_TITLE);
    draw_text(g, 1, 0, g->w - 2, "interleave - concurrency you can watch: choose a lesson",
              (size_t)-1, UI_TITLE);
    {
        char from[1024];
        snprintf(from, sizeof(from), "lessons from %s", strbuf_str(&cat->path_text));
        draw_text_fit(g, 2, 1, g->w - 4, from, STYLE_DIM);
    }
    /* every file that did not load, one a row (as many as leave room for
     * three entries); F5 reads them again after an edit */
    for (p = strbuf_str(&cat->problems); *p != '\0'; p += strcspn(p, "\n"), p += *p == '\n') {
        nprob++;
    }
    shown_prob = nprob < (g->h - 6 - 3 * per - 1) ? nprob : (g->h - 6 - 3 * per - 1);
    shown_prob = shown_prob < 0 ? 0 : shown_prob;
    if (nprob > 0) {
        int k = 0;
        y = 2;
        draw_textf(g, 2, y++, g->w - 4, UI_ERROR,
                   "%d lesson file%s did not load (F5 reads them again):", nprob,
                   nprob == 1 ? "" : "s");
        for (p = strbuf_str(&cat->problems); *p != '\0' && k < shown_prob; k++) {
            size_t len = strcspn(p, "\n");
            if (k + 1 == shown_prob && shown_prob < nprob) {
                draw_textf(g, 4, y++, g->w - 6, UI_ERROR, "... and %d more (interleave lint)",
                           nprob - k);
                break;
            }
            draw_text(g, 4, y++, g->w - 6, p, len, UI_ERROR);
            p += len;
            p += *p == '\n';
        }
        y++;
    }
    rows = (g->h - y - 3) / per;
    if (cat->n == 0) {
        draw_text(g, 4, 4, g->w - 8, "No lessons and no demos found.", (size_t)-1, UI_ERROR);
    }
    if (rows < 1) {
        rows = 1;
    }
    if (b->sel < b->top) {
        b->top = b->sel;
    }
    if (b->sel >= b->top + (size_t)rows) {
        b->top = b->sel - (size_t)rows + 1;
    }
    if (b->top > 0) {
        /* the row above the first entry is blank: say what is up there */
        draw_textf(g, 4, y - 1, g->w - 8, STYLE_DIM, "%zu more above (Up)", b->top);
    }
    for (i = b->top; i < cat->n && y + 1 < g->h - 2 - (b->notice[0] != '\0'); i++) {
        const CatalogEntry *e = &cat->entries[i];
        bool sel = i == b->sel;
        int style = sel ? UI_SELECTED : UI_HEADING;
        if (e->lesson == NULL && !playground_heading && i > 0) {
            playground_heading = true;
        }
        draw_fill(g, 2, y, g->w - 4, 1, sel ? UI_SELECTED : STYLE_TEXT);
        grid_put(g, 2, y, sel ? DRAW_BULLET : ' ', (CellStyle)style);
        if (e->lesson != NULL) {
            const Lesson *l = e->lesson;
            char right[64] = "";
            int rw = 0, x;
            if (cat->progress != NULL) {
                unsigned seen = progress_pages_seen(cat->progress, l->id);
                QuizTally t;
                quiz_tally(l, cat->progress, &t);
                if (t.questions + t.challenges > 0) {
                    rw = snprintf(right, sizeof(right), "%s%u/%zu pages, %u/%u answered",
                                  t.done ? "done: " : "", seen, l->npages, t.answered + t.solved,
                                  t.questions + t.challenges);
                } else {
                    rw = snprintf(right, sizeof(right), "%s%u/%zu pages", t.done ? "done: " : "",
                                  seen, l->npages);
                }
                draw_text(g, g->w - 3 - rw, y, rw, right, (size_t)-1,
                          t.done ? (sel ? UI_SELECTED : UI_GOOD) : (sel ? UI_SELECTED : STYLE_DIM));
            }
            /* the title has the room the progress leaves; a longer one ends
             * at a word with an ellipsis */
            x = 4 + draw_text_fit(g, 4, y, g->w - 3 - rw - 2 - 4, l->title, style);
            if (l->origin != LESSON_BUILTIN) {
                /* an instructor's own lesson says where it comes from */
                StrBuf o;
                strbuf_init(&o);
                lessonpath_origin(l, &o);
                draw_textf(g, x + 2, y, g->w - 3 - rw - 2 - x - 2, sel ? UI_SELECTED : STYLE_DIM,
                           "[%s]", strbuf_str(&o));
                strbuf_fini(&o);
            }
            /* a summary too long for the row ends at a word, with an ellipsis */
            draw_text_fit(g, 4, y + 1, g->w - 8, l->summary != NULL ? l->summary : "", STYLE_TEXT);
        } else {
            draw_textf(g, 4, y, g->w - 8, style, "playground: %s", e->demo->name);
            draw_text_fit(g, 4, y + 1, g->w - 8, e->demo->summary, STYLE_DIM);
        }
        y += per;
    }
    if (b->notice[0] != '\0') {
        draw_text_fit(g, 1, g->h - 2, g->w - 2, b->notice, UI_ERROR);
    } else if (i < cat->n) {
        /* entries that did not fit (10 lessons at 80x24 show 6): Down
         * scrolls to them */
        draw_textf(g, 4, g->h - 2, g->w - 8, STYLE_DIM, "%zu more below (Down)", cat->n - i);
    }
    keys_draw_bar(g, g->h - 1, KEYS_BROWSER);
}

const ScreenClass browser_class = {
    .name = "browser",
    .scope = browser_scope,
    .on_key = browser_on_key,
    .on_action = browser_on_action,
    .tick = browser_tick,
    .draw = browser_draw,
    .help_extra = NULL,
};
