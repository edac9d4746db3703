/*
 * check_timeline.c - rendering lanes' events into a cell grid
 * (export/timeline.h, export/grid.h).
 *
 * The inputs are hand-made event sequences, the same shape the front end's
 * logs have, so each expected row can be worked out on paper from the
 * rules in timeline.h: in step mode one column per step with the glyph of
 * the operation the lane ran, '.' ready, '#' blocked while another lane
 * holds the mutex it waits for; in free mode '=' running and '#' blocked
 * between lock_wait and lock, with L/U marks.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "check_common.h"
#include "core/event.h"
#include "util/grid.h"
#include "view/draw.h"
#include "view/timeline.h"
#include "view/view.h"

#define E(t_, kind_, value_)                                                                       \
    {                                                                                              \
        (t_), (value_), 1, 0, (kind_)                                                              \
    }
#define M(t_, kind_)                                                                               \
    {                                                                                              \
        (t_), 0, 2, 0, (kind_)                                                                     \
    } /* an event on mutex object 2 */

/* Render lanes into a fresh grid of w columns; returns time per column. */
static uint64_t render(Grid **out, int w, unsigned nlanes, const Event *const *ev, const size_t *n,
                       bool stepping, uint64_t t_end)
{
    TimelineInput in = {
        .nlanes = nlanes, .events = ev, .counts = n, .stepping = stepping, .t_end = t_end};
    TimelineView view = {0, 0, 3};
    Grid *g = grid_new(w, (int)nlanes + 1);
    uint64_t per;

    ck_assert_ptr_nonnull(g);
    per = timeline_render(g, 0, 0, w, &in, &view);
    *out = g;
    return per;
}

static void row_is(const Grid *g, int y, const char *want)
{
    char buf[256];
    grid_row_text(g, y, buf, sizeof(buf));
    ck_assert_msg(strcmp(buf, want) == 0, "row %d is '%s', want '%s'", y, buf, want);
}

static void cell_is(Grid *g, int x, int y, char ch, int style)
{
    Cell *c = grid_at(g, x, y);
    ck_assert_ptr_nonnull(c);
    ck_assert_msg(c->ch == ch && c->style == style, "cell (%d,%d) is '%c'/%d, want '%c'/%d", x, y,
                  c->ch, c->style, ch, style);
}

/* The unsafe race under the schedule A B A B A B, as the scheduler
 * records it (time = step number). */
static const Event unsafe_a[] = {E(0, EV_LANE_START, 0), E(1, EV_LOAD, 0), E(3, EV_COMPUTE, 1),
                                 E(5, EV_STORE, 1), E(5, EV_LANE_END, 3)};
static const Event unsafe_b[] = {E(0, EV_LANE_START, 0), E(2, EV_LOAD, 0), E(4, EV_COMPUTE, 1),
                                 E(6, EV_STORE, 1), E(6, EV_LANE_END, 3)};

START_TEST(test_step_glyphs)
{
    const Event *ev[2] = {unsafe_a, unsafe_b};
    size_t n[2] = {ARRAY_SIZE(unsafe_a), ARRAY_SIZE(unsafe_b)};
    Grid *g;

    ck_assert_uint_eq(render(&g, 14, 2, ev, n, true, 0), 1);
    row_is(g, 0, "A  |l.+.s");
    row_is(g, 1, "B  |.l.+.s");
    cell_is(g, 4, 0, 'l', STYLE_RUNNING);
    cell_is(g, 5, 0, '.', STYLE_READY);
    cell_is(g, 6, 0, '+', STYLE_RUNNING);
    cell_is(g, 8, 0, 's', STYLE_RUNNING);
    cell_is(g, 9, 0, ' ', STYLE_FINISHED); /* A finished after step 5 */
    cell_is(g, 9, 1, 's', STYLE_RUNNING);
    cell_is(g, 3, 0, '|', STYLE_AXIS);
    grid_free(g);
}
END_TEST

START_TEST(test_step_axis)
{
    const Event *ev[2] = {unsafe_a, unsafe_b};
    size_t n[2] = {ARRAY_SIZE(unsafe_a), ARRAY_SIZE(unsafe_b)};
    char buf[64];
    Grid *g;

    render(&g, 14, 2, ev, n, true, 0);
    grid_row_text(g, 2, buf, sizeof(buf));
    ck_assert_msg(strncmp(buf, "   |0", 5) == 0, "axis '%s'", buf);
    ck_assert_msg(strstr(buf, "|5") != NULL, "axis '%s' has no mark at step 5", buf);
    grid_free(g);
}
END_TEST

