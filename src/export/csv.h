/*
 * csv.h - a finished run's events as CSV, one row per event, streamed.
 *
 * RFC 4180 CSV: a header row, then one row per event in time order across
 * lanes, CRLF-free (lines end with LF, which every CSV reader accepts), a
 * field quoted when it holds a comma, a quote or a line break, quotes
 * doubled inside.  Columns:
 *
 *   seq     1, 2, ... in time order
 *   t       the event's time: ns since the run started (free mode) or the
 *           step number (step and replay modes)
 *   unit    "ns" or "step"
 *   lane    A, B, ...
 *   event   the event kind ("load", "lock", "signal": event_kind_name())
 *   object  the object's name ("counter", "m"), empty for none
 *   value   the event's value (see core/event.h)
 *
 * Thread: the front end's main thread.
 */
#ifndef INTERLEAVE_EXPORT_CSV_H
#define INTERLEAVE_EXPORT_CSV_H

#include "core/compiler.h"
#include "core/run.h"
#include "util/json.h"

/* The header row, without its line break. */
#define CSV_HEADER "seq,t,unit,lane,event,object,value"

/*
 * Write the events of run (finished) to sink(ctx, ...) (the same sink
 * type as the JSON writer's).  Returns 0, -ENOMEM, or the sink's first
 * error.
 */
int csv_write(const Run *run, JsonSink sink, void *ctx) ATTR_WARN_UNUSED_RESULT;

#endif /* INTERLEAVE_EXPORT_CSV_H */
