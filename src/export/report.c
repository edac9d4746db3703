/*
 * report.c - text and JSON reports of a run (see report.h).
 *
 * The JSON object (format 1):
 *   {"interleave": VERSION, "format": 1, "demo": NAME, "params": {...},
 *    "mode": "free|step|replay", "schedule": STRING|null,
 *    "verdict": "completed|deadlock|bad_schedule|timeout|crashed|killed",
 *    "message": STRING, "bad_token": N|null,
 *    "results": {NAME: N, ...}, "units": {NAME: "count|ns|steps|per_s"},
 *    "elapsed_ns": N, "steps": N,
 *    "events": {"recorded": N, "dropped": N},
 *    "lanes": [{"name", "state", "ops", "steps", "events", "dropped",
 *               "kind", "pid", "tid", "exit", "thread"}...],
 *    "cycle": STRING|null, "detect_latency_ns": N|null,
 *    "progress_unit": STRING|null, "wait_unit": "ns|steps",
 *    "lane_figures": [{"name", "progress", "longest_wait", "waiting"}...],
 *    "warnings": [STRING...]}
 *
 *    "invariant": {"name", "what", "lane": STRING|null, "at": N|null,
 *                  "unit": "steps|ns"}|null,
 *    "series": {"var", "unit": "steps|ns", "points": [[T, V]...]}|null,
 *    "verdict_info": {"kind", "base", "unit", "at", "cycle", "lanes": [{"lane",
 *                     "waits", "op", "holder", "holds", ...}], ...}|null}
 *
 * The keys from "cycle" on, and a lane's keys from "kind" on, were added
 * after format 1 first shipped; they come after every older key, which
 * keep their meaning.  A lane's "kind" is what runs it ("thread" or
 * "process"), "pid" and "tid" the process and kernel thread that ran it
 * (null when it never started; the lanes of one process share a pid),
 * and "exit" how a lane process ended when it died before it finished:
 * {"how": "died of signal 11 (Segmentation fault)", "signal": N|null,
 * "status": N|null, "at": T, "unit": "steps|ns"}, null otherwise.  Free
 * mode: a lane inside a blocking wait (a deadlock, a hang) is "blocked".  "cycle" names the
 * deadlock's wait-for cycle; "lane_figures" give each lane's progress (in
 * progress_unit, for demos that report progress) and its longest wait for
 * a lock or semaphore (in wait_unit); "warnings" holds starvation warnings.
 * "invariant" is the first broken invariant of the run (verdict
 * "invariant"): its name, what broke, the lane that saw it (null for the
 * end-of-run check) and when ("at", in unit; null for the end of the
 * run).  "series" is the demo's series variable over time (a queue's depth,
 * DemoClass.series_var) from the run's events, at most REPORT_SERIES_MAX
 * points (see queueview_series); null for demos without one, or when the
 * run was not traced.  "verdict_info" is the verdict as data
 * (core/verdict.h, verdict_json): the lanes of a deadlock's cycle or a
 * hang with what each waits for and who holds it, a refused token and why,
 * the broken invariant; "base" is what the run did when "kind" is
 * "invariant".
 *
 * The text report adds, only where they apply: a "cycle" line, how fast a
 * free-mode deadlock was detected, and for demos that report progress a
 * table of per-lane progress and longest wait, then any warnings.
 */
#include "config.h"

#include "export/report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/verdict.h"
#include "util/grid.h"
#include "view/queueview.h"
#include "view/timeline.h"
#include "view/view.h"

#define REPORT_SERIES_MAX 256 /* points of a JSON series */
#define REPORT_SERIES_ROWS 4  /* rows of the text report's series graph */

static void report_text_series(StrBuf *out, const Run *run, int width);

void report_params(StrBuf *out, const RunConfig *cfg)
{
    for (unsigned i = 0; i < cfg->demo->nparams; i++) {
        char v[64];
        demo_param_format(&cfg->demo->params[i], cfg->params[i], v, sizeof(v));
        strbuf_addf(out, "%s%s=%s", i > 0 ? " " : "", cfg->demo->params[i].name, v);
    }
}

