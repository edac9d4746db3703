/*
 * breakfast_view.c - how the breakfast demo is shown (view/view.h).
 *
 * A cook's row (a thread, a coroutine) is mostly waiting: for the kettle,
 * the toaster, the pan; main waits for its cooks (join, gather), and the
 * event loop's row is idle in epoll_wait while every coroutine waits.
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/breakfast.h"

#include <inttypes.h>
#include <string.h>

#include "view/draw.h"
#include "view/view.h"

enum { BFV_COOKING = 0, BFV_COOKS = 1, BFV_LOOP = 2 };

static const WaitClass bfv_waits[] = {
    [BFV_COOKING] = {"cooking", "the kettle, the toaster or the pan", "waits (cooking)", 'z',
                     "\u2508", 0},
    [BFV_COOKS] = {"cooks", "the cooks (join, gather)", "waits for cooks", 'w', "\u2504", 2},
    [BFV_LOOP] = {"select", "epoll_wait (idle)", "loop idle", '_', "\u2581", 3},
};

static int bfv_wait_class(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj)
{
    if (params[BF_P_VARIANT] == BF_ASYNC && lane == 0) {
        return BFV_LOOP;
    }
    if (obj == 0 || obj >= ARENA_MAX_OBJS) {
        return -1;
    }
    if (arena->objs[obj].kind == OBJ_FUTURE) {
        return BFV_COOKS;
    }
    return BFV_COOKING; /* a label: the kettle, ..., or the loop's "sleep" */
}

static bool bfv_wait_in_use(const int64_t *params, unsigned k)
{
    int64_t v = params[BF_P_VARIANT];
    return k == BFV_COOKING || (k == BFV_COOKS && v != BF_SEQUENTIAL) ||
           (k == BFV_LOOP && v == BF_ASYNC);
}

static bool bfv_summary(const ViewCtx *ctx, StrBuf *out)
{
    int64_t total, work, speedup;
    char t[32], w[32];

    if (run_verdict(ctx->run) != VERDICT_COMPLETED ||
        !arena_result_get(ctx->arena, "total", &total) ||
        !arena_result_get(ctx->arena, "work", &work)) {
        return false;
    }
    demo_unit_format(DEMO_UNIT_NS, total, false, t, sizeof(t));
    demo_unit_format(DEMO_UNIT_NS, work, false, w, sizeof(w));
    strbuf_addf(out, "breakfast in %s for %s of tasks", t, w);
    if (arena_result_get(ctx->arena, "speedup", &speedup)) {
        strbuf_addf(out, ": %.1fx", (double)speedup / 1000.0);
    }
    return true;
}

const DemoView breakfast_view = {
    .waits = bfv_waits,
    .nwaits = ARRAY_SIZE(bfv_waits),
    .wait_class = bfv_wait_class,
    .wait_in_use = bfv_wait_in_use,
    .summary = bfv_summary,
};
