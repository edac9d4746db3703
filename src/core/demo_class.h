/*
 * demo_class.h - the contract between a demo and the rest of interleave.
 *
 * A demo is a DemoClass: its parameters (with ranges, defaults and help),
 * how many lanes it runs, and the functions that run inside the sandbox:
 * setup (register shared objects in the arena, before lanes start),
 * lane_main (the body of one lane), and finish (compute the results);
 * optionally what runs each lane (a thread or a forked process).
 * The core runs any DemoClass without knowing which one it is; the
 * registry of demos lives with the demos (demos/demo.h).
 *
 * The parameter helpers below work on any DemoClass.
 */
#ifndef INTERLEAVE_CORE_DEMO_CLASS_H
#define INTERLEAVE_CORE_DEMO_CLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/error.h"
#include "core/shared_heap.h"

#define DEMO_MAX_PARAMS 16

struct DemoVariant;

typedef struct DemoParam {
    const char *name;           /* "threads" */
    const char *help;           /* one line */
    int64_t min, max, def;      /* range and default (index for choices) */
    const char *const *choices; /* NULL-terminated names, or NULL for a number */
    /* the demo's variants (max + 1 of them): the choices are their names.
     * A demo has at most one such parameter, "variant". */
    const struct DemoVariant *variants;
} DemoParam;

/* One line of a demo's pseudo-code, and which pending operation sits on it. */
typedef struct DemoCodeLine {
    const char *text; /* "reg = load counter" */
    uint16_t op;      /* EventKind a lane about to run this line has pending, 0 = none */
    const char *obj;  /* object name that must match too, NULL = any */
} DemoCodeLine;

/*
 * What the sandbox hands a demo's functions.
 *
 * Lanes may be forked processes (DemoClass.lane_kind), so whatever lanes
 * share - the demo's state with its IlMutex, IlCond and IlSem, counters
 * the lanes write - must come from heap (shared_heap_alloc), which every
 * lane sees at the same address.  Memory from malloc() is private to each
 * process after the fork: use it only for what a lane keeps to itself, or
 * to show on purpose that processes do not share it.
 */
typedef struct DemoCtx {
    Arena *arena;          /* the run's arena */
    const int64_t *params; /* values in the order of DemoClass.params */
    unsigned nlanes;
    SharedHeap *heap; /* shared by every lane; borrowed for the run, nothing to free */
    void *state;      /* the demo's own; set by setup (from heap, normally) */
    const void *data; /* DemoClass.data of the class being run (a class built at run
                       * time around a parsed scenario); NULL for compiled demos */
} DemoCtx;

/*
 * One way of writing a demo (race: unsafe, mutex, atomic).  A variant that
 * is wrong on purpose says so (broken): lint, grading and the lesson screen
 * expect a bad verdict from it, and its lane function's name ends _broken.
 */
typedef struct DemoVariant {
    const char *name; /* "unsafe" */
    const char *help; /* one line: what it shows */
    bool broken;      /* BROKEN ON PURPOSE: a run may go wrong, as the lesson says */
    /* the body of one lane; NULL = DemoClass.lane_main */
    void (*lane_main)(DemoCtx *ctx, unsigned lane);
    /* the pseudo-code; NULL = DemoClass.code */
    const DemoCodeLine *code;
    size_t ncode;
} DemoVariant;

/* What a result field counts, so every face can show it in human units. */
typedef enum DemoUnit {
    DEMO_UNIT_COUNT = 0, /* a plain number: items, updates, meals */
    DEMO_UNIT_TIME = 1,  /* a duration: ns in a free run (shown as ns, us, ms,
                          * s), steps in a step or replay run */
    DEMO_UNIT_RATE = 2,  /* per second: shown as k/s, M/s */
    DEMO_UNIT_NS = 3,    /* a duration in ns in every mode: measured in a free run, the
                          * demo's own clock in a step run (an event loop's virtual
                          * time); shown as ns, us, ms, s */
    DEMO_UNIT_RATIO = 4, /* a ratio in thousandths (a speed-up): 1950 is shown as
                          * "1.95x"; "permille" for machines */
    DEMO_UNIT_COUNT_ALL
} DemoUnit;

/* One result a demo reports (arena_result_add), in display order. */
typedef struct DemoResultField {
    const char *name; /* "latency_p50" */
    DemoUnit unit;
    const char *help; /* one line: "enqueue-to-dequeue latency, median" */
} DemoResultField;

struct DemoView; /* the presentation half, view/view.h */

