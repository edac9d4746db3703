/*
 * race_view.c - how the race-condition demo is shown (view/view.h).
 *
 * The lesson is one number: how many updates vanished.  The end-of-run
 * summary says it in words ("completed: counter 3, expected 4: 1 update
 * lost"), in the error colour when any was lost.  Everything else (the
 * timeline, the code markers, the registers) is the generic view.
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/race.h"

#include <inttypes.h>

#include "view/view.h"

static bool race_summary(const ViewCtx *ctx, StrBuf *out)
{
    int64_t expected, final, lost;

    if (run_verdict(ctx->run) != VERDICT_COMPLETED ||
        !arena_result_get(ctx->arena, "lost", &lost) ||
        !arena_result_get(ctx->arena, "expected", &expected) ||
        !arena_result_get(ctx->arena, "final", &final)) {
        return false;
    }
    if (lost > 0) {
        strbuf_addf(
            out, "completed: counter %" PRId64 ", expected %" PRId64 ": %" PRId64 " update%s lost",
            final, expected, lost, lost == 1 ? "" : "s");
        return false;
    }
    strbuf_addf(out, "completed: counter %" PRId64 " as expected, no update lost", final);
    return true;
}

const DemoView race_view = {
    .summary = race_summary,
};