static void report_schedule_text(StrBuf *out, const Run *run)
{
    const Schedule *s = run_schedule(run);
    size_t need = schedule_format(s, NULL, 0) + 1;
    char *text = malloc(need);
    if (text != NULL) {
        schedule_format(s, text, need);
        strbuf_add(out, text[0] != '\0' ? text : "(none)");
        free(text);
    }
}

void report_timeline(StrBuf *out, const Run *run, int width)
{
    unsigned n = run_nlanes(run);
    const Event **ev = calloc(n, sizeof(*ev));
    size_t *counts = calloc(n, sizeof(*counts));
    const Arena *arena = run_arena(run);
    const RunConfig *cfg = run_config(run);
    const DemoView *dv = view_of(cfg->demo);
    TimelineWaits waits = {dv->waits, dv->nwaits, dv->wait_class, arena, cfg->params};
    TimelineInput in;
    TimelineView view = {0, 0, 3};
    void *marks = NULL;
    char(*labels)[VIEW_LABEL_MAX] = NULL;
    const char **lp = NULL;
    Grid *g;

    if (width <= 0) {
        width = 80;
    }
    g = grid_new(width, (int)n + 1);
    if (ev == NULL || counts == NULL || g == NULL) {
        free(ev);
        free(counts);
        grid_free(g);
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        counts[i] = run_lane_events(run, i, &ev[i]);
    }
    memset(&in, 0, sizeof(in));
    if (arena->process_lanes > 0) {
        /* a row per process: its pid beside the lane */
        labels = calloc(n, sizeof(*labels));
        lp = calloc(n, sizeof(*lp));
        if (labels != NULL && lp != NULL) {
            for (unsigned i = 0; i < n; i++) {
                int len = view_lane_label(run, i, labels[i], VIEW_LABEL_MAX);
                lp[i] = labels[i];
                view.label_w = len > view.label_w ? len : view.label_w;
            }
            in.labels = lp;
        }
    }
    in.nlanes = n;
    in.events = ev;
    in.counts = counts;
    in.stepping = arena->stepping != 0;
    in.t_end = arena->stepping ? run_steps(run) : run_elapsed_ns(run);
    in.waits = &waits;
    if (dv->marks != NULL) {
        /* the demo's marks: where an update was lost, ... */
        ViewCtx ctx;
        view_ctx_init(&ctx, run);
        marks = dv->marks->new (&ctx);
        if (marks != NULL) {
            dv->marks->scan(marks, &ctx);
            in.nmarks = dv->marks->marks(marks, &in.marks);
        }
    }
    {
        /* a demo's own waits show with their own glyphs (a queue: F full, E
         * empty, J join) */
        uint64_t per = timeline_render(g, 0, 0, width, &in, &view);
        char unit[32];
        timeline_format_time(per, in.stepping, unit, sizeof(unit));
        strbuf_addf(out, "timeline (%s, %s per column):\n", in.stepping ? "steps" : "time", unit);
    }
    for (int y = 0; y < g->h; y++) {
        char *row = malloc((size_t)width + 1);
        if (row == NULL) {
            break;
        }
        grid_row_text(g, y, row, (size_t)width + 1);
        strbuf_addf(out, "%s\n", row);
        free(row);
    }
    if (in.stepping) {
        strbuf_add(out, "legend: l load  + add  s store  f atomic add  L lock  U unlock  "
                        "W wait  w woken  ! signal  * broadcast  . ready  # blocked  "
                        "(blank) finished\n");
    } else {
        /* a coroutine can be ready and not run (its loop is busy); a '#',
         * an L or a U needs a lock */
        bool co = false, locks = timeline_has_waits(arena);
        for (unsigned i = 0; i < n; i++) {
            co = co || arena->lanes[i].kind == LANE_KIND_COROUTINE;
        }
        strbuf_addf(out, "legend: = running  %s%s(blank) finished\n", co ? ". ready  " : "",
                    locks || !co ? "# blocked  L lock  U unlock  " : "");
    }
    /* the demo's own glyphs, under the first line's items ("legend: " is
     * 8 columns), two spaces apart like them, nothing after the last */
    if (dv->nlegend > 0) {
        strbuf_add(out, "       ");
        for (unsigned k = 0; k < dv->nlegend; k++) {
            strbuf_addf(out, "%s%c %s", k == 0 ? " " : "  ", dv->legend[k].ascii,
                        dv->legend[k].text);
        }
        strbuf_add(out, "\n");
    }
    {
        bool any = false;
        for (unsigned k = 0; k < dv->nwaits; k++) {
            if (view_wait_in_use(dv, cfg->params, k)) {
                strbuf_addf(out, "%s%c waits: %s", any ? "  " : "        ", dv->waits[k].ascii,
                            dv->waits[k].what);
                any = true;
            }
        }
        if (any) {
            strbuf_add(out, "\n");
        }
    }
    {
        bool died = false;
        for (unsigned i = 0; i < n; i++) {
            died = died || arena_lane_state(arena, i) == LANE_DIED;
        }
        if ((atomic_load(&((Arena *)arena)->npipes) > 0 && in.stepping) || died) {
            strbuf_addf(out, "       %s%s\n",
                        atomic_load(&((Arena *)arena)->npipes) > 0 && in.stepping
                            ? "  > pipe write  < pipe read"
                            : "",
                        died ? "  X died  z zombie (dead, not yet reaped)" : "");
        }
    }
    if (marks != NULL) {
        dv->marks->free(marks);
    }
    grid_free(g);
    free(ev);
    free(counts);
    free(labels);
    free(lp);
}