START_TEST(test_step_compressed)
{
    const Event *ev[2] = {unsafe_a, unsafe_b};
    size_t n[2] = {ARRAY_SIZE(unsafe_a), ARRAY_SIZE(unsafe_b)};
    Grid *g;

    /* 6 steps in 3 columns: 2 steps per column; running wins, and the
     * operation glyphs give way to '=' */
    ck_assert_uint_eq(render(&g, 7, 2, ev, n, true, 0), 2);
    row_is(g, 0, "A  |===");
    row_is(g, 1, "B  |===");
    grid_free(g);
}
END_TEST

/* The mutex race with two lanes under the schedule A5 B5: B asks for m at
 * the start, but m is free until A's lock in step 1, held in steps 2..5. */
START_TEST(test_step_blocked)
{
    static const Event a[] = {E(0, EV_LANE_START, 0), M(0, EV_LOCK_WAIT),  M(1, EV_LOCK_ACQUIRE),
                              E(2, EV_LOAD, 0),       E(3, EV_COMPUTE, 1), E(4, EV_STORE, 1),
                              M(5, EV_LOCK_RELEASE),  E(5, EV_LANE_END, 5)};
    static const Event b[] = {E(0, EV_LANE_START, 0), M(0, EV_LOCK_WAIT),   M(6, EV_LOCK_ACQUIRE),
                              E(7, EV_LOAD, 1),       E(8, EV_COMPUTE, 2),  E(9, EV_STORE, 2),
                              M(10, EV_LOCK_RELEASE), E(10, EV_LANE_END, 5)};
    const Event *ev[2] = {a, b};
    size_t n[2] = {ARRAY_SIZE(a), ARRAY_SIZE(b)};
    Grid *g;

    ck_assert_uint_eq(render(&g, 14, 2, ev, n, true, 0), 1);
    row_is(g, 0, "A  |Ll+sU");
    row_is(g, 1, "B  |.####Ll+sU");
    cell_is(g, 4, 1, '.', STYLE_READY);   /* step 1: m still free */
    cell_is(g, 5, 1, '#', STYLE_BLOCKED); /* step 2: m held by A */
    cell_is(g, 8, 1, '#', STYLE_BLOCKED); /* step 5: A unlocks in this step */
    cell_is(g, 9, 1, 'L', STYLE_RUNNING);
    grid_free(g);
}
END_TEST

/* After its end a lane shows blank; a lane that never started too. */
START_TEST(test_step_not_started)
{
    static const Event a[] = {E(0, EV_LANE_START, 0), E(1, EV_LOAD, 0), E(2, EV_STORE, 1),
                              E(2, EV_LANE_END, 2)};
    const Event *ev[2] = {a, NULL};
    size_t n[2] = {ARRAY_SIZE(a), 0};
    Grid *g;

    render(&g, 14, 2, ev, n, true, 4);
    row_is(g, 0, "A  |ls");
    row_is(g, 1, "B  |");
    cell_is(g, 4, 1, ' ', STYLE_NEW);
    grid_free(g);
}
END_TEST

/* Free mode, 100 ns in 10 columns of 10 ns each. */
START_TEST(test_free_states)
{
    static const Event a[] = {E(0, EV_LANE_START, 0), M(10, EV_LOCK_WAIT), M(50, EV_LOCK_ACQUIRE),
                              M(60, EV_LOCK_RELEASE), E(100, EV_LANE_END, 2)};
    static const Event b[] = {E(0, EV_LANE_START, 0), M(60, EV_LOCK_WAIT), M(65, EV_LOCK_ACQUIRE),
                              M(70, EV_LOCK_RELEASE), E(80, EV_LANE_END, 2)};
    const Event *ev[2] = {a, b};
    size_t n[2] = {ARRAY_SIZE(a), ARRAY_SIZE(b)};
    Grid *g;

    ck_assert_uint_eq(render(&g, 14, 2, ev, n, false, 100), 10);
    row_is(g, 0, "A  |=####LU===");
    row_is(g, 1, "B  |======LU");
    cell_is(g, 4, 0, '=', STYLE_RUNNING);
    cell_is(g, 5, 0, '#', STYLE_BLOCKED);
    cell_is(g, 9, 0, 'L', STYLE_MARK);
    cell_is(g, 10, 0, 'U', STYLE_MARK);
    cell_is(g, 12, 1, ' ', STYLE_FINISHED);
    grid_free(g);
}
END_TEST

