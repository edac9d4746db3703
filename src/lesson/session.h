/*
 * session.h - working through a lesson's demo: the runs, with no drawing.
 *
 * DESIGN
 * A LessonSession owns at most one Run of its demo and everything a
 * student does to runs: start a free run, pause and resume it, slow it
 * down, switch to step mode and grant steps lane by lane, undo a step
 * (replay the schedule minus its last step), load or type a schedule and
 * replay it, save the schedule, change the parameters (in step mode the
 * same steps are replayed on the new variant), load one of a page's run
 * blocks, write the run as a trace file.  Each action leaves a one-line
 * message for the student (with a tone: info, good news, an error, a dim
 * note).
 *
 * CHALLENGES.  A session can hold one of the lesson's challenges
 * (lesson/challenge.h) as its goal: its runs are then step runs of the
 * challenge's demo and parameters, and after every step, replay, undo or
 * end of a run the session judges the run with challenge_evaluate() and
 * says "goal reached: ..." the moment the goal holds (or, once the run
 * has decided it, "not reached: ..." and what the run did instead).  Steps
 * the scheduler takes after the student hands over with session_continue()
 * do not count.  Each decided run is one attempt, kept in progress
 * (progress_mark_try: the run's schedule, right or wrong).  Anything that
 * changes the demo, the parameters or the mode leaves the challenge.
 *
 * The lesson screen is one front end of it; an autopilot or a grader is
 * another.  Nothing here touches a terminal or a Grid, so Check tests
 * drive a session directly.
 *
 * Thread: the front end's main thread.
 */
#ifndef INTERLEAVE_LESSON_SESSION_H
#define INTERLEAVE_LESSON_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/demo_class.h"
#include "core/explore.h"
#include "core/run.h"
#include "core/schedule.h"
#include "lesson/challenge.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"

#define SESSION_MSG_MAX 512

/* How a session's message reads. */
typedef enum SessionTone {
    SESSION_INFO = 0,  /* what happened */
    SESSION_GOOD = 1,  /* good news: completed, nothing lost, saved */
    SESSION_ERROR = 2, /* a refusal, a failed run, bad input */
    SESSION_DIM = 3    /* nothing happened ("parameters unchanged") */
} SessionTone;

typedef struct LessonSession LessonSession;

/*
 * A session for demo (may be NULL: a lesson without a demo) under the
 * name id (a lesson id or a demo name: progress and saved file names; the
 * string is copied).  progress is borrowed and may be NULL.  Returns NULL
 * when out of memory.  Caller owns it; free with session_free().
 */
LessonSession *session_new(const DemoClass *demo, const char *id, Progress *progress);

/* Stop the run (it is killed and reaped) and free.  NULL does nothing. */
void session_free(LessonSession *s);

/*
 * Start a run: free mode (SCHED_FREE), or an interactive step run
 * (SCHED_STEP) that replays sched (may be NULL) first.  A running run is
 * stopped first.  Returns true on success; on failure the message says why.
 */
bool session_start(LessonSession *s, int mode, const Schedule *sched);

/* Stop the run, if any (it is killed and reaped). */
void session_stop(LessonSession *s);

/* Poll the run without blocking.  Returns true when the run is live (to
 * be redrawn), also after its end while what it recorded still comes in
 * (a tick takes in a bounded number of events: run_events_waiting() says
 * how many are left), and sets *ended when it ended during this call. */
bool session_tick(LessonSession *s, bool *ended);

/* Wait for the run to end (blocking; for headless drivers such as a
 * script or a grader), then report its end as session_tick() does.
 * Returns the verdict, or -1 when there is no run. */
int session_wait(LessonSession *s);

/* Free mode: start a run, or pause / resume the running one (SIGSTOP and
 * SIGCONT of its processes). */
void session_run_pause(LessonSession *s);

/* The next slow-motion pace (0, 200 us, 2 ms, 20 ms per point), for the
 * next free run. */
