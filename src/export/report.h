/*
 * report.h - the results of a run as text (with an ASCII timeline) or JSON.
 *
 * Thread: the front end's main thread (they read a finished Run).
 */
#ifndef INTERLEAVE_EXPORT_REPORT_H
#define INTERLEAVE_EXPORT_REPORT_H

#include "core/run.h"
#include "util/strbuf.h"

#define REPORT_JSON_FORMAT 1 /* bumped when the JSON object changes shape */

/* Append the text report of a finished run, with a timeline width columns
 * wide (0 = 80). */
void report_text(StrBuf *out, const Run *run, int width);

/* Append the JSON report of a finished run: one object and a newline. */
void report_json(StrBuf *out, const Run *run);

/* Append the ASCII timeline of run (lanes, axis, legend). */
void report_timeline(StrBuf *out, const Run *run, int width);

/*
 * Append the step-mode state: every lane's state and next operation, its
 * register, and the shared variables and mutexes.  Reads the arena's live
 * snapshot, which is exact while the run is parked between steps.
 */
void report_state(StrBuf *out, const Run *run);

/* Append "threads=2 iterations=1 variant=unsafe". */
void report_params(StrBuf *out, const RunConfig *cfg);

#endif /* INTERLEAVE_EXPORT_REPORT_H */
