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
#include "demos/demo.h"
#include "demos/pool.h"
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
#include "view/timeline.h"
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

/* The race's marks lane by lane (what the live timeline looks up) are
 * its marks all at once, each lane's in time order, also in a free run of
 * four lanes whose many lost updates are found out of order, scanned while
 * the run goes, a little at a time, as the TUI does. */
START_TEST(test_race_lane_marks_sorted)
{
    const MarkSource *ms = view_of(&race_demo)->marks;
    RunConfig cfg;
    IlError err;
    Run *run;
    ViewCtx ctx;
    void *st;
    const TimelineMark *all;
    size_t nall, total = 0;

    run_config_init(&cfg, &race_demo);
    cfg.params[RACE_THREADS] = 4;
    cfg.params[RACE_ITERATIONS] = 20000;
    cfg.timeout_s = 60;
    cfg.drain_max = 2000; /* each poll takes in a little, as the TUI's */
    run = run_start(&cfg, &err);
    ck_assert_msg(run != NULL, "%s", err.msg);
    view_ctx_init(&ctx, run);
    st = ms->new (&ctx);
    ck_assert_ptr_nonnull(st);
    while (!run_poll(run, 1)) {
        ms->scan(st, &ctx);
    }
    ms->scan(st, &ctx);
    nall = ms->marks(st, &all);
    for (unsigned l = 0; l < 4; l++) {
        const TimelineMark *lm;
        size_t n = ms->lane_marks(st, l, &lm), in_all = 0;
        for (size_t i = 0; i < n; i++) {
            ck_assert_uint_eq(lm[i].lane, l);
            if (i > 0) {
                ck_assert_uint_ge(lm[i].t, lm[i - 1].t);
            }
        }
        for (size_t i = 0; i < nall; i++) {
            in_all += all[i].lane == l;
        }
        ck_assert_uint_eq(n, in_all);
        total += n;
    }
    ck_assert_uint_eq(total, nall);
    ms->free(st);
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
        scn_demo_class(d), run_config(run)->params, run, true, wf, false, false, true, false};
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
    PanelStateIn in = {&race_demo, run_config(run)->params, run, true, wf, false, false, false,
                       false};
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

/* The code markers look at a few of each lane's events per frame, however
 * many arrived: the latest event that one line alone performs says where
 * the lane stands.  A free run of 4 lanes records 60,000 events each; the
 * panel used to walk every one of them through the code. */
START_TEST(test_state_panel_markers_bounded)
{
    static const int p[] = {RACE_THREADS, 4, RACE_ITERATIONS, 20000, -1};
    Run *run = check_run_start(&race_demo, p, SCHED_FREE, NULL, false);
    PanelState ps = {0};
    WaitFor *wf = calloc(1, sizeof(*wf));
    Grid *g = grid_new(60, 20);
    PanelStateIn in = {&race_demo, run_config(run)->params, run, false, wf, false, false, false,
                       false};

    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_uint_ge(run_events_total(run), 4 * 60000);
    ck_assert_int_eq(panel_state_reset(&ps, run_nlanes(run)), 0);
    waitfor_build(wf, run_arena(run));
    panel_state_draw(&ps, g, (Rect){0, 0, 60, 20}, &in);
    /* a lane's last events: its last store (one line: "store counter"),
     * then the end of the lane (no line) */
    ck_assert_uint_gt(ps.visits, 0);
    ck_assert_uint_le(ps.visits, 4 * 4);
    panel_state_draw(&ps, g, (Rect){0, 0, 60, 20}, &in);
    ck_assert_uint_eq(ps.visits, 0); /* nothing new */
    panel_state_fini(&ps);
    grid_free(g);
    free(wf);
    run_free(run);
}
END_TEST

/* The code rows with the lanes' markers, as text. */
static void state_panel_code_rows(PanelState *ps, const PanelStateIn *in, char *out, size_t len)
{
    Grid *g = grid_new(70, 24);
    size_t at = 0;

    ck_assert_ptr_nonnull(g);
    panel_state_draw(ps, g, (Rect){0, 0, 70, 24}, in);
    out[0] = '\0';
    for (int y = 1; y < 8 && at < len; y++) {
        int n = snprintf(out + at, len - at, "%s\n", row_text(g, y));
        at += n > 0 ? (size_t)n : 0;
    }
    grid_free(g);
}

/* Whether lane's marker is on the code row that shows line, in rows (as
 * state_panel_code_rows writes them): the lanes' names, then the arrow. */
static bool state_panel_marked(const char *rows, char lane, const char *line)
{
    for (const char *r = rows; *r != '\0';) {
        const char *nl = strchr(r, '\n');
        size_t len = nl != NULL ? (size_t)(nl - r) : strlen(r);
        const char *arrow = memchr(r, DRAW_ARROW, len);
        char text[256];
        snprintf(text, sizeof(text), "%.*s", (int)len, r);
        if (arrow != NULL && memchr(r, lane, (size_t)(arrow - r)) != NULL &&
            strstr(text, line) != NULL) {
            return true;
        }
        r += len + (nl != NULL ? 1 : 0);
    }
    return false;
}

/* Two lines perform the same operation in the naive transfer ("lock from",
 * "lock to"): stepped one step at a time through three transfers, lane A
 * stands on the same line whether the panel saw every step or all of them
 * at once, and on "lock to" after its first lock, on "lock from" again
 * after its unlocks. */
