/*
 * check_view.c - verdicts as data (core/verdict.h) and the demos' view
 * halves (view/view.h): what a banner, a panel or a legend shows, read
 * cell by cell from the Grid, with no terminal.  Then the quiz dialog and
 * the goal block (ui/panel_quiz.h), and the key table's scopes.
 *
 * Runs are replays, so every state asserted here is exact.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_common.h"
#include "check_run.h"
#include "core/run.h"
#include "core/verdict.h"
#include "demos/deadlock.h"
#include "demos/prodcons.h"
#include "demos/race.h"
#include "export/report.h"
#include "lesson/challenge.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"
#include "lesson/quiz.h"
#include "util/grid.h"
#include "util/strbuf.h"
#include "view/draw.h"
#include "view/view.h"
#include "ui/banner.h"
#include "ui/crt.h"
#include "ui/dialog_params.h"
#include "ui/keys.h"
#include "ui/panel_quiz.h"
#include "ui/panel_state.h"
#include "ui/panel_text.h"
#include "ui/panel_timeline.h"
#include "ui/prompt.h"
#include "scenario/scn_demo.h"

/* Row y of g as text. */
static const char *row_text(const Grid *g, int y)
{
    static char buf[512];
    grid_row_text(g, y, buf, sizeof(buf));
    return buf;
}

static Run *replay(const DemoClass *demo, const int *params, const char *sched)
{
    Run *run = check_run_start(demo, params, SCHED_REPLAY, sched, false);
    run_wait(run);
    return run;
}

/* ------------------------------------------------------------------ */
/* verdicts as data                                                    */
/* ------------------------------------------------------------------ */

START_TEST(test_verdict_abba_cycle)
{
    Run *run = replay(&deadlock_demo, NULL, "A B");
    const VerdictInfo *vi = run_verdict_info(run);
    const Arena *a = run_arena(run);
    StrBuf b;

    ck_assert_ptr_nonnull(vi);
    ck_assert_int_eq(vi->kind, VERDICT_DEADLOCK);
    ck_assert(vi->cycle);
    ck_assert(vi->have_at && vi->stepping);
    ck_assert_uint_eq(vi->at, 2);
    ck_assert_uint_eq(vi->nlanes, 2);
    ck_assert_uint_eq(vi->lanes[0].lane, 0);
    ck_assert_str_eq(arena_obj_name(a, vi->lanes[0].held), "acct1");
    ck_assert_str_eq(arena_obj_name(a, vi->lanes[0].obj), "acct2");
    ck_assert_int_eq(vi->lanes[0].holder, 1);
    ck_assert_uint_eq(vi->lanes[1].lane, 1);
    ck_assert_int_eq(vi->lanes[1].holder, 0);
    /* the message and the banner are written from the data */
    ck_assert_str_eq(run_message(run),
                     "deadlock at step 2: A holds acct1, waits acct2; B holds acct2, waits acct1");
    strbuf_init(&b);
    verdict_banner(vi, a, &b);
    ck_assert_str_eq(strbuf_str(&b),
                     "DEADLOCK at step 2: A holds acct1, waits acct2; B holds acct2, waits acct1");
    strbuf_fini(&b);
    strbuf_init(&b);
    verdict_json(vi, a, &b);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b),
                                 "{\"lane\":\"A\",\"waits\":\"acct2\",\"op\":\"mutex\","
                                 "\"holder\":\"B\",\"holds\":\"acct1\"}"));
    strbuf_fini(&b);
    run_free(run);
}
END_TEST

START_TEST(test_verdict_hang_sleepers)
{
    static const int p[] = {
        PC_VARIANT, PC_SIGNAL_LOST, PC_CONSUMERS, 2, PC_CAPACITY, 1, PC_ITEMS, 4, -1};
    Run *run = replay(&prodcons_demo, p, "B* C* A* B* C*");
    const VerdictInfo *vi = run_verdict_info(run);

    ck_assert_ptr_nonnull(vi);
    ck_assert_int_eq(vi->kind, VERDICT_HANG);
    ck_assert(!vi->cycle);
    ck_assert_uint_eq(vi->at, 32);
    ck_assert_uint_eq(vi->nlanes, 3);
    for (unsigned k = 0; k < 3; k++) {
        ck_assert_uint_eq(vi->lanes[k].lane, k);
        ck_assert_uint_eq(vi->lanes[k].op, EV_COND_SLEEP);
        ck_assert_str_eq(arena_obj_name(run_arena(run), vi->lanes[k].obj), "cv");
        ck_assert_int_eq(vi->lanes[k].holder, VERDICT_NO_HOLDER);
    }
    run_free(run);
}
END_TEST

