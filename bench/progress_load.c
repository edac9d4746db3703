/*
 * progress_load.c - the time to load a progress file of 10,000, 20,000 and
 * 40,000 lessons, and the ratios between them (make bench).
 *
 * Loading is linear when doubling the lessons doubles the time: ratios
 * near 2.0.  (It was quadratic, ratios near 4: 0.13 / 0.67 / 2.0 s.)
 * Each size is loaded 5 times from memory (progress_from_text, the same
 * parse progress_load runs on the file) and the best time is kept.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/clock.h"
#include "lesson/progress.h"
#include "util/strbuf.h"

static double bench_load(int lessons)
{
    StrBuf text;
    double best = 1e30;

    strbuf_init(&text);
    strbuf_add(&text, "# interleave progress 1\n");
    for (int i = 0; i < lessons; i++) {
        strbuf_addf(&text, "page lesson%d 0\npage lesson%d 1\nruns lesson%d 3\n", i, i, i);
        strbuf_addf(&text, "answer lesson%d q1 right\n", i);
    }
    for (int r = 0; r < 5; r++) {
        IlError err;
        uint64_t t0 = clock_mono_ns();
        Progress *p = progress_from_text(text.s, text.len, &err);
        double s = (double)(clock_mono_ns() - t0) / 1e9;
        if (p == NULL) {
            fprintf(stderr, "progress_load: %s\n", err.msg);
            exit(1);
        }
        progress_free(p);
        best = s < best ? s : best;
    }
    strbuf_fini(&text);
    return best;
}

int main(void)
{
    double t10 = bench_load(10000), t20 = bench_load(20000), t40 = bench_load(40000);
    printf("progress load: 10k lessons %.4f s, 20k %.4f s, 40k %.4f s\n", t10, t20, t40);
    printf("progress load: ratio 20k/10k %.2f, 40k/20k %.2f (linear: about 2)\n", t20 / t10,
           t40 / t20);
    return 0;
}