void session_slow(LessonSession *s);

/* Switch between free runs and step mode (a fresh step run). */
void session_toggle_mode(LessonSession *s);

/* A new run with the same settings (step mode: no step taken). */
void session_reset(LessonSession *s);

/* Step mode: grant lane one step (starting a step run if there is none);
 * a blocked or finished lane is refused, and the message says why. */
void session_step(LessonSession *s, unsigned lane);

/*
 * Step mode: send the tokens of text ("AA", "AB3 C", "~B") to the run one
 * by one, as lane keys do, stopping at the first one refused (the message
 * says why).  Lanes past Z can be stepped this way.  A step run is
 * started when there is none.
 */
void session_send(LessonSession *s, const char *text);

/* The same, for tokens that come after others: the first token of text is
 * token number first (1-based) in what the messages say ("token 3 'B':
 * lane B is blocked on mutex m held by A").  A token left over once every
 * lane has finished, or no lane can move, is refused the same way
 * ("token 4 'A': the run is over (every lane has finished)"). */
void session_send_at(LessonSession *s, const char *text, size_t first);

/* Step mode: replay the schedule minus its last step in a fresh run. */
void session_undo(LessonSession *s);

/* Step mode: no more steps from the student; the rest goes round-robin. */
void session_continue(LessonSession *s);

/* Step mode: save the schedule so far to a new file in the state
 * directory's schedules/ (its name goes to the message). */
void session_save(LessonSession *s);

/* Replay input, a schedule file's name (a path, or an existing file) or
 * schedule text, in a fresh step run. */
void session_load(LessonSession *s, const char *input);

/* Load run block r of a lesson page (demo, parameters, mode, schedule) and
 * start it. */
void session_page_run(LessonSession *s, const LessonRun *r);

/*
 * New parameters for the demo.  In step mode a fresh step run replays the
 * schedule so far on them (stopping where a lane cannot move, and saying
 * why); in free mode the run stops and the next one uses them.
 */
void session_set_params(LessonSession *s, const int64_t params[DEMO_MAX_PARAMS]);

/*
 * Take challenge ch (borrowed: it must outlive the session, or be left
 * first) as the goal: a fresh step run of its demo and parameters, which
 * replays schedule first when it is not NULL or blank (a schedule's text,
 * or a schedule file, as session_load takes), then is judged at once.
 * Returns true when the run started; on failure the message says why (a
 * challenge that does not lint clean, a malformed schedule: the challenge
 * is still taken, and the student may step).
 */
bool session_challenge_start(LessonSession *s, const LessonChallenge *ch, const char *schedule);

/* Leave the challenge (the run goes on as a plain step run). */
void session_challenge_leave(LessonSession *s);

/*
 * The lesson was read again: ch (borrowed, may be NULL) is the new copy of
 * the challenge taken.  It stays the goal when the current run still fits
 * it (same demo and parameters); else (or when ch is NULL) the challenge
 * is left.  The run is judged again at the next step.
 */
void session_challenge_rebind(LessonSession *s, const LessonChallenge *ch);

/* The challenge taken, NULL = none. */
const LessonChallenge *session_challenge(const LessonSession *s);

/*
 * How the current run stands against the challenge: CHALLENGE_PENDING,
 * CHALLENGE_REACHED or CHALLENGE_MISSED (lesson/challenge.h), or -1 when
 * there is no challenge or no run.  *msg (when msg is not NULL) gets the
 * judge's line ("goal reached: the run completed at step 6 with final 1,
 * lost 1"), borrowed until the next call that changes the session.
 */
int session_goal(const LessonSession *s, const char **msg);

