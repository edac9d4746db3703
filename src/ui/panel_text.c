/*
 * panel_text.c - the lesson page panel (see panel_text.h).
 */
#include "config.h"

#include "ui/panel_text.h"

#include <stdio.h>
#include <string.h>

#include "util/strbuf.h"
#include "view/draw.h"

typedef struct PtLines {
    Grid *g;
    int x, y, w, h;
    int skip; /* lines to skip (scroll) */
    int line;
} PtLines;

static void panel_text_line(void *arg, const char *text, size_t n, int indent)
{
    PtLines *c = arg;
    int row = c->line - c->skip;
    if (c->g != NULL && row >= 0 && row < c->h) {
        int style = STYLE_TEXT;
        if (n > 0 && (text[0] == ' ' || text[0] == '\t')) {
            style = UI_CODE;
        }
        draw_text(c->g, c->x + indent, c->y + row, c->w - indent, text, n, style);
    }
    c->line++;
}

/* Lay the page (or the playground's summary) out into c's lines. */
static void panel_text_lay(PtLines *c, const Lesson *lesson, size_t page, const DemoClass *demo)
{
    const LessonPage *pg;
    StrBuf b;

    if (lesson == NULL || lesson->npages == 0) {
        draw_wrap(demo != NULL ? demo->summary : "", c->w, panel_text_line, c);
        return;
    }
    pg = &lesson->pages[page];
    draw_wrap(pg->text != NULL ? pg->text : "", c->w, panel_text_line, c);
    for (size_t i = 0; i < pg->nquestions; i++) {
        const LessonQuestion *q = &pg->questions[i];
        panel_text_line(c, "", 0, 0);
        strbuf_init(&b);
        strbuf_addf(&b, "? %s", q->prompt != NULL ? q->prompt : "");
        draw_wrap(strbuf_str(&b), c->w, panel_text_line, c);
        strbuf_fini(&b);
        for (size_t k = 0; k < q->nchoices; k++) {
            strbuf_init(&b);
            strbuf_addf(&b, "- %c) %s", (int)('a' + k), q->choices[k]);
            draw_wrap(strbuf_str(&b), c->w, panel_text_line, c);
            strbuf_fini(&b);
        }
    }
}

int panel_text_draw(Grid *g, Rect r, const Lesson *lesson, size_t page, int scroll,
                    const DemoClass *demo)
{
    PtLines c = {NULL, r.x, r.y + 1, r.w, r.h - 1, scroll, 0};
    const char *title = "playground";
    const char *more = " more below (Down) ";
    int total;

    if (lesson != NULL && lesson->npages > 0) {
        title = lesson->pages[page].title != NULL ? lesson->pages[page].title : "";
    }
    draw_text(g, r.x, r.y, r.w, title, (size_t)-1, UI_HEADING);
    /* count the lines first: when they go on past the panel, its last row
     * says so, and the text stops a row earlier instead of under it */
    panel_text_lay(&c, lesson, page, demo);
    total = c.line;
    c.g = g;
    c.line = 0;
    if (total - scroll > c.h) {
        c.h--;
        draw_text(g, r.x + r.w - (int)strlen(more), r.y + r.h - 1, (int)strlen(more), more,
                  (size_t)-1, STYLE_DIM);
    }
    panel_text_lay(&c, lesson, page, demo);
    return total;
}
