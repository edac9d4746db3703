/*
 * lesson_screen.c - one lesson: its pages beside a live demo.
 *
 * DESIGN
 * The screen is a host: runs belong to a LessonSession (lesson/session.h:
 * start, pause, step, undo, load, save, parameters, with no drawing), and
 * each part of the screen is a panel in its own file, drawing into the
 * frame's Grid: the page text (panel_text), the code with the lanes'
 * markers and the demo's state (panel_state), the timeline with the
 * demo's panel under it (panel_timeline), the wait-for graph or the demo's
 * own panel beside it (view/waitgraph, DemoView.side), the verdict banner
 * (banner), the parameters dialog (dialog_params), the prompt (prompt),
 * and the lesson's questions and challenges (panel_quiz: a dialog with
 * its own key scope, and the goal block of the challenge being solved).
 * This file keeps the key dispatch, the page navigation and the layout.
 *
 * A lesson reopens at the page the student was last on (progress_at).
 *
 * The screen never names a demo: what it shows beyond the generic parts
 * comes from the demo's view (view/view.h).  Panels keep their own per-run
 * state; the screen resets it whenever the session starts or stops a run
 * (session_generation), and lets them take in new events each tick, so a
 * frame never re-reads the whole log.
 *
 * Every tick polls the run without blocking and, while it goes, the loop
 * redraws each tick (about 33 times a second).
 *
 * Layout (at least 80x24): title bar; page text on the left; code with
 * lane markers, shared variables and lanes on the right; the timeline
 * with axis and legend, the side panel beside it; the schedule line; a
 * message line; the key bar.  Nothing is cut without a mark: a message
 * too long for its row takes the rows above it (the layout ends higher),
 * the schedule line leaves out its least important parts, titles end
 * with an ellipsis only when the room runs out.
 *
 * Thread: UI thread only.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/run.h"
#include "core/schedule.h"
#include "core/waitfor.h"
#include "lesson/quiz.h"
#include "lesson/session.h"
#include "ui/banner.h"
#include "ui/crt.h"
#include "ui/dialog_params.h"
#include "ui/panel_explore.h"
#include "ui/panel_quiz.h"
#include "ui/panel_state.h"
#include "ui/panel_text.h"
#include "ui/panel_timeline.h"
#include "ui/prompt.h"
#include "ui/screen.h"
#include "view/draw.h"
#include "view/timeline.h"
#include "view/view.h"
#include "view/waitgraph.h"

enum { MODAL_NONE = 0, MODAL_PARAMS, MODAL_PROMPT, MODAL_STEPS, MODAL_QUIZ, MODAL_EXPLORE };

struct LessonScreen {
    const CatalogEntry *entry; /* borrowed */
    const Lesson *lesson;      /* entry->lesson, may be NULL (playground) */
    Progress *progress;        /* borrowed, may be NULL */
    LessonSession *session;
    size_t page;
    int scroll;     /* first line of page text shown */
    int text_lines; /* lines of the page text at the last layout */

    int modal;
    DialogParams dialog;
    Prompt prompt;
    Quiz quiz;          /* the lesson's questions and challenges */
    PanelQuiz quiz_ui;  /* their dialog (MODAL_QUIZ) */
    size_t explore_sel; /* the outcome selected (MODAL_EXPLORE), in report order */
    bool expand;        /* the code panel shows the steps of the lanes' lines */

    /* views of the session's current run; reset when it changes */
    unsigned generation; /* session_generation() they belong to */
    WaitFor wf;          /* the run's wait-for graph, taken at each draw */
    bool present;        /* the presenter layout (v, --present) */
    bool python;         /* the code panel shows the Python of the course (y) */
    PanelState state;
    PanelTimeline timeline;
    const PanelClass *side; /* the demo's panel beside the timeline, NULL = none */
    void *side_state;
    char caption[SESSION_MSG_MAX]; /* a demo script's `say`, "" = none */
};

static void ls_say(LessonScreen *ls, SessionTone tone, const char *fmt, ...)
    ATTR_FORMAT(printf, 3, 4);

