/*
 * draw.h - writing text into the screen model (a Grid), no curses.
 *
 * DESIGN
 * Every screen draws into one Grid per frame; crt.c copies the grid to
 * curses.  A Grid cell holds one byte, so text with non-ASCII characters
 * (lesson text is UTF-8) is stored as a byte >= 0x80 that indexes a small
 * table of interned UTF-8 glyphs (each one column wide).  In ASCII mode
 * (no UTF-8 locale, TERM=vt100) common characters are transliterated
 * instead ("—" -> '-', "→" -> '>') and the rest become '?'.
 *
 * Cell bytes 1..31 are symbolic glyphs (DRAW_ARROW, ...) that crt.c maps
 * to Unicode or ASCII.  Styles beyond CellStyle are the UI's own
 * (UiStyle), kept in the same uint8_t.
 *
 * Thread: UI thread only.
 */
#ifndef INTERLEAVE_VIEW_DRAW_H
#define INTERLEAVE_VIEW_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compiler.h"
#include "util/grid.h"

/* The UI's styles, after the grid's CellStyle values. */
typedef enum UiStyle {
    UI_TITLE = STYLE_COUNT, /* title bar */
    UI_HEADING,             /* panel headings */
    UI_KEY,                 /* a key name in the key bar */
    UI_KEYBAR,              /* key bar text */
    UI_SELECTED,            /* selected row */
    UI_ERROR,               /* error messages, refusals */
    UI_GOOD,                /* good news: completed, no updates lost */
    UI_MARKER,              /* a lane's marker in the code panel */
    UI_CODE,                /* pseudo-code */
    UI_BANNER,              /* a verdict banner: deadlock, livelock, ... */
    UI_WARN_BANNER,         /* a warning banner: starvation */
    UI_CYCLE,               /* the edges of a wait-for cycle */
    UI_ACCENT_0,            /* colour slots for a demo's own waits and panels */
    UI_ACCENT_1,            /*   (view.h: WaitClass.accent); the themes give */
    UI_ACCENT_2,            /*   each its own colour, and bold or dim without */
    UI_ACCENT_3,
    UI_STYLE_COUNT
} UiStyle;

/* Symbolic glyphs (cell bytes below 32). */
enum {
    DRAW_ARROW = 1,  /* → or > */
    DRAW_HLINE = 2,  /* ─ or - */
    DRAW_VLINE = 3,  /* │ or | */
    DRAW_BULLET = 4, /* ▸ or * */
    DRAW_GLYPH_COUNT
};

/* The UTF-8 text of an interned cell byte (>= 0x80); "?" if unknown.
 * Borrowed, valid for the life of the process (the table only grows). */
const char *draw_ext_glyph(unsigned char b);

/*
 * Put one glyph at (x, y): the one-column UTF-8 character utf8 in a grid
 * that takes UTF-8 (Grid.utf8), else (or when utf8 is NULL or cannot be
 * interned) the ASCII stand-in ascii.  Outside the grid does nothing.
 */
void draw_glyph(Grid *g, int x, int y, const char *utf8, char ascii, int style);

/*
 * Write UTF-8 text s (at most nbytes bytes, or to the NUL when nbytes is
 * (size_t)-1) at (x, y), clipped to maxw columns and the grid.  Control
 * characters become spaces.  Returns the columns written.
 */
int draw_text(Grid *g, int x, int y, int maxw, const char *s, size_t nbytes, int style);

/*
 * Write text s at (x, y) in at most maxw columns: whole when it fits, else
 * cut after the last whole word that leaves room for an ellipsis ("…", or
 * "..." in an ASCII grid), never mid-word unless a single word is wider
 * than the room.  Returns the columns written.
 */
int draw_text_fit(Grid *g, int x, int y, int maxw, const char *s, int style);

/*
 * Write text s at (x, y) in at most maxw columns (and the grid): whole when
 * it fits, else its end: an ellipsis ("…", "..." in an ASCII grid) and the
 * longest tail of whole words that fits after it (the latest steps of a
 * long schedule).  Returns the columns written.
 */
int draw_text_fit_tail(Grid *g, int x, int y, int maxw, const char *s, int style);

/*
 * Write s[0..nbytes) (to the NUL when nbytes is (size_t)-1) at (x, y) in at
 * most maxw columns (and the grid) like draw_text, but a line that does not
 * fit says so: its last column shows a dim "…" (">" in an ASCII grid).  For
 * lines that must not be wrapped (code).  Returns the columns written.
 */
int draw_text_mark(Grid *g, int x, int y, int maxw, const char *s, size_t nbytes, int style);

/*
 * Lay text s out from row y in lines of at most w columns, broken after a
 * space where possible, in at most maxrows lines; when s needs more, the
 * last line ends with an ellipsis (as draw_text_fit).  With g NULL nothing
 * is drawn and the lines are only counted.  Returns the lines taken
 * (1..maxrows; 1 for an empty s).
 */
int draw_text_lines(Grid *g, int x, int y, int w, int maxrows, const char *s, int style);

/* One part of a status line (draw_parts). */
typedef struct DrawPart {
    const char *text; /* "" or NULL = nothing */
    int style;
    int prio; /* higher stays longer */
} DrawPart;

/*
 * Write parts[0..n) on row y from x, in order, two spaces apart, in at most
 * w columns.  A part is never cut: when they do not all fit, the part of
 * lowest prio (the last of equals) is left out, then the next, until the
 * rest fit.  Returns the columns written.
 */
int draw_parts(Grid *g, int x, int y, int w, const DrawPart *parts, size_t n);

/*
 * A box of w x h cells at (x, y): its inside blanked in style STYLE_TEXT,
 * its whole border (corners "┌┐└┘", or '+' in an ASCII grid, and lines)
 * in style.
 */
void draw_box(Grid *g, int x, int y, int w, int h, int style);

/* printf into the grid in at most maxw columns, as draw_text_fit: a line
 * too long loses whole words and ends with an ellipsis, so a figure is
 * never cut into another ("done 1" for done 12).  Returns columns. */
int draw_textf(Grid *g, int x, int y, int maxw, int style, const char *fmt, ...)
    ATTR_FORMAT(printf, 6, 7);

/* Columns UTF-8 text takes (one per character). */
int draw_width(const char *s, size_t nbytes);

/* Fill a rectangle with blanks of style. */
void draw_fill(Grid *g, int x, int y, int w, int h, int style);

/* A horizontal line of w cells. */
void draw_hline(Grid *g, int x, int y, int w, int style);

/* A vertical line of h cells. */
void draw_vline(Grid *g, int x, int y, int h, int style);

/*
 * Lay lesson text out in lines of at most width columns: paragraphs
 * (consecutive plain lines) are joined and wrapped; blank lines, indented
 * lines (code) and list items ("- ", "* ", "1. ") keep their own lines,
 * list items wrapping with a hanging indent.  Calls line(arg, text, nbytes,
 * indent) for each laid-out line.  Returns the number of lines.
 */
typedef void (*DrawLineFn)(void *arg, const char *text, size_t nbytes, int indent);
int draw_wrap(const char *text, int width, DrawLineFn line, void *arg);

#endif /* INTERLEAVE_VIEW_DRAW_H */