START_TEST(test_state_panel_markers_shared_ops)
{
    static const int p[] = {DEADLOCK_TRANSFERS, 3, DEADLOCK_HOLD_US, 0, -1};
    Run *run = check_run_start(&deadlock_demo, p, SCHED_STEP, NULL, true);
    SchedToken a1 = {0, TOK_STEPS, 1, 1};
    PanelState each = {0};
    WaitFor *wf = calloc(1, sizeof(*wf));
    PanelStateIn in = {&deadlock_demo, run_config(run)->params, run, true, wf, false, false, false,
                       false};
    bool at_to = false, back_at_from = false;
    IlError err;
    int steps = 0;

    ck_assert_int_eq(panel_state_reset(&each, run_nlanes(run)), 0);
    for (;;) {
        PanelState fresh = {0};
        char a[1024], b[1024];
        int rc = run_send(run, &a1, &err);
        ck_assert_int_ge(rc, 0);
        if (rc != RUN_SEND_OK) {
            break; /* A has finished */
        }
        steps++;
        run_poll(run, 0);
        waitfor_build(wf, run_arena(run));
        state_panel_code_rows(&each, &in, a, sizeof(a));
        ck_assert_int_eq(panel_state_reset(&fresh, run_nlanes(run)), 0);
        state_panel_code_rows(&fresh, &in, b, sizeof(b));
        ck_assert_msg(strcmp(a, b) == 0, "step %d:\n%s\nall at once:\n%s", steps, a, b);
        at_to = at_to || state_panel_marked(a, 'A', " lock to ");
        back_at_from = back_at_from || (at_to && state_panel_marked(a, 'A', " lock from"));
        panel_state_fini(&fresh);
        ck_assert_int_lt(steps, 200);
    }
    ck_assert_int_gt(steps, 9);
    ck_assert(at_to);
    ck_assert(back_at_from);
    panel_state_fini(&each);
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
    PanelStateIn in = {&race_demo, run_config(run)->params, run, true, wf, false, false, false,
                       false};
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

/* Render a step run's timeline from t0 (span steps) with its index ix
 * (NULL: none) into rows; returns the events the render looked at. */
static uint64_t step_rows(const Run *run, const TimelineSteps *ix, uint64_t t0, uint64_t span,
                          char rows[][256])
{
    unsigned n = run_nlanes(run);
    const Event *ev[8];
    size_t counts[8];
    const DemoView *dv = view_of(run_config(run)->demo);
    TimelineWaits waits = {dv->waits, dv->nwaits, dv->wait_class, run_arena(run),
                           run_config(run)->params};
    TimelineInput in = {.nlanes = n, .events = ev, .counts = counts, .stepping = true};
    TimelineView view = {t0, span, 3};
    uint64_t visits = 0;
    Grid *g = grid_new(84, 10);

    ck_assert_uint_le(n, 8);
    for (unsigned l = 0; l < n; l++) {
        counts[l] = run_lane_events(run, l, &ev[l]);
    }
    in.t_end = run_steps(run);
    in.waits = &waits;
    in.steps = ix;
    in.visits = &visits;
    timeline_render(g, 0, 0, 84, &in, &view);
    for (unsigned y = 0; y <= n; y++) {
        grid_row_text(g, (int)y, rows[y], 256);
    }
    grid_free(g);
    return visits;
}

/* A step run's timeline drawn with the index a front end keeps (holds,
 * counts and row walks taken in a little at a time, as the run's events
 * come in) shows the same cells as drawn from every event, wherever the
 * view is and however many steps a column holds: locks held (a mutexed
 * race, a deadlock), semaphores and condition variables (the queue), and
 * pipes between processes (a pool).  With the index a frame at the end of
 * the run looks at the events of the steps it shows and at most 1024
 * before them per lane; without it, at every event of the run. */
START_TEST(test_step_timeline_index_same_rows)
{
    static const int race_mutex[] = {RACE_THREADS, 3, RACE_ITERATIONS, 400, RACE_VARIANT,
                                     RACE_MUTEX,   -1};
    static const int deadlock[] = {DEADLOCK_TRANSFERS, 300, DEADLOCK_HOLD_US, 0, DEADLOCK_VARIANT,
                                   DEADLOCK_ORDERED,   -1};
    static const int queue_sem[] = {PC_CAPACITY, 2, PC_ITEMS, 300, PC_VARIANT, PC_SEMAPHORE, -1};
    static const int queue_cond[] = {PC_CAPACITY, 1, PC_ITEMS, 300, -1};
    static const int pool[] = {POOL_WORKERS, 2, POOL_TASKS, 400, -1};
    static const struct {
        const DemoClass *demo;
        const int *params;
    } runs[] = {{&race_demo, race_mutex},
                {&deadlock_demo, deadlock},
                {&prodcons_demo, queue_sem},
                {&prodcons_demo, queue_cond},
                {&pool_demo, pool}};

    for (size_t r = 0; r < ARRAY_SIZE(runs); r++) {
        Run *run = check_run_start(runs[r].demo, runs[r].params, SCHED_STEP, NULL, false);
        unsigned n = run_nlanes(run);
        const DemoView *dv = view_of(runs[r].demo);
        TimelineWaits waits = {dv->waits, dv->nwaits, dv->wait_class, run_arena(run),
                               run_config(run)->params};
        TimelineSteps *ix = timeline_steps_new(n);
        uint64_t end, total = 0;
        size_t upto[8] = {0};
        bool more = true;

        (void)run_wait(run);
        end = run_steps(run);
        ck_assert_ptr_nonnull(ix);
        ck_assert_uint_le(n, 8);
        /* taken in 97 events of a lane at a time, lane after lane */
        while (more) {
            more = false;
            for (unsigned l = 0; l < n; l++) {
                const Event *ev;
                size_t have = run_lane_events(run, l, &ev);
                upto[l] = upto[l] + 97 < have ? upto[l] + 97 : have;
                ck_assert_int_eq(timeline_steps_add(ix, &waits, l, ev, upto[l]), 0);
                more = more || upto[l] < have;
            }
        }
        for (unsigned l = 0; l < n; l++) {
            const Event *ev;
            total += run_lane_events(run, l, &ev);
        }
        ck_assert_uint_eq(timeline_steps_visits(ix), total);
        ck_assert_msg(end > 2000, "%s: %llu steps", runs[r].demo->name, (unsigned long long)end);
        for (uint64_t span = 80; span <= 80 * 64; span *= 4) {
            for (uint64_t t0 = 0; t0 + span / 2 < end; t0 += end / 7 + 1) {
                char with[9][256], without[9][256];
                step_rows(run, ix, t0, span, with);
                step_rows(run, NULL, t0, span, without);
                for (unsigned y = 0; y <= n; y++) {
                    ck_assert_msg(strcmp(with[y], without[y]) == 0,
                                  "%s from step %llu, %llu steps: row %u\n'%s'\n'%s'",
                                  runs[r].demo->name, (unsigned long long)t0,
                                  (unsigned long long)span, y, with[y], without[y]);
                }
            }
        }
        {
            /* the view that follows the run's end */
            char rows[9][256];
            uint64_t with = step_rows(run, ix, end - 80, 80, rows);
            uint64_t without = step_rows(run, NULL, end - 80, 80, rows);
            ck_assert_uint_le(with, (uint64_t)n * (1024 + 2 * 80));
            ck_assert_uint_ge(without, total);
        }
        timeline_steps_free(ix);
        run_free(run);
    }
}
END_TEST

/* The timeline panel of a long step run (a mutexed race run round-robin
 * to its end, 9,600 events) keeps its index from frame to frame: the first
 * frame takes in every event once, a later one looks only at the steps it
 * shows and at most 1024 events before them per lane, and draws the same
 * rows. */
START_TEST(test_timeline_panel_step_frames_bounded)
{
    static const int p[] = {RACE_THREADS, 2, RACE_ITERATIONS, 800, RACE_VARIANT, RACE_MUTEX, -1};
    Run *run = check_run_start(&race_demo, p, SCHED_STEP, NULL, false);
    PanelTimeline pt;
    Grid *g = grid_new(80, 8);
    char first[3][512];

    memset(&pt, 0, sizeof(pt));
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_uint_ge(run_events_total(run), 9600);
    ck_assert_int_eq(panel_timeline_reset(&pt, run, NULL, NULL), 0);
    panel_timeline_scan(&pt);
    panel_timeline_draw(&pt, g, 0, 2, 80, 0, NULL, false, 0);
    ck_assert_uint_ge(pt.visits, run_events_total(run));
    for (int y = 0; y < 3; y++) {
        snprintf(first[y], sizeof(first[y]), "%s", row_text(g, y));
    }
    grid_clear(g);
    panel_timeline_scan(&pt);
    panel_timeline_draw(&pt, g, 0, 2, 80, 0, NULL, false, 0);
    ck_assert_uint_le(pt.visits, 2 * (1024 + 2 * 80));
    for (int y = 0; y < 3; y++) {
        ck_assert_str_eq(row_text(g, y), first[y]);
    }
    ck_assert_ptr_nonnull(strchr(first[1], 'L')); /* the locks show */
    panel_timeline_fini(&pt);
    grid_free(g);
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

/* A scenario whose only objects are a barrier, an event, a latch, an RLock
 * or a read-write lock still has '#' in its legend: their waits draw it. */
START_TEST(test_timeline_legend_scenario_waits)
{
    static const char *const srcs[] = {
        "b = Barrier(2)\nlane w[2]:\n    b.wait()\n",
        "e = Event()\nlane A:\n    e.wait()\nlane B:\n    e.set()\n",
        "l = CountDownLatch(1)\nlane A:\n    l.wait()\nlane B:\n    l.count_down()\n",
        "r = RLock()\nlane w[2]:\n    with r:\n        pass\n",
        "rw = RWLock()\nlane A:\n    rw.acquire_write()\n    rw.release_write()\n"
        "lane B:\n    rw.acquire_read()\n    rw.release_read()\n",
    };
    for (size_t i = 0; i < ARRAY_SIZE(srcs); i++) {
        IlError err;
        ScnDemo *d = scn_demo_parse(srcs[i], strlen(srcs[i]), "t.scn", 1, &err);
        PanelTimeline pt;
        Grid *g = grid_new(80, 8);
        Run *run;

        ck_assert_msg(d != NULL, "%s", err.msg);
        run = check_run_start(scn_demo_class(d), NULL, SCHED_REPLAY, "A B", false);
        memset(&pt, 0, sizeof(pt));
        run_wait(run);
        ck_assert_int_eq(panel_timeline_reset(&pt, run, NULL, NULL), 0);
        panel_timeline_scan(&pt);
        panel_timeline_draw(&pt, g, 0, 2, 80, 0, NULL, false, 0);
        ck_assert_msg(find_row(g, "= running  . ready  # blocked") >= 0, "no '# blocked' for %s",
                      srcs[i]);
        panel_timeline_fini(&pt);
        grid_free(g);
        run_free(run);
        scn_demo_free(d);
    }
}
END_TEST

/* The result keeps its rows at any height: the shared variables never
 * draw over it (at 80x24 a scenario's "deadlock" and "x = 1" shared one
 * row, "deadlockx = 1"). */
START_TEST(test_state_panel_result_keeps_its_row)
{
    static const char src[] = "b = Barrier(2)\nx = 0\ny = 0\nlane A:\n    x = 1\n    y = 2\n"
                              "    b.wait()\n";
    IlError err;
    ScnDemo *d = scn_demo_parse(src, strlen(src), "t.scn", 1, &err);
    WaitFor *wf = calloc(1, sizeof(*wf));
    Run *run;

    ck_assert_msg(d != NULL, "%s", err.msg);
    run = replay(scn_demo_class(d), NULL, "A*");
    ck_assert_int_eq(run_verdict(run), VERDICT_DEADLOCK);
    waitfor_build(wf, run_arena(run));
    for (int h = 2; h <= 14; h++) {
        PanelState ps = {0};
        Grid *g = grid_new(60, h);
        PanelStateIn in = {.demo = scn_demo_class(d),
                           .params = run_config(run)->params,
                           .run = run,
                           .stepping = true,
                           .wf = wf};
        ck_assert_int_eq(panel_state_reset(&ps, run_nlanes(run)), 0);
        panel_state_draw(&ps, g, (Rect){0, 0, 60, h}, &in);
        for (int y = 0; y < h; y++) {
            const char *t = row_text(g, y);
            ck_assert_msg(strncmp(t, "deadlock", 8) != 0 || strcmp(t, "deadlock  x 1  y 2") == 0,
                          "height %d, row %d: '%s'", h, y, t);
        }
        ck_assert_msg(strncmp(row_text(g, h - 1), "deadlock", 8) == 0, "height %d: '%s'", h,
                      row_text(g, h - 1));
        panel_state_fini(&ps);
        grid_free(g);
    }
    free(wf);
    run_free(run);
    scn_demo_free(d);
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

/* ------------------------------------------------------------------ */
/* fitting the screen: nothing cut without a mark                      */
/* ------------------------------------------------------------------ */

/* Columns x0..x1-1 of rows y0..y1-1 of g as one line of text: every run
 * of blanks one space, the rows joined by a space. */
static const char *flat_text(const Grid *g, int x0, int y0, int x1, int y1)
{
    static char buf[8192];
    size_t n = 0;
    for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1 && n + 2 < sizeof(buf); x++) {
            char ch = g->cells[y * g->w + x].ch;
            if (ch == ' ' || (unsigned char)ch < 0x20) {
                ch = ' ';
            }
            if (ch != ' ' || (n > 0 && buf[n - 1] != ' ')) {
                buf[n++] = ch;
            }
        }
        if (n > 0 && buf[n - 1] != ' ') {
            buf[n++] = ' ';
        }
    }
    while (n > 0 && buf[n - 1] == ' ') {
        n--;
    }
    buf[n] = '\0';
    return buf;
}

/* The box drawn in g (ASCII): its top-left corner, width and height. */
static void find_box(const Grid *g, int *x0, int *y0, int *w, int *h)
{
    *x0 = *y0 = -1;
    for (int y = 0; y < g->h && *x0 < 0; y++) {
        for (int x = 0; x < g->w; x++) {
            if (g->cells[y * g->w + x].ch == '+') {
                *x0 = x;
                *y0 = y;
                break;
            }
        }
    }
    ck_assert_msg(*x0 >= 0, "no box corner");
    for (*w = 1; *x0 + *w < g->w && g->cells[*y0 * g->w + *x0 + *w].ch != '+'; (*w)++) {
    }
    for (*h = 1; *y0 + *h < g->h && g->cells[(*y0 + *h) * g->w + *x0].ch != '+'; (*h)++) {
    }
    (*w)++;
    (*h)++;
}

/* The whole border, and nothing of the screen under the box inside it. */
static void assert_box(Grid *g, int x0, int y0, int w, int h)
{
    ck_assert_int_le(x0 + w, g->w);
    ck_assert_int_le(y0 + h, g->h);
    ck_assert_int_eq(grid_at(g, x0 + w - 1, y0)->ch, '+');
    ck_assert_int_eq(grid_at(g, x0, y0 + h - 1)->ch, '+');
    ck_assert_int_eq(grid_at(g, x0 + w - 1, y0 + h - 1)->ch, '+');
    for (int y = y0 + 1; y < y0 + h - 1; y++) {
        ck_assert_int_eq(grid_at(g, x0, y)->ch, DRAW_VLINE);
        ck_assert_msg(grid_at(g, x0 + w - 1, y)->ch == DRAW_VLINE, "no right border on row %d", y);
        for (int x = x0 + 1; x < x0 + w - 1; x++) {
            ck_assert_msg(grid_at(g, x, y)->ch != '~', "the screen under the box shows at %d,%d", x,
                          y);
        }
    }
}

/* The parameters dialog of every demo on an 80x24 screen: inside the
 * screen, a whole border, its inside cleared, the selected parameter's
 * description (every one in turn) and the key hint whole (wrapped, not
 * cut). */
START_TEST(test_params_dialog_fits)
{
    for (size_t k = 0; k < demo_count(); k++) {
        const DemoClass *demo = demo_at(k);
        Grid *g = grid_new(80, 24);
        DialogParams d;
        int64_t v[DEMO_MAX_PARAMS];
        int x0, y0, w, h;
        const char *text;

        demo_params_default(demo, v);
        dialog_params_open(&d, demo, v);
        /* the selected parameter's help is whole (the others too when the
         * screen has the rows for all of them) */
        for (unsigned i = 0; i < demo->nparams; i++) {
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 80; x++) {
                    grid_put(g, x, y, '~', STYLE_TEXT); /* the screen under the dialog */
                }
            }
            d.sel = (int)i;
            dialog_params_draw(&d, g);
            find_box(g, &x0, &y0, &w, &h);
            assert_box(g, x0, y0, w, h);
            text = flat_text(g, x0 + 1, y0 + 1, x0 + w - 1, y0 + h - 1);
            ck_assert_msg(strstr(text, demo->params[i].help) != NULL, "%s: '%s' not whole in: %s",
                          demo->name, demo->params[i].help, text);
            ck_assert_msg(strstr(text, "Esc cancels, q quits") != NULL, "%s", text);
        }
        grid_free(g);
    }
}
END_TEST