/* A wait for the text report: "1.250 ms" (free) or "12 steps". */
static void report_wait_text(char *buf, size_t len, uint64_t wait, bool stepping)
{
    if (stepping) {
        snprintf(buf, len, "%" PRIu64 " steps", wait);
    } else {
        snprintf(buf, len, "%.3f ms", (double)wait / 1e6);
    }
}

/* The deadlock, livelock and starvation figures of the text report. */
static void report_text_figures(StrBuf *out, const Run *run)
{
    const RunConfig *cfg = run_config(run);
    const Arena *arena = run_arena(run);
    uint64_t latency;
    char warn[ARENA_MSG_MAX * 2];

    if (run_cycle(run)[0] != '\0') {
        strbuf_addf(out, "%-13s %s\n", "cycle", run_cycle(run));
    }
    if (run_detect_latency(run, &latency)) {
        strbuf_addf(out, "%-13s %.3f ms after the cycle closed\n", "detected",
                    (double)latency / 1e6);
    }
    if (cfg->demo->progress_unit == NULL) {
        return;
    }
    strbuf_addf(out, "\nlane  %12s  longest wait\n", cfg->demo->progress_unit);
    for (unsigned i = 0; i < run_nlanes(run); i++) {
        RunLaneStats st;
        char name[LANE_NAME_MAX], wait[64];
        run_lane_stats(run, i, &st);
        lane_name(i, name);
        report_wait_text(wait, sizeof(wait), st.longest_wait, arena->stepping != 0);
        strbuf_addf(out, "%-5s %12" PRIu64 "  %s%s\n", name, st.progress, wait,
                    st.waiting ? " (still waiting)" : "");
    }
    if (run_starvation(run, warn, sizeof(warn)) > 0) {
        strbuf_addf(out, "warning: starvation: %s\n", warn);
    }
}

/* "lane B (pid 4242) died of signal 11 (Segmentation fault) at step 5",
 * one line per lane process that died before it finished. */
static void report_text_exits(StrBuf *out, const Run *run)
{
    bool stepping = run_arena(run)->stepping != 0;

    for (unsigned i = 0; i < run_nlanes(run); i++) {
        RunLaneInfo li;
        char name[LANE_NAME_MAX], how[160];
        run_lane_info(run, i, &li);
        if (li.state != LANE_DIED) {
            continue;
        }
        lane_name(i, name);
        if (!li.ended) {
            strbuf_addf(out, "lane %s (pid %d) died\n", name, (int)li.pid);
            continue;
        }
        lane_exit_describe(li.exit_status, how, sizeof(how));
        if (stepping) {
            strbuf_addf(out, "lane %s (pid %d) %s at step %" PRIu64, name, (int)li.pid, how,
                        li.ended_t);
        } else {
            strbuf_addf(out, "lane %s (pid %d) %s at %.3f ms", name, (int)li.pid, how,
                        (double)li.ended_t / 1e6);
        }
        if (run_verdict(run) == VERDICT_CRASHED) {
            strbuf_add(out, "\n"); /* the run ended with it */
        } else if (!li.exited) {
            strbuf_add(out, "; never reaped: a zombie to the end of the run\n");
        } else if (stepping) {
            strbuf_addf(out, "; reaped at step %" PRIu64 "\n", li.exit_t);
        } else {
            strbuf_addf(out, "; reaped at %.3f ms\n", (double)li.exit_t / 1e6);
        }
    }
}