/* Free mode: a column shows the state the lane spent most of it in. */
START_TEST(test_free_majority)
{
    static const Event a[] = {E(0, EV_LANE_START, 0), M(13, EV_LOCK_WAIT), M(38, EV_LOCK_ACQUIRE),
                              E(40, EV_LANE_END, 1)};
    const Event *ev[1] = {a};
    size_t n[1] = {ARRAY_SIZE(a)};
    Grid *g;

    /* columns of 10 ns: [10,20) is 3 running + 7 blocked -> '#';
     * [30,40) has the lock acquisition -> 'L' */
    ck_assert_uint_eq(render(&g, 8, 1, ev, n, false, 40), 10);
    row_is(g, 0, "A  |=##L");
    grid_free(g);
}
END_TEST

/*
 * Free mode, columns with thousands of events: a frame samples such a
 * column instead of visiting each event, and still shows the state the
 * lane spent most of the column in, whether that is many short waits in a
 * run of work or many short runs in a long wait.  Column [0, 1000) of
 * lane A: 900 ns running, 100 ns blocked in every 10 us; lane B the other
 * way round.  Each lane has 4000 events in 4 columns of 10 us.
 */
START_TEST(test_free_dense_columns)
{
    enum { CYCLES = 1000 };
    static Event a[3 * CYCLES + 2], b[3 * CYCLES + 2];
    const Event *ev[2] = {a, b};
    size_t n[2] = {0, 0};
    Grid *g;

    a[n[0]++] = (Event)E(0, EV_LANE_START, 0);
    b[n[1]++] = (Event)E(0, EV_LANE_START, 0);
    for (uint64_t c = 0; c < CYCLES; c++) {
        uint64_t t = c * 40;
        /* A: waits 4 ns of every 40; B: runs 4 ns of every 40 */
        a[n[0]++] = (Event)M(t + 10, EV_LOCK_WAIT);
        a[n[0]++] = (Event)M(t + 14, EV_LOCK_ACQUIRE);
        a[n[0]++] = (Event)M(t + 20, EV_LOCK_RELEASE);
        b[n[1]++] = (Event)M(t + 1, EV_LOCK_ACQUIRE);
        b[n[1]++] = (Event)M(t + 3, EV_LOCK_RELEASE);
        b[n[1]++] = (Event)M(t + 5, EV_LOCK_WAIT);
    }
    a[n[0]++] = (Event)E(40000, EV_LANE_END, 0);
    b[n[1]++] = (Event)E(40000, EV_LANE_END, 0);
    ck_assert_uint_eq(render(&g, 8, 2, ev, n, false, 40000), 10000);
    row_is(g, 0, "A  |====");
    row_is(g, 1, "B  |####");
    cell_is(g, 4, 0, '=', STYLE_RUNNING);
    cell_is(g, 4, 1, '#', STYLE_BLOCKED);
    grid_free(g);
}
END_TEST

/* Marks given lane by lane (in time order) land in the same cells as the
 * same marks given all at once, in free and step mode, and a column shows
 * a mark however many fall in it. */