/* The help at 80x24: one column, every key's help whole (wrapped), a
 * border all round, a "more" mark and scrolling to the end; the title says
 * that q quits.  At 200x60 it all shows at once, a help on one row. */
START_TEST(test_help_fits)
{
    static const char *const extra[] = {
        "A note long enough to be wrapped on an eighty-column screen, which the help "
        "overlay does instead of cutting it off at the box's edge.",
        NULL};
    char all[16384] = "";
    Grid *g = grid_new(80, 24);
    int scroll = 0, page, x0, y0, w, h, last = -1;

    page = keys_draw_help(g, KEYS_STEP, extra, &scroll);
    ck_assert_int_gt(page, 0); /* it does not all fit: it scrolls */
    find_box(g, &x0, &y0, &w, &h);
    ck_assert_ptr_nonnull(strstr(row_text(g, y0), "q quits, any other key closes this"));
    ck_assert_ptr_nonnull(strstr(row_text(g, y0 + h - 1), "more below (Down)"));
    /* one row at a time to the end: the rows in order, each once */
    for (int s = 0;; s++) {
        int sc = s;
        grid_clear(g);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 80; x++) {
                grid_put(g, x, y, '~', STYLE_TEXT);
            }
        }
        keys_draw_help(g, KEYS_STEP, extra, &sc);
        find_box(g, &x0, &y0, &w, &h);
        assert_box(g, x0, y0, w, h);
        if (sc < s) {
            break; /* clamped: the last page was the one before */
        }
        last = sc;
        if (sc + (h - 2) >= 200) {
            break;
        }
        strncat(all, flat_text(g, x0 + 1, y0 + 1, x0 + w - 1, y0 + 2),
                sizeof(all) - strlen(all) - 2);
        strcat(all, " ");
    }
    ck_assert_int_gt(last, 0);
    /* the rows after the last first row */
    {
        int sc = last;
        grid_clear(g);
        keys_draw_help(g, KEYS_STEP, extra, &sc);
        find_box(g, &x0, &y0, &w, &h);
        strncat(all, flat_text(g, x0 + 1, y0 + 2, x0 + w - 1, y0 + h - 1),
                sizeof(all) - strlen(all) - 1);
        ck_assert_ptr_nonnull(strstr(row_text(g, y0 + h - 1), "more above (Up)"));
    }
    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        if ((b->scope & KEYS_STEP) != 0) {
            ck_assert_msg(strstr(all, b->help) != NULL, "'%s' not whole in: %s", b->help, all);
        }
    }
    ck_assert_msg(strstr(all, extra[0] + 60) != NULL, "%s", all);
    grid_free(g);

    g = grid_new(200, 60);
    scroll = 0;
    ck_assert_int_eq(keys_draw_help(g, KEYS_STEP, extra, &scroll), 0);
    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        if ((b->scope & KEYS_STEP) != 0) {
            ck_assert_msg(find_row(g, b->help) >= 0, "'%s' not on one row", b->help);
        }
    }
    grid_free(g);
}
END_TEST

