/*
 * script.h - demo scripts: an autopilot that runs a lesson's demo the same
 * way in every class.
 *
 * DESIGN
 * A script is a text file, one command a line (interleave-script(5)):
 *
 *   lesson race              open a lesson (or a demo's playground)
 *   page 3                   go to page 3
 *   present on               the presenter layout (off: the lesson layout)
 *   params threads=2 iterations=1
 *   mode step                a fresh step run (free: back to free runs)
 *   run                      a free run (run 2: the page's run block 2)
 *   step A B A B every 500ms steps, one token every 500 ms
 *   wait verdict 30s         until the run ends (at most 30 s)
 *   wait 2s                  a time
 *   pause / resume           stop and continue a free run's processes
 *   reset                    a new run, same settings
 *   say Watch lane A.        a message for the class
 *   key                      wait for the presenter to press a key
 *
 * The script drives a LessonSession through a ScriptHost, the front end's
 * side: the terminal UI (which draws what each step shows) or the headless
 * runner (`interleave --script FILE --headless`, which prints it).  It
 * never blocks: script_tick() does what can be done now and says when it
 * wants to be called again, so the UI keeps drawing while a script waits.
 * Each command's outcome (the lesson opened, the steps taken, the verdict
 * a wait saw with the run's figures) goes to the host's report hook, so
 * an instructor can check a script before class, and tests can too.
 *
 * Parse errors are "file:line: what is wrong"; a command that fails when
 * it runs (a refused step, a lesson that is gone) stops the script with
 * the same form.
 *
 * Thread: the front end's main thread.
 */
#ifndef INTERLEAVE_LESSON_SCRIPT_H
#define INTERLEAVE_LESSON_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/error.h"
#include "lesson/lesson.h"
#include "lesson/session.h"

#define SCRIPT_MAX_BYTES (1u << 20) /* a script file, at most */

typedef struct Script Script;

/* What a script needs from its front end.  ctx goes back to every hook. */
typedef struct ScriptHost {
    void *ctx;
    /* open lesson (or playground) name; its session is then host->session.
     * Returns 0, or -1 with err ("no lesson or demo named 'x'"). */
    int (*open)(void *ctx, const char *name, IlError *err);
    /* the session of the open lesson, NULL when none is open */
    LessonSession *(*session)(void *ctx);
    /* the open lesson (NULL for a playground) and its page; goto_page
     * returns 0 or -1 with err */
    const Lesson *(*lesson)(void *ctx);
    int (*goto_page)(void *ctx, size_t page, IlError *err);
    /* the page the lesson is on (0-based) */
    size_t (*page)(void *ctx);
    /* the presenter layout on or off; NULL = no layouts (headless) */
    void (*present)(void *ctx, bool on);
    /* a message for the class */
    void (*say)(void *ctx, const char *text);
    /* poll the session's run without blocking (the headless runner);
     * NULL when the front end polls it itself (the terminal UI's loop) */
    void (*poll)(void *ctx);
    /* what the command on line showed, one line */
    void (*report)(void *ctx, unsigned line, const char *text);
} ScriptHost;

typedef enum ScriptState {
    SCRIPT_RUNNING = 0, /* call script_tick() again (at *wake_ns at the latest) */
    SCRIPT_KEY = 1,     /* waits for a key: script_key() */
    SCRIPT_PAUSED = 2,  /* the presenter paused it: script_pause(s, false) */
    SCRIPT_DONE = 3,    /* every command ran */
    SCRIPT_FAILED = 4   /* a command failed: script_error() says where and why */
} ScriptState;

/*
 * Read and check the script at path (a regular file of at most
 * SCRIPT_MAX_BYTES).  Returns it (caller frees with script_free()), or
 * NULL with err "path:line: what is wrong" (an unknown command, a bad
 * duration, a missing argument) or the reason the file cannot be read.
 */
Script *script_load(const char *path, IlError *err) ATTR_WARN_UNUSED_RESULT;

/* Free s; NULL does nothing. */
void script_free(Script *s);

/*
 * Run what can run now, at monotonic time now_ns: commands that complete
 * at once run one after the other; a step with a pace, a wait or a key
 * stop it.  Returns the state; *wake_ns is when it wants to be called
 * again while SCRIPT_RUNNING (0 = as soon as the run moves: a verdict
 * wait).
 */
ScriptState script_tick(Script *s, const ScriptHost *host, uint64_t now_ns, uint64_t *wake_ns);

/* The presenter pressed a key: a `key` command goes on. */
void script_key(Script *s);

/* Pause (true) or resume (false) the script itself. */
void script_pause(Script *s, bool pause);

/* Skip the current wait, pace or key and go on with the next command. */
void script_skip(Script *s);

/* The state, the line of the command now (0 = done), and the failure
 * ("file:line: what went wrong", "" when none).  Borrowed. */
ScriptState script_state(const Script *s);
unsigned script_line(const Script *s);
const char *script_error(const Script *s);

/* Lines of commands in the file, and how many have run. */
size_t script_ncommands(const Script *s);
size_t script_done(const Script *s);

#endif /* INTERLEAVE_LESSON_SCRIPT_H */