START_TEST(test_lane_marks_same_cells)
{
    static const Event a[] = {E(0, EV_LANE_START, 0), E(100, EV_LANE_END, 0)};
    static const Event b[] = {E(0, EV_LANE_START, 0), E(90, EV_LANE_END, 0)};
    static const TimelineMark all[] = {{.t = 5, .lane = 0, .ascii = 'X', .style = STYLE_MARK},
                                       {.t = 6, .lane = 0, .ascii = 'X', .style = STYLE_MARK},
                                       {.t = 7, .lane = 0, .ascii = 'X', .style = STYLE_MARK},
                                       {.t = 10, .lane = 1, .ascii = 'X', .style = STYLE_MARK},
                                       {.t = 31, .lane = 0, .ascii = 'X', .style = STYLE_MARK},
                                       {.t = 59, .lane = 1, .ascii = 'X', .style = STYLE_MARK},
                                       {.t = 60, .lane = 1, .ascii = 'X', .style = STYLE_MARK},
                                       {.t = 99, .lane = 0, .ascii = 'X', .style = STYLE_MARK},
                                       {.t = 100, .lane = 1, .ascii = 'X', .style = STYLE_MARK}};
    static const TimelineMark la[] = {{.t = 5, .lane = 0, .ascii = 'X', .style = STYLE_MARK},
                                      {.t = 6, .lane = 0, .ascii = 'X', .style = STYLE_MARK},
                                      {.t = 7, .lane = 0, .ascii = 'X', .style = STYLE_MARK},
                                      {.t = 31, .lane = 0, .ascii = 'X', .style = STYLE_MARK},
                                      {.t = 99, .lane = 0, .ascii = 'X', .style = STYLE_MARK}};
    static const TimelineMark lb[] = {{.t = 10, .lane = 1, .ascii = 'X', .style = STYLE_MARK},
                                      {.t = 59, .lane = 1, .ascii = 'X', .style = STYLE_MARK},
                                      {.t = 60, .lane = 1, .ascii = 'X', .style = STYLE_MARK},
                                      {.t = 100, .lane = 1, .ascii = 'X', .style = STYLE_MARK}};
    const TimelineMark *lanes[2] = {la, lb};
    size_t nl[2] = {ARRAY_SIZE(la), ARRAY_SIZE(lb)};
    const Event *ev[2] = {a, b};
    size_t n[2] = {ARRAY_SIZE(a), ARRAY_SIZE(b)};

    for (int stepping = 0; stepping < 2; stepping++) {
        for (uint64_t t0 = 0; t0 < 40; t0 += 13) {
            TimelineInput one = {
                .nlanes = 2, .events = ev, .counts = n, .stepping = stepping != 0, .t_end = 100};
            TimelineInput by = one;
            TimelineView view = {t0, 50, 3};
            Grid *g1 = grid_new(14, 3), *g2 = grid_new(14, 3);
            char r1[64], r2[64];

            one.marks = all;
            one.nmarks = ARRAY_SIZE(all);
            by.lane_marks = lanes;
            by.lane_nmarks = nl;
            ck_assert_uint_eq(timeline_render(g1, 0, 0, 14, &one, &view),
                              timeline_render(g2, 0, 0, 14, &by, &view));
            for (int y = 0; y < 2; y++) {
                grid_row_text(g1, y, r1, sizeof(r1));
                grid_row_text(g2, y, r2, sizeof(r2));
                ck_assert_msg(strcmp(r1, r2) == 0, "stepping %d t0 %llu row %d: '%s' vs '%s'",
                              stepping, (unsigned long long)t0, y, r1, r2);
            }
            ck_assert(strchr(r1, 'X') != NULL || t0 > 0);
            grid_free(g1);
            grid_free(g2);
        }
    }
}
END_TEST

/* Many marks, lane by lane: each column's count (which decides the mark a
 * run of marked columns shows) and first mark are found by galloping from
 * the column before, and must be those the marks all at once give, for
 * columns of 0 to hundreds of marks and views anywhere in the run. */
START_TEST(test_lane_marks_many_same_cells)
{
    enum { N = 4000 };
    static const Event a[] = {E(0, EV_LANE_START, 0), E(1000000, EV_LANE_END, 0)};
    static TimelineMark la[N], lb[N], all[2 * N];
    const TimelineMark *lanes[2] = {la, lb};
    size_t nl[2] = {N, N};
    const Event *ev[2] = {a, a};
    size_t n[2] = {ARRAY_SIZE(a), ARRAY_SIZE(a)};
    uint64_t ta = 0, tb = 0, seed = 12345;

    for (size_t i = 0; i < N; i++) {
        /* bursts and gaps: steps of 0 to 4095 ns, now and then 100,000 */
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        ta += (seed >> 33) % 7 == 0 ? 100000 : (seed >> 40) % 4096;
        tb += (seed >> 20) % 5 == 0 ? 0 : (seed >> 44) % 512;
        la[i] = (TimelineMark){.t = ta % 1000000, .lane = 0, .ascii = 'X', .style = STYLE_MARK};
        lb[i] = (TimelineMark){.t = tb, .lane = 1, .ascii = 'Y', .style = STYLE_MARK};
    }
    /* time order, as lane_marks gives them */
    for (size_t i = 1; i < N; i++) {
        for (size_t j = i; j > 0 && la[j - 1].t > la[j].t; j--) {
            TimelineMark t = la[j];
            la[j] = la[j - 1];
            la[j - 1] = t;
        }
    }
    memcpy(all, la, sizeof(la));
    memcpy(all + N, lb, sizeof(lb));
    for (uint64_t t0 = 0; t0 < 1000000; t0 += 77777) {
        for (uint64_t span = 400; span <= 1000000; span *= 7) {
            TimelineInput one = {.nlanes = 2, .events = ev, .counts = n, .t_end = 1000000};
            TimelineInput by = one;
            TimelineView view = {t0, span, 3};
            Grid *g1 = grid_new(84, 3), *g2 = grid_new(84, 3);
            char r1[128], r2[128];

            one.marks = all;
            one.nmarks = 2 * N;
            by.lane_marks = lanes;
            by.lane_nmarks = nl;
            timeline_render(g1, 0, 0, 84, &one, &view);
            timeline_render(g2, 0, 0, 84, &by, &view);
            for (int y = 0; y < 2; y++) {
                grid_row_text(g1, y, r1, sizeof(r1));
                grid_row_text(g2, y, r2, sizeof(r2));
                ck_assert_msg(strcmp(r1, r2) == 0, "t0 %llu span %llu row %d:\n'%s'\n'%s'",
                              (unsigned long long)t0, (unsigned long long)span, y, r1, r2);
            }
            grid_free(g1);
            grid_free(g2);
        }
    }
}
END_TEST