/* The demo's pseudo-code with the Python of the course beside it (the
 * lesson screen's code panel, headless), when the demo has Python. */
static void report_code(StrBuf *out, const RunConfig *cfg)
{
    size_t ncode = 0, npy = 0;
    const DemoCodeLine *code = demo_code(cfg->demo, cfg->params, &ncode);
    const char *const *py = demo_python(cfg->demo, cfg->params, &npy);
    int widest = 11;

    if (py == NULL || npy == 0) {
        return;
    }
    for (size_t i = 0; i < ncode; i++) {
        int len = (int)strlen(code[i].text);
        widest = len > widest ? len : widest;
    }
    strbuf_addf(out, "\n%-*s   %s\n", widest, "pseudo-code", "Python of the course");
    for (size_t i = 0; i < ncode; i++) {
        const char *p = i < npy && py[i] != NULL ? py[i] : "";
        if (p[0] == '\0') {
            strbuf_addf(out, "%s\n", code[i].text);
        } else {
            strbuf_addf(out, "%-*s   %s\n", widest, code[i].text, p);
        }
    }
}

void report_text(StrBuf *out, const Run *run, int width)
{
    const RunConfig *cfg = run_config(run);
    const Arena *arena = run_arena(run);
    const ArenaResult *r = &arena->result;
    int w = 13; /* the name column of the results */

    strbuf_addf(out, "%s:%s", cfg->demo->name, cfg->demo->nparams > 0 ? " " : "");
    report_params(out, cfg);
    strbuf_addf(out, "\nmode: %s", sched_mode_name(cfg->mode));
    if (cfg->mode != SCHED_FREE) {
        strbuf_add(out, "  schedule: ");
        report_schedule_text(out, run);
    }
    strbuf_addf(out, "\nverdict: %s\n", verdict_name(run_verdict(run)));
    if (run_message(run)[0] != '\0') {
        strbuf_addf(out, "  %s\n", run_message(run));
    }
    /* the results, then the run's figures, in one column: as wide as the
     * longest name ("never_produced"), at least 13 */
    for (uint32_t i = 0; atomic_load(&r->done) && i < r->nfields; i++) {
        size_t n = strnlen(r->fields[i].name, sizeof(r->fields[i].name));
        w = n > (size_t)w ? (int)n : w;
    }
    if (atomic_load(&r->done)) {
        for (uint32_t i = 0; i < r->nfields; i++) {
            /* in the unit a person reads: "1.25 ms", "812k/s" */
            char v[64];
            demo_unit_format(demo_result_unit(cfg->demo, r->fields[i].name), r->fields[i].value,
                             arena->stepping != 0, v, sizeof(v));
            strbuf_addf(out, "%-*s %s\n", w, r->fields[i].name, v);
        }
    }
    strbuf_addf(out, "%-*s %.3f ms\n", w, "elapsed", (double)run_elapsed_ns(run) / 1e6);
    if (cfg->mode != SCHED_FREE) {
        strbuf_addf(out, "%-*s %" PRIu64 "\n", w, "steps", run_steps(run));
    }
    strbuf_addf(out, "%-*s %" PRIu64 " recorded, %" PRIu64 " dropped\n\n", w, "events",
                run_events_total(run), run_dropped_total(run));
    /* a run with lane processes names each lane's process; lanes with
     * names (a pool's workers, coroutines) say what runs them and who they are */
    bool named = false;
    for (unsigned i = 0; i < run_nlanes(run); i++) {
        named = named || arena_lane_name(arena, i)[0] != '\0';
    }
    strbuf_add(out, arena->process_lanes > 0
                        ? "lane  state        ops      steps     events    dropped  process"
                        : "lane  state        ops      steps     events    dropped");
    strbuf_add(out, named ? "  kind       name\n" : "\n");
    for (unsigned i = 0; i < run_nlanes(run); i++) {
        const ArenaLane *l = &arena->lanes[i];
        const Event *ev;
        RunLaneInfo li;
        char name[LANE_NAME_MAX];
        lane_name(i, name);
        run_lane_info(run, i, &li);
        strbuf_addf(out, "%-5s %-9s %9" PRIu64 " %9" PRIu64 " %10zu %10" PRIu64, name,
                    lane_state_name(li.state), (uint64_t)atomic_load(&l->ops),
                    (uint64_t)atomic_load(&l->steps), run_lane_events(run, i, &ev),
                    run_lane_dropped(run, i));
        if (arena->process_lanes > 0 && li.kind == LANE_KIND_PROCESS && li.pid > 0) {
            strbuf_addf(out, "  pid %d", (int)li.pid);
        } else if (arena->process_lanes > 0) {
            strbuf_add(out, li.kind == LANE_KIND_PROCESS ? "  -" : "  (thread)");
        }
        if (named) {
            strbuf_addf(out, "  %-10s %s", lane_kind_name(li.kind), arena_lane_name(arena, i));
        }
        strbuf_add(out, "\n");
    }
    report_text_exits(out, run);
    report_text_figures(out, run);
    report_text_series(out, run, width > 0 ? width : 80);
    if (view_of(cfg->demo)->report_text != NULL) {
        ViewCtx ctx;
        view_ctx_init(&ctx, run);
        view_of(cfg->demo)->report_text(&ctx, out, width > 0 ? width : 80);
    }
    strbuf_add(out, "\n");
    report_timeline(out, run, width);
    report_code(out, cfg);
}