/* A code line wider than its panel says so with a mark at its end: the
 * page text's code and the demo's pseudo-code. */
START_TEST(test_code_lines_marked)
{
    Lesson *l = race_lesson();
    Grid *g = grid_new(34, 40);
    PanelState ps = {0};
    PanelStateIn in = {&deadlock_demo, NULL, NULL, false, NULL, false, false, false, false};
    int64_t params[DEMO_MAX_PARAMS];
    int y;

    /* page 2 of the race lesson, in the page panel of an 80x24 screen */
    panel_text_draw(g, (Rect){0, 0, 34, 40}, l, 1, 0, &race_demo, NULL);
    y = find_row(g, "for (i = 0; i < iterations;");
    ck_assert_int_ge(y, 0);
    ck_assert_msg(row_text(g, y)[33] == '>', "'%s'", row_text(g, y));
    /* short code lines are not marked */
    y = find_row(g, "counter++;");
    ck_assert_int_ge(y, 0);
    ck_assert_int_eq(row_text(g, y)[strlen(row_text(g, y)) - 1], ';');
    grid_free(g);
    lesson_free(l);

    /* the deadlock's transfer line in the state panel of an 80x24 screen */
    g = grid_new(41, 12);
    demo_params_default(&deadlock_demo, params);
    in.params = params;
    panel_state_draw(&ps, g, (Rect){0, 0, 41, 12}, &in);
    y = find_row(g, "from.balance -= 1;");
    ck_assert_int_ge(y, 0);
    ck_assert_msg(row_text(g, y)[40] == '>', "'%s'", row_text(g, y));
    /* a heading too wide for the panel: "code: " gives way, "broken on
     * purpose" stays whole */
    {
        IlError err;
        const DemoClass *phil = demo_find("philosophers", &err);
        ck_assert_ptr_nonnull(phil);
        demo_params_default(phil, params);
        in.demo = phil;
        grid_clear(g);
        panel_state_draw(&ps, g, (Rect){0, 0, 41, 12}, &in);
        ck_assert_str_eq(row_text(g, 0), "philosophers (naive) broken on purpose");
    }
    panel_state_fini(&ps);
    grid_free(g);
}
END_TEST