/* Waits a queue's front end explains: lane A (a producer) on a full
 * buffer, lane B (a consumer) on an empty one, object 5 is join's cond. */
#define O(t_, kind_, obj_, value_)                                                                 \
    {                                                                                              \
        (t_), (value_), (obj_), 0, (kind_)                                                         \
    }

static const WaitClass queue_classes[] = {
    {"full", "buffer full", "waits: full", 'F', "\u2594", 0},
    {"empty", "buffer empty", "waits: empty", 'E', "\u2581", 1},
    {"join", "join", "join", 'J', "\u2504", 2},
};

static int queue_class(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj)
{
    ck_assert_ptr_null(arena);
    ck_assert_ptr_null(params);
    if (obj == 5) {
        return 2;
    }
    return lane == 1 ? 1 : 0;
}

static const TimelineWaits queue_waits = {queue_classes, 3, queue_class, NULL, NULL};

/* Free mode: a cond wait and a semaphore wait at count 0, 10 ns a column. */
/* A lane that ran only a little of a column still shows in it: with 8
 * short lanes in a long run, each one's few microseconds of work must not
 * lose to the rest of the column, or the lane looks as if it never ran. */
START_TEST(test_free_short_lanes_show)
{
    static const Event a[] = {E(12, EV_LANE_START, 0), E(14, EV_LANE_END, 1)};
    static const Event b[] = {E(0, EV_LANE_START, 0), E(1, EV_LANE_END, 1)};
    static const Event c[] = {E(29, EV_LANE_START, 0), E(31, EV_LANE_END, 1)};
    const Event *ev[3] = {a, b, c};
    size_t n[3] = {ARRAY_SIZE(a), ARRAY_SIZE(b), ARRAY_SIZE(c)};
    TimelineInput in = {
        .nlanes = 3, .events = ev, .counts = n, .stepping = false, .t_end = 100, .waits = NULL};
    TimelineView view = {0, 0, 3};
    Grid *g = grid_new(14, 4);

    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(timeline_render(g, 0, 0, 14, &in, &view), 10);
    row_is(g, 0, "A  | =");   /* 2 ns of 10 */
    row_is(g, 1, "B  |=");    /* 1 ns of 10 */
    row_is(g, 2, "C  |  =="); /* across a column boundary: both columns */
    grid_free(g);
}
END_TEST