/* "invariant": the run's first broken invariant, or null. */
static void report_json_invariant(StrBuf *out, const Run *run)
{
    const Arena *a = run_arena(run);
    const ArenaViolation *v = &a->violation;

    strbuf_add(out, ",\"invariant\":");
    if (!arena_violated(a)) {
        strbuf_add(out, "null");
        return;
    }
    strbuf_add(out, "{\"name\":");
    strbuf_add_json_string(out, v->invariant);
    strbuf_add(out, ",\"what\":");
    strbuf_add_json_string(out, v->what);
    if (v->lane >= 0) {
        char name[LANE_NAME_MAX];
        lane_name((unsigned)v->lane, name);
        strbuf_addf(out, ",\"lane\":\"%s\",\"at\":%" PRIu64, name, v->t);
    } else {
        strbuf_add(out, ",\"lane\":null,\"at\":null");
    }
    strbuf_addf(out, ",\"unit\":\"%s\"}", a->stepping ? "steps" : "ns");
}

/* "series": the demo's series variable over time, or null. */
static void report_json_series(StrBuf *out, const Run *run)
{
    const char *var = run_config(run)->demo->series_var;
    QueuePoint *pts;
    size_t n;

    strbuf_add(out, ",\"series\":");
    if (var == NULL || (pts = malloc(REPORT_SERIES_MAX * sizeof(*pts))) == NULL) {
        strbuf_add(out, "null");
        return;
    }
    n = queueview_series(run, var, pts, REPORT_SERIES_MAX);
    strbuf_add(out, "{\"var\":");
    strbuf_add_json_string(out, var);
    strbuf_addf(out, ",\"unit\":\"%s\",\"points\":[", run_arena(run)->stepping ? "steps" : "ns");
    for (size_t i = 0; i < n; i++) {
        strbuf_addf(out, "%s[%" PRIu64 ",%" PRId64 "]", i > 0 ? "," : "", pts[i].t, pts[i].v);
    }
    strbuf_add(out, "]}");
    free(pts);
}

