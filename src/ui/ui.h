/*
 * ui.h - the terminal UI's entry point.
 */
#ifndef INTERLEAVE_UI_UI_H
#define INTERLEAVE_UI_UI_H

/* Run the TUI with the command line (argv[0] is the program).  Returns an
 * exit code.  Thread: main thread. */
int ui_main(int argc, char **argv);

#endif /* INTERLEAVE_UI_UI_H */
