/*
 * crt.h - the terminal: the only module that talks to curses directly.
 *
 * crt_init() takes the terminal (curses modes, colours, timed input,
 * signal handlers, stderr redirected to a temporary file); crt_done()
 * gives it back and prints whatever was written to stderr meanwhile.
 * Every exit path calls crt_done() first: the normal one, errors, the
 * SIGINT/SIGTERM/SIGHUP shutdown (signals only set a flag that the loop
 * reads), and fatal signals (the handler restores the terminal and
 * re-raises the signal).
 *
 * Screens never call curses: they draw into a Grid (draw.h) and the loop
 * hands it to crt_blit().
 *
 * Thread: UI thread only, except crt_done_signal (async-signal context).
 */
#ifndef INTERLEAVE_UI_CRT_H
#define INTERLEAVE_UI_CRT_H

#include <stdbool.h>

#include "core/error.h"
#include "util/grid.h"

/* Keys crt_getkey() returns besides plain characters. */
enum {
    CRT_KEY_NONE = -1, /* nothing within the timeout */
    CRT_KEY_UP = 0x101,
    CRT_KEY_DOWN,
    CRT_KEY_LEFT,
    CRT_KEY_RIGHT,
    CRT_KEY_PGUP,
    CRT_KEY_PGDN,
    CRT_KEY_HOME,
    CRT_KEY_END,
    CRT_KEY_ENTER,
    CRT_KEY_BACKSPACE,
    CRT_KEY_ESC,
    CRT_KEY_F1,
    CRT_KEY_F5,
    CRT_KEY_RESIZE
};

/*
 * Take the terminal.  Colours are off when NO_COLOR is set (to anything
 * non-empty) or the terminal has none; glyphs are ASCII when the locale's
 * character set is not UTF-8, TERM starts with "vt", or INTERLEAVE_ASCII
 * is set.  Returns 0, or a negative errno with err filled (no terminal).
 */
int crt_init(IlError *err);

/* Give the terminal back and print the captured stderr.  Idempotent. */
void crt_done(void);

/* True between crt_init() and crt_done(). */
bool crt_active(void);

/* Screen size in columns and rows (after the last resize). */
void crt_size(int *cols, int *rows);

/*
 * Wait up to timeout_ms for a key and return it (a character or a
 * CRT_KEY_*), CRT_KEY_NONE on timeout.  A pending SIGWINCH is turned into
 * CRT_KEY_RESIZE after the screen was resized.
 */
int crt_getkey(int timeout_ms);

/* The signal (SIGINT, SIGTERM, SIGHUP) that asked the program to end, 0 if
 * none. */
int crt_quit_signal(void);

/* Copy grid to the screen (the grid is the whole screen) and refresh. */
void crt_blit(const Grid *grid);

/* Whether the screen uses colours / UTF-8 glyphs. */
bool crt_color(void);
bool crt_utf8(void);

#endif /* INTERLEAVE_UI_CRT_H */
