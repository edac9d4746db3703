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
        if (n > 0 && (text[0] == ' ' || text[0] == '\t')) {
            /* code keeps its lines: one too long for the panel says so */
            draw_text_mark(c->g, c->x + indent, c->y + row, c->w - indent, text, n, UI_CODE);
        } else {
            draw_text(c->g, c->x + indent, c->y + row, c->w - indent, text, n, STYLE_TEXT);
        }
    }
    c->line++;
}

/* "right", "wrong, 2 attempts", "solved", or "" (not tried). */
static void panel_text_status(const Quiz *quiz, const char *id, char *buf, size_t len)
{
    size_t i = quiz != NULL ? quiz_find(quiz, id) : (size_t)-1;
    ProgressItem st;

    buf[0] = '\0';
    if (i == (size_t)-1) {
        return;
    }
    quiz_status(quiz, i, &st);
    if (st.attempts == 0 && st.last < 0) {
        return;
    }
    if (quiz->items[i].kind == QUIZ_CHALLENGE) {
        snprintf(buf, len, "%s", st.right ? "solved" : "not solved yet");
    } else if (quiz_done(quiz, i)) {
        snprintf(buf, len, "%s", st.last == PROGRESS_NOTED ? "answered" : "answered: right");
    } else {
        snprintf(buf, len, "answered: wrong, %u attempt%s", st.attempts,
                 st.attempts == 1 ? "" : "s");
    }
}

/* Lay the page (or the playground's summary) out into c's lines. */
static void panel_text_lay(PtLines *c, const Lesson *lesson, size_t page, const DemoClass *demo,
                           const Quiz *quiz)
{
    const LessonPage *pg;
    StrBuf b;
    char status[64];

    if (lesson == NULL || lesson->npages == 0) {
        draw_wrap(demo != NULL ? demo->summary : "", c->w, panel_text_line, c);
        return;
    }
    pg = &lesson->pages[page];
    draw_wrap(pg->text != NULL ? pg->text : "", c->w, panel_text_line, c);
    if (pg->nquestions + pg->nchallenges == 0) {
        return;
    }
    /* the text holds each question and challenge where it stands
     * ("[question 1] ..."); here, once, how the student stands on them */
    panel_text_line(c, "", 0, 0);
    strbuf_init(&b);
    strbuf_add(&b, "Tab answers them:\n");
    for (size_t i = 0; i < pg->nchallenges; i++) {
        panel_text_status(quiz, pg->challenges[i].id, status, sizeof(status));
        strbuf_addf(&b, "- challenge %zu: %s\n", i + 1, status[0] != '\0' ? status : "not tried");
    }
    for (size_t i = 0; i < pg->nquestions; i++) {
        panel_text_status(quiz, pg->questions[i].id, status, sizeof(status));
        strbuf_addf(&b, "- question %zu: %s\n", i + 1, status[0] != '\0' ? status : "not answered");
    }
    draw_wrap(strbuf_str(&b), c->w, panel_text_line, c);
    strbuf_fini(&b);
}

int panel_text_draw(Grid *g, Rect r, const Lesson *lesson, size_t page, int scroll,
                    const DemoClass *demo, const Quiz *quiz)
{
    PtLines c = {NULL, r.x, r.y + 1, r.w, r.h - 1, scroll, 0};
    const char *title = "playground";
    const char *more = " more below (Down) ";
    int total, th;

    if (lesson != NULL && lesson->npages > 0) {
        title = lesson->pages[page].title != NULL ? lesson->pages[page].title : "";
    }
    /* a title wider than the panel wraps (up to two rows, then ends with
     * an ellipsis) */
    th = draw_text_lines(g, r.x, r.y, r.w, 2, title, UI_HEADING);
    c.y = r.y + th;
    c.h = r.h - th;
    /* count the lines first: when they go on past the panel, its last row
     * says so, and the text stops a row earlier instead of under it */
    panel_text_lay(&c, lesson, page, demo, quiz);
    total = c.line;
    c.g = g;
    c.line = 0;
    if (total - scroll > c.h) {
        c.h--;
        draw_text(g, r.x + r.w - (int)strlen(more), r.y + r.h - 1, (int)strlen(more), more,
                  (size_t)-1, STYLE_DIM);
    }
    panel_text_lay(&c, lesson, page, demo, quiz);
    return total;
}
