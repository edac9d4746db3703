/*
 * evmerge.c - k-way merge of the lanes' event logs (see evmerge.h).
 */
#include "config.h"

#include "export/evmerge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Does lane a's next event come before lane b's? */
static bool evmerge_less(const EvMerge *m, unsigned a, unsigned b)
{
    const Event *ea = &m->lanes[a].ev[m->lanes[a].pos];
    const Event *eb = &m->lanes[b].ev[m->lanes[b].pos];
    if (ea->t != eb->t) {
        return ea->t < eb->t;
    }
    return a < b;
}

static void evmerge_down(EvMerge *m, unsigned i)
{
    for (;;) {
        unsigned l = 2 * i + 1, r = l + 1, best = i;
        if (l < m->nheap && evmerge_less(m, m->heap[l], m->heap[best])) {
            best = l;
        }
        if (r < m->nheap && evmerge_less(m, m->heap[r], m->heap[best])) {
            best = r;
        }
        if (best == i) {
            return;
        }
        unsigned tmp = m->heap[i];
        m->heap[i] = m->heap[best];
        m->heap[best] = tmp;
        i = best;
    }
}

int evmerge_init(EvMerge *m, const Run *run)
{
    unsigned n = run_nlanes(run);
    memset(m, 0, sizeof(*m));
    m->lanes = calloc(n > 0 ? n : 1, sizeof(*m->lanes));
    m->heap = calloc(n > 0 ? n : 1, sizeof(*m->heap));
    if (m->lanes == NULL || m->heap == NULL) {
        evmerge_fini(m);
        return -ENOMEM;
    }
    m->nlanes = n;
    for (unsigned i = 0; i < n; i++) {
        m->lanes[i].n = run_lane_events(run, i, &m->lanes[i].ev);
        if (m->lanes[i].n > 0) {
            m->heap[m->nheap++] = i;
        }
    }
    for (unsigned i = m->nheap / 2; i-- > 0;) {
        evmerge_down(m, i);
    }
    return 0;
}

const Event *evmerge_next(EvMerge *m)
{
    unsigned lane;
    const Event *ev;
    if (m->nheap == 0) {
        return NULL;
    }
    lane = m->heap[0];
    ev = &m->lanes[lane].ev[m->lanes[lane].pos++];
    if (m->lanes[lane].pos >= m->lanes[lane].n) {
        m->heap[0] = m->heap[--m->nheap];
    }
    if (m->nheap > 0) {
        evmerge_down(m, 0);
    }
    return ev;
}

void evmerge_fini(EvMerge *m)
{
    if (m == NULL) {
        return;
    }
    free(m->lanes);
    free(m->heap);
    memset(m, 0, sizeof(*m));
}