/* The text report's graph of the series variable (a queue's depth). */
static void report_text_series(StrBuf *out, const Run *run, int width)
{
    const char *var = run_config(run)->demo->series_var;
    QueuePoint *pts;
    int64_t vmax = 0;
    size_t n;
    Grid *g;

    if (var == NULL || width < 20 || (pts = malloc(REPORT_SERIES_MAX * sizeof(*pts))) == NULL) {
        return;
    }
    n = queueview_series(run, var, pts, REPORT_SERIES_MAX);
    for (size_t i = 0; i < n; i++) {
        vmax = pts[i].v > vmax ? pts[i].v : vmax;
    }
    g = n > 0 ? grid_new(width - 4, REPORT_SERIES_ROWS) : NULL;
    if (g != NULL) {
        char row[1024];
        uint64_t end = 0;
        for (unsigned l = 0; l < run_nlanes(run); l++) {
            const Event *ev;
            size_t ne = run_lane_events(run, l, &ev);
            if (ne > 0 && ev[ne - 1].t > end) {
                end = ev[ne - 1].t; /* the time axis of the timeline below */
            }
        }
        queueview_depth(g, 0, 0, g->w, g->h, pts, n, end, vmax);
        strbuf_addf(out, "\n%s over time (top = %" PRId64 "):\n", var, vmax);
        for (int y = 0; y < g->h; y++) {
            grid_row_text(g, y, row, sizeof(row));
            strbuf_addf(out, "   |%s\n", row);
        }
        grid_free(g);
    }
    free(pts);
}

/* The keys added after "lanes": cycle, figures, warnings. */
static void report_json_figures(StrBuf *out, const Run *run)
{
    const RunConfig *cfg = run_config(run);
    uint64_t latency;
    char warn[ARENA_MSG_MAX * 2];

    strbuf_add(out, ",\"cycle\":");
    if (run_cycle(run)[0] != '\0') {
        strbuf_add_json_string(out, run_cycle(run));
    } else {
        strbuf_add(out, "null");
    }
    if (run_detect_latency(run, &latency)) {
        strbuf_addf(out, ",\"detect_latency_ns\":%" PRIu64, latency);
    } else {
        strbuf_add(out, ",\"detect_latency_ns\":null");
    }
    strbuf_add(out, ",\"progress_unit\":");
    if (cfg->demo->progress_unit != NULL) {
        strbuf_add_json_string(out, cfg->demo->progress_unit);
    } else {
        strbuf_add(out, "null");
    }
    strbuf_addf(out, ",\"wait_unit\":\"%s\",\"lane_figures\":[",
                run_arena(run)->stepping ? "steps" : "ns");
    for (unsigned i = 0; i < run_nlanes(run); i++) {
        RunLaneStats st;
        char name[LANE_NAME_MAX];
        run_lane_stats(run, i, &st);
        lane_name(i, name);
        strbuf_addf(out,
                    "%s{\"name\":\"%s\",\"progress\":%" PRIu64 ",\"longest_wait\":%" PRIu64
                    ",\"waiting\":%s}",
                    i > 0 ? "," : "", name, st.progress, st.longest_wait,
                    st.waiting ? "true" : "false");
    }
    strbuf_add(out, "],\"warnings\":[");
    if (run_starvation(run, warn, sizeof(warn)) > 0) {
        StrBuf w;
        strbuf_init(&w);
        strbuf_addf(&w, "starvation: %s", warn);
        strbuf_add_json_string(out, strbuf_str(&w));
        strbuf_fini(&w);
    }
    strbuf_add(out, "]");
    report_json_invariant(out, run);
    report_json_series(out, run);
    strbuf_add(out, ",\"verdict_info\":");
    if (run_verdict_info(run) != NULL) {
        verdict_json(run_verdict_info(run), run_arena(run), out);
    } else {
        strbuf_add(out, "null");
    }
    if (view_of(cfg->demo)->report_json != NULL) {
        ViewCtx ctx;
        view_ctx_init(&ctx, run);
        view_of(cfg->demo)->report_json(&ctx, out);
    }
}

/* A lane's "pid", "tid" and "exit" keys. */
static void report_json_lane_process(StrBuf *out, const RunLaneInfo *li, bool stepping)
{
    char how[160];

    if (li->pid > 0) {
        strbuf_addf(out, ",\"pid\":%d,\"tid\":%d", (int)li->pid, (int)li->tid);
    } else {
        strbuf_add(out, ",\"pid\":null,\"tid\":null");
    }
    if (li->state != LANE_DIED || !li->ended) {
        strbuf_add(out, ",\"exit\":null");
        return;
    }
    lane_exit_describe(li->exit_status, how, sizeof(how));
    strbuf_add(out, ",\"exit\":{\"how\":");
    strbuf_add_json_string(out, how);
    if (WIFSIGNALED(li->exit_status)) {
        strbuf_addf(out, ",\"signal\":%d,\"status\":null", WTERMSIG(li->exit_status));
    } else {
        strbuf_addf(out, ",\"signal\":null,\"status\":%d",
                    WIFEXITED(li->exit_status) ? WEXITSTATUS(li->exit_status) : -1);
    }
    strbuf_addf(out, ",\"at\":%" PRIu64 ",\"unit\":\"%s\"", li->ended_t, stepping ? "steps" : "ns");
    /* the zombie: from its death (at) to its reaping, null = never reaped */
    if (li->exited) {
        strbuf_addf(out, ",\"reaped_at\":%" PRIu64 "}", li->exit_t);
    } else {
        strbuf_add(out, ",\"reaped_at\":null}");
    }
}