typedef struct DemoClass {
    const char *name;    /* "race" */
    const char *summary; /* one line */
    const DemoParam *params;
    unsigned nparams;
    /* lanes the run needs for these parameters */
    unsigned (*lanes)(const int64_t *params);
    /* events one lane records, roughly (sizes the rings) */
    uint64_t (*events_per_lane)(const int64_t *params);
    /* register objects, allocate state.  0 or negative error. */
    int (*setup)(DemoCtx *ctx);
    /* the body of one lane (variants may bring their own) */
    void (*lane_main)(DemoCtx *ctx, unsigned lane);
    /* add result fields with arena_result_add(); free state.  Called after
     * every lane finished, or at a deadlock (lanes still parked). */
    void (*finish)(DemoCtx *ctx, int verdict);
    /* pseudo-code for the front end; sets *n (variants may bring their own;
     * NULL = theirs only) */
    const DemoCodeLine *(*code)(const int64_t *params, size_t *n);
    /* the results finish() adds, with their units; a field not listed here
     * is a plain count */
    const DemoResultField *results;
    unsigned nresults;
    /* what one il_progress() call counts, plural ("transfers", "meals");
     * NULL when the demo reports no progress (no livelock or starvation
     * checks then) */
    const char *progress_unit;
    /* whether lane is one that reports progress (a worker) rather than one
     * that only waits by design (a main lane in join()); NULL = every lane.
     * Starvation warnings judge only the lanes that report progress. */
    bool (*lane_progresses)(const int64_t *params, unsigned lane);
    /* name of a shared variable whose value over time is worth a graph (a
     * queue's depth: "count"); reports sample it from the events.  NULL =
     * none */
    const char *series_var;
    /* how the demo is shown (view/view.h); NULL = the generic view.  The
     * core never looks inside. */
    const struct DemoView *view;
    /* what runs lane (a LaneKind: a thread of the sandbox, or a forked
     * process); NULL = every lane is a thread.  A demo may mix them (a
     * parent lane and worker processes) */
    LaneKind (*lane_kind)(const int64_t *params, unsigned lane);
    /* bytes of shared heap setup will allocate, roughly; NULL or 0 = the
     * default (DEMO_SHARED_DEFAULT), enough for a state struct and a few
     * small arrays */
    uint64_t (*shared_bytes)(const int64_t *params);
    /* whether the demo handles the death of lane's process (a process
     * lane: a pool's worker, whose death its parent notices and reports
     * as a broken pool); NULL = no lane.  A lane process that dies before
     * it finished ends the run as crashed, unless this says the demo
     * handles it and the lanes had started: then the run goes on, the
     * lane counts as ended (LANE_DIED: the scheduler never waits for
     * it, step mode included), the sandbox records EV_LANE_DIED and
     * EV_LANE_REAPED on its row and tells the readers of every pipe it
     * wrote (il_pipe_read reports the dead writer), and the other lanes
     * may look at its slot (state, exit status).  The verdict is the
     * demo's to give (its results); the run itself completes. */
    bool (*lane_death_handled)(const int64_t *params, unsigned lane);
    /* steps one lane takes in a step or replay run, roughly (a front end
     * warns before a replay that will take long); NULL = not known */
    uint64_t (*steps_per_lane)(const int64_t *params);
    /*
     * A class built at run time (a scenario file: scenario/scn_demo.h) is
     * made around data, which its hooks need: data reaches setup,
     * lane_main and finish as DemoCtx.data, and the three hooks below
     * take it.  When set, they replace lanes, events_per_lane and code
     * (left NULL then).  Compiled demos leave all four NULL.  The core
     * calls them through demo_lanes(), demo_events_per_lane() and
     * demo_code(), never directly.
     */
    const void *data;
    unsigned (*data_lanes)(const void *data, const int64_t *params);
    uint64_t (*data_events_per_lane)(const void *data, const int64_t *params);
    const DemoCodeLine *(*data_code)(const void *data, const int64_t *params, size_t *n);
    /* the steps line (0-based, of the code) takes, for the code panel's
     * expansion on demand ("load counter, compute, store counter"); NULL =
     * not known.  May be NULL. */
    const char *(*data_code_steps)(const void *data, size_t line);
    /* whether params make a run the class can start (a scenario: the lane
     * copies, array sizes and counts its params set; see
     * scn_check_params); 0, or -1 with why set to one line naming the
     * file and line.  NULL = every params in range do.  Called through
     * demo_check_params(). */
    int (*data_check)(const void *data, const int64_t *params, char *why, size_t len);
    /* the same program in the Python of the course, shown beside the
     * pseudo-code: line i stands beside code line i (demo_code), "" for
     * none; sets *n (at most the code's lines).  NULL = no Python */
    const char *const *(*python)(const int64_t *params, size_t *n);
    /* whether lane is a daemon: the run is over when every other lane has
     * finished, and a daemon still going is cut off (Python's daemon
     * threads at interpreter exit; core/sched.h).  NULL = none is */
    bool (*lane_daemon)(const int64_t *params, unsigned lane);
} DemoClass;

#define DEMO_SHARED_DEFAULT ((uint64_t)1 << 20) /* 1 MiB */

/*
 * Whether a run of demo with params (each within its range) can start:
 * the class's data_check (a scenario's sizes and counts), then at least
 * one lane.  Returns 0, or -1 with why set to one line (for a scenario
 * "file:line: what", else "DEMO: what").  run_start() and explore_start()
 * refuse such params with it (-IL_EUSAGE); front ends call it first to
 * say it as a usage error.  Thread: any thread.
 */