static void ls_say(LessonScreen *ls, SessionTone tone, const char *fmt, ...)
{
    char buf[SESSION_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    session_say(ls->session, tone, "%s", buf);
}

static const Run *ls_run(const LessonScreen *ls)
{
    return session_run(ls->session);
}

static bool ls_stepping(const LessonScreen *ls)
{
    return session_mode(ls->session) == SCHED_STEP;
}

/* The panels follow the session's run: new state for a new run. */
static void ls_sync_views(LessonScreen *ls)
{
    const Run *run = ls_run(ls);
    const DemoView *view = view_of(session_demo(ls->session));

    if (ls->generation == session_generation(ls->session) && ls->timeline.run == run) {
        return;
    }
    ls->generation = session_generation(ls->session);
    if (ls->side != NULL && ls->side->free != NULL) {
        ls->side->free(ls->side_state);
    }
    ls->side = NULL;
    ls->side_state = NULL;
    (void)panel_state_reset(&ls->state, run != NULL ? run_nlanes(run) : 0);
    (void)panel_timeline_reset(&ls->timeline, run, run != NULL ? view->under : NULL,
                               run != NULL ? view->marks : NULL);
    if (run != NULL) {
        ViewCtx ctx;
        view_ctx_init(&ctx, run);
        ls->side = view->side;
        if (ls->side != NULL && ls->side->new != NULL) {
            ls->side_state = ls->side->new (&ctx);
        }
    }
}

/* Take in the run's new events. */
static void ls_scan(LessonScreen *ls)
{
    ls_sync_views(ls);
    if (ls_run(ls) == NULL) {
        return;
    }
    panel_timeline_scan(&ls->timeline);
    if (ls->side != NULL && ls->side->scan != NULL) {
        ViewCtx ctx;
        view_ctx_init(&ctx, ls_run(ls));
        ls->side->scan(ls->side_state, &ctx);
    }
}

/* ------------------------------------------------------------------ */
/* the ScreenClass                                                     */
/* ------------------------------------------------------------------ */

static unsigned ls_scope(void *self)
{
    LessonScreen *ls = self;
    if (ls->modal == MODAL_QUIZ) {
        return KEYS_QUIZ;
    }
    if (ls->modal == MODAL_EXPLORE) {
        return KEYS_EXPLORE;
    }
    return ls_stepping(ls) ? KEYS_STEP : KEYS_FREE;
}

static int ls_params_key(LessonScreen *ls, int key)
{
    switch (dialog_params_key(&ls->dialog, key)) {
    case DIALOG_CANCEL:
        ls->modal = MODAL_NONE;
        ls_say(ls, SESSION_DIM, "parameters unchanged");
        break;
    case DIALOG_APPLY:
        ls->modal = MODAL_NONE;
        session_set_params(ls->session, ls->dialog.edit);
        break;
    case DIALOG_QUIT:
        return REACT_HANDLED | REACT_QUIT;
    default:
        if (ls->dialog.error[0] != '\0') {
            ls_say(ls, SESSION_ERROR, "%s", ls->dialog.error);
        }
        break;
    }
    return REACT_HANDLED | REACT_REDRAW;
}

static int ls_prompt_key(LessonScreen *ls, int key)
{
    switch (prompt_key(&ls->prompt, key)) {
    case PROMPT_CANCEL:
        ls_say(ls, SESSION_DIM, "%s",
               ls->modal == MODAL_STEPS ? "no step taken" : "nothing loaded");
        ls->modal = MODAL_NONE;
        break;
    case PROMPT_ACCEPT:
        if (ls->modal == MODAL_STEPS) {
            ls->modal = MODAL_NONE;
            session_send(ls->session, prompt_text(&ls->prompt));
        } else {
            ls->modal = MODAL_NONE;
            session_load(ls->session, prompt_text(&ls->prompt));
        }
        break;
    default:
        break;
    }
    return REACT_HANDLED | REACT_REDRAW;
}

static void ls_goto_page(LessonScreen *ls, size_t page);

/* Do what the quiz dialog asks: say a verdict, or start a challenge. */
static int ls_quiz_react(LessonScreen *ls, PanelQuizAction a)
{
    const QuizItem *it = panel_quiz_item(&ls->quiz_ui);
    PanelQuiz *pq = &ls->quiz_ui;

    switch (a) {
    case PANEL_QUIZ_SAY:
        ls_say(ls,
               pq->verdict == QUIZ_RIGHT || pq->verdict == QUIZ_NOTED ? SESSION_GOOD
               : pq->verdict == QUIZ_WRONG                            ? SESSION_ERROR
                                                                      : SESSION_INFO,
               "%s", pq->msg);
        break;
    case PANEL_QUIZ_START:
    case PANEL_QUIZ_SCHEDULE:
        if (it == NULL || it->kind != QUIZ_CHALLENGE) {
            break;
        }
        ls->modal = MODAL_NONE;
        if (ls->page != it->page) {
            ls_goto_page(ls, it->page); /* the text around the challenge */
        }
        (void)session_challenge_start(ls->session, it->ch,
                                      a == PANEL_QUIZ_SCHEDULE ? panel_quiz_text(pq) : NULL);
        panel_quiz_close(pq);
        ls_sync_views(ls);
        break;
    default:
        break;
    }
    return REACT_HANDLED | REACT_REDRAW;
}

/* The explorer's outcomes (KEYS_EXPLORE): pick one, replay it. */
static int ls_explore_action(LessonScreen *ls, const KeyBinding *b)
{
    const ExploreResult *r = session_explore_result(ls->session);
    size_t n = r != NULL && !session_exploring(ls->session) ? r->noutcomes : 0;

    switch (b->action) {
    case ACT_EXPLORE:
        ls->modal = MODAL_NONE;
        ls_say(ls, SESSION_DIM, "%s", "o shows the outcomes again (and explores anew)");
        return REACT_HANDLED | REACT_REDRAW;
    case ACT_UP:
        if (ls->explore_sel > 0) {
            ls->explore_sel--;
        }
        return REACT_HANDLED | REACT_REDRAW;
    case ACT_DOWN:
        if (ls->explore_sel + 1 < n) {
            ls->explore_sel++;
        }
        return REACT_HANDLED | REACT_REDRAW;
    case ACT_OPEN:
        if (session_explore_load(ls->session, ls->explore_sel)) {
            ls->modal = MODAL_NONE;
            ls_sync_views(ls);
        }
        return REACT_HANDLED | REACT_REDRAW;
    default:
        return REACT_NONE;
    }
}

/* The quiz's own key table (KEYS_QUIZ). */
static int ls_quiz_action(LessonScreen *ls, const KeyBinding *b, int key)
{
    PanelQuiz *pq = &ls->quiz_ui;

    switch (b->action) {
    case ACT_QUIZ:
        panel_quiz_close(pq);
        ls->modal = MODAL_NONE;
        ls_say(ls, SESSION_DIM, "%s", "Tab opens the questions and challenges again");
        return REACT_HANDLED | REACT_REDRAW;
    case ACT_UP:
    case ACT_DOWN:
        panel_quiz_move(pq, b->action == ACT_UP ? -1 : 1);
        return REACT_HANDLED | REACT_REDRAW;
    case ACT_CHOICE:
        return ls_quiz_react(ls, panel_quiz_choose(pq, key - '0'));
    case ACT_ANSWER:
        return ls_quiz_react(ls, panel_quiz_enter(pq));
    case ACT_CHALLENGE_SCHEDULE:
        return ls_quiz_react(ls, panel_quiz_schedule(pq));
    default:
        return REACT_NONE;
    }
}

static int ls_on_key(void *self, int key)
{
    LessonScreen *ls = self;
    if (ls->modal == MODAL_PARAMS) {
        return ls_params_key(ls, key);
    }
    if (ls->modal == MODAL_PROMPT || ls->modal == MODAL_STEPS) {
        return ls_prompt_key(ls, key);
    }
    if (ls->modal == MODAL_QUIZ && panel_quiz_typing(&ls->quiz_ui)) {
        return ls_quiz_react(ls, panel_quiz_key(&ls->quiz_ui, key));
    }
    if (ls->modal == MODAL_QUIZ) {
        return REACT_NONE; /* the quiz's key table */
    }
    if (ls_stepping(ls) && key >= 'a' && key <= 'z' && keys_find(key, ls_scope(ls)) == NULL) {
        /* a student who types the lane's letter in lower case gets told,
         * instead of nothing happening */
        ls_say(ls, SESSION_INFO, "lanes are capital letters: press Shift+%c to step lane %c",
               key - 'a' + 'A', key - 'a' + 'A');
        return REACT_HANDLED | REACT_REDRAW;
    }
    return REACT_NONE;
}

static void ls_goto_page(LessonScreen *ls, size_t page)
{
    size_t nruns, nitems;
    int saved = 0;

    ls->page = page;
    ls->scroll = 0;
    if (ls->lesson == NULL) {
        return;
    }
    if (ls->progress != NULL) {
        saved = progress_mark_page(ls->progress, ls->lesson->id, (unsigned)page);
    }
    nruns = ls->lesson->pages[page].nruns;
    nitems = ls->lesson->pages[page].nquestions + ls->lesson->pages[page].nchallenges;
    if (nruns == 1) {
        ls_say(ls, SESSION_INFO, "this page has a demo run: g loads it%s",
               nitems > 0 ? "; Tab answers its questions" : "");
    } else if (nruns > 1) {
        ls_say(ls, SESSION_INFO, "this page has %zu demo runs: 1-%zu load one%s", nruns,
               nruns < 9 ? nruns : 9, nitems > 0 ? "; Tab answers its questions" : "");
    } else if (nitems > 0) {
        ls_say(ls, SESSION_INFO, "%s",
               "this page asks questions: Tab answers them (and starts challenges)");
    } else {
        ls_say(ls, SESSION_INFO, "%s", "");
    }
    if (saved < 0) {
        ls_say(ls, SESSION_ERROR, "%s", progress_error(ls->progress)); /* at once */
    }
}

/* Load demo run block idx (0-based) of the current page. */
static void ls_page_run(LessonScreen *ls, size_t idx)
{
    const LessonPage *pg;

    if (ls->lesson == NULL || ls->lesson->npages == 0 || ls->lesson->pages[ls->page].nruns == 0) {
        ls_say(ls, SESSION_ERROR, "this page has no demo run");
        return;
    }
    pg = &ls->lesson->pages[ls->page];
    if (idx >= pg->nruns) {
        ls_say(ls, SESSION_ERROR, "this page has %zu demo run%s: [run 1]%s", pg->nruns,
               pg->nruns == 1 ? "" : "s", pg->nruns == 1 ? "" : " and on");
        return;
    }
    session_page_run(ls->session, &pg->runs[idx]);
}

static bool ls_need_demo(LessonScreen *ls)
{
    if (session_demo(ls->session) == NULL) {
        ls_say(ls, SESSION_ERROR, "this lesson has no demo to run");
        return false;
    }
    return true;
}

static int ls_on_action(void *self, const KeyBinding *b, int key)
{
    LessonScreen *ls = self;
    size_t npages = ls->lesson != NULL ? ls->lesson->npages : 0;
    const Run *run = ls_run(ls);

    if (ls->modal == MODAL_QUIZ) {
        return ls_quiz_action(ls, b, key);
    }
    if (ls->modal == MODAL_EXPLORE) {
        return ls_explore_action(ls, b);
    }
    switch (b->action) {
    case ACT_EXPAND:
        ls->expand = !ls->expand;
        ls_say(ls, SESSION_DIM, "%s",
               ls->expand ? "the code shows the steps of the lines the lanes stand on"
                          : "the code shows only its lines");
        break;
    case ACT_EXPLORE:
        if (session_demo(ls->session) == NULL) {
            ls_say(ls, SESSION_DIM, "%s", "no demo to explore on this page");
            break;
        }
        if (session_explore_start(ls->session, EXPLORE_DEFAULT_PREEMPTIONS)) {
            ls->modal = MODAL_EXPLORE;
            ls->explore_sel = 0;
        }
        break;
    case ACT_QUIZ:
        if (ls->quiz.n == 0) {
            ls_say(ls, SESSION_DIM, "this %s has no questions and no challenges",
                   ls->lesson != NULL ? "lesson" : "playground");
            break;
        }
        panel_quiz_open(&ls->quiz_ui, &ls->quiz, ls->page);
        ls->modal = MODAL_QUIZ;
        ls_say(ls, SESSION_INFO, "%s",
               "Up/Down pick; 1-9 answers a choice; Enter types an answer or starts a "
               "challenge");
        break;
    case ACT_EXPORT:
        (void)session_export(ls->session);
        break;
    case ACT_BACK:
        return REACT_HANDLED | REACT_BACK;
    case ACT_UP:
        if (ls->scroll > 0) {
            ls->scroll--;
        }
        break;
    case ACT_DOWN:
        if (ls->scroll + 1 < ls->text_lines) {
            ls->scroll++;
        }
        break;
    case ACT_NEXT_PAGE:
        if (ls->page + 1 < npages) {
            ls_goto_page(ls, ls->page + 1);
        } else {
            ls_say(ls, SESSION_DIM, "this is the last page");
        }
        break;
    case ACT_PREV_PAGE:
        if (ls->page > 0) {
            ls_goto_page(ls, ls->page - 1);
        } else {
            ls_say(ls, SESSION_DIM, "this is the first page");
        }
        break;
    case ACT_PAGE_RUN:
        ls_page_run(ls, key >= '1' && key <= '9' ? (size_t)(key - '1') : 0);
        break;
    case ACT_RUN_PAUSE:
        session_run_pause(ls->session);
        break;
    case ACT_SLOW:
        session_slow(ls->session);
        break;
    case ACT_STEP_MODE:
        session_toggle_mode(ls->session);
        break;
    case ACT_LANE:
        session_step(ls->session, (unsigned)(key - 'A'));
        break;
    case ACT_UNDO:
        session_undo(ls->session);
        break;
    case ACT_CONTINUE:
        session_continue(ls->session);
        break;
    case ACT_SAVE:
        session_save(ls->session);
        break;
    case ACT_LOAD:
        if (!ls_need_demo(ls)) {
            break;
        }
        ls->modal = MODAL_PROMPT;
        /* prefilled with the schedule of this step run or the last one, else
         * the last file: Enter replays it (on the current parameters) */
        if (run != NULL && ls_stepping(ls) && run_schedule(run)->n > 0) {
            size_t need = schedule_format(run_schedule(run), NULL, 0) + 1;
            char *text = malloc(need);
            if (text != NULL) {
                schedule_format(run_schedule(run), text, need);
            }
            prompt_open(&ls->prompt,
                        "schedule file or text (Enter replays, ^U clears, Esc cancels): ", text);
            free(text);
        } else {
            const char *last = session_last_schedule(ls->session);
            prompt_open(&ls->prompt,
                        "schedule file or text (Enter replays, ^U clears, Esc cancels): ",
                        last[0] != '\0' ? last : session_last_file(ls->session));
        }
        break;
    case ACT_RESET:
        session_reset(ls->session);
        break;
    case ACT_PARAMS:
        if (!ls_need_demo(ls)) {
            break;
        }
        dialog_params_open(&ls->dialog, session_demo(ls->session), session_params(ls->session));
        ls->modal = MODAL_PARAMS;
        break;
    case ACT_ZOOM_IN:
        panel_timeline_zoom(&ls->timeline, 1);
        break;
    case ACT_ZOOM_OUT:
        panel_timeline_zoom(&ls->timeline, -1);
        break;
    case ACT_SCROLL_LEFT:
        panel_timeline_scroll(&ls->timeline, -1);
        break;
    case ACT_SCROLL_RIGHT:
        panel_timeline_scroll(&ls->timeline, 1);
        break;
    case ACT_FOLLOW:
        panel_timeline_follow(&ls->timeline);
        break;
    case ACT_RELOAD:
        return REACT_HANDLED | REACT_REDRAW | REACT_RELOAD;
    case ACT_PYTHON: {
        size_t npy = 0;
        if (!ls_need_demo(ls)) {
            break;
        }
        if (demo_python(session_demo(ls->session), session_params(ls->session), &npy) == NULL) {
            ls_say(ls, SESSION_DIM, "this demo has no Python beside its pseudo-code");
            break;
        }
        ls->python = !ls->python;
        ls_say(ls, SESSION_INFO, "%s",
               ls->python ? "the code panel shows the Python of the course (y: the pseudo-code)"
                          : "the code panel shows the pseudo-code (y: the Python of the course)");
        break;
    }
    case ACT_PRESENT:
        ls->present = !ls->present;
        ls_say(ls, SESSION_INFO, "%s",
               ls->present ? "presenter layout: v goes back, ? shows every key"
                           : "the lesson layout again");
        break;
    case ACT_LANES_UP:
        panel_timeline_scroll_lanes(&ls->timeline, -4);
        break;
    case ACT_LANES_DOWN:
        panel_timeline_scroll_lanes(&ls->timeline, 4);
        break;
    case ACT_STEP_NAMED:
        if (!ls_need_demo(ls)) {
            break;
        }
        ls->modal = MODAL_STEPS;
        prompt_open(&ls->prompt,
                    "steps (lanes by name: AA AB3 A*; Enter takes them, Esc cancels): ", NULL);
        break;
    default:
        return REACT_NONE;
    }
    ls_sync_views(ls);
    return REACT_HANDLED | REACT_REDRAW;
}

static int ls_tick(void *self)
{
    LessonScreen *ls = self;
    bool ended = false;
    bool live = session_tick(ls->session, &ended);
    int r = REACT_NONE;

    if (ls_run(ls) != NULL && (live || ended)) {
        ls_scan(ls);
    }
    if (live) {
        r |= REACT_LIVE | REACT_REDRAW;
    }
    if (ended) {
        r |= REACT_REDRAW;
    }
    return r;
}

/* ------------------------------------------------------------------ */
/* drawing                                                             */
/* ------------------------------------------------------------------ */

static int ls_tone_style(SessionTone tone)
{
    switch (tone) {
    case SESSION_GOOD:
        return UI_GOOD;
    case SESSION_ERROR:
        return UI_ERROR;
    case SESSION_DIM:
        return STYLE_DIM;
    default:
        return STYLE_TEXT;
    }
}

/* Title bar: the lesson and page (or the playground), and the mode. */
static void ls_draw_title(LessonScreen *ls, Grid *g)
{
    const Run *run = ls_run(ls);
    const DemoClass *demo = session_demo(ls->session);
    bool slow = session_pace_us(ls->session) > 0;
    int W = g->w, rw, room;
    char right[128];

    if (ls_stepping(ls)) {
        snprintf(right, sizeof(right), "STEP MODE");
    } else if (run != NULL && !run_done(run)) {
        /* the run's own pace; a new one applies from the next run */
        bool run_slow = run_config(run)->pace_us > 0;
        snprintf(right, sizeof(right), "FREE RUN %s%s%s",
                 session_paused(ls->session) ? "PAUSED" : "RUNNING", run_slow ? " (slow)" : "",
                 run_slow == slow ? ""
                 : slow           ? ", next slow"
                                  : ", next full speed");
    } else {
        snprintf(right, sizeof(right), "FREE RUN%s", slow ? " (slow motion)" : "");
    }
    rw = (int)strlen(right);
    draw_fill(g, 0, 0, W, 1, UI_TITLE);
    draw_text(g, W - 1 - rw, 0, rw, right, (size_t)-1, UI_TITLE);
    /* the title has the room the mode leaves (two columns apart) */
    room = W - 1 - rw - 2 - 1;
    if (ls->lesson != NULL && ls->lesson->npages > 0) {
        /* the page number always shows; a long title ends at a word with
         * an ellipsis instead */
        char pg[48];
        int pw = snprintf(pg, sizeof(pg), "  -  page %zu/%zu", ls->page + 1, ls->lesson->npages);
        int tw = draw_text_fit(g, 1, 0, room - pw, ls->lesson->title, UI_TITLE);
        draw_text(g, 1 + tw, 0, pw, pg, (size_t)-1, UI_TITLE);
    } else {
        char t[96];
        snprintf(t, sizeof(t), "playground: %s", demo != NULL ? demo->name : "");
        draw_text_fit(g, 1, 0, room, t, UI_TITLE);
    }
}

/* The most rows the message takes (a long one wraps over the rows above). */
#define LS_MSG_ROWS 4

/* The message as it shows: a demo script's caption (in the lesson layout;
 * the presenter layout has it under the title), then the session's
 * message. */
static void ls_message_text(LessonScreen *ls, bool present, char *buf, size_t len)
{
    if (!present && ls->caption[0] != '\0') {
        snprintf(buf, len, "%s  %s", ls->caption, session_message(ls->session));
    } else {
        snprintf(buf, len, "%s", session_message(ls->session));
    }
}

/* Rows the message line takes: the prompt or the answer being typed one,
 * a message as many as it needs to show whole (at most LS_MSG_ROWS). */
static int ls_message_rows(LessonScreen *ls, const Grid *g, bool present)
{
    char msg[2 * SESSION_MSG_MAX];
    if (ls->modal == MODAL_PROMPT || ls->modal == MODAL_STEPS ||
        (ls->modal == MODAL_QUIZ && panel_quiz_typing(&ls->quiz_ui))) {
        return 1;
    }
    ls_message_text(ls, present, msg, sizeof(msg));
    return draw_text_lines(NULL, 0, 0, present ? g->w - 2 : g->w, LS_MSG_ROWS, msg, STYLE_TEXT);
}

/*
 * The message (or the prompt) in its rows, the last of them row y: one
 * approach in every layout, a long message wraps onto the rows above
 * (which the layout leaves it) rather than being cut.
 */
static void ls_draw_message(LessonScreen *ls, Grid *g, int y, bool present)
{
    char msg[2 * SESSION_MSG_MAX];
    int rows = ls_message_rows(ls, g, present);
    int mx = present ? 1 : 0; /* the presenter layout keeps a margin */

    if (ls->modal == MODAL_PROMPT || ls->modal == MODAL_STEPS) {
        prompt_draw(&ls->prompt, g, y);
        return;
    }
    if (ls->modal == MODAL_QUIZ && panel_quiz_typing(&ls->quiz_ui)) {
        panel_quiz_draw_prompt(&ls->quiz_ui, g, y);
        return;
    }
    ls_message_text(ls, present, msg, sizeof(msg));
    draw_fill(g, 0, y - rows + 1, g->w, rows, STYLE_TEXT);
    draw_text_lines(g, mx, y - rows + 1, g->w - 2 * mx, rows, msg,
                    ls_tone_style(session_tone(ls->session)));
    if (!present && ls->caption[0] != '\0') {
        /* a demo script's message for the class stands out */
        int cw = draw_width(ls->caption, (size_t)-1);
        for (int x = 0; x < cw && x < g->w; x++) {
            grid_at(g, x, y - rows + 1)->style = UI_TITLE;
        }
    }
}

/*
 * Bottom: the schedule line, the message (or the prompt), the key bar.
 * Returns the schedule line's row: the layout ends above it.
 */
static int ls_draw_bottom(LessonScreen *ls, Grid *g)
{
    const Run *run = ls_run(ls);
    int W = g->w, H = g->h;
    int sy = H - 2 - ls_message_rows(ls, g, false);

    keys_draw_bar(g, H - 1, ls_scope(ls));
    ls_draw_message(ls, g, H - 2, false);
    /* the status line: what matters most stays when it does not all fit,
     * and what shows is whole words */
    if (ls_stepping(ls) && run != NULL) {
        char sched[1024], step[48];
        int sx, stw;
        schedule_format(run_schedule(run), sched, sizeof(sched));
        stw = snprintf(step, sizeof(step), "step %" PRIu64, (uint64_t)arena_step(run_arena(run)));
        sx = draw_text(g, 0, sy, W, "schedule: ", (size_t)-1, UI_HEADING);
        /* a long schedule shows its end: the steps just taken */
        sx += draw_text_fit_tail(g, sx, sy, W - sx - 2 - stw,
                                 sched[0] != '\0' ? sched : "(no step yet)",
                                 sched[0] != '\0' ? UI_GOOD : STYLE_DIM);
        draw_text(g, sx + 2, sy, W - sx - 2, step, (size_t)-1, STYLE_DIM);
    } else if (run != NULL) {
        char t[32], events[64], dropped[48], lanes[32];
        uint64_t ns = session_clock(ls->session); /* stands still while paused */
        uint64_t nd = run_dropped_total(run);
        uint64_t in = run_events_total(run), waiting = run_events_waiting(run);
        timeline_format_time(ns, false, t, sizeof(t));
        if (waiting > 0) {
            /* a tick takes in a bounded number of events: the timeline,
             * marks and markers show the first ones so far, and say so */
            snprintf(events, sizeof(events), "%" PRIu64 " of %" PRIu64 " events", in, in + waiting);
        } else {
            snprintf(events, sizeof(events), "%" PRIu64 " events", in);
        }
        snprintf(dropped, sizeof(dropped), "%" PRIu64 " dropped", nd);
        snprintf(lanes, sizeof(lanes), "%u lane%s", run_nlanes(run),
                 run_nlanes(run) == 1 ? "" : "s");
        {
            const DrawPart parts[] = {
                {"schedule: none", STYLE_DIM, 6},
                {"(free run: the OS schedules)", STYLE_DIM, 2},
                {t, STYLE_DIM, 7},
                {events, STYLE_DIM, waiting > 0 ? 5 : 3},
                {dropped, nd > 0 ? UI_ERROR : STYLE_DIM, nd > 0 ? 5 : 1},
                {lanes, STYLE_DIM, 4},
            };
            draw_parts(g, 0, sy, W, parts, ARRAY_SIZE(parts));
        }
    } else {
        const DrawPart parts[] = {
            {"schedule: none yet", STYLE_DIM, 2},
            {"(m: step mode, l: load a schedule)", STYLE_DIM, 1},
        };
        draw_parts(g, 0, sy, W, parts, ARRAY_SIZE(parts));
    }
    return sy;
}

/* The side panel's width for a timeline of W columns: the demo's panel, or
 * the wait-for graph when the run has locks; 0 = none. */
static int ls_side_width(LessonScreen *ls, int W)
{
    const Run *run = ls_run(ls);
    int gw = 0;
    if (ls->side != NULL) {
        ViewCtx ctx;
        view_ctx_init(&ctx, run);
        gw = ls->side->want != NULL ? ls->side->want(&ctx, W) : 34;
    } else if (waitgraph_wanted(run_arena(run))) {
        gw = W - 46 < 34 ? 34 : W - 46 > 60 ? 60 : W - 46;
    }
    return gw < 0 ? 0 : gw > W - 40 ? W - 40 : gw;
}

/* The side panel (the demo's, or the wait-for graph) in r, behind a line
 * in its first column. */
static void ls_draw_side(LessonScreen *ls, Grid *g, Rect r)
{
    const Run *run = ls_run(ls);
    draw_fill(g, r.x, r.y, r.w, r.h, STYLE_TEXT);
    draw_vline(g, r.x, r.y, r.h, STYLE_DIM);
    if (ls->side != NULL) {
        ViewCtx ctx;
        view_ctx_init(&ctx, run);
        ctx.wf = &ls->wf;
        ls->side->draw(ls->side_state, g, (Rect){r.x + 2, r.y, r.w - 2, r.h}, &ctx);
    } else {
        waitgraph_draw(g, r.x + 2, r.y, r.w - 2, r.h, &ls->wf, run_arena(run));
    }
}

/* The timeline and the panel beside it, ending above row bottom (the
 * schedule line).  Returns the rows taken. */
static int ls_draw_timeline(LessonScreen *ls, Grid *g, int bottom)
{
    const Run *run = ls_run(ls);
    int W = g->w, H = g->h;
    unsigned n = run_nlanes(run);
    int max_lanes = bottom - 1 - 3 - 12;
    int lanes = (int)n < max_lanes ? (int)n : max_lanes;
    int dh = panel_timeline_under_rows(&ls->timeline, H);
    int gw = ls_side_width(ls, W), rows, ty, legend;

    if (lanes < 1) {
        lanes = 1;
    }
    rows = panel_timeline_rows(&ls->timeline, lanes, dh, W);
    legend = rows - (lanes + 2 + dh);
    ty = bottom - rows;
    panel_timeline_draw(&ls->timeline, g, ty, lanes, gw > 0 ? W - gw - 1 : W, dh, &ls->wf,
                        session_paused(ls->session), session_clock(ls->session));
    if (gw > 0) {
        /* beside the timeline's rows, but the legend's */
        ls_draw_side(ls, g, (Rect){W - gw - 1, ty, gw + 1, rows - legend});
    }
    return rows;
}

/* The explorer's outcomes, over the screen down to row bottom (the
 * schedule line). */
static void ls_draw_explore(LessonScreen *ls, Grid *g, int bottom)
{
    int w = g->w < 112 ? g->w : 110;
    const ExploreResult *r = session_explore_result(ls->session);
    int h = r != NULL && !session_exploring(ls->session) ? (int)r->noutcomes + 4 : 3;
    if (h > bottom - 1) {
        h = bottom - 1;
    }
    (void)panel_explore_draw(g, (Rect){(g->w - w) / 2, 1, w, h}, r, ls->explore_sel,
                             session_exploring(ls->session), EXPLORE_DEFAULT_PREEMPTIONS);
}

/* The questions and challenges, over the screen down to row bottom (the
 * schedule line; under it the message or the answer being typed, and the
 * key bar). */
static void ls_draw_quiz(LessonScreen *ls, Grid *g, int bottom)
{
    int w = g->w < 112 ? g->w : 110; /* over the whole width: nothing shows beside it */
    panel_quiz_draw(&ls->quiz_ui, g, (Rect){(g->w - w) / 2, 1, w, bottom - 1});
}

/* The demo's code and state panel (code with the lanes' markers, shared
 * variables, lanes, result) in r. */
static void ls_draw_state(LessonScreen *ls, Grid *g, Rect r)
{
    const Run *run = ls_run(ls);
    PanelStateIn in = {session_demo(ls->session),
                       session_params(ls->session),
                       run,
                       ls_stepping(ls),
                       &ls->wf,
                       run != NULL && ls_side_width(ls, g->w) > 0 && ls->side == NULL &&
                           waitgraph_wanted(run_arena(run)),
                       session_end_good(ls->session),
                       ls->expand,
                       ls->python};
    panel_state_draw(&ls->state, g, r, &in);
}

/* The keys a presenter uses: the presenter layout's whole key bar. */
static const KeyAction ls_present_keys[] = {
    ACT_RUN_PAUSE, ACT_STEP_MODE, ACT_LANE,    ACT_UNDO, ACT_RESET,
    ACT_NEXT_PAGE, ACT_PREV_PAGE, ACT_PRESENT, ACT_QUIT,
};

/* Rows the presenter layout leaves the demo's state panel under the
 * timeline, at least (else the lanes get them). */
#define LS_PRESENT_STATE_MIN 5

/*
 * The presenter layout, for a projector: the lesson text gives way to one
 * line (the page's title) and the message; the timeline and the demo's
 * panels take the screen: each lane two or three rows high so the bars
 * read from the back of a room, the panel beside the timeline (the demo's,
 * or the wait-for graph), and under it, in the rows the lanes leave, the
 * code with the lanes' markers and the run's state; a verdict is a banner
 * three rows high; the key bar keeps the few keys a presenter uses.  The
 * timeline is drawn once into a scratch grid, then its lane rows are
 * copied as many times as the room allows (the name on the first).
 */
static void ls_draw_present(LessonScreen *ls, Grid *g)
{
    const Run *run = ls_run(ls);
    const DemoClass *demo = session_demo(ls->session);
    int W = g->w, H = g->h, y = 2, gw, tw, dh, lanes, rowh, fixed, avail, ty, trows, foot, legend;
    unsigned n;
    char banner[SESSION_MSG_MAX];
    int banner_style;
    Grid *tmp;

    ls_draw_title(ls, g);
    keys_draw_bar_only(g, H - 1, ls_scope(ls), ls_present_keys, ARRAY_SIZE(ls_present_keys));
    if (ls->caption[0] != '\0') {
        /* a demo script's message for the class, in place of the title */
        draw_fill(g, 0, 1, W, 1, UI_TITLE);
        draw_text_fit(g, 1, 1, W - 2, ls->caption, UI_TITLE);
    } else if (ls->lesson != NULL && ls->lesson->npages > 0 && ls->lesson->pages[ls->page].title) {
        draw_text_fit(g, 1, 1, W - 2, ls->lesson->pages[ls->page].title, UI_HEADING);
    }
    /* the message's rows (a long one wraps upwards), the layout above them */
    foot = H - 1 - ls_message_rows(ls, g, true);
    ls_draw_message(ls, g, H - 2, true);
    if (run == NULL) {
        draw_text(g, 1, y + 1, W - 2,
                  ls_stepping(ls) ? "step mode: A, B, ... give a lane a step"
                                  : "space starts a run; m switches to step mode",
                  (size_t)-1, STYLE_DIM);
        if (demo != NULL && foot - (y + 3) >= LS_PRESENT_STATE_MIN) {
            ls_draw_state(ls, g, (Rect){1, y + 3, W - 2, foot - (y + 3)});
        }
        return;
    }
    /* a verdict: big, over three rows under the title */
    banner_style = banner_text(run, banner, sizeof(banner));
    if (banner_style == 0 && run_done(run) && session_end_summary(ls->session)[0] != '\0') {
        /* a completed run: what it shows, as big as a verdict, red when it
         * is bad news (an update lost) */
        snprintf(banner, sizeof(banner), "%s", session_end_summary(ls->session));
        banner_style = session_end_good(ls->session) ? UI_TITLE : UI_BANNER;
    }
    if (banner_style != 0) {
        /* three rows of the banner's colour, the text in the middle one (or
         * the two lower ones when it is long) */
        draw_fill(g, 0, y, W, 3, banner_style);
        if (draw_width(banner, (size_t)-1) <= W - 2) {
            banner_draw(g, y + 1, 1, banner, banner_style);
        } else {
            banner_draw(g, y + 2, 2, banner, banner_style);
        }
        y += 4;
    }
    n = run_nlanes(run);
    gw = ls_side_width(ls, W);
    tw = gw > 0 ? W - gw - 1 : W;
    dh = panel_timeline_under_rows(&ls->timeline, H);
    /* the rows: the heading, the under panel, the axis and the legend, then
     * the lanes, as high as the room allows up to three rows while the
     * state panel keeps its rows; else the lanes take them */
    avail = foot - y;
    lanes = (int)n;
    fixed = panel_timeline_rows(&ls->timeline, 1, dh, W) - 1;
    legend = fixed - 2 - dh;
    trows = avail - fixed;
    if (lanes > trows) {
        lanes = trows > 1 ? trows : 1;
    }
    rowh = 0;
    for (int h = 3; h >= 1 && rowh == 0; h--) {
        if (lanes * h <= trows - (demo != NULL ? 1 + LS_PRESENT_STATE_MIN : 0)) {
            rowh = h;
        }
    }
    for (int h = 3; h >= 1 && rowh == 0; h--) {
        if (lanes * h <= trows || h == 1) {
            rowh = h; /* no room for the state panel: the lanes take it all */
        }
    }
    tmp = grid_new(W, lanes + fixed);
    if (tmp == NULL) {
        return;
    }
    tmp->utf8 = g->utf8;
    panel_timeline_draw(&ls->timeline, tmp, 0, lanes, tw, dh, &ls->wf, session_paused(ls->session),
                        session_clock(ls->session));
    ty = y;
    /* heading */
    for (int x = 0; x < W; x++) {
        *grid_at(g, x, ty) = *grid_at(tmp, x, 0);
    }
    ty++;
    for (int l = 0; l < lanes; l++) {
        for (int k = 0; k < rowh; k++, ty++) {
            for (int x = 0; x < tw; x++) {
                Cell c = *grid_at(tmp, x, 1 + l);
                if (k > 0 && x < 3) {
                    c.ch = ' '; /* the name on the first row only */
                }
                if (grid_at(g, x, ty) != NULL) {
                    *grid_at(g, x, ty) = c;
                }
            }
        }
    }
    /* the under panel, the axis and the legend (the whole width) */
    for (int r = 1 + lanes; r < tmp->h; r++, ty++) {
        for (int x = 0; x < W && grid_at(g, x, ty) != NULL; x++) {
            *grid_at(g, x, ty) = *grid_at(tmp, x, r);
        }
    }
    grid_free(tmp);
    if (gw > 0) {
        ls_draw_side(ls, g, (Rect){W - gw - 1, y, gw + 1, ty - legend - y});
    }
    /* the demo's code and state in the rows left */
    if (demo != NULL && foot - ty >= 1 + LS_PRESENT_STATE_MIN) {
        draw_hline(g, 0, ty, W, STYLE_DIM);
        ls_draw_state(ls, g, (Rect){1, ty + 1, W - 2, foot - ty - 1});
    }
}

static void ls_draw(void *self, Grid *g)
{
    LessonScreen *ls = self;
    const Run *run;
    const DemoClass *demo = session_demo(ls->session);
    int W = g->w;
    int tl_rows = 0, top_h, left_w, bottom;
    char banner[SESSION_MSG_MAX];
    int banner_style;

    ls_sync_views(ls);
    run = ls_run(ls);
    /* one snapshot of who holds and who waits for the whole frame */
    if (run != NULL) {
        waitfor_build(&ls->wf, run_arena(run));
    } else {
        memset(&ls->wf, 0, sizeof(ls->wf));
    }
    if (ls->present) {
        ls_draw_present(ls, g);
        if (ls->modal == MODAL_PARAMS) {
            dialog_params_draw(&ls->dialog, g);
        }
        if (ls->modal == MODAL_QUIZ) {
            ls_draw_quiz(ls, g, g->h - 1 - ls_message_rows(ls, g, true) - 1);
        }
        if (ls->modal == MODAL_EXPLORE) {
            ls_draw_explore(ls, g, g->h - 1 - ls_message_rows(ls, g, true) - 1);
        }
        return;
    }
    ls_draw_title(ls, g);
    bottom = ls_draw_bottom(ls, g);
    if (run != NULL) {
        tl_rows = ls_draw_timeline(ls, g, bottom);
    }

    /* top: page text | code and state */
    top_h = bottom - tl_rows - 1 - (tl_rows > 0 ? 1 : 0);
    left_w = demo != NULL ? (W * 45) / 100 : W - 2;
    {
        /* the challenge being solved sits over the page text */
        const LessonChallenge *ch = session_challenge(ls->session);
        int goal_h = 0;
        if (ch != NULL) {
            const char *msg;
            int status = session_goal(ls->session, &msg);
            goal_h = panel_quiz_goal_draw(g, (Rect){1, 1, left_w - 2, top_h - 3}, ch, status, msg);
        }
        ls->text_lines = panel_text_draw(g, (Rect){1, 1 + goal_h, left_w - 2, top_h - goal_h},
                                         ls->lesson, ls->page, ls->scroll, demo, &ls->quiz);
    }
    if (demo != NULL) {
        draw_vline(g, left_w, 1, top_h, STYLE_DIM);
        ls_draw_state(ls, g, (Rect){left_w + 2, 1, W - left_w - 3, top_h});
    }
    if (tl_rows > 0) {
        draw_hline(g, 0, 1 + top_h, W, STYLE_DIM);
    }
    /* the verdict banner, over the line above the timeline (and up to two
     * rows above it when the text is long) */
    banner_style = run != NULL ? banner_text(run, banner, sizeof(banner)) : 0;
    if (banner_style != 0 && tl_rows > 0) {
        banner_draw(g, 1 + top_h, 3, banner, banner_style);
    }
    if (ls->modal == MODAL_PARAMS) {
        dialog_params_draw(&ls->dialog, g);
    }
    if (ls->modal == MODAL_QUIZ) {
        ls_draw_quiz(ls, g, bottom);
    }
    if (ls->modal == MODAL_EXPLORE) {
        ls_draw_explore(ls, g, bottom);
    }
}

static const char *const ls_help_extra[] = {
    "Step mode: A, B, ... grant that lane one step; the schedule line shows every step taken.",
    "Undo replays the schedule minus its last step in a fresh run, so the state is exact.",
    "Pause stops the run's processes (SIGSTOP); resume continues them (SIGCONT).",
    "Slow motion makes each lane sleep at every step of a free run: still real threads, slower.",
    "Saved schedules go to $XDG_STATE_HOME/interleave/schedules/ (~/.local/state/...).",
    "Same schedule, other variant: in step mode e keeps your steps and replays them on the new "
    "parameters; l opens with the last schedule filled in, Enter replays it.",
    "Wait-for graph: (A) =holds=> [lock] -waits-> [lock] (held by B); * marks a cycle.",
    "Tab: the lesson's questions and challenges. x writes the run as a Chrome trace to "
    "$XDG_STATE_HOME/interleave/traces/ (ui.perfetto.dev opens it).",
    NULL,
};

static const char *const ls_help_quiz[] = {
    "An answer is right or wrong at once, with the lesson's explanation; a wrong one can be tried "
    "again, and every attempt is kept.",
    "A challenge is a goal for a run: step it yourself (A, B, ...) or type a schedule. It is "
    "checked after every step: \"goal reached\" shows the moment it holds. Steps taken "
    "round-robin after c do not count.",
    "A lesson is done when every question is answered and challenge solved.",
    NULL,
};

static const char *const *ls_help(void *self)
{
    LessonScreen *ls = self;
    return ls->modal == MODAL_QUIZ ? ls_help_quiz : ls_help_extra;
}

const ScreenClass lesson_screen_class = {
    .name = "lesson",
    .scope = ls_scope,
    .on_key = ls_on_key,
    .on_action = ls_on_action,
    .tick = ls_tick,
    .draw = ls_draw,
    .help_extra = ls_help,
};

LessonScreen *lesson_screen_new(const CatalogEntry *entry, Progress *progress)
{
    LessonScreen *ls = calloc(1, sizeof(*ls));

    if (ls == NULL) {
        return NULL;
    }
    ls->entry = entry;
    ls->lesson = entry->lesson;
    ls->progress = progress;
    ls->session = session_new(
        entry->demo, entry->lesson != NULL ? entry->lesson->id : entry->demo->name, progress);
    if (ls->session == NULL) {
        free(ls);
        return NULL;
    }
    if (quiz_init(&ls->quiz, ls->lesson, progress) < 0) {
        session_free(ls->session);
        free(ls);
        return NULL;
    }
    if (ls->lesson != NULL && ls->lesson->npages > 0) {
        /* reopen where the student left */
        int at = progress_at(progress, ls->lesson->id);
        size_t page = at > 0 && (size_t)at < ls->lesson->npages ? (size_t)at : 0;
        ls_goto_page(ls, page);
        if (page > 0) {
            ls_say(ls, SESSION_INFO,
                   "back at page %zu, where you left; p goes back, ? shows every key", page + 1);
            return ls;
        }
    }
    ls_say(ls, SESSION_DIM, "%s",
           entry->demo != NULL ? "space runs the demo, m switches to step mode, ? shows every key"
                               : "n and p turn the pages, ? shows every key");
    return ls;
}

void lesson_screen_set_present(LessonScreen *screen, bool present)
{
    screen->present = present;
}

const char *lesson_screen_lesson_id(const LessonScreen *screen)
{
    return screen->lesson != NULL ? screen->lesson->id : NULL;
}

void lesson_screen_relesson(LessonScreen *screen, const CatalogEntry *entry)
{
    const LessonChallenge *ch = session_challenge(screen->session);
    char *sel_id = NULL;
    Quiz *qz = &screen->quiz;

    /* the questions and challenges point into the old lesson: take the
     * new lesson's, and keep the selection and the challenge by id */
    if (screen->modal == MODAL_QUIZ && panel_quiz_item(&screen->quiz_ui) != NULL) {
        sel_id = strdup(panel_quiz_item(&screen->quiz_ui)->id);
    }
    if (ch != NULL) {
        const LessonChallenge *now = NULL;
        for (size_t p = 0; entry->lesson != NULL && p < entry->lesson->npages && now == NULL; p++) {
            for (size_t i = 0; i < entry->lesson->pages[p].nchallenges; i++) {
                if (strcmp(entry->lesson->pages[p].challenges[i].id, ch->id) == 0) {
                    now = &entry->lesson->pages[p].challenges[i];
                    break;
                }
            }
        }
        session_challenge_rebind(screen->session, now);
    }
    quiz_fini(qz);
    if (quiz_init(qz, entry->lesson, screen->progress) < 0) {
        quiz_fini(qz); /* out of memory: no questions until the next reload */
    }
    if (screen->modal == MODAL_QUIZ) {
        size_t at = sel_id != NULL ? quiz_find(qz, sel_id) : (size_t)-1;
        panel_quiz_open(&screen->quiz_ui, qz, screen->page);
        if (at != (size_t)-1) {
            screen->quiz_ui.sel = at;
        }
        if (qz->n == 0) {
            screen->modal = MODAL_NONE;
        }
    }
    free(sel_id);
    screen->entry = entry;
    screen->lesson = entry->lesson;
    if (screen->lesson != NULL && screen->page >= screen->lesson->npages) {
        screen->page = screen->lesson->npages > 0 ? screen->lesson->npages - 1 : 0;
    }
    screen->scroll = 0;
    session_say(screen->session, SESSION_GOOD, "%s read again from %s",
                screen->lesson != NULL ? screen->lesson->id : "the lesson",
                screen->lesson != NULL ? screen->lesson->path : "its file");
}

void lesson_screen_say_error(LessonScreen *screen, const char *msg)
{
    session_say(screen->session, SESSION_ERROR, "%s", msg);
}

LessonSession *lesson_screen_session(LessonScreen *screen)
{
    return screen->session;
}

const Lesson *lesson_screen_lesson(const LessonScreen *screen)
{
    return screen->lesson;
}

size_t lesson_screen_page(const LessonScreen *screen)
{
    return screen->page;
}

void lesson_screen_goto_page(LessonScreen *screen, size_t page)
{
    if (screen->lesson != NULL && page < screen->lesson->npages) {
        ls_goto_page(screen, page);
    }
}

void lesson_screen_set_caption(LessonScreen *screen, const char *text)
{
    snprintf(screen->caption, sizeof(screen->caption), "%s", text);
}

void lesson_screen_free(LessonScreen *screen)
{
    if (screen == NULL) {
        return;
    }
    session_free(screen->session);
    if (screen->side != NULL && screen->side->free != NULL) {
        screen->side->free(screen->side_state);
    }
    panel_state_fini(&screen->state);
    prompt_close(&screen->prompt);
    panel_quiz_close(&screen->quiz_ui);
    quiz_fini(&screen->quiz);
    panel_timeline_fini(&screen->timeline);
    free(screen);
}