/* Four lanes in the state panel of an 80x24 screen (41 x 12): every lane
 * has its row, in a step run and when the run is over (with its result). */
START_TEST(test_state_panel_four_lanes)
{
    static const int p[] = {RACE_THREADS, 4, RACE_ITERATIONS, 1, -1};
    Run *run = check_run_start(&race_demo, p, SCHED_STEP, "A B", true);
    PanelState ps = {0};
    WaitFor *wf = calloc(1, sizeof(*wf));
    Grid *g = grid_new(41, 12);
    PanelStateIn in = {&race_demo, run_config(run)->params, run, true, wf, false, false, false,
                       false};
    static const char *const ready[] = {"A   ready", "B   ready", "C   ready", "D   ready"};
    static const char *const done[] = {"A   finished", "B   finished", "C   finished",
                                       "D   finished"};

    ck_assert_int_eq(panel_state_reset(&ps, run_nlanes(run)), 0);
    run_poll(run, 0);
    waitfor_build(wf, run_arena(run));
    panel_state_draw(&ps, g, (Rect){0, 0, 41, 12}, &in);
    for (int l = 0; l < 4; l++) {
        ck_assert_msg(find_row(g, ready[l]) >= 0, "no row '%s'", ready[l]);
    }
    ck_assert_int_ge(find_row(g, "counter = 0"), 0);
    ck_assert_int_lt(find_row(g, "more lanes"), 0);
    run_kill(run);
    run_free(run);

    run = replay(&race_demo, p, "A3 B3 C3 D3");
    in.run = run;
    in.params = run_config(run)->params;
    in.stepping = false;
    grid_clear(g);
    ck_assert_int_eq(panel_state_reset(&ps, run_nlanes(run)), 0);
    waitfor_build(wf, run_arena(run));
    panel_state_draw(&ps, g, (Rect){0, 0, 41, 12}, &in);
    for (int l = 0; l < 4; l++) {
        ck_assert_msg(find_row(g, done[l]) >= 0, "no row '%s'", done[l]);
    }
    ck_assert_int_ge(find_row(g, "completed"), 0);
    panel_state_fini(&ps);
    grid_free(g);
    free(wf);
    run_free(run);
}
END_TEST