START_TEST(test_verdict_bad_schedule)
{
    static const int p[] = {RACE_THREADS, 2, RACE_ITERATIONS, 1, RACE_VARIANT, RACE_MUTEX, -1};
    Run *run = replay(&race_demo, p, "A B");
    const VerdictInfo *vi = run_verdict_info(run);

    ck_assert_ptr_nonnull(vi);
    ck_assert_int_eq(vi->kind, VERDICT_BAD_SCHEDULE);
    ck_assert_int_eq(vi->bad_token, 2);
    ck_assert_str_eq(vi->bad_text, "B");
    ck_assert_str_eq(vi->reason, "lane B is blocked on mutex m held by A");
    ck_assert_str_eq(run_message(run), "token 2 'B': lane B is blocked on mutex m held by A");
    run_free(run);
}
END_TEST

/* A refused step in an interactive run: the reason comes without the
 * token, as data, so a front end need not cut it out of the message. */
START_TEST(test_refusal_reason)
{
    static const int p[] = {RACE_THREADS, 2, RACE_ITERATIONS, 1, RACE_VARIANT, RACE_MUTEX, -1};
    Run *run = check_run_start(&race_demo, p, SCHED_STEP, "A", true);
    SchedToken b = {1, TOK_STEPS, 1, 2};
    IlError err;

    ck_assert_int_eq(run_send(run, &b, &err), RUN_SEND_REFUSED);
    ck_assert_str_eq(err.msg, "token 2 'B': lane B is blocked on mutex m held by A");
    ck_assert_str_eq(run_refusal(run), "lane B is blocked on mutex m held by A");
    run_kill(run);
    run_free(run);
}
END_TEST

/* The race's view marks the store that overwrote another lane's update,
 * in the text report's timeline as on the screen. */
START_TEST(test_race_marks_lost_update)
{
    static const int p[] = {RACE_THREADS, 2, RACE_ITERATIONS, 1, -1};
    Run *run = replay(&race_demo, p, "A B A B A B");
    StrBuf b;

    strbuf_init(&b);
    report_timeline(&b, run, 40);
    ck_assert_msg(strstr(strbuf_str(&b), "A  |l.+.s\nB  |.l.+.X\n") != NULL, "%s", strbuf_str(&b));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&b), "X store over another's update"));
    strbuf_fini(&b);
    run_free(run);
    /* one after the other: nothing overwritten, nothing marked */
    run = replay(&race_demo, p, "A3 B3");
    strbuf_init(&b);
    report_timeline(&b, run, 40);
    ck_assert_msg(strstr(strbuf_str(&b), "A  |l+s\nB  |...l+s\n") != NULL, "%s", strbuf_str(&b));
    strbuf_fini(&b);
    run_free(run);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the producer-consumer view half                                     */
/* ------------------------------------------------------------------ */

START_TEST(test_prodcons_wait_classes_and_buffer_panel)
{
    /* capacity 1, join: C (the main lane) sleeps in join, A fills the slot
     * and sleeps on not_full */
    static const int p[] = {PC_CAPACITY, 1, PC_ITEMS, 3, PC_JOIN, 1, -1};
    Run *run = check_run_start(&prodcons_demo, p, SCHED_STEP, "C* A*", true);
    const DemoView *v = view_of(&prodcons_demo);
    ViewCtx ctx;
    Grid *g = grid_new(40, 6);

    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(v->nwaits, 3);
    ck_assert_str_eq(v->waits[view_lane_wait(v, run_arena(run), run_config(run)->params, 0)].name,
                     "full");
    ck_assert_int_eq(view_lane_wait(v, run_arena(run), run_config(run)->params, 1), -1);
    ck_assert_str_eq(v->waits[view_lane_wait(v, run_arena(run), run_config(run)->params, 2)].name,
                     "join");
    /* join=0 has no join class in its legend */
    ck_assert(view_wait_in_use(v, run_config(run)->params, 2));
    {
        int64_t q[DEMO_MAX_PARAMS];
        demo_params_default(&prodcons_demo, q);
        ck_assert(!view_wait_in_use(v, q, 2));
    }
    view_ctx_init(&ctx, run);
    ck_assert_ptr_nonnull(v->side);
    v->side->draw(NULL, g, (Rect){0, 0, 40, 6}, &ctx);
    ck_assert_str_eq(row_text(g, 0), "buffer  count 1 of 1");
    ck_assert_str_eq(row_text(g, 1), "|  0|"); /* item 0 */
    ck_assert_str_eq(row_text(g, 3), "F A waits: buffer full");
    ck_assert_str_eq(row_text(g, 4), "J C waits in join");
    ck_assert_int_eq(grid_at(g, 0, 3)->style, UI_ACCENT_0);
    ck_assert_int_eq(grid_at(g, 0, 4)->style, UI_ACCENT_2);
    /* a grid that takes Unicode gets the classes' glyphs */
    g->utf8 = true;
    grid_clear(g);
    v->side->draw(NULL, g, (Rect){0, 0, 40, 6}, &ctx);
    ck_assert_str_eq(draw_ext_glyph((unsigned char)grid_at(g, 0, 3)->ch), "\u2594");
    grid_free(g);
    run_kill(run);
    run_free(run);
}
END_TEST

