/*
 * view.c - the generic parts of a demo's view (see view.h).
 */
#include "config.h"

#include "view/view.h"

#include <stdio.h>

#include "core/sched.h"

static const DemoView view_generic = {0};

const DemoView *view_of(const DemoClass *demo)
{
    return demo != NULL && demo->view != NULL ? demo->view : &view_generic;
}

void view_ctx_init(ViewCtx *ctx, const Run *run)
{
    const Arena *a = run_arena(run);
    ctx->run = run;
    ctx->arena = a;
    ctx->cfg = run_config(run);
    ctx->wf = NULL;
    ctx->stepping = a->stepping != 0;
    ctx->t0 = 0;
    ctx->per = 1;
    ctx->t_end = ctx->stepping ? run_steps(run) : run_elapsed_ns(run);
}

int view_lane_wait(const DemoView *view, const Arena *arena, const int64_t *params, unsigned lane)
{
    uint32_t op, obj;
    int k;

    if (view->wait_class == NULL || lane >= arena->nlanes ||
        arena_lane_state(arena, lane) == LANE_FINISHED) {
        return -1;
    }
    op = arena_lane_op(arena, lane);
    obj = arena_lane_op_obj(arena, lane);
    if (obj == 0 || obj >= ARENA_MAX_OBJS) {
        return -1;
    }
    if (op == EV_SEM_ACQUIRE && arena_obj_value(arena, obj) > 0) {
        return -1; /* it can take a unit: not waiting */
    }
    if (op == EV_COND_SLEEP || op == EV_SEM_ACQUIRE || op == EV_GIL_ACQUIRE ||
        op == EV_GIL_SWITCH_WAIT || op == EV_IO_END) {
        /* the older waits: asleep on a cond, a semaphore at 0, the GIL, I/O */
    } else if (op >= EV_LOOP_POLL && sched_op_blocks(op) &&
               arena_lane_state(arena, lane) != LANE_NEW) {
        /* an await, a future, a work queue, an event loop: while it cannot
         * go on; an await is explained by what it awaits */
        if (sched_op_blocker(arena, op, obj) == -1) {
            return -1;
        }
        if ((op >= EV_AWAIT_SLEEP && op <= EV_AWAIT_EVENT) || op == EV_CO_START) {
            obj = arena->objs[obj].pad;
            if (obj == 0 || obj >= ARENA_MAX_OBJS) {
                return -1;
            }
        }
    } else {
        return -1;
    }
    k = view->wait_class(arena, params, lane, obj);
    return k >= 0 && (unsigned)k < view->nwaits ? k : -1;
}

bool view_wait_in_use(const DemoView *view, const int64_t *params, unsigned k)
{
    return k < view->nwaits && (view->wait_in_use == NULL || view->wait_in_use(params, k));
}

uint32_t view_violation_obj(const Run *run)
{
    const Arena *a = run_arena(run);
    const Event *ev;
    size_t n;

    if (!arena_violated(a) || a->violation.lane < 0 ||
        (unsigned)a->violation.lane >= run_nlanes(run)) {
        return 0;
    }
    n = run_lane_events(run, (unsigned)a->violation.lane, &ev);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == EV_VIOLATION) {
            return ev[i].obj;
        }
    }
    return 0;
}

int view_lane_label(const Run *run, unsigned lane, char *buf, size_t len)
{
    char name[LANE_NAME_MAX];
    RunLaneInfo li;
    int n;

    lane_name(lane, name);
    if (run_arena(run)->process_lanes == 0) {
        n = snprintf(buf, len, "%s", name);
    } else {
        run_lane_info(run, lane, &li);
        n = li.pid > 0 ? snprintf(buf, len, "%s %d", name, (int)li.pid)
                       : snprintf(buf, len, "%s -", name);
    }
    return n < 0 ? 0 : (size_t)n >= len ? (int)len - 1 : n;
}