void report_json(StrBuf *out, const Run *run)
{
    const RunConfig *cfg = run_config(run);
    const Arena *arena = run_arena(run);
    const ArenaResult *r = &arena->result;

    strbuf_add(out, "{\"interleave\":");
    strbuf_add_json_string(out, PACKAGE_VERSION);
    strbuf_addf(out, ",\"format\":%d,\"demo\":", REPORT_JSON_FORMAT);
    strbuf_add_json_string(out, cfg->demo->name);
    strbuf_add(out, ",\"params\":{");
    for (unsigned i = 0; i < cfg->demo->nparams; i++) {
        const DemoParam *p = &cfg->demo->params[i];
        strbuf_addf(out, "%s", i > 0 ? "," : "");
        strbuf_add_json_string(out, p->name);
        if (demo_param_choice(p, cfg->params[i]) != NULL) {
            strbuf_add(out, ":");
            strbuf_add_json_string(out, demo_param_choice(p, cfg->params[i]));
        } else {
            strbuf_addf(out, ":%" PRId64, cfg->params[i]);
        }
    }
    strbuf_addf(out, "},\"mode\":\"%s\",\"schedule\":", sched_mode_name(cfg->mode));
    if (cfg->mode == SCHED_FREE) {
        strbuf_add(out, "null");
    } else {
        /* the canonical text itself ("" when empty), so it can be replayed;
         * "(none)" is for people, in the text report */
        const Schedule *sched = run_schedule(run);
        size_t need = schedule_format(sched, NULL, 0) + 1;
        char *text = malloc(need);
        if (text != NULL) {
            schedule_format(sched, text, need);
        } else {
            out->failed = true;
        }
        strbuf_add_json_string(out, text != NULL ? text : "");
        free(text);
    }
    strbuf_addf(out, ",\"verdict\":\"%s\",\"message\":", verdict_name(run_verdict(run)));
    strbuf_add_json_string(out, run_message(run));
    if (run_bad_token(run) > 0) {
        strbuf_addf(out, ",\"bad_token\":%d", run_bad_token(run));
    } else {
        strbuf_add(out, ",\"bad_token\":null");
    }
    strbuf_add(out, ",\"results\":{");
    if (atomic_load(&r->done)) {
        for (uint32_t i = 0; i < r->nfields; i++) {
            strbuf_addf(out, "%s", i > 0 ? "," : "");
            strbuf_add_json_string(out, r->fields[i].name);
            strbuf_addf(out, ":%" PRId64, r->fields[i].value);
        }
    }
    /* "units": what each result counts ("count", "ns" or "steps", "per_s") */
    strbuf_add(out, "},\"units\":{");
    if (atomic_load(&r->done)) {
        for (uint32_t i = 0; i < r->nfields; i++) {
            strbuf_addf(out, "%s", i > 0 ? "," : "");
            strbuf_add_json_string(out, r->fields[i].name);
            strbuf_addf(out, ":\"%s\"",
                        demo_unit_name(demo_result_unit(cfg->demo, r->fields[i].name),
                                       arena->stepping != 0));
        }
    }
    strbuf_addf(out,
                "},\"elapsed_ns\":%" PRIu64 ",\"steps\":%" PRIu64
                ",\"events\":{\"recorded\":%" PRIu64 ",\"dropped\":%" PRIu64 "},\"lanes\":[",
                run_elapsed_ns(run), run_steps(run), run_events_total(run), run_dropped_total(run));
    for (unsigned i = 0; i < run_nlanes(run); i++) {
        const ArenaLane *l = &arena->lanes[i];
        const Event *ev;
        RunLaneInfo li;
        char name[LANE_NAME_MAX];
        lane_name(i, name);
        run_lane_info(run, i, &li);
        strbuf_addf(out,
                    "%s{\"name\":\"%s\",\"state\":\"%s\",\"ops\":%" PRIu64 ",\"steps\":%" PRIu64
                    ",\"events\":%zu,\"dropped\":%" PRIu64 ",\"kind\":\"%s\"",
                    i > 0 ? "," : "", name, lane_state_name(li.state),
                    (uint64_t)atomic_load(&l->ops), (uint64_t)atomic_load(&l->steps),
                    run_lane_events(run, i, &ev), run_lane_dropped(run, i),
                    lane_kind_name(li.kind));
        report_json_lane_process(out, &li, arena->stepping != 0);
        /* what the demo calls the lane ("ThreadPoolExecutor-0_1"), "" = nothing */
        strbuf_add(out, ",\"thread\":");
        strbuf_add_json_string(out, arena_lane_name(arena, i));
        strbuf_add(out, "}");
    }
    strbuf_add(out, "]");
    report_json_figures(out, run);
    strbuf_add(out, "}\n");
}

