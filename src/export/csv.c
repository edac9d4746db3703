/*
 * csv.c - events as CSV rows, streamed (see csv.h).
 *
 * Rows are formatted into a fixed buffer that goes to the sink whenever it
 * fills; the only memory besides is the merge's heap.
 */
#include "config.h"

#include "export/csv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/schedule.h"
#include "export/evmerge.h"

#define CSV_BUF 16384

typedef struct CsvOut {
    JsonSink sink;
    void *ctx;
    int error;
    size_t len;
    char buf[CSV_BUF];
} CsvOut;

static void csv_drain(CsvOut *o)
{
    if (o->len > 0 && o->error == 0) {
        int rc = o->sink(o->ctx, o->buf, o->len);
        if (rc < 0) {
            o->error = rc;
        }
    }
    o->len = 0;
}

static void csv_put(CsvOut *o, const char *s, size_t n)
{
    while (n > 0 && o->error == 0) {
        size_t k = CSV_BUF - o->len < n ? CSV_BUF - o->len : n;
        memcpy(o->buf + o->len, s, k);
        o->len += k;
        s += k;
        n -= k;
        if (o->len == CSV_BUF) {
            csv_drain(o);
        }
    }
}

/* One field, quoted when it needs to be (RFC 4180 section 2). */
static void csv_field(CsvOut *o, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        csv_put(o, s, strlen(s));
        return;
    }
    csv_put(o, "\"", 1);
    for (; *s != '\0'; s++) {
        csv_put(o, s, 1);
        if (*s == '"') {
            csv_put(o, "\"", 1);
        }
    }
    csv_put(o, "\"", 1);
}

int csv_write(const Run *run, JsonSink sink, void *ctx)
{
    CsvOut *out = malloc(sizeof(*out));
    const Arena *arena = run_arena(run);
    const char *unit = arena->stepping ? "step" : "ns";
    EvMerge m;
    const Event *ev;
    uint64_t seq = 0;

    int rc;

    if (out == NULL || evmerge_init(&m, run) < 0) {
        free(out);
        return -ENOMEM;
    }
    memset(out, 0, sizeof(*out));
    out->sink = sink;
    out->ctx = ctx;
    csv_put(out, CSV_HEADER "\n", strlen(CSV_HEADER) + 1);
    while (out->error == 0 && (ev = evmerge_next(&m)) != NULL) {
        char head[96], lane[LANE_NAME_MAX], tail[32];
        int n;
        lane_name(ev->lane, lane);
        n = snprintf(head, sizeof(head), "%" PRIu64 ",%" PRIu64 ",%s,%s,%s,", ++seq, ev->t, unit,
                     lane, event_kind_name(ev->kind));
        csv_put(out, head, (size_t)n);
        csv_field(out, arena_obj_name(arena, ev->obj));
        n = snprintf(tail, sizeof(tail), ",%" PRId64 "\n", ev->value);
        csv_put(out, tail, (size_t)n);
    }
    csv_drain(out);
    evmerge_fini(&m);
    rc = out->error;
    free(out);
    return rc;
}
