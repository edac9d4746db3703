/*
 * banner.c - the lesson screen's verdict and warning banners (see
 * banner.h).
 */
#include "config.h"

#include "ui/banner.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/verdict.h"
#include "view/draw.h"
#include "view/view.h"

/* A free run's lane that waited this long with no progress while others
 * made some gets the live starvation warning. */
#define BANNER_STARVE_NS 500000000u

/*
 * The hang banner, into out: "HANG at step 32: A waits on cond cv (buffer
 * full); B, C wait on cond cv (buffer empty)".  The lanes that wait for the
 * same thing are named together, so even 33 sleeping lanes fit the banner,
 * and a lane in one of the demo's wait classes says which (a queue's lanes
 * say which side of the buffer they wait on).
 */
static void banner_hang(const Run *run, const VerdictInfo *vi, StrBuf *out)
{
    enum { MAX_GROUPS = 16 };
    struct {
        char what[160];  /* "waits on cond cv (buffer full)" */
        char lanes[128]; /* "B, C" */
        int n;
    } groups[MAX_GROUPS];
    const Arena *a = run_arena(run);
    const DemoView *dv = view_of(run_config(run)->demo);
    int ng = 0;

    for (unsigned k = 0; k < vi->nlanes; k++) {
        const VerdictLane *vl = &vi->lanes[k];
        char name[LANE_NAME_MAX];
        int wc = view_lane_wait(dv, a, run_config(run)->params, vl->lane), g;
        StrBuf what;

        strbuf_init(&what);
        verdict_describe_lane(vi, k, a, &what);
        if (wc >= 0) {
            strbuf_addf(&what, " (%s)", dv->waits[wc].what);
        }
        for (g = 0; g < ng && strcmp(groups[g].what, strbuf_str(&what)) != 0; g++) {
        }
        if (g == ng && ng < MAX_GROUPS) {
            snprintf(groups[g].what, sizeof(groups[g].what), "%s", strbuf_str(&what));
            groups[g].lanes[0] = '\0';
            groups[g].n = 0;
            ng++;
        }
        strbuf_fini(&what);
        if (g < ng) {
            size_t ll = strlen(groups[g].lanes);
            lane_name(vl->lane, name);
            snprintf(groups[g].lanes + ll, sizeof(groups[g].lanes) - ll, "%s%s",
                     groups[g].n > 0 ? ", " : "", name);
            groups[g].n++;
        }
    }
    strbuf_add(out, "HANG");
    if (vi->have_at && vi->stepping) {
        strbuf_addf(out, " at step %" PRIu64, vi->at);
    } else if (vi->have_at) {
        strbuf_addf(out, " after %.1f ms", (double)vi->at / 1e6);
    }
    strbuf_add(out, ": ");
    for (int g = 0; g < ng; g++) {
        const char *what = groups[g].what;
        /* "B, C wait on ..." */
        if (groups[g].n > 1 && strncmp(what, "waits ", 6) == 0) {
            strbuf_addf(out, "%s%s wait %s", g > 0 ? "; " : "", groups[g].lanes, what + 6);
        } else {
            strbuf_addf(out, "%s%s %s", g > 0 ? "; " : "", groups[g].lanes, what);
        }
    }
}

/*
 * The banner, into buf: at the run's end the verdict in capitals and its
 * message ("DEADLOCK at step 2: A holds acct1, waits acct2; B holds
 * acct2, waits acct1"), for every end but completed and killed (reset,
 * quit); while it goes, a starvation warning with the figures
 * (run_starvation()).  Returns the banner's style, 0 when there is none.
 */