/*
 * Write the current run (finished or not: its events so far) as a Chrome
 * trace-event JSON file (export/chrome.h) named after the session's id
 * and the local time, "race-20260115-143012-1.json", in the state
 * directory's traces/ (util/statedir.h), or in the current directory when
 * there is no state directory.  Written as a stream and atomically, by a
 * forked child (core/sandbox.h) from its copy of the run as it is now, so
 * the front end never waits for a long write: session_tick() (or
 * session_export_wait()) reaps it, and then the message says where the
 * trace went (session_last_export() too) or why not.  Returns 0 when the
 * writing started, or a negative errno with the message saying why
 * (-ENOENT: no run to write; -EBUSY: a trace is being written).  The
 * front end must be single-threaded when it calls this.
 */
int session_export(LessonSession *s);

/* Wait for the trace being written (headless front ends, tests).  Returns
 * 0 when it was written, -EIO when not (the message says why), -ENOENT
 * when none is being written. */
int session_export_wait(LessonSession *s);

/* Whether a trace is being written. */
bool session_exporting(const LessonSession *s);

/* Say fmt as the session's message, in tone. */
void session_say(LessonSession *s, SessionTone tone, const char *fmt, ...)
    ATTR_FORMAT(printf, 3, 4);

/*
 * The explorer (core/explore.h) over the session's demo and parameters,
 * in its own sandbox beside the session's run: every interleaving with at
 * most preemptions preemptions, and every outcome with its shortest
 * schedule.  A search already going is stopped first.  Returns true when
 * it started; the message says so, or why not.  session_tick() polls it
 * and says when it is over.
 */
bool session_explore_start(LessonSession *s, unsigned preemptions);

/* Stop the search, if one goes, and forget its result. */
void session_explore_stop(LessonSession *s);

/* The search's result, live while it goes (schedules run so far), final
 * once session_exploring() is false; NULL when there has been none. */
const ExploreResult *session_explore_result(const LessonSession *s);

/* Whether a search is going. */
bool session_exploring(const LessonSession *s);

/*
 * Load outcome k of the search's result, counting in the order the
 * report shows them (explore_report_order: failing first), into step
 * mode: a fresh step run replays its shortest schedule, and the student
 * goes on from where it ends.  Returns true when the run started; on
 * failure the message says why (no such outcome, a search still going).
 */
bool session_explore_load(LessonSession *s, size_t k);

/* Accessors.  Pointers are borrowed, valid until the next call that
 * changes the session. */
const Run *session_run(const LessonSession *s);        /* NULL = no run */
const DemoClass *session_demo(const LessonSession *s); /* NULL = none */
const int64_t *session_params(const LessonSession *s); /* DEMO_MAX_PARAMS values */
int session_mode(const LessonSession *s);              /* SCHED_FREE or SCHED_STEP */
bool session_paused(const LessonSession *s);
/* The run's clock for display (ns since its lanes started): still while it
 * is paused, its elapsed time once it is over, 0 with no run. */
uint64_t session_clock(const LessonSession *s);
uint32_t session_pace_us(const LessonSession *s); /* slow motion for the next run */
const char *session_message(const LessonSession *s);
SessionTone session_tone(const LessonSession *s);
bool session_end_good(const LessonSession *s); /* the ended run went well */
/* What a completed run shows, in the demo's words ("completed: counter 1,
 * expected 2: 1 update lost"), "" while it goes or when a verdict banner
 * says it (a deadlock, a hang). */
const char *session_end_summary(const LessonSession *s);
/* The run ended and session_tick() (or session_wait()) has reported it:
 * the message, the summary and progress are the end's. */
bool session_end_reported(const LessonSession *s);
/* No run, or it is over or ending (a step ended it): a step now would go
 * to a new run. */
bool session_run_over(const LessonSession *s);
const char *session_last_schedule(const LessonSession *s); /* of the last step run, "" */
const char *session_last_file(const LessonSession *s);     /* saved or loaded, "" */
const char *session_last_export(const LessonSession *s);   /* the last trace written, "" */
/* Changes whenever a run starts or stops: views keep per-run state. */
unsigned session_generation(const LessonSession *s);

#endif /* INTERLEAVE_LESSON_SESSION_H */