/* A legend that does not fit its row goes on a second one, items whole. */
START_TEST(test_legend_wraps)
{
    Run *run = check_run_start(&deadlock_demo, NULL, SCHED_STEP, "A B", true);
    PanelTimeline pt;
    Grid *g = grid_new(45, 8);

    memset(&pt, 0, sizeof(pt));
    run_wait(run);
    ck_assert_int_eq(panel_timeline_reset(&pt, run, NULL, NULL), 0);
    panel_timeline_scan(&pt);
    panel_timeline_draw(&pt, g, 0, 2, 45, 0, NULL, false, 0);
    ck_assert_str_eq(row_text(g, 4), "= running  . ready  # blocked  L lock");
    ck_assert(strncmp(row_text(g, 5), "U unlock", 8) == 0);
    ck_assert_int_eq(panel_timeline_rows(&pt, 2, 0, 45), 6);
    ck_assert_int_eq(panel_timeline_rows(&pt, 2, 0, 100), 5);
    panel_timeline_fini(&pt);
    grid_free(g);
    run_free(run);
}
END_TEST

/* Marks in column after column of a row are thinned out: at most one in
 * four columns, and the lane's bar shows between them; marks alone all
 * show. */
START_TEST(test_dense_marks_thinned)
{
    Event ev[2] = {{0, 0, 0, 0, EV_LANE_START}, {1000, 0, 0, 0, EV_LANE_END}};
    const Event *events[1] = {ev};
    size_t counts[1] = {2};
    TimelineMark marks[100];
    TimelineInput in;
    TimelineView view = {0, 0, 3};
    Grid *g = grid_new(44, 2);
    int x_count = 0, run_count = 0;

    for (int i = 0; i < 100; i++) {
        marks[i] =
            (TimelineMark){.t = (uint64_t)i * 10, .lane = 0, .ascii = 'X', .style = STYLE_MARK};
    }
    memset(&in, 0, sizeof(in));
    in.nlanes = 1;
    in.events = events;
    in.counts = counts;
    in.t_end = 1000;
    in.marks = marks;
    in.nmarks = 100;
    timeline_render(g, 0, 0, 44, &in, &view); /* 40 columns of 25 ns */
    for (int x = 4; x < 44; x++) {
        x_count += grid_at(g, x, 0)->ch == 'X';
        run_count += grid_at(g, x, 0)->ch == '=';
    }
    ck_assert_msg(x_count >= 5 && x_count <= 10, "%d marks: %s", x_count, row_text(g, 0));
    ck_assert_msg(run_count >= 30, "%s", row_text(g, 0));
    /* the same marks as the lane's own list (MarkSource.lane_marks) */
    {
        const TimelineMark *lm[1] = {marks};
        size_t ln[1] = {100};
        grid_clear(g);
        in.nmarks = 0;
        in.lane_marks = lm;
        in.lane_nmarks = ln;
        timeline_render(g, 0, 0, 44, &in, &view);
        x_count = 0;
        for (int x = 4; x < 44; x++) {
            x_count += grid_at(g, x, 0)->ch == 'X';
        }
        ck_assert_msg(x_count >= 5 && x_count <= 10, "%d marks: %s", x_count, row_text(g, 0));
        in.lane_marks = NULL;
        in.lane_nmarks = NULL;
        in.nmarks = 100;
    }
    /* a run of 12 marked columns in a row of 40: 3 marks */
    grid_clear(g);
    in.nmarks = 12;
    for (int i = 0; i < 12; i++) {
        marks[i].t = 500 + (uint64_t)i * 25;
    }
    timeline_render(g, 0, 0, 44, &in, &view);
    x_count = 0;
    for (int x = 4; x < 44; x++) {
        x_count += grid_at(g, x, 0)->ch == 'X';
    }
    ck_assert_msg(x_count == 3, "%d marks: %s", x_count, row_text(g, 0));
    /* two marks: both show */
    grid_clear(g);
    in.nmarks = 2;
    marks[0].t = 0;
    marks[1].t = 500;
    timeline_render(g, 0, 0, 44, &in, &view);
    ck_assert_int_eq(grid_at(g, 4, 0)->ch, 'X');
    ck_assert_int_eq(grid_at(g, 4 + 20, 0)->ch, 'X');
    grid_free(g);
    /* the axis: a label that would end past the last column is left out,
     * not cut ("|1.23u") */
    g = grid_new(19, 2);
    in.nmarks = 0;
    in.t_end = 1845; /* 15 columns of 123 ns: "1.23us" at column 10 */
    ev[1].t = 1845;
    timeline_render(g, 0, 0, 19, &in, &view);
    ck_assert_str_eq(row_text(g, 1), "   |0");
    grid_free(g);
}
END_TEST

