/*
 * ui.h - the terminal UI's entry point.
 */
#ifndef INTERLEAVE_UI_UI_H
#define INTERLEAVE_UI_UI_H

#include <stdio.h>

/* Run the TUI with the command line (argv[0] is the program).  Options:
 * --lesson NAME, --max-ticks N, --help.  Returns an exit code: 0, 2 for a
 * usage error or no terminal, 70 for an internal error, 128 + signal
 * when SIGINT, SIGTERM or SIGHUP ended it.  Thread: main thread. */
int ui_main(int argc, char **argv);

/* Print the TUI's options to out.  Thread: main thread. */
void ui_usage(FILE *out);

#endif /* INTERLEAVE_UI_UI_H */