START_TEST(test_free_waits)
{
    static const Event a[] = {E(0, EV_LANE_START, 0), O(20, EV_COND_WAIT, 3, 2),
                              O(60, EV_COND_WAKE, 3, 0), E(100, EV_LANE_END, 1)};
    static const Event b[] = {E(0, EV_LANE_START, 0),      O(30, EV_SEM_WAIT, 6, 0),
                              O(50, EV_SEM_ACQUIRE, 6, 0), O(60, EV_SEM_WAIT, 6, 2),
                              O(61, EV_SEM_ACQUIRE, 6, 1), E(80, EV_LANE_END, 1)};
    static const Event c[] = {E(0, EV_LANE_START, 0), O(10, EV_COND_WAIT, 5, 2),
                              O(90, EV_COND_WAKE, 5, 0), E(100, EV_LANE_END, 1)};
    const Event *ev[3] = {a, b, c};
    size_t n[3] = {ARRAY_SIZE(a), ARRAY_SIZE(b), ARRAY_SIZE(c)};
    TimelineInput in = {.nlanes = 3,
                        .events = ev,
                        .counts = n,
                        .stepping = false,
                        .t_end = 100,
                        .waits = &queue_waits};
    TimelineView view = {0, 0, 3};
    Grid *g = grid_new(14, 4);

    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(timeline_render(g, 0, 0, 14, &in, &view), 10);
    row_is(g, 0, "A  |==FFFF====");
    row_is(g, 1, "B  |===EE==="); /* a sem_wait that saw 2 goes straight on */
    row_is(g, 2, "C  |=JJJJJJJJ=");
    /* each class in its own colour slot */
    cell_is(g, 6, 0, 'F', UI_ACCENT_0);
    cell_is(g, 7, 1, 'E', UI_ACCENT_1);
    cell_is(g, 5, 2, 'J', UI_ACCENT_2);
    /* a grid that takes UTF-8 gets the classes' Unicode glyphs */
    g->utf8 = true;
    grid_clear(g);
    timeline_render(g, 0, 0, 14, &in, &view);
    ck_assert_str_eq(draw_ext_glyph((unsigned char)grid_at(g, 6, 0)->ch), "\u2594");
    ck_assert_str_eq(draw_ext_glyph((unsigned char)grid_at(g, 7, 1)->ch), "\u2581");
    g->utf8 = false;
    /* without the explanation the same waits are plain blocked */
    in.waits = NULL;
    grid_clear(g);
    timeline_render(g, 0, 0, 14, &in, &view);
    row_is(g, 0, "A  |==####====");
    row_is(g, 1, "B  |===##===");
    grid_free(g);
}
END_TEST

/* Step mode: asleep on a cond from the step after its wait to the wake;
 * in a sem_wait only while the count is 0 (C posts in step 2, so B may
 * take it from step 3). */
START_TEST(test_step_waits)
{
    static const Event a[] = {E(0, EV_LANE_START, 0), O(1, EV_COND_WAIT, 3, 2),
                              O(4, EV_COND_WAKE, 3, 0), E(4, EV_LANE_END, 1)};
    static const Event b[] = {E(0, EV_LANE_START, 0), O(0, EV_SEM_WAIT, 6, 0),
                              O(3, EV_SEM_ACQUIRE, 6, 0), E(3, EV_LANE_END, 1)};
    static const Event c[] = {E(0, EV_LANE_START, 0), O(2, EV_SEM_POST, 6, 1),
                              E(2, EV_LANE_END, 1)};
    const Event *ev[3] = {a, b, c};
    size_t n[3] = {ARRAY_SIZE(a), ARRAY_SIZE(b), ARRAY_SIZE(c)};
    TimelineInput in = {.nlanes = 3,
                        .events = ev,
                        .counts = n,
                        .stepping = true,
                        .t_end = 0,
                        .waits = &queue_waits};
    TimelineView view = {0, 0, 3};
    Grid *g = grid_new(14, 4);

    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(timeline_render(g, 0, 0, 14, &in, &view), 1);
    row_is(g, 0, "A  |WFFw");
    row_is(g, 1, "B  |EE=");
    row_is(g, 2, "C  |.=");
    cell_is(g, 5, 0, 'F', UI_ACCENT_0);
    cell_is(g, 4, 1, 'E', UI_ACCENT_1);
    in.waits = NULL;
    grid_clear(g);
    timeline_render(g, 0, 0, 14, &in, &view);
    row_is(g, 0, "A  |W##w");
    row_is(g, 1, "B  |##=");
    grid_free(g);
}
END_TEST

/* A pipe between two lanes in step mode: A waits (blocked while the pipe
 * is empty), B writes, A reads.  The same rows whether the render gathers
 * the pipe's counts itself or gets an index that took the lanes in out of
 * step order (A's reads before B's writes, a few events at a time), and
 * the index's rows walk from its kept copy of a long lane's walk. */