void report_state(StrBuf *out, const Run *run)
{
    const Arena *a = run_arena(run);
    uint32_t nobjs = arena_nobjs(a);

    strbuf_add(out, "step ");
    strbuf_addf(out, "%" PRIu64 "  schedule: ", (uint64_t)arena_step(a));
    report_schedule_text(out, run);
    strbuf_add(out, "\n");
    for (unsigned i = 0; i < run_nlanes(run); i++) {
        const ArenaLane *l = &a->lanes[i];
        char name[LANE_NAME_MAX], op[128];
        uint32_t st = atomic_load(&l->state);
        int32_t by = atomic_load(&l->blocked_by);
        lane_name(i, name);
        sched_describe_op(a, atomic_load(&l->op), atomic_load(&l->op_obj), op, sizeof(op));
        strbuf_addf(out, "  %-3s %-9s reg=%-6" PRId64 " next: %s", name, lane_state_name(st),
                    (int64_t)atomic_load(&l->reg), st == LANE_FINISHED ? "-" : op);
        if (st == LANE_BLOCKED && by >= 0) {
            char holder[LANE_NAME_MAX];
            lane_name((unsigned)by, holder);
            strbuf_addf(out, " (%s %s)", sched_holder_phrase(atomic_load(&l->op)), holder);
        }
        strbuf_add(out, "\n");
    }
    for (uint32_t o = 1; o < nobjs; o++) {
        const ArenaObj *obj = &a->objs[o];
        int64_t v = atomic_load(&obj->value);
        if (obj->kind == OBJ_VAR) {
            strbuf_addf(out, "  %s = %" PRId64 "\n", arena_str(a, obj->name), v);
        } else if (obj->kind == OBJ_MUTEX) {
            char holder[LANE_NAME_MAX] = "-";
            if (v >= 0) {
                lane_name((unsigned)v, holder);
            }
            strbuf_addf(out, "  mutex %s: %s\n", arena_str(a, obj->name), v >= 0 ? holder : "free");
        } else if (obj->kind == OBJ_SEM) {
            strbuf_addf(out, "  semaphore %s: %" PRId64 "\n", arena_str(a, obj->name), v);
        } else if (obj->kind == OBJ_COND) {
            strbuf_addf(out, "  cond %s: %" PRId64 " asleep\n", arena_str(a, obj->name), v);
        } else if (obj->kind == OBJ_SLOT) {
            /* a slot array on one line: "buf[0..3] = 0 1 -2 -2" (the
             * values as they are; what marks an empty slot is the demo's) */
            uint32_t last = o;
            while (last + 1 < nobjs && a->objs[last + 1].kind == OBJ_SLOT) {
                last++;
            }
            const char *name = arena_str(a, obj->name), *br = strchr(name, '[');
            strbuf_addf(out, "  %.*s[0..%u] =", br != NULL ? (int)(br - name) : (int)strlen(name),
                        name, last - o);
            for (uint32_t k = o; k <= last && k < o + 64; k++) {
                strbuf_addf(out, " %" PRId64, (int64_t)arena_obj_value(a, k));
            }
            strbuf_add(out, last >= o + 64 ? " ...\n" : "\n");
            o = last;
        }
    }
}