int banner_text(const Run *run, char *buf, size_t len)
{
    const VerdictInfo *vi;
    StrBuf b;
    int v;

    if (run == NULL) {
        return 0;
    }
    if (!run_done(run) && arena_violated(run_arena(run))) {
        /* live: an invariant broke; the run goes on to its end (each lane
         * stops at its next item), but the lesson is this first failure,
         * said as the verdict will say it */
        static VerdictInfo live; /* UI thread only; too big for the stack of a frame */
        const ArenaViolation *av = &run_arena(run)->violation;
        verdict_init(&live, VERDICT_INVARIANT, run_arena(run)->stepping);
        live.base_kind = VERDICT_COMPLETED; /* what follows is not known yet */
        snprintf(live.invariant, sizeof(live.invariant), "%s", av->invariant);
        snprintf(live.what, sizeof(live.what), "%s", av->what);
        live.inv_lane = av->lane;
        live.inv_at = av->t;
        strbuf_init(&b);
        verdict_banner(&live, run_arena(run), &b);
        snprintf(buf, len, "%s", strbuf_str(&b));
        strbuf_fini(&b);
        return UI_BANNER;
    }
    if (!run_done(run)) {
        /* live: a lane starves while others make progress.  A free run
         * only gets the warning once the starved lane has waited for
         * BANNER_STARVE_NS, not for the moment every lane spends behind
         * another; in step mode, once a starved lane waits for a lock
         * (the student starves it on purpose). */
        char starved[1024];
        bool long_wait = false;
        if (run_starvation(run, starved, sizeof(starved)) == 0) {
            return 0;
        }
        for (unsigned l = 0; l < run_nlanes(run) && !long_wait; l++) {
            RunLaneStats st;
            if (run_config(run)->demo->lane_progresses != NULL &&
                !run_config(run)->demo->lane_progresses(run_config(run)->params, l)) {
                continue; /* a main lane in join() waits by design: no starvation */
            }
            run_lane_stats(run, l, &st);
            long_wait =
                st.progress == 0 &&
                (run_arena(run)->stepping ? st.waiting : st.longest_wait >= BANNER_STARVE_NS);
        }
        if (!long_wait) {
            return 0;
        }
        snprintf(buf, len, "STARVATION WARNING: %.*s", (int)(len > 21 ? len - 21 : 0), starved);
        return UI_WARN_BANNER;
    }
    v = run_verdict(run);
    vi = run_verdict_info(run);
    if (v == VERDICT_COMPLETED && view_of(run_config(run)->demo)->banner != NULL) {
        /* the demo's own: a run that went on to its end and still failed */
        ViewCtx ctx;
        bool any;
        view_ctx_init(&ctx, run);
        strbuf_init(&b);
        any = view_of(run_config(run)->demo)->banner(&ctx, &b);
        snprintf(buf, len, "%s", strbuf_str(&b));
        strbuf_fini(&b);
        return any ? UI_BANNER : 0;
    }
    if (v == VERDICT_KILLED || v == VERDICT_RUNNING || v == VERDICT_COMPLETED || vi == NULL) {
        return 0;
    }
    strbuf_init(&b);
    if (vi->kind == VERDICT_HANG) {
        banner_hang(run, vi, &b);
    } else {
        /* "DEADLOCK at step 2: A holds acct1, waits acct2; ..." */
        verdict_banner(vi, run_arena(run), &b);
    }
    snprintf(buf, len, "%s", strbuf_str(&b));
    strbuf_fini(&b);
    return UI_BANNER;
}

/* Draw text as a banner of at most maxrows rows, its last row on row y:
 * wrapped at spaces, each row filled with style. */
void banner_draw(Grid *g, int y, int maxrows, const char *text, int style)
{
    const char *line[4];
    size_t lens[4];
    int n = 0, w = g->w - 2;
    const char *p = text;

    while (*p != '\0' && n < maxrows && n < 4) {
        size_t len = strlen(p), cut = len;
        if ((int)len > w) {
            cut = (size_t)w;
            while (cut > 0 && p[cut] != ' ') {
                cut--;
            }
            if (cut == 0) {
                cut = (size_t)w;
            }
        }
        line[n] = p;
        lens[n++] = cut;
        p += cut;
        while (*p == ' ') {
            p++;
        }
    }
    for (int i = 0; i < n; i++) {
        int row = y - (n - 1) + i;
        draw_fill(g, 0, row, g->w, 1, style);
        draw_text(g, 1, row, w, line[i], lens[i], style);
    }
}
