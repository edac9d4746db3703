/*
 * fuzz_schedule.c - libFuzzer harness for the schedule parsers.
 *
 * The input is a schedule file's contents: schedfile_parse() reads its
 * headers and comments, schedfile_schedule() its tokens, for no lane check
 * and for a run of 64 lanes.  A schedule that parses must survive a round
 * trip: schedule_format() and schedule_parse() again give the same tokens,
 * and schedfile_format() of a demo and the tokens reads back the same.
 * Build and run: make fuzz (tests/fuzz/README).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/schedfile.h"
#include "core/schedule.h"
#include "demos/demo.h"

static void fuzz_same(const Schedule *a, const Schedule *b)
{
    if (a->n != b->n) {
        abort();
    }
    for (size_t i = 0; i < a->n; i++) {
        if (a->tok[i].lane != b->tok[i].lane || a->tok[i].kind != b->tok[i].kind ||
            a->tok[i].count != b->tok[i].count) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SchedFile sf;
    IlError err;

    if (schedfile_parse((const char *)data, size, "fuzz", &sf, &err) < 0) {
        return 0;
    }
    for (unsigned nlanes = 0; nlanes <= 64; nlanes += 64) {
        Schedule s, again;
        size_t need;
        char *text;
        if (schedfile_schedule(&sf, nlanes, &s, &err) < 0) {
            continue;
        }
        need = schedule_format(&s, NULL, 0) + 1;
        text = malloc(need);
        if (text == NULL) {
            abort();
        }
        schedule_format(&s, text, need);
        if (schedule_parse(text, nlanes, &again, &err) < 0) {
            abort(); /* what we print, we read */
        }
        fuzz_same(&s, &again);
        schedule_fini(&again);
        free(text);
        if (nlanes == 64) {
            /* the self-contained file a save writes reads back the same */
            const DemoClass *demo = demo_at(0);
            int64_t params[DEMO_MAX_PARAMS];
            SchedFile back;
            StrBuf b;
            demo_params_default(demo, params);
            strbuf_init(&b);
            schedfile_format(&b, "fuzz", demo, params, &s);
            if (b.failed || schedfile_parse(b.s, b.len, "saved", &back, &err) < 0) {
                abort();
            }
            if (schedfile_schedule(&back, 0, &again, &err) < 0) {
                abort();
            }
            fuzz_same(&s, &again);
            if (back.demo == NULL || strcmp(back.demo, demo->name) != 0 ||
                back.nparams != demo->nparams) {
                abort();
            }
            schedule_fini(&again);
            schedfile_fini(&back);
            strbuf_fini(&b);
        }
        schedule_fini(&s);
    }
    schedfile_fini(&sf);
    return 0;
}
