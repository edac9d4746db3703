/*
 * models_view.c - how the models demo is shown (view/view.h).
 *
 * A row computes ('='), waits for I/O, or waits for the global lock (the
 * GIL of threads_gil: the lock wait, '#', with its L and U marks); the
 * event loop's row is idle in epoll_wait while every coroutine waits.
 * The summary puts the speed-up in words.
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/models.h"

#include <inttypes.h>
#include <string.h>

#include "view/draw.h"
#include "view/view.h"

enum { MDV_IO = 0, MDV_TASKS = 1, MDV_LOOP = 2 };

static const WaitClass mdv_waits[] = {
    [MDV_IO] = {"io", "I/O (a sleep)", "waits for I/O", 'z', "\u2508", 0},
    [MDV_TASKS] = {"tasks", "its tasks (gather)", "awaits tasks", 'w', "\u2504", 2},
    [MDV_LOOP] = {"select", "epoll_wait (idle)", "loop idle", '_', "\u2581", 3},
};

static int mdv_wait_class(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj)
{
    if (params[MODELS_P_VARIANT] == MODELS_ASYNC && lane == 0) {
        return MDV_LOOP;
    }
    if (obj == 0 || obj >= ARENA_MAX_OBJS) {
        return -1;
    }
    if (arena->objs[obj].kind == OBJ_FUTURE) {
        return MDV_TASKS;
    }
    if (arena->objs[obj].kind == OBJ_LABEL) {
        return MDV_IO; /* "I/O", or the loop's "sleep" */
    }
    return -1;
}

static bool mdv_wait_in_use(const int64_t *params, unsigned k)
{
    bool io = params[MODELS_P_WORK] == MODELS_WORK_IO,
         loop = params[MODELS_P_VARIANT] == MODELS_ASYNC;
    return (k == MDV_IO && io) || (k != MDV_IO && loop);
}

static bool mdv_summary(const ViewCtx *ctx, StrBuf *out)
{
    int64_t elapsed, work, speedup, cpus = 0;
    char e[32], w[32];

    if (run_verdict(ctx->run) != VERDICT_COMPLETED ||
        !arena_result_get(ctx->arena, "wall_time", &elapsed) ||
        !arena_result_get(ctx->arena, "work", &work)) {
        return false;
    }
    (void)arena_result_get(ctx->arena, "cpus", &cpus);
    demo_unit_format(DEMO_UNIT_NS, elapsed, false, e, sizeof(e));
    demo_unit_format(DEMO_UNIT_NS, work, false, w, sizeof(w));
    strbuf_addf(out, "%s of work in %s on %" PRId64 " CPU%s", w, e, cpus, cpus == 1 ? "" : "s");
    if (arena_result_get(ctx->arena, "speedup", &speedup)) {
        strbuf_addf(out, ": speed-up %.2fx", (double)speedup / 1000.0);
    }
    return true;
}

const DemoView models_view = {
    .waits = mdv_waits,
    .nwaits = ARRAY_SIZE(mdv_waits),
    .wait_class = mdv_wait_class,
    .wait_in_use = mdv_wait_in_use,
    .summary = mdv_summary,
};
