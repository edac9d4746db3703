/*
 * panel_quiz.c - the quiz dialog and the goal block (see panel_quiz.h).
 *
 * The dialog is laid out from the bottom up: the selected item's details
 * are counted first (a dry run of the same code that draws them), and the
 * list above them gets the rows that are left, at least three, scrolling
 * to keep the selection in view.  So at 80x24 the prompt, the choices,
 * the verdict and the explanation of a question all show whole.
 */
#include "config.h"

#include "ui/panel_quiz.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/answers.h"
#include "lesson/challenge.h"
#include "ui/crt.h"
#include "util/strbuf.h"
#include "view/draw.h"

/* ------------------------------------------------------------------ */
/* keys                                                                */
/* ------------------------------------------------------------------ */

void panel_quiz_open(PanelQuiz *pq, Quiz *quiz, size_t page)
{
    panel_quiz_close(pq);
    memset(pq, 0, sizeof(*pq));
    prompt_close(&pq->prompt); /* an empty text */
    pq->quiz = quiz;
    pq->sel = quiz_first(quiz, page);
    pq->verdict = -1;
}

void panel_quiz_close(PanelQuiz *pq)
{
    pq->typing = PANEL_QUIZ_TYPING_NONE;
    prompt_close(&pq->prompt);
}

const QuizItem *panel_quiz_item(const PanelQuiz *pq)
{
    return pq->quiz != NULL && pq->sel < pq->quiz->n ? &pq->quiz->items[pq->sel] : NULL;
}

static PanelQuizAction panel_quiz_say(PanelQuiz *pq, int verdict, const char *fmt, ...)
    ATTR_FORMAT(printf, 3, 4);

static PanelQuizAction panel_quiz_say(PanelQuiz *pq, int verdict, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pq->msg, sizeof(pq->msg), fmt, ap);
    va_end(ap);
    pq->msg_item = pq->sel;
    pq->verdict = verdict;
    return PANEL_QUIZ_SAY;
}

void panel_quiz_move(PanelQuiz *pq, int dir)
{
    size_t n = pq->quiz != NULL ? pq->quiz->n : 0;
    panel_quiz_close(pq);
    if (n == 0) {
        return;
    }
    if (dir > 0 && pq->sel + 1 < n) {
        pq->sel++;
    } else if (dir < 0 && pq->sel > 0) {
        pq->sel--;
    }
}

/* Judge text as the answer to the selected question. */
static PanelQuizAction panel_quiz_judge(PanelQuiz *pq, const char *text)
{
    char msg[sizeof(pq->msg)];
    ProgressItem st;
    int v = quiz_answer(pq->quiz, pq->sel, text, msg, sizeof(msg));

    quiz_status(pq->quiz, pq->sel, &st);
    if (v == QUIZ_WRONG) {
        return panel_quiz_say(pq, v, "%s; try again (attempt %u so far)", msg, st.attempts);
    }
    return panel_quiz_say(pq, v, "%s", msg);
}

PanelQuizAction panel_quiz_choose(PanelQuiz *pq, int n)
{
    const QuizItem *it = panel_quiz_item(pq);
    char text[16];

    panel_quiz_close(pq);
    if (it == NULL) {
        return panel_quiz_say(pq, QUIZ_REFUSED, "this lesson has no questions");
    }
    if (it->kind == QUIZ_CHALLENGE) {
        return panel_quiz_say(pq, QUIZ_REFUSED,
                              "%s is a challenge: Enter starts it (you step), l types a schedule",
                              it->id);
    }
    if (it->q->nchoices == 0) {
        return panel_quiz_say(pq, QUIZ_REFUSED,
                              "this question has no choices: Enter types the answer");
    }
    if (n < 1 || (size_t)n > it->q->nchoices) {
        return panel_quiz_say(pq, QUIZ_REFUSED, "there are %zu choices: 1-%zu", it->q->nchoices,
                              it->q->nchoices);
    }
    snprintf(text, sizeof(text), "%d", n);
    return panel_quiz_judge(pq, text);
}

