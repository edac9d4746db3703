/*
 * explore_report.h - an explorer's result as text and as JSON.
 *
 * Text (a person): the search's figures, whether it was complete within
 * the bound, and the outcome histogram, failing outcomes first, each with
 * its count, verdict, final shared values and shortest schedule.
 *
 * JSON (a machine), one object:
 *   {"demo": STRING, "params": {NAME: VALUE...}, "preemptions": N,
 *    "limit": N, "max_steps": N, "schedules": N, "steps": N,
 *    "complete": BOOL, "limited": BOOL, "timed_out": BOOL,
 *    "elapsed_ns": N, "error": STRING|null, "other": N,
 *    "outcomes": [{"verdict": STRING, "failing": BOOL, "count": N,
 *                  "values": {NAME: VALUE...}, "invariant": STRING|null,
 *                  "message": STRING, "steps": N, "preemptions": N,
 *                  "schedule": STRING}...]}
 * Outcomes are in the order of the text: failing first, then by count.
 *
 * Thread: any thread.
 */
#ifndef INTERLEAVE_EXPORT_EXPLORE_REPORT_H
#define INTERLEAVE_EXPORT_EXPLORE_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/explore.h"
#include "util/strbuf.h"

/* The order outcomes are shown in: indices into res->outcomes, failing
 * first, then most frequent.  Fills order (EXPLORE_MAX_OUTCOMES room);
 * returns how many. */
size_t explore_report_order(const ExploreResult *res, unsigned order[EXPLORE_MAX_OUTCOMES]);

/* The text report of a finished search into out. */
void explore_report_text(StrBuf *out, const ExploreConfig *cfg, const ExploreResult *res,
                         bool timed_out);

/* The JSON report of a finished search into out. */
void explore_report_json(StrBuf *out, const ExploreConfig *cfg, const ExploreResult *res,
                         bool timed_out);

#endif /* INTERLEAVE_EXPORT_EXPLORE_REPORT_H */