START_TEST(test_prodcons_depth_panel)
{
    /* two puts and one take: the count goes 1, 2, 1 */
    static const int p[] = {PC_CAPACITY, 4, PC_ITEMS, 6, -1};
    Run *run = check_run_start(&prodcons_demo, p, SCHED_STEP, "A16 B9", true);
    const PanelClass *under = view_of(&prodcons_demo)->under;
    ViewCtx ctx;
    Grid *g = grid_new(40, 2);
    void *self;

    ck_assert_ptr_nonnull(under);
    view_ctx_init(&ctx, run);
    run_poll(run, 0);
    self = under->new (&ctx);
    ck_assert_ptr_nonnull(self);
    under->scan(self, &ctx);
    ctx.t0 = 0;
    ctx.per = 1;
    ctx.t_end = 25;
    under->draw(self, g, (Rect){0, 0, 40, 2}, &ctx);
    /* the label column says the scale: the capacity on top, "cnt" below */
    ck_assert(strncmp(row_text(g, 0), "  4|", 4) == 0);
    ck_assert(strncmp(row_text(g, 1), "cnt|", 4) == 0);
    /* after the first put the count is 1: half a bar of two rows */
    ck_assert_int_eq(grid_at(g, 4 + 10, 1)->ch, '#');
    under->free(self);
    grid_free(g);
    run_kill(run);
    run_free(run);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the lesson screen's panels                                          */
/* ------------------------------------------------------------------ */

/* The row of g whose text contains needle, or -1. */
static int find_row(const Grid *g, const char *needle)
{
    for (int y = 0; y < g->h; y++) {
        if (strstr(row_text(g, y), needle) != NULL) {
            return y;
        }
    }
    return -1;
}

/* A scenario: each lane's marker on its own source line (the line it
 * publishes, not a guess from its operation), and with the expansion on,
 * the steps of that line under it. */
START_TEST(test_state_panel_scenario_lines)
{
    static const char src[] = "x = 0\nlane A:\n    x = x + 1\n    x = x + 1\n"
                              "lane B:\n    r = x\n";
    IlError err;
    ScnDemo *d = scn_demo_parse(src, strlen(src), "t.scn", 1, &err);
    Run *run;
    PanelState ps = {0};
    WaitFor *wf = calloc(1, sizeof(*wf));
    Grid *g = grid_new(70, 20);
    PanelStateIn in;
    int y;

    ck_assert_msg(d != NULL, "%s", err.msg);
    run = check_run_start(scn_demo_class(d), NULL, SCHED_STEP, "A3", true);
    in = (PanelStateIn){
        scn_demo_class(d), run_config(run)->params, run, true, wf, false, false, true};
    ck_assert_int_eq(panel_state_reset(&ps, run_nlanes(run)), 0);
    run_poll(run, 0);
    waitfor_build(wf, run_arena(run));
    panel_state_draw(&ps, g, (Rect){0, 0, 70, 20}, &in);
    /* A did the first increment's three steps: it stands on line 4, the
     * second increment, though both lines perform the same operations */
    y = find_row(g, "x = x + 1");
    ck_assert_int_ge(y, 0);
    ck_assert_msg(strncmp(row_text(g, y), "      A", 7) != 0, "%s", row_text(g, y));
    ck_assert(strncmp(row_text(g, y + 1), "      A", 7) == 0);
    ck_assert_ptr_nonnull(strstr(row_text(g, y + 2), "steps: load x, compute x + 1, store x"));
    y = find_row(g, "r = x");
    ck_assert(strncmp(row_text(g, y), "      B", 7) == 0);
    ck_assert_ptr_nonnull(strstr(row_text(g, y + 1), "steps: load x"));
    panel_state_fini(&ps);
    grid_free(g);
    free(wf);
    run_free(run);
    scn_demo_free(d);
}
END_TEST

START_TEST(test_state_panel_markers_and_lanes)
{
    static const int p[] = {RACE_THREADS, 2, RACE_ITERATIONS, 1, -1};
    Run *run = check_run_start(&race_demo, p, SCHED_STEP, "A", true);
    PanelState ps = {0};
    WaitFor *wf = calloc(1, sizeof(*wf));
    Grid *g = grid_new(60, 20);
    PanelStateIn in = {&race_demo, run_config(run)->params, run, true, wf, false, false, false};
    int y;

    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(panel_state_reset(&ps, run_nlanes(run)), 0);
    run_poll(run, 0);
    waitfor_build(wf, run_arena(run));
    panel_state_draw(&ps, g, (Rect){0, 0, 60, 20}, &in);
    ck_assert_str_eq(row_text(g, 0), "code: race (unsafe) broken on purpose");
    /* A loaded: it stands on the add; B still on the load */
    y = find_row(g, "reg = reg + 1");
    ck_assert_int_ge(y, 0);
    ck_assert(strncmp(row_text(g, y), "      A", 7) == 0);
    y = find_row(g, "reg = load counter");
    ck_assert(strncmp(row_text(g, y), "      B", 7) == 0);
    ck_assert_int_ge(find_row(g, "counter = 0"), 0);
    ck_assert_int_ge(find_row(g, "lanes (next step)"), 0);
    y = find_row(g, "A   ready    reg=0");
    ck_assert_int_ge(y, 0);
    ck_assert_ptr_nonnull(strstr(row_text(g, y), "add"));
    panel_state_fini(&ps);
    grid_free(g);
    free(wf);
    run_kill(run);
    run_free(run);
}
END_TEST

/* A lane that is a process of its own shows its pid in the lanes panel. */
START_TEST(test_state_panel_process_pids)
{
    static const int p[] = {RACE_THREADS,         2, RACE_ITERATIONS, 1, RACE_LANES,
                            RACE_LANES_PROCESSES, -1};
    Run *run = check_run_start(&race_demo, p, SCHED_STEP, "A", true);
    PanelState ps = {0};
    WaitFor *wf = calloc(1, sizeof(*wf));
    Grid *g = grid_new(60, 20);
    PanelStateIn in = {&race_demo, run_config(run)->params, run, true, wf, false, false, false};
    RunLaneInfo li;
    char want[64];

    ck_assert_int_eq(panel_state_reset(&ps, run_nlanes(run)), 0);
    run_poll(run, 0);
    waitfor_build(wf, run_arena(run));
    panel_state_draw(&ps, g, (Rect){0, 0, 60, 20}, &in);
    ck_assert_int_ge(find_row(g, "lanes (next step), processes by pid"), 0);
    run_lane_info(run, 1, &li);
    ck_assert_int_eq(li.kind, LANE_KIND_PROCESS);
    snprintf(want, sizeof(want), "B %d ready", (int)li.pid);
    ck_assert_int_ge(find_row(g, want), 0);
    panel_state_fini(&ps);
    grid_free(g);
    free(wf);
    run_kill(run);
    run_free(run);
}
END_TEST

START_TEST(test_timeline_panel_and_banner)
{
    Run *run = check_run_start(&deadlock_demo, NULL, SCHED_STEP, "A B", true);
    PanelTimeline pt;
    Grid *g = grid_new(60, 8);
    char banner[512];

    memset(&pt, 0, sizeof(pt));
    run_wait(run);
    ck_assert_int_eq(panel_timeline_reset(&pt, run, NULL, NULL), 0);
    panel_timeline_scan(&pt);
    panel_timeline_draw(&pt, g, 0, 2, 60, 0, NULL, false, 0);
    ck_assert(strncmp(row_text(g, 0), "timeline (1 step per column)", 28) == 0);
    ck_assert_str_eq(row_text(g, 1), "A  |L.");
    ck_assert_str_eq(row_text(g, 2), "B  |.L");
    /* the legend: plain blocked, lock marks */
    ck_assert_int_ge(find_row(g, "= running  . ready  # blocked  L lock  U unlock"), 0);
    ck_assert_int_eq(banner_text(run, banner, sizeof(banner)), UI_BANNER);
    ck_assert_str_eq(banner,
                     "DEADLOCK at step 2: A holds acct1, waits acct2; B holds acct2, waits acct1");
    panel_timeline_fini(&pt);
    grid_free(g);
    run_free(run);
}
END_TEST

START_TEST(test_params_dialog_and_prompt)
{
    DialogParams d;
    Prompt pr = {0};
    int64_t v[DEMO_MAX_PARAMS];

    demo_params_default(&race_demo, v);
    dialog_params_open(&d, &race_demo, v);
    ck_assert_int_eq(dialog_params_key(&d, CRT_KEY_RIGHT), DIALOG_EDITING); /* threads 4 -> 5 */
    ck_assert_int_eq(d.edit[RACE_THREADS], 5);
    ck_assert_int_eq(dialog_params_key(&d, '0'), DIALOG_EDITING);           /* typing: 0 */
    ck_assert_int_eq(dialog_params_key(&d, CRT_KEY_ENTER), DIALOG_EDITING); /* refused */
    ck_assert_str_eq(d.error, "threads must be 1..64");
    ck_assert_int_eq(dialog_params_key(&d, '8'), DIALOG_EDITING);
    ck_assert_int_eq(dialog_params_key(&d, CRT_KEY_UP), DIALOG_EDITING); /* wraps to lanes */
    ck_assert_int_eq(dialog_params_key(&d, CRT_KEY_UP), DIALOG_EDITING); /* to variant */
    ck_assert_int_eq(dialog_params_key(&d, 'm'), DIALOG_EDITING);        /* mutex */
    ck_assert_int_eq(dialog_params_key(&d, CRT_KEY_ENTER), DIALOG_APPLY);
    ck_assert_int_eq(d.edit[RACE_THREADS], 8);
    ck_assert_int_eq(d.edit[RACE_VARIANT], RACE_MUTEX);
    ck_assert_int_eq(dialog_params_key(&d, CRT_KEY_ESC), DIALOG_CANCEL);
    /* 1-2-5 steps through a large range */
    ck_assert_int_eq(dialog_params_step(&race_demo.params[RACE_ITERATIONS], 100000, 1), 200000);
    ck_assert_int_eq(dialog_params_step(&race_demo.params[RACE_ITERATIONS], 100000, -1), 50000);

    prompt_open(&pr, "schedule: ", "A B");
    ck_assert_int_eq(prompt_key(&pr, ' '), PROMPT_EDITING);
    ck_assert_int_eq(prompt_key(&pr, 'A'), PROMPT_EDITING);
    ck_assert_str_eq(prompt_text(&pr), "A B A");
    ck_assert_int_eq(prompt_key(&pr, CRT_KEY_BACKSPACE), PROMPT_EDITING);
    ck_assert_int_eq(prompt_key(&pr, 0x15), PROMPT_EDITING); /* Ctrl-U */
    ck_assert_str_eq(prompt_text(&pr), "");
    ck_assert_int_eq(prompt_key(&pr, CRT_KEY_ENTER), PROMPT_ACCEPT);
    /* no length limit: a schedule of 5000 steps is kept whole */
    for (int i = 0; i < 5000; i++) {
        prompt_key(&pr, 'A');
        prompt_key(&pr, ' ');
    }
    ck_assert_uint_eq(strlen(prompt_text(&pr)), 10000);
    prompt_close(&pr);
}
END_TEST

/* ------------------------------------------------------------------ */
/* the quiz                                                            */
/* ------------------------------------------------------------------ */

static Lesson *race_lesson(void)
{
    char path[1024];
    const char *src = getenv("top_srcdir");
    IlError err;
    Lesson *l;

    snprintf(path, sizeof(path), "%s/lessons/race.md", src != NULL ? src : ".");
    l = lesson_load(path, &err);
    ck_assert_msg(l != NULL, "%s", err.msg);
    return l;
}

/* The dialog at 78x20 (an 80x24 screen): a wrong choice, then the right
 * one, each shown at once with the explanation; a value typed; a choice
 * that does not exist refused; a challenge started two ways. */
START_TEST(test_quiz_dialog)
{
    Lesson *l = race_lesson();
    IlError err;
    Progress *pr = progress_from_text("", 0, &err);
    Grid *g = grid_new(78, 20);
    Quiz qz;
    PanelQuiz pq;
    int y;

    memset(&pq, 0, sizeof(pq));
    ck_assert_int_eq(quiz_init(&qz, l, pr), 0);
    panel_quiz_open(&pq, &qz, l->npages - 1); /* the last page: the questions */
    ck_assert_str_eq(panel_quiz_item(&pq)->id, "race-two-threads");
    panel_quiz_draw(&pq, g, (Rect){0, 0, 78, 20});
    ck_assert_int_eq(find_row(g, " questions and challenges: 0 of 7 done "), 0);
    y = find_row(g, "p8   question  Two threads each add one");
    ck_assert_int_ge(y, 1);
    ck_assert_int_ge(find_row(g, "1. only 2"), y + 1);
    ck_assert_int_ge(find_row(g, "1-3 answers with that choice"), 0);
    ck_assert_int_lt(find_row(g, "explain:"), 0); /* nothing answered yet */

    /* wrong: said at once; the explanation, which gives the answer away,
     * waits for a right answer (or three wrong ones); then right */
    ck_assert_int_eq(panel_quiz_choose(&pq, 1), PANEL_QUIZ_SAY);
    ck_assert_int_eq(pq.verdict, QUIZ_WRONG);
    ck_assert_str_eq(pq.msg, "wrong: choice 1 is not the right one; try again (attempt 1 so far)");
    grid_clear(g);
    panel_quiz_draw(&pq, g, (Rect){0, 0, 78, 20});
    ck_assert_int_ge(find_row(g, "wrong   p8   question  Two threads each"), 1);
    ck_assert_int_ge(find_row(g, "your answer: 1 (only 2)"), 0);
    ck_assert_int_ge(find_row(g, "wrong: choice 1 is not the right one"), 0);
    ck_assert_int_lt(find_row(g, "explain:"), 0);
    ck_assert_int_ge(find_row(g, "the explanation shows once it is right, or after 3 tries"), 0);
    ck_assert_int_eq(panel_quiz_choose(&pq, 2), PANEL_QUIZ_SAY);
    ck_assert_int_eq(pq.verdict, QUIZ_RIGHT);
    grid_clear(g);
    panel_quiz_draw(&pq, g, (Rect){0, 0, 78, 20});
    ck_assert_int_ge(find_row(g, "explain: Each store writes a register that holds at least 1"), 0);
    ck_assert_int_ge(find_row(g, "right   p8   question  Two threads each"), 1);
    ck_assert_int_ge(find_row(g, "your answer: 2 (1 or 2)"), 0);
    ck_assert_int_eq(find_row(g, " questions and challenges: 1 of 7 done "), 0);
    /* a choice that is not there is no attempt */
    ck_assert_int_eq(panel_quiz_choose(&pq, 9), PANEL_QUIZ_SAY);
    ck_assert_int_eq(pq.verdict, QUIZ_REFUSED);
    ck_assert_str_eq(pq.msg, "there are 3 choices: 1-3");

    /* a value, typed: nothing typed is refused and the prompt stays */
    panel_quiz_move(&pq, 1);
    panel_quiz_move(&pq, 1);
    ck_assert_str_eq(panel_quiz_item(&pq)->id, "race-mutex-steps");
    ck_assert_int_eq(panel_quiz_choose(&pq, 1), PANEL_QUIZ_SAY); /* no choices */
    ck_assert_int_eq(pq.verdict, QUIZ_REFUSED);
    ck_assert_int_eq(panel_quiz_enter(&pq), PANEL_QUIZ_NONE);
    ck_assert(panel_quiz_typing(&pq));
    ck_assert_int_eq(panel_quiz_key(&pq, CRT_KEY_ENTER), PANEL_QUIZ_SAY);
    ck_assert(panel_quiz_typing(&pq));
    ck_assert_int_eq(panel_quiz_key(&pq, '5'), PANEL_QUIZ_NONE);
    ck_assert_int_eq(panel_quiz_key(&pq, CRT_KEY_ENTER), PANEL_QUIZ_SAY);
    ck_assert(!panel_quiz_typing(&pq));
    ck_assert_int_eq(pq.verdict, QUIZ_RIGHT);
    ck_assert_str_eq(pq.msg, "right");
    /* Esc closes the prompt only */
    ck_assert_int_eq(panel_quiz_enter(&pq), PANEL_QUIZ_NONE);
    ck_assert_int_eq(panel_quiz_key(&pq, CRT_KEY_ESC), PANEL_QUIZ_NONE);
    ck_assert(!panel_quiz_typing(&pq));

    /* a challenge: no choice; Enter starts it, l types its schedule */
    for (int i = 0; i < 10; i++) {
        panel_quiz_move(&pq, -1);
    }
    ck_assert_str_eq(panel_quiz_item(&pq)->id, "race-lose-one");
    ck_assert_int_eq(panel_quiz_choose(&pq, 1), PANEL_QUIZ_SAY);
    ck_assert_int_eq(pq.verdict, QUIZ_REFUSED);
    grid_clear(g);
    panel_quiz_draw(&pq, g, (Rect){0, 0, 78, 20});
    ck_assert_int_ge(find_row(g, "goal: Two threads add one once each."), 0);
    ck_assert_int_ge(find_row(g, "a step-mode run of race threads=2 iterations=1 variant=unsafe"),
                     0);
    ck_assert_int_ge(find_row(g, "hint: Let A load, then let B load before A stores."), 0);
    ck_assert_int_eq(panel_quiz_enter(&pq), PANEL_QUIZ_START);
    ck_assert_int_eq(panel_quiz_schedule(&pq), PANEL_QUIZ_NONE);
    for (const char *k = "A B"; *k != '\0'; k++) {
        panel_quiz_key(&pq, *k);
    }
    ck_assert_int_eq(panel_quiz_key(&pq, CRT_KEY_ENTER), PANEL_QUIZ_SCHEDULE);
    ck_assert_str_eq(panel_quiz_text(&pq), "A B");
    /* a solved challenge shows how, and its explanation */
    ck_assert_int_eq(progress_mark_try(pr, "race", "race-lose-one", PROGRESS_RIGHT, "A B A B A B"),
                     0);
    grid_clear(g);
    panel_quiz_draw(&pq, g, (Rect){0, 0, 78, 20});
    ck_assert_int_ge(find_row(g, "solved  p4   challenge"), 1);
    ck_assert_int_ge(find_row(g, "solved (1 attempt); the last run: A B A B A B"), 0);
    ck_assert_int_ge(find_row(g, "explain: Both lanes loaded 0 before either stored"), 0);

    panel_quiz_close(&pq);
    quiz_fini(&qz);
    progress_free(pr);
    grid_free(g);
    lesson_free(l);
}
END_TEST

/* The goal block over the page text: not yet, reached (with the
 * explanation), missed (with the hint); never more rows than it has. */
START_TEST(test_goal_block)
{
    Lesson *l = race_lesson();
    const LessonChallenge *ch = NULL;
    Grid *g = grid_new(36, 14);
    int used;

    for (size_t p = 0; p < l->npages && ch == NULL; p++) {
        if (l->pages[p].nchallenges > 0) {
            ch = &l->pages[p].challenges[0];
        }
    }
    ck_assert_ptr_nonnull(ch);
    used = panel_quiz_goal_draw(g, (Rect){0, 0, 36, 14}, ch, CHALLENGE_PENDING,
                                "not yet: the run goes on at step 2");
    ck_assert_str_eq(row_text(g, 0), "challenge race-lose-one      not yet");
    ck_assert_int_ge(find_row(g, "not yet: the run goes on at step 2"), 1);
    ck_assert_int_lt(find_row(g, "Both lanes"), 0);
    ck_assert_int_le(used, 14);
    grid_clear(g);
    used = panel_quiz_goal_draw(g, (Rect){0, 0, 36, 14}, ch, CHALLENGE_REACHED,
                                "goal reached: the run completed at step 6 with final 1, lost 1");
    ck_assert_str_eq(row_text(g, 0), "challenge race-lose-one goal reached");
    ck_assert_int_ge(find_row(g, "goal reached: the run completed"), 1);
    ck_assert_int_ge(find_row(g, "Both lanes loaded 0 before either"), 1);
    ck_assert_int_le(used, 14);
    grid_clear(g);
    (void)panel_quiz_goal_draw(g, (Rect){0, 0, 36, 14}, ch, CHALLENGE_MISSED,
                               "not reached: the run completed at step 6 with final 2");
    ck_assert_int_ge(find_row(g, "hint: Let A load"), 1);
    /* a small room: cut, and the rule still under it */
    grid_clear(g);
    used = panel_quiz_goal_draw(g, (Rect){0, 0, 36, 4}, ch, CHALLENGE_REACHED, "goal reached");
    ck_assert_int_eq(used, 4);
    grid_free(g);
    lesson_free(l);
}
END_TEST

/* The page text says once how the student stands on its questions. */
START_TEST(test_page_text_status)
{
    static const char text[] = "try race race-two-threads wrong 1\n"
                               "try race race-how-many right 3\n";
    Lesson *l = race_lesson();
    IlError err;
    Progress *pr = progress_from_text(text, sizeof(text) - 1, &err);
    Grid *g = grid_new(60, 200);
    Quiz qz;
    int lines;

    ck_assert_ptr_nonnull(pr);
    ck_assert_int_eq(quiz_init(&qz, l, pr), 0);
    lines = panel_text_draw(g, (Rect){0, 0, 60, 200}, l, l->npages - 1, 0, &race_demo, &qz);
    ck_assert_int_lt(lines, 200);
    ck_assert_int_ge(find_row(g, "[question 1] Two threads each add one"), 0);
    ck_assert_int_ge(find_row(g, "Tab answers them:"), 0);
    ck_assert_int_ge(find_row(g, "- question 1: answered: wrong, 1 attempt"), 0);
    ck_assert_int_ge(find_row(g, "- question 2: answered: right"), 0);
    ck_assert_int_ge(find_row(g, "- question 3: not answered"), 0);
    /* each question once: no second copy of the prompt */
    ck_assert_int_lt(find_row(g, "? Two threads each"), 0);
    quiz_fini(&qz);
    progress_free(pr);
    grid_free(g);
    lesson_free(l);
}
END_TEST

/* No key means two things in one scope, and the quiz's scope holds no
 * lesson key: a digit is a choice there, a letter never steps a lane. */
START_TEST(test_key_scopes)
{
    static const unsigned scopes[] = {KEYS_BROWSER, KEYS_FREE, KEYS_STEP, KEYS_QUIZ};
    for (size_t s = 0; s < sizeof(scopes) / sizeof(scopes[0]); s++) {
        for (const KeyBinding *a = keys_table; a->name != NULL; a++) {
            int alast = a->key_last != 0 ? a->key_last : a->key;
            if ((a->scope & scopes[s]) == 0) {
                continue;
            }
            for (const KeyBinding *b = a + 1; b->name != NULL; b++) {
                int blast = b->key_last != 0 ? b->key_last : b->key;
                ck_assert_msg((b->scope & scopes[s]) == 0 || blast < a->key || b->key > alast,
                              "keys %s and %s collide in scope %u", a->name, b->name, scopes[s]);
            }
        }
    }
    ck_assert_int_eq(keys_find('\t', KEYS_FREE)->action, ACT_QUIZ);
    ck_assert_int_eq(keys_find('\t', KEYS_STEP)->action, ACT_QUIZ);
    ck_assert_int_eq(keys_find('\t', KEYS_QUIZ)->action, ACT_QUIZ);
    ck_assert_int_eq(keys_find(CRT_KEY_ESC, KEYS_QUIZ)->action, ACT_QUIZ);
    ck_assert_int_eq(keys_find('3', KEYS_QUIZ)->action, ACT_CHOICE);
    ck_assert_int_eq(keys_find('3', KEYS_FREE)->action, ACT_PAGE_RUN);
    ck_assert_int_eq(keys_find('x', KEYS_STEP)->action, ACT_EXPORT);
    ck_assert_ptr_null(keys_find('A', KEYS_QUIZ));
    ck_assert_ptr_null(keys_find(' ', KEYS_QUIZ));
    ck_assert_ptr_null(keys_find('r', KEYS_QUIZ));
    ck_assert_int_eq(keys_find('q', KEYS_QUIZ)->action, ACT_QUIT);
    ck_assert_int_eq(keys_find('?', KEYS_QUIZ)->action, ACT_HELP);
}
END_TEST

static Suite *view_suite(void)
{
    Suite *s = suite_create("view");
    TCase *verdict = NULL, *views = NULL, *quiz = NULL;

    add_tcase(s, &verdict, "verdict", test_verdict_abba_cycle, 30);
    add_tcase(s, &verdict, "verdict", test_verdict_hang_sleepers, 30);
    add_tcase(s, &verdict, "verdict", test_verdict_bad_schedule, 30);
    add_tcase(s, &verdict, "verdict", test_refusal_reason, 30);
    add_tcase(s, &views, "views", test_race_marks_lost_update, 30);
    add_tcase(s, &views, "views", test_prodcons_wait_classes_and_buffer_panel, 30);
    add_tcase(s, &views, "views", test_prodcons_depth_panel, 30);
    add_tcase(s, &views, "views", test_state_panel_markers_and_lanes, 30);
    add_tcase(s, &views, "views", test_state_panel_scenario_lines, 30);
    add_tcase(s, &views, "views", test_state_panel_process_pids, 30);
    add_tcase(s, &views, "views", test_timeline_panel_and_banner, 30);
    add_tcase(s, &views, "views", test_params_dialog_and_prompt, 30);
    add_tcase(s, &quiz, "quiz", test_quiz_dialog, 30);
    add_tcase(s, &quiz, "quiz", test_goal_block, 30);
    add_tcase(s, &quiz, "quiz", test_page_text_status, 30);
    add_tcase(s, &quiz, "quiz", test_key_scopes, 30);
    return s;
}

CHECK_MAIN(view_suite)
