/*
 * cli.h - the headless front end: subcommands, options, exit codes.
 *
 * Thread: main thread only.
 */
#ifndef INTERLEAVE_CLI_CLI_H
#define INTERLEAVE_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

/*
 * Documented exit codes (man/interleave.1, EXIT STATUS).  A livelock (the
 * lanes kept running, none made progress) exits with EXIT_CHECK_FAILED: it
 * is a failed verdict like a failed check, and a distinct code would not
 * tell a grader more than the report's "verdict" does; a broken invariant
 * (a lost or duplicated item) exits with it too.  A hang (every lane asleep
 * on a condition variable, none able to wake another) exits with
 * EXIT_DEADLOCK: no lane could move, as in a deadlock; the report's
 * "verdict" tells the two apart.  A starvation warning does not change the
 * exit code.
 */
enum {
    EXIT_OK = 0,           /* success (the run completed) */
    EXIT_CHECK_FAILED = 1, /* a check or verdict failed (lint errors, a livelock, a
                            * broken invariant, ...) */
    EXIT_USAGE = 2,        /* bad command line or parameter value */
    EXIT_BAD_SCHEDULE = 3, /* malformed schedule, or a step the run cannot take */
    EXIT_DEADLOCK = 4,     /* the run deadlocked or hung (step/replay: no lane could
                            * move; free: a wait-for cycle or a stall held still) */
    EXIT_RUN_FAILED = 5,   /* the run timed out or crashed */
    EXIT_INTERNAL = 70,    /* internal error */
    EXIT_WRITE_FAILED = 74 /* the output could not be written (a full disk, a
                            * closed stdout): the report is lost, so the run's
                            * own status would mislead.  74 is EX_IOERR of
                            * sysexits.h. */
};

typedef struct CliCommand {
    const char *name;
    const char *args; /* synopsis after the name */
    const char *help; /* one line */
    int (*fn)(int argc, char **argv);
} CliCommand;

/* The subcommand table (NULL-terminated by name).  */
extern const CliCommand cli_commands[];

/* Find a subcommand by name or unique prefix; NULL if none. */
const CliCommand *cli_find(const char *name);

/* Print the top-level usage to stdout. */
void cli_usage(void);

/* Print the options of `interleave run`, one or more lines each, to f. */
void cli_run_options_print(FILE *f);

/*
 * Write text to stdout and flush it.  A failed write is remembered with
 * its errno, and cli_finish() says it ("No space left on device") and
 * returns EXIT_WRITE_FAILED.  Returns true when written.
 */
bool cli_write_stdout(const char *text);

/*
 * After a command: flush stdout and turn a failed write of the output
 * (now or earlier) into one line on stderr and EXIT_WRITE_FAILED; else
 * return code.  stdout_closed: fd 1 was closed when the program started
 * (main.c gave it /dev/full, so that nothing else takes fd 1).
 */
int cli_finish(int code, bool stdout_closed);

/* The most --lessons directories a command takes. */
#define CLI_MAX_LESSON_DIRS 16

/*
 * An option --lessons DIR of command cmd ("list", "grade"; NULL for the
 * program's own options): check dir (lessonpath_check_dir) and add it to
 * dirs (*ndirs of CLI_MAX_LESSON_DIRS used).  Returns EXIT_OK, or
 * EXIT_USAGE after one line on stderr ("interleave: list: --lessons:
 * /x: No such file or directory", "...: not a directory").
 */
int cli_lessons_dir(const char *cmd, const char *dir, const char **dirs, size_t *ndirs);

/*
 * Print the problems of loading lessons (lessonpath_load: one
 * "file:line: what" or "INTERLEAVE_LESSON_PATH: dir: why" a line) to
 * stderr, each as one "interleave: ..." line.
 */
void cli_problems(const char *text);

/* Subcommands.  Each returns an exit code. */
int cli_run(int argc, char **argv);
int cli_list(int argc, char **argv);
int cli_lint(int argc, char **argv);
int cli_grade(int argc, char **argv);
int cli_explore(int argc, char **argv);

/* `interleave --script FILE --headless [--lessons DIR]...`: argv are the
 * program's (argv[0] the program).  Returns an exit code (script_cli.c). */
int cli_script(int argc, char **argv);

#endif /* INTERLEAVE_CLI_CLI_H */