START_TEST(test_step_pipe_index)
{
    static const Event a[] = {E(0, EV_LANE_START, 0),   O(1, EV_PIPE_WAIT, 9, 0),
                              O(4, EV_PIPE_READ, 9, 1), O(5, EV_PIPE_WAIT, 9, 0),
                              O(8, EV_PIPE_READ, 9, 2), E(8, EV_LANE_END, 0)};
    static const Event b[] = {E(0, EV_LANE_START, 0), O(3, EV_PIPE_WRITE, 9, 1),
                              O(6, EV_PIPE_WRITE, 9, 2), E(6, EV_LANE_END, 0)};
    const Event *ev[2] = {a, b};
    size_t n[2] = {ARRAY_SIZE(a), ARRAY_SIZE(b)};

    for (int indexed = 0; indexed < 2; indexed++) {
        TimelineInput in = {.nlanes = 2, .events = ev, .counts = n, .stepping = true};
        TimelineView view = {0, 0, 3};
        TimelineSteps *ix = NULL;
        Grid *g = grid_new(14, 3);

        if (indexed) {
            ix = timeline_steps_new(2);
            ck_assert_ptr_nonnull(ix);
            for (size_t k = 1; k <= ARRAY_SIZE(a); k++) {
                ck_assert_int_eq(timeline_steps_add(ix, NULL, 0, a, k), 0);
            }
            ck_assert_int_eq(timeline_steps_add(ix, NULL, 1, b, 2), 0);
            ck_assert_int_eq(timeline_steps_add(ix, NULL, 1, b, ARRAY_SIZE(b)), 0);
            ck_assert_int_eq(timeline_steps_add(ix, NULL, 1, b, 1), -EINVAL); /* no going back */
            ck_assert_uint_eq(timeline_steps_visits(ix), ARRAY_SIZE(a) + ARRAY_SIZE(b));
            in.steps = ix;
        }
        ck_assert_uint_eq(timeline_render(g, 0, 0, 14, &in, &view), 1);
        /* A: ready, empty (2, 3), reads, ready, empty (6: the first
         * message is taken), one in the pipe (7), reads */
        row_is(g, 0, "A  |.##<.#.<");
        row_is(g, 1, "B  |..>..>");
        cell_is(g, 5, 0, '#', STYLE_BLOCKED);
        cell_is(g, 10, 0, '.', STYLE_READY);
        grid_free(g);
        timeline_steps_free(ix);
    }
}
END_TEST

/* A long step-mode row drawn from the middle of the run with an index: the
 * lane's walk starts from the copy kept last before the view, so it looks
 * at no more than 1024 events before it per lane, and the rows are those
 * walked from the lanes' first events: lane A asked for the mutex B holds
 * (its 2049th event, the first one after the copy kept at 2048) and stays
 * blocked in a view 5000 steps in, while B runs. */
START_TEST(test_step_index_long_row)
{
    enum { N = 6000, W = 2048 };
    static Event a[W + 3], b[N];
    const Event *ev[2] = {a, b};
    size_t n[2], na = 0, nb = 0;

    a[na++] = (Event)M(0, EV_LANE_START);
    for (uint64_t t = 1; t < W; t++) {
        a[na++] = (Event)E(t, EV_LOAD, 0);
    }
    a[na++] = (Event)M(W, EV_LOCK_WAIT);
    a[na++] = (Event)M(N + 1, EV_LOCK_ACQUIRE);
    a[na++] = (Event)M(N + 1, EV_LANE_END);
    b[nb++] = (Event)M(0, EV_LANE_START);
    b[nb++] = (Event)M(W - 100, EV_LOCK_ACQUIRE);
    for (uint64_t t = W + 1; t < N; t++) {
        b[nb++] = (Event)E(t, EV_LOAD, 0);
    }
    b[nb++] = (Event)M(N, EV_LOCK_RELEASE);
    n[0] = na;
    n[1] = nb;
    for (int indexed = 0; indexed < 2; indexed++) {
        TimelineInput in = {.nlanes = 2, .events = ev, .counts = n, .stepping = true};
        TimelineView view = {5000, 10, 3};
        TimelineSteps *ix = NULL;
        uint64_t visits = 0;
        Grid *g = grid_new(14, 3);
        char axis[64];

        in.visits = &visits;
        if (indexed) {
            ix = timeline_steps_new(2);
            ck_assert_ptr_nonnull(ix);
            ck_assert_int_eq(timeline_steps_add(ix, NULL, 0, a, na), 0);
            ck_assert_int_eq(timeline_steps_add(ix, NULL, 1, b, nb), 0);
            in.steps = ix;
        }
        timeline_render(g, 0, 0, 14, &in, &view);
        row_is(g, 0, "A  |##########");
        row_is(g, 1, "B  |llllllllll");
        grid_row_text(g, 2, axis, sizeof(axis));
        ck_assert_str_eq(axis, "   |5000");
        if (indexed) {
            ck_assert_uint_le(visits, 2 * (1024 + 2 * 10));
        } else {
            ck_assert_uint_ge(visits, na + nb);
        }
        grid_free(g);
        timeline_steps_free(ix);
    }
}
END_TEST