PanelQuizAction panel_quiz_enter(PanelQuiz *pq)
{
    const QuizItem *it = panel_quiz_item(pq);

    if (it == NULL) {
        return panel_quiz_say(pq, QUIZ_REFUSED, "this lesson has no questions");
    }
    if (it->kind == QUIZ_CHALLENGE) {
        panel_quiz_close(pq);
        return PANEL_QUIZ_START;
    }
    if (it->q->nchoices > 0) {
        snprintf(pq->label, sizeof(pq->label),
                 "your choice, 1-%zu or its text (Enter checks, Esc cancels): ", it->q->nchoices);
    } else if (question_graded(it->q)) {
        snprintf(pq->label, sizeof(pq->label), "your answer (Enter checks, Esc cancels): ");
    } else {
        snprintf(pq->label, sizeof(pq->label),
                 "your answer, kept, not graded (Enter keeps it, Esc cancels): ");
    }
    prompt_open(&pq->prompt, pq->label, NULL);
    pq->typing = PANEL_QUIZ_TYPING_ANSWER;
    return PANEL_QUIZ_NONE;
}

PanelQuizAction panel_quiz_schedule(PanelQuiz *pq)
{
    const QuizItem *it = panel_quiz_item(pq);

    if (it == NULL || it->kind != QUIZ_CHALLENGE) {
        return panel_quiz_say(pq, QUIZ_REFUSED,
                              "l types a schedule for a challenge; this is a question");
    }
    snprintf(pq->label, sizeof(pq->label),
             "schedule for %.60s (Enter replays, Esc cancels): ", it->id);
    prompt_open(&pq->prompt, pq->label, NULL);
    pq->typing = PANEL_QUIZ_TYPING_SCHEDULE;
    return PANEL_QUIZ_NONE;
}

bool panel_quiz_typing(const PanelQuiz *pq)
{
    return pq->typing != PANEL_QUIZ_TYPING_NONE;
}

const char *panel_quiz_text(const PanelQuiz *pq)
{
    return prompt_text(&pq->prompt);
}

static bool panel_quiz_blank(const char *s)
{
    while (isspace((unsigned char)*s)) {
        s++;
    }
    return *s == '\0';
}

PanelQuizAction panel_quiz_key(PanelQuiz *pq, int key)
{
    int typing = pq->typing;
    PanelQuizAction a;

    switch (prompt_key(&pq->prompt, key)) {
    case PROMPT_CANCEL:
        panel_quiz_close(pq);
        return PANEL_QUIZ_NONE;
    case PROMPT_ACCEPT:
        if (panel_quiz_blank(panel_quiz_text(pq))) {
            /* nothing typed: no attempt; the prompt stays for one */
            return panel_quiz_say(pq, QUIZ_REFUSED, "%s",
                                  typing == PANEL_QUIZ_TYPING_SCHEDULE
                                      ? "type a schedule first (A B A B ...), or Esc"
                                      : "type an answer first, or Esc");
        }
        pq->typing = PANEL_QUIZ_TYPING_NONE;
        if (typing == PANEL_QUIZ_TYPING_SCHEDULE) {
            return PANEL_QUIZ_SCHEDULE; /* the text stays until the next prompt */
        }
        a = panel_quiz_judge(pq, panel_quiz_text(pq));
        prompt_close(&pq->prompt);
        return a;
    default:
        return PANEL_QUIZ_NONE;
    }
}

/* ------------------------------------------------------------------ */
/* drawing                                                             */
/* ------------------------------------------------------------------ */

/* Lines laid out into a rectangle, or only counted (g == NULL). */
typedef struct PqOut {
    Grid *g;
    int x, y, w, h;
    int line;
    int style;
} PqOut;

static void pq_line(void *arg, const char *text, size_t n, int indent)
{
    PqOut *o = arg;
    if (o->g != NULL && o->line < o->h) {
        draw_text(o->g, o->x + indent, o->y + o->line, o->w - indent, text, n, o->style);
    }
    o->line++;
}

