/*
 * check_view.c - verdicts as data (core/verdict.h) and the demos' view
 * halves (view/view.h): what a banner, a panel or a legend shows, read
 * cell by cell from the Grid, with no terminal.
 *
 * Runs are replays, so every state asserted here is exact.
 */
#include "config.h"

#include <string.h>

#include "check_common.h"
#include "check_run.h"
#include "core/run.h"
#include "core/verdict.h"
#include "demos/deadlock.h"
#include "demos/prodcons.h"
#include "demos/race.h"
#include "util/grid.h"
#include "util/strbuf.h"
#include "view/draw.h"
#include "view/view.h"

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

static Suite *view_suite(void)
{
    Suite *s = suite_create("view");
    TCase *verdict = NULL, *views = NULL;

    add_tcase(s, &verdict, "verdict", test_verdict_abba_cycle, 30);
    add_tcase(s, &verdict, "verdict", test_verdict_hang_sleepers, 30);
    add_tcase(s, &verdict, "verdict", test_verdict_bad_schedule, 30);
    add_tcase(s, &verdict, "verdict", test_refusal_reason, 30);
    add_tcase(s, &views, "views", test_prodcons_wait_classes_and_buffer_panel, 30);
    add_tcase(s, &views, "views", test_prodcons_depth_panel, 30);
    return s;
}

CHECK_MAIN(view_suite)