START_TEST(test_end_and_helpers)
{
    char buf[32];
    const Event *ev[2] = {unsafe_a, unsafe_b};
    size_t n[2] = {ARRAY_SIZE(unsafe_a), ARRAY_SIZE(unsafe_b)};
    TimelineInput in = {
        .nlanes = 2, .events = ev, .counts = n, .stepping = true, .t_end = 0, .waits = NULL};

    ck_assert_uint_eq(timeline_end(&in), 6);
    in.t_end = 9;
    ck_assert_uint_eq(timeline_end(&in), 9);

    ck_assert_int_eq(timeline_op_glyph(EV_LOAD), 'l');
    ck_assert_int_eq(timeline_op_glyph(EV_COMPUTE), '+');
    ck_assert_int_eq(timeline_op_glyph(EV_STORE), 's');
    ck_assert_int_eq(timeline_op_glyph(EV_ATOMIC_ADD), 'f');
    ck_assert_int_eq(timeline_op_glyph(EV_LOCK_ACQUIRE), 'L');
    ck_assert_int_eq(timeline_op_glyph(EV_LOCK_RELEASE), 'U');

    timeline_format_time(0, false, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0");
    timeline_format_time(250, false, buf, sizeof(buf));
    ck_assert_str_eq(buf, "250ns");
    timeline_format_time(1500, false, buf, sizeof(buf));
    ck_assert_str_eq(buf, "1.5us");
    timeline_format_time(12000000, false, buf, sizeof(buf));
    ck_assert_str_eq(buf, "12ms");
    timeline_format_time(12, true, buf, sizeof(buf));
    ck_assert_str_eq(buf, "12");
}
END_TEST

START_TEST(test_grid_clip)
{
    Grid *g = grid_new(5, 2);
    char buf[16];

    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(grid_puts(g, 2, 0, "abcdef", STYLE_TEXT), 3);
    grid_put(g, 9, 9, 'x', STYLE_TEXT); /* outside: ignored */
    ck_assert_ptr_null(grid_at(g, 5, 0));
    ck_assert_ptr_null(grid_at(g, -1, 0));
    grid_row_text(g, 0, buf, sizeof(buf));
    ck_assert_str_eq(buf, "  abc");
    grid_row_text(g, 1, buf, sizeof(buf));
    ck_assert_str_eq(buf, "");
    grid_clear(g);
    grid_row_text(g, 0, buf, sizeof(buf));
    ck_assert_str_eq(buf, "");
    grid_free(g);
    grid_free(NULL);
}
END_TEST

static Suite *timeline_suite(void)
{
    Suite *s = suite_create("timeline");
    TCase *step = NULL, *free_tc = NULL, *misc = NULL;

    add_tcase(s, &step, "step", test_step_glyphs, 5);
    add_tcase(s, &step, "step", test_step_axis, 5);
    add_tcase(s, &step, "step", test_step_compressed, 5);
    add_tcase(s, &step, "step", test_step_blocked, 5);
    add_tcase(s, &step, "step", test_step_not_started, 5);
    add_tcase(s, &step, "step", test_step_waits, 5);
    add_tcase(s, &free_tc, "free", test_free_states, 5);
    add_tcase(s, &free_tc, "free", test_free_majority, 5);
    add_tcase(s, &free_tc, "free", test_free_waits, 5);
    add_tcase(s, &free_tc, "free", test_free_short_lanes_show, 5);
    add_tcase(s, &free_tc, "free", test_free_dense_columns, 5);
    add_tcase(s, &misc, "misc", test_lane_marks_same_cells, 5);
    add_tcase(s, &misc, "misc", test_lane_marks_many_same_cells, 30);
    add_tcase(s, &misc, "misc", test_step_pipe_index, 5);
    add_tcase(s, &misc, "misc", test_step_index_long_row, 5);
    add_tcase(s, &misc, "misc", test_end_and_helpers, 5);
    add_tcase(s, &misc, "misc", test_grid_clip, 5);
    return s;
}

CHECK_MAIN(timeline_suite)