static void pq_wrap(PqOut *o, int style, const char *text)
{
    o->style = style;
    draw_wrap(text, o->w, pq_line, o);
}

static void pq_wrapf(PqOut *o, int style, const char *fmt, ...) ATTR_FORMAT(printf, 3, 4);

static void pq_wrapf(PqOut *o, int style, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    s = malloc((size_t)n + 1);
    if (s == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pq_wrap(o, style, s);
    free(s);
}

static void pq_blank(PqOut *o)
{
    o->line++;
}

/* The word for how the student stands on an item. */
static const char *pq_status_word(const QuizItem *it, const ProgressItem *st)
{
    if (it->kind == QUIZ_CHALLENGE) {
        return st->right ? "solved" : st->attempts > 0 ? "missed" : "-";
    }
    if (!question_graded(it->q)) {
        return st->attempts > 0 ? "noted" : "-";
    }
    if (st->right) {
        return "right";
    }
    return st->last == PROGRESS_WRONG ? "wrong" : "-";
}

static int pq_status_style(const char *word)
{
    if (strcmp(word, "right") == 0 || strcmp(word, "solved") == 0 || strcmp(word, "noted") == 0) {
        return UI_GOOD;
    }
    if (strcmp(word, "wrong") == 0 || strcmp(word, "missed") == 0) {
        return UI_ERROR;
    }
    return STYLE_DIM;
}

/* A question's answer as the student gave it, with the choice's text when
 * it was a choice's number: "2 (1 or 2)". */
static void pq_answer_text(const LessonQuestion *q, const char *text, char *buf, size_t len)
{
    char *end;
    long k = strtol(text, &end, 10);
    if (q->nchoices > 0 && end != text && *end == '\0' && k >= 1 && (size_t)k <= q->nchoices) {
        snprintf(buf, len, "%s (%s)", text, q->choices[k - 1]);
    } else {
        snprintf(buf, len, "%s", text);
    }
}

static void pq_question(PanelQuiz *pq, PqOut *o, const QuizItem *it, const ProgressItem *st)
{
    const LessonQuestion *q = it->q;
    bool said = pq->msg_item == pq->sel && pq->verdict >= 0 && pq->msg[0] != '\0';

    pq_wrap(o, UI_HEADING, q->prompt != NULL ? q->prompt : "");
    for (size_t k = 0; k < q->nchoices; k++) {
        pq_wrapf(o, STYLE_TEXT, "%zu. %s", k + 1, q->choices[k]);
    }
    pq_blank(o);
    if (st->text != NULL) {
        char ans[256];
        pq_answer_text(q, st->text, ans, sizeof(ans));
        pq_wrapf(o, STYLE_TEXT, "your answer: %s", ans);
    }
    if (said) {
        int style = pq->verdict == QUIZ_RIGHT || pq->verdict == QUIZ_NOTED ? UI_GOOD : UI_ERROR;
        pq_wrap(o, style, pq->msg);
    } else if (st->last >= 0) {
        const char *w = pq_status_word(it, st);
        pq_wrapf(o, pq_status_style(w), "%s%s (%u attempt%s)", w,
                 st->right && st->last == PROGRESS_WRONG ? " before; the last one wrong" : "",
                 st->attempts, st->attempts == 1 ? "" : "s");
    }
    if (st->last >= 0) {
        /* the explanation gives the answer away: it comes once the answer
         * is right (or noted), or after QUIZ_EXPLAIN_AFTER wrong tries */
        if (q->explain != NULL && quiz_explain_shown(q, st)) {
            pq_wrapf(o, STYLE_TEXT, "explain: %s", q->explain);
        } else if (q->explain != NULL) {
            pq_wrapf(o, STYLE_DIM,
                     "Try again: the explanation shows once it is right, or after "
                     "%d tries.",
                     QUIZ_EXPLAIN_AFTER);
        }
    } else if (q->nchoices > 0) {
        pq_wrapf(o, STYLE_DIM, "1-%zu answers with that choice; Enter types it.", q->nchoices);
    } else if (question_graded(q)) {
        pq_wrap(o, STYLE_DIM, "Enter types the answer.");
    } else {
        pq_wrap(o, STYLE_DIM, "For thinking: Enter types your answer (it is kept, not graded).");
    }
}

static void pq_challenge(PanelQuiz *pq, PqOut *o, const QuizItem *it, const ProgressItem *st)
{
    const LessonChallenge *ch = it->ch;
    StrBuf params;

    pq_wrapf(o, UI_HEADING, "goal: %s", ch->goal != NULL ? ch->goal : "");
    strbuf_init(&params);
    for (size_t i = 0; i < ch->nparams; i++) {
        strbuf_addf(&params, " %s", ch->params[i]);
    }
    pq_wrapf(o, STYLE_DIM, "a step-mode run of %s%s", ch->demo != NULL ? ch->demo : "?",
             strbuf_str(&params));
    strbuf_fini(&params);
    if (pq->msg_item == pq->sel && pq->verdict == QUIZ_REFUSED && pq->msg[0] != '\0') {
        pq_wrap(o, UI_ERROR, pq->msg);
    }
    if (st->right) {
        pq_wrapf(o, UI_GOOD, "solved (%u attempt%s); the last run: %s", st->attempts,
                 st->attempts == 1 ? "" : "s", st->text != NULL ? st->text : "?");
        if (ch->explain != NULL) {
            pq_wrapf(o, STYLE_TEXT, "explain: %s", ch->explain);
        }
    } else if (st->attempts > 0) {
        pq_wrapf(o, UI_ERROR, "not solved yet: %u attempt%s; the last: %s", st->attempts,
                 st->attempts == 1 ? "" : "s", st->text != NULL ? st->text : "?");
    }
    if (ch->hint != NULL && !st->right) {
        pq_wrapf(o, STYLE_DIM, "hint: %s", ch->hint);
    }
    pq_wrap(o, STYLE_DIM, "Enter: step it yourself (A, B, ...); l: type a schedule.");
}

/* The selected item's details into o. */
static void pq_details(PanelQuiz *pq, PqOut *o)
{
    const QuizItem *it = panel_quiz_item(pq);
    ProgressItem st;

    if (it == NULL) {
        pq_wrap(o, STYLE_DIM, "This lesson has no questions and no challenges.");
        return;
    }
    quiz_status(pq->quiz, pq->sel, &st);
    if (it->kind == QUIZ_QUESTION) {
        pq_question(pq, o, it, &st);
    } else {
        pq_challenge(pq, o, it, &st);
    }
}

void panel_quiz_draw(PanelQuiz *pq, Grid *g, Rect r)
{
    size_t n = pq->quiz != NULL ? pq->quiz->n : 0, done = 0;
    int inner = r.h - 2, need, rows, y;
    PqOut o = {NULL, r.x + 2, 0, r.w - 4, 0, 0, STYLE_TEXT};

    for (size_t i = 0; i < n; i++) {
        done += quiz_done(pq->quiz, i);
    }
    draw_fill(g, r.x, r.y, r.w, r.h, STYLE_TEXT);
    draw_hline(g, r.x, r.y, r.w, UI_HEADING);
    draw_hline(g, r.x, r.y + r.h - 1, r.w, UI_HEADING);
    draw_textf(g, r.x + 2, r.y, r.w - 4, UI_HEADING, " questions and challenges: %zu of %zu done ",
               done, n);

    /* the details first, counted; the list gets the rest */
    pq_details(pq, &o);
    need = o.line;
    rows = inner - 1 - need;
    if (rows > (int)n) {
        rows = (int)n;
    }
    if (rows < 3) {
        rows = n < 3 ? (int)n : 3;
    }
    if (pq->sel < pq->top) {
        pq->top = pq->sel;
    }
    if (rows > 0 && pq->sel >= pq->top + (size_t)rows) {
        pq->top = pq->sel - (size_t)rows + 1;
    }
    if (pq->top + (size_t)rows > n) {
        pq->top = n > (size_t)rows ? n - (size_t)rows : 0;
    }
    y = r.y + 1;
    for (int k = 0; k < rows; k++) {
        size_t i = pq->top + (size_t)k;
        const QuizItem *it = &pq->quiz->items[i];
        ProgressItem st;
        const char *w, *text;
        bool sel = i == pq->sel;
        int x = r.x + 1;

        quiz_status(pq->quiz, i, &st);
        w = pq_status_word(it, &st);
        text = it->kind == QUIZ_QUESTION ? it->q->prompt : it->ch->goal;
        draw_fill(g, r.x + 1, y, r.w - 2, 1, sel ? UI_SELECTED : STYLE_TEXT);
        grid_put(g, x, y, sel ? DRAW_BULLET : ' ', (CellStyle)(sel ? UI_SELECTED : STYLE_TEXT));
        x += 2;
        draw_textf(g, x, y, 7, sel ? UI_SELECTED : pq_status_style(w), "%s", w);
        x += 8;
        draw_textf(g, x, y, 16, sel ? UI_SELECTED : STYLE_DIM, "p%-3zu %s", it->page + 1,
                   it->kind == QUIZ_QUESTION ? "question" : "challenge");
        x += 15;
        draw_text_fit(g, x, y, r.x + r.w - 2 - x, text != NULL ? text : "",
                      sel ? UI_SELECTED : STYLE_TEXT);
        y++;
    }
    if (pq->top > 0) {
        draw_text(g, r.x + r.w - 12, r.y + 1, 10, " more up ", (size_t)-1, STYLE_DIM);
    }
    if (pq->top + (size_t)rows < n) {
        draw_text(g, r.x + r.w - 12, y - 1, 10, " more down ", (size_t)-1, STYLE_DIM);
    }
    draw_hline(g, r.x + 1, y, r.w - 2, STYLE_DIM);
    y++;
    o.g = g;
    o.y = y;
    o.h = r.y + r.h - 1 - y;
    o.line = 0;
    pq_details(pq, &o);
}

void panel_quiz_draw_prompt(const PanelQuiz *pq, Grid *g, int y)
{
    prompt_draw(&pq->prompt, g, y);
}

int panel_quiz_goal_draw(Grid *g, Rect r, const LessonChallenge *ch, int status, const char *msg)
{
    PqOut o = {g, r.x, r.y + 1, r.w, r.h - 2, 0, STYLE_TEXT};
    const char *word = status == CHALLENGE_REACHED  ? "goal reached"
                       : status == CHALLENGE_MISSED ? "not reached"
                                                    : "not yet";
    int style = status == CHALLENGE_REACHED  ? UI_GOOD
                : status == CHALLENGE_MISSED ? UI_ERROR
                                             : STYLE_DIM;
    int ww = (int)strlen(word), used;

    if (r.h < 3) {
        return 0;
    }
    /* "challenge race-lose-one", or the id alone where that does not fit */
    draw_textf(g, r.x, r.y, r.w - ww - 1, UI_HEADING, "%s%s",
               10 + (int)strlen(ch->id) + 1 + ww <= r.w ? "challenge " : "", ch->id);
    draw_text(g, r.x + r.w - ww, r.y, ww, word, (size_t)-1, style);
    pq_wrap(&o, STYLE_TEXT, ch->goal != NULL ? ch->goal : "");
    if (msg != NULL && msg[0] != '\0' && status >= 0) {
        pq_wrap(&o, style, msg);
    }
    if (status == CHALLENGE_REACHED && ch->explain != NULL) {
        pq_wrap(&o, STYLE_TEXT, ch->explain);
    } else if (status == CHALLENGE_MISSED && ch->hint != NULL) {
        pq_wrapf(&o, STYLE_DIM, "hint: %s", ch->hint);
    }
    used = 1 + (o.line < o.h ? o.line : o.h);
    draw_hline(g, r.x, r.y + used, r.w, STYLE_DIM);
    return used + 1;
}