int demo_check_params(const DemoClass *demo, const int64_t *params, char *why, size_t len);

/* The lanes a run of demo with params has (DemoClass.lanes, or data_lanes
 * for a class built around data).  Thread: any thread. */
unsigned demo_lanes(const DemoClass *demo, const int64_t *params);

/* Events one lane of such a run records, roughly.  Thread: any thread. */
uint64_t demo_events_per_lane(const DemoClass *demo, const int64_t *params);

/* Steps a step or replay run of demo with params takes in all, roughly
 * (DemoClass.steps_per_lane times the lanes), 0 = not known.
 * Thread: any thread. */
uint64_t demo_steps_estimate(const DemoClass *demo, const int64_t *params);

/* The kind of lane of a run of demo with params.  Thread: any thread. */
LaneKind demo_lane_kind(const DemoClass *demo, const int64_t *params, unsigned lane);

/* Fill values with the defaults of demo.  Thread: any thread. */
void demo_params_default(const DemoClass *demo, int64_t values[DEMO_MAX_PARAMS]);

/*
 * Parse one "key=value" argument into values.  Numbers are plain decimals
 * (util/num.h: no white space, sign '+', hexadecimal or suffix).  Returns
 * 0, or -IL_EUSAGE with err naming the parameter and the allowed range or
 * choices.
 * Thread: any thread.
 */
int demo_param_set(const DemoClass *demo, const char *arg, int64_t values[DEMO_MAX_PARAMS],
                   IlError *err);

/*
 * Apply the n "key=value" arguments in args to values, in order, each as
 * demo_param_set() does.  A parameter given twice among them is an error
 * ("threads: given twice ('threads=2', then 'threads=4')"), not "the last
 * one wins": a typo that repeats a key must not pass unnoticed.  Returns
 * 0, or -IL_EUSAGE with err; values is changed only on success.
 * Thread: any thread.
 */
int demo_params_parse(const DemoClass *demo, const char *const *args, size_t n,
                      int64_t values[DEMO_MAX_PARAMS], IlError *err) ATTR_WARN_UNUSED_RESULT;

/* Index of parameter name in demo, or -1.  Thread: any thread. */
int demo_param_index(const DemoClass *demo, const char *name);

/* Text of a parameter value ("4", "mutex") into buf.  Thread: any thread. */
void demo_param_format(const DemoParam *param, int64_t value, char *buf, size_t len);

/* Describe the allowed values of param ("1..64", "unsafe|mutex|atomic"). */
void demo_param_range(const DemoParam *param, char *buf, size_t len);

/* True when param takes a name from a list (choices or variants). */
bool demo_param_named(const DemoParam *param);

/* The name of choice value of param, or NULL when param is a number or
 * value is out of range.  Borrowed (static).  Thread: any thread. */
const char *demo_param_choice(const DemoParam *param, int64_t value);

/* The variant params select, or NULL for a demo without variants.
 * Thread: any thread. */
const DemoVariant *demo_variant(const DemoClass *demo, const int64_t *params);

/* The lane body a run of demo with params runs.  Thread: any thread. */
void (*demo_lane_fn(const DemoClass *demo, const int64_t *params))(DemoCtx *, unsigned);

/* The pseudo-code of demo with params; sets *n (0 and NULL when none).
 * Thread: any thread. */
const DemoCodeLine *demo_code(const DemoClass *demo, const int64_t *params, size_t *n);

/* The steps line (0-based) of demo's code takes, as text, or NULL when
 * the demo does not say (DemoClass.data_code_steps).  Thread: any thread. */
const char *demo_code_steps(const DemoClass *demo, size_t line);
/* The Python of demo with params, line for line with demo_code(); sets
 * *n (0 and NULL when none).  Thread: any thread. */
const char *const *demo_python(const DemoClass *demo, const int64_t *params, size_t *n);

/* The declared result field called name, or NULL.  Thread: any thread. */
const DemoResultField *demo_result_field(const DemoClass *demo, const char *name);

/* The unit of result field name of demo (DEMO_UNIT_COUNT when not
 * declared).  Thread: any thread. */
DemoUnit demo_result_unit(const DemoClass *demo, const char *name);

/* The name of a unit for machines ("count", "ns", "steps", "per_s",
 * "permille"); a time
 * is "steps" in a step or replay run.  Thread: any thread. */
const char *demo_unit_name(DemoUnit unit, bool stepping);

/*
 * Format value of unit for people into buf: "1234", "1.25 ms", "830 us",
 * "12 steps", "812k/s", "1.95x".  stepping: the run was a step or replay run (times
 * are steps).  Thread: any thread.
 */
void demo_unit_format(DemoUnit unit, int64_t value, bool stepping, char *buf, size_t len);

#endif /* INTERLEAVE_CORE_DEMO_CLASS_H */
