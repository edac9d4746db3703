/*
 * explore_report.c - text and JSON of an explorer's result (see
 * explore_report.h).
 */
#include "config.h"

#include "export/explore_report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "util/json.h"

size_t explore_report_order(const ExploreResult *res, unsigned order[EXPLORE_MAX_OUTCOMES])
{
    size_t n = res->noutcomes < EXPLORE_MAX_OUTCOMES ? res->noutcomes : EXPLORE_MAX_OUTCOMES;
    for (size_t i = 0; i < n; i++) {
        order[i] = (unsigned)i;
    }
    /* insertion sort: failing first, then by count, then as found */
    for (size_t i = 1; i < n; i++) {
        unsigned k = order[i];
        size_t j = i;
        while (j > 0) {
            const ExploreOutcome *a = &res->outcomes[order[j - 1]], *b = &res->outcomes[k];
            bool fa = explore_outcome_failing(a), fb = explore_outcome_failing(b);
            bool before = fb && !fa ? true : fa && !fb ? false : b->count > a->count;
            if (!before) {
                break;
            }
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    return n;
}

static void explore_params_text(StrBuf *out, const ExploreConfig *cfg)
{
    for (unsigned p = 0; p < cfg->demo->nparams; p++) {
        char v[64];
        demo_param_format(&cfg->demo->params[p], cfg->params[p], v, sizeof(v));
        strbuf_addf(out, " %s=%s", cfg->demo->params[p].name, v);
    }
}

void explore_report_text(StrBuf *out, const ExploreConfig *cfg, const ExploreResult *res,
                         bool timed_out)
{
    unsigned order[EXPLORE_MAX_OUTCOMES];
    size_t n = explore_report_order(res, order);
    uint64_t sched = atomic_load(&((ExploreResult *)res)->schedules);
    double secs = (double)res->elapsed_ns / 1e9;
    unsigned failing = 0;

    strbuf_addf(out, "explore: %s", cfg->demo->name);
    explore_params_text(out, cfg);
    strbuf_addf(out, "\nbound: at most %u preemption%s, %" PRIu64 " schedules, %u steps each\n",
                cfg->preemptions, cfg->preemptions == 1 ? "" : "s", cfg->limit, cfg->max_steps);
    strbuf_addf(out, "schedules: %" PRIu64 " run, %" PRIu64 " steps", sched,
                atomic_load(&((ExploreResult *)res)->steps));
    if (secs > 0) {
        strbuf_addf(out, ", %.2f s (%.0f schedules/s)", secs, (double)sched / secs);
    }
    strbuf_add(out, "\n");
    if (res->failed) {
        strbuf_addf(out, "search failed: %s\n", res->error);
    } else if (timed_out) {
        strbuf_add(out, "search: incomplete (stopped at its time limit)\n");
    } else if (res->complete) {
        strbuf_add(out, "search: complete (every schedule within the bound was run)\n");
    } else if (res->limited) {
        strbuf_addf(out, "search: incomplete (stopped at the limit of %" PRIu64 " schedules)\n",
                    cfg->limit);
    }
    strbuf_addf(out, "\noutcomes: %zu\n", n);
    strbuf_addf(out, "  %8s  %-10s %5s  %s\n", "count", "verdict", "steps", "final values");
    for (size_t i = 0; i < n; i++) {
        const ExploreOutcome *o = &res->outcomes[order[i]];
        failing += explore_outcome_failing(o);
        strbuf_addf(out, "  %8" PRIu64 "  %-10s %5u  %s\n", o->count,
                    o->step_limit ? "step limit" : verdict_name(o->verdict), o->steps,
                    o->values[0] != '\0' ? o->values : "-");
        if (o->message[0] != '\0') {
            strbuf_addf(out, "  %8s  %s\n", "", o->message);
        }
        strbuf_addf(out, "  %8s  shortest schedule (%u preemption%s): %s\n", "", o->preemptions,
                    o->preemptions == 1 ? "" : "s", o->schedule[0] != '\0' ? o->schedule : "-");
    }
    if (res->other > 0) {
        strbuf_addf(out, "  %8" PRIu64 "  (outcomes past the first %d)\n", res->other,
                    EXPLORE_MAX_OUTCOMES);
    }
    if (failing == 0 && !res->failed) {
        strbuf_addf(out, "\nno failing outcome%s\n",
                    res->complete ? " within the bound" : " in the schedules run");
    } else if (failing > 0) {
        strbuf_addf(out,
                    "\n%u failing outcome%s: replay one with interleave run ... --schedule "
                    "'SCHEDULE'\n",
                    failing, failing == 1 ? "" : "s");
    }
}

/* "counter=1 flag[0]=2" as JSON members. */
static void explore_values_json(JsonWriter *w, const char *values)
{
    const char *p = values;
    json_begin_object(w);
    while (*p != '\0') {
        const char *sp = strchr(p, ' ');
        size_t len = sp != NULL ? (size_t)(sp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq != NULL) {
            char key[128];
            snprintf(key, sizeof(key), "%.*s", (int)(eq - p), p);
            json_key(w, key);
            json_int(w, strtoll(eq + 1, NULL, 10));
        }
        p += len;
        while (*p == ' ') {
            p++;
        }
    }
    json_end_object(w);
}

void explore_report_json(StrBuf *out, const ExploreConfig *cfg, const ExploreResult *res,
                         bool timed_out)
{
    JsonWriter *w = malloc(sizeof(*w));
    unsigned order[EXPLORE_MAX_OUTCOMES];
    size_t n = explore_report_order(res, order);

    if (w == NULL) {
        out->failed = true;
        return;
    }
    json_init(w, json_sink_strbuf, out, 0);
    json_begin_object(w);
    json_kv_string(w, "demo", cfg->demo->name);
    json_key(w, "params");
    json_begin_object(w);
    for (unsigned p = 0; p < cfg->demo->nparams; p++) {
        json_key(w, cfg->demo->params[p].name);
        if (demo_param_named(&cfg->demo->params[p])) {
            char v[64];
            demo_param_format(&cfg->demo->params[p], cfg->params[p], v, sizeof(v));
            json_string(w, v);
        } else {
            json_int(w, cfg->params[p]);
        }
    }
    json_end_object(w);
    json_kv_uint(w, "preemptions", cfg->preemptions);
    json_kv_uint(w, "limit", cfg->limit);
    json_kv_uint(w, "max_steps", cfg->max_steps);
    json_kv_uint(w, "schedules", atomic_load(&((ExploreResult *)res)->schedules));
    json_kv_uint(w, "steps", atomic_load(&((ExploreResult *)res)->steps));
    json_kv_bool(w, "complete", res->complete && !timed_out && !res->failed);
    json_kv_bool(w, "limited", res->limited);
    json_kv_bool(w, "timed_out", timed_out);
    json_kv_uint(w, "elapsed_ns", res->elapsed_ns);
    json_key(w, "error");
    if (res->failed) {
        json_string(w, res->error);
    } else {
        json_null(w);
    }
    json_kv_uint(w, "other", res->other);
    json_key(w, "outcomes");
    json_begin_array(w);
    for (size_t i = 0; i < n; i++) {
        const ExploreOutcome *o = &res->outcomes[order[i]];
        json_begin_object(w);
        json_kv_string(w, "verdict", o->step_limit ? "step_limit" : verdict_name(o->verdict));
        json_kv_bool(w, "failing", explore_outcome_failing(o));
        json_kv_uint(w, "count", o->count);
        json_key(w, "values");
        explore_values_json(w, o->values);
        json_key(w, "invariant");
        if (o->invariant[0] != '\0') {
            json_string(w, o->invariant);
        } else {
            json_null(w);
        }
        json_kv_string(w, "message", o->message);
        json_kv_uint(w, "steps", o->steps);
        json_kv_uint(w, "preemptions", o->preemptions);
        json_kv_string(w, "schedule", o->schedule);
        json_end_object(w);
    }
    json_end_array(w);
    json_end_object(w);
    if (json_flush(w) < 0) {
        out->failed = true;
    }
    strbuf_add(out, "\n");
    free(w);
}