/* The helpers that keep text whole or say it is not. */
START_TEST(test_draw_fit_helpers)
{
    Grid *g = grid_new(30, 4);
    static const DrawPart parts[] = {
        {"schedule: none", STYLE_DIM, 6}, {"(free run)", STYLE_DIM, 2}, {"44.1ms", STYLE_DIM, 7},
        {"1200008 events", STYLE_DIM, 3}, {"0 dropped", STYLE_DIM, 1},  {"4 lanes", STYLE_DIM, 4},
    };

    /* wrapped at spaces; the last row ends with an ellipsis when cut */
    ck_assert_int_eq(draw_text_lines(NULL, 0, 0, 10, 3, "one two three four five", 0), 3);
    ck_assert_int_eq(draw_text_lines(g, 0, 0, 10, 2, "one two three four five six", 0), 2);
    ck_assert_str_eq(row_text(g, 0), "one two");
    ck_assert_str_eq(row_text(g, 1), "three...");
    ck_assert_int_eq(draw_text_lines(NULL, 0, 0, 10, 3, "", 0), 1);
    /* the parts that matter most, whole */
    grid_clear(g);
    draw_parts(g, 0, 0, 30, parts, ARRAY_SIZE(parts));
    ck_assert_str_eq(row_text(g, 0), "schedule: none  44.1ms");
    grid_free(g);
    g = grid_new(80, 2);
    draw_parts(g, 0, 0, 60, parts, ARRAY_SIZE(parts));
    ck_assert_str_eq(row_text(g, 0), "schedule: none  (free run)  44.1ms  1200008 events  4 lanes");
    /* a long schedule shows its end */
    grid_clear(g);
    draw_text_fit_tail(g, 0, 0, 10, "A B A B C D A", 0);
    ck_assert_str_eq(row_text(g, 0), "... C D A");
    /* a cut line is marked; blanks at its end do not count */
    grid_clear(g);
    draw_text_mark(g, 0, 0, 6, "abcdefgh", (size_t)-1, 0);
    draw_text_mark(g, 0, 1, 6, "abcd      ", (size_t)-1, 0);
    ck_assert_str_eq(row_text(g, 0), "abcde>");
    ck_assert_str_eq(row_text(g, 1), "abcd");
    grid_free(g);
}
END_TEST

