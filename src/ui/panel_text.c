/*
 * panel_text.c - the lesson page panel (see panel_text.h).
 */
#include "config.h"

#include "ui/panel_text.h"

#include <stdio.h>
#include <string.h>

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
    if (row >= 0 && row < c->h) {
        int style = STYLE_TEXT;
        if (n > 0 && (text[0] == ' ' || text[0] == '\t')) {
            style = UI_CODE;
        }
        draw_text(c->g, c->x + indent, c->y + row, c->w - indent, text, n, style);
    }
    c->line++;
}

int panel_text_draw(Grid *g, Rect r, const Lesson *lesson, size_t page, int scroll,
                    const DemoClass *demo)
{
    int x = r.x, y = r.y, w = r.w, h = r.h;
    const LessonPage *pg;
    PtLines c = {g, x, y + 1, w, h - 1, 0, 0};
    char more[64];

    if (lesson == NULL || lesson->npages == 0) {
        draw_text(g, x, y, w, "playground", (size_t)-1, UI_HEADING);
        c.skip = scroll;
        draw_wrap(demo != NULL ? demo->summary : "", w, panel_text_line, &c);
        return c.line;
    }
    pg = &lesson->pages[page];
    draw_text(g, x, y, w, pg->title != NULL ? pg->title : "", (size_t)-1, UI_HEADING);
    c.skip = scroll;
    draw_wrap(pg->text != NULL ? pg->text : "", w, panel_text_line, &c);
    for (size_t i = 0; i < pg->nquestions; i++) {
        const LessonQuestion *q = &pg->questions[i];
        panel_text_line(&c, "", 0, 0);
        {
            char buf[1024];
            snprintf(buf, sizeof(buf), "? %s", q->prompt != NULL ? q->prompt : "");
            draw_wrap(buf, w, panel_text_line, &c);
        }
        for (size_t k = 0; k < q->nchoices; k++) {
            char buf[512];
            snprintf(buf, sizeof(buf), "- %c) %s", (int)('a' + k), q->choices[k]);
            draw_wrap(buf, w, panel_text_line, &c);
        }
    }
    if (c.line - c.skip > c.h) {
        snprintf(more, sizeof(more), " more below (Down) ");
        draw_text(g, x + w - (int)strlen(more), y + h - 1, (int)strlen(more), more, (size_t)-1,
                  STYLE_DIM);
    }
    return c.line;
}