/* A panel's line that does not fit loses whole words and says so: never a
 * figure cut short into another figure ("done 1" for done 13, a results
 * list ending "11 1" for 11 12 13) */
START_TEST(test_panel_figures_never_cut)
{
    static const int p[] = {POOL_TASKS, 13, -1};
    Run *run = replay(&pool_demo, p, "");
    const PanelClass *side = view_of(&pool_demo)->side;
    ViewCtx ctx;
    Grid *g = grid_new(35, 6);
    void *self;
    bool queued = false, results = false;

    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    ck_assert_ptr_nonnull(side);
    view_ctx_init(&ctx, run);
    self = side->new (&ctx);
    side->scan(self, &ctx);
    side->draw(self, g, (Rect){0, 0, 35, 6}, &ctx);
    for (int y = 0; y < 6; y++) {
        const char *row = row_text(g, y);
        if (strncmp(row, "queued", 6) == 0) {
            /* whole: "queued 0  running 0  back 0  done 13" is 36 columns */
            ck_assert_str_eq(row, "queued 0  running 0  back 0...");
            queued = true;
        } else if (strncmp(row, "results:", 8) == 0) {
            ck_assert_str_eq(row, "results: 1 2 3 4 5 6 7 8 9 10 11...");
            results = true;
        }
    }
    ck_assert(queued && results);
    /* a line that fits is drawn whole, as before */
    grid_clear(g);
    draw_textf(g, 0, 0, 35, 0, "done %d", 2000);
    ck_assert_str_eq(row_text(g, 0), "done 2000");
    side->free(self);
    grid_free(g);
    run_free(run);
}
END_TEST

/* A lane process that died is explained where the timeline marks it: its
 * death, its zombie time and, in step mode, the reap on the parent's row
 * (the pool's own legend has only the zombie) */
START_TEST(test_legend_explains_a_death)
{
    static const int p[] = {POOL_TASKS, 4, POOL_CRASH, 2, -1};
    Run *run = replay(&pool_demo, p, "A3");
    PanelTimeline pt;
    Grid *g = grid_new(80, 10);
    bool died = false, reaped = false;
    int zombies = 0;

    memset(&pt, 0, sizeof(pt));
    ck_assert_int_eq(check_result(run, "broken"), 1);
    ck_assert_int_eq(panel_timeline_reset(&pt, run, NULL, NULL), 0);
    panel_timeline_scan(&pt);
    panel_timeline_draw(&pt, g, 0, 3, 80, 0, NULL, false, 0);
    for (int y = 0; y < 10; y++) {
        const char *row = row_text(g, y);
        died = died || strstr(row, "X died") != NULL;
        reaped = reaped || strstr(row, "Z reaped") != NULL;
        for (const char *z = row; (z = strstr(z, "z zombie")) != NULL; z++) {
            zombies++;
        }
    }
    ck_assert_msg(died && reaped && zombies == 1, "died %d reaped %d zombie x%d", died, reaped,
                  zombies);
    panel_timeline_fini(&pt);
    grid_free(g);
    run_free(run);
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
    add_tcase(s, &views, "views", test_panel_figures_never_cut, 30);
    add_tcase(s, &views, "views", test_race_lane_marks_sorted, 60);
    add_tcase(s, &views, "views", test_prodcons_wait_classes_and_buffer_panel, 30);
    add_tcase(s, &views, "views", test_prodcons_depth_panel, 30);
    add_tcase(s, &views, "views", test_state_panel_markers_and_lanes, 30);
    add_tcase(s, &views, "views", test_state_panel_scenario_lines, 30);
    add_tcase(s, &views, "views", test_state_panel_process_pids, 30);
    add_tcase(s, &views, "views", test_state_panel_markers_bounded, 60);
    add_tcase(s, &views, "views", test_state_panel_markers_shared_ops, 60);
    add_tcase(s, &views, "views", test_step_timeline_index_same_rows, 120);
    add_tcase(s, &views, "views", test_timeline_panel_and_banner, 30);
    add_tcase(s, &views, "views", test_timeline_panel_step_frames_bounded, 30);
    add_tcase(s, &views, "views", test_params_dialog_and_prompt, 30);
    add_tcase(s, &views, "views", test_params_dialog_fits, 30);
    add_tcase(s, &views, "views", test_help_fits, 30);
    add_tcase(s, &views, "views", test_code_lines_marked, 30);
    add_tcase(s, &views, "views", test_state_panel_four_lanes, 30);
    add_tcase(s, &views, "views", test_legend_wraps, 30);
    add_tcase(s, &views, "views", test_legend_explains_a_death, 30);
    add_tcase(s, &views, "views", test_timeline_legend_scenario_waits, 30);
    add_tcase(s, &views, "views", test_state_panel_result_keeps_its_row, 30);
    add_tcase(s, &views, "views", test_dense_marks_thinned, 30);
    add_tcase(s, &views, "views", test_draw_fit_helpers, 30);
    add_tcase(s, &quiz, "quiz", test_quiz_dialog, 30);
    add_tcase(s, &quiz, "quiz", test_goal_block, 30);
    add_tcase(s, &quiz, "quiz", test_page_text_status, 30);
    add_tcase(s, &quiz, "quiz", test_key_scopes, 30);
    return s;
}

CHECK_MAIN(view_suite)
