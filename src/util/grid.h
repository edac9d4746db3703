/*
 * grid.h - a plain grid of character cells: the screen model.
 *
 * Timelines and other views draw into a Grid; the TUI copies it to curses,
 * the ASCII export prints it, and unit tests assert on single cells.  No
 * curses here.  A cell holds one ASCII glyph and a style (what it shows:
 * a lane state, a mark, a label), and the front end picks colours and
 * Unicode glyphs per style.
 */
#ifndef INTERLEAVE_UTIL_GRID_H
#define INTERLEAVE_UTIL_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"

typedef enum CellStyle {
    STYLE_TEXT = 0,     /* plain text */
    STYLE_NEW = 1,      /* lane not started */
    STYLE_RUNNING = 2,  /* lane running */
    STYLE_READY = 3,    /* lane ready, waiting for the scheduler */
    STYLE_BLOCKED = 4,  /* lane blocked (on a lock, ...) */
    STYLE_FINISHED = 5, /* lane finished */
    STYLE_MARK = 6,     /* lock acquire/release marks, operation glyphs */
    STYLE_AXIS = 7,     /* time axis and labels */
    STYLE_DIM = 8,      /* secondary text */
    STYLE_COUNT
} CellStyle;

typedef struct Cell {
    char ch;       /* ASCII glyph */
    uint8_t style; /* CellStyle */
} Cell;

typedef struct Grid {
    int w, h;
    Cell *cells; /* w * h, row-major; owned */
    bool utf8;   /* cells may hold interned UTF-8 glyphs (bytes >= 0x80, see
                  * view/draw.h); false (grid_new's default): ASCII only, as
                  * the headless exports print it */
} Grid;

/* A new ASCII grid of w x h blank cells (caller owns it; grid_free()), or
 * NULL. */
Grid *grid_new(int w, int h);

/* Free grid; grid_free(NULL) does nothing. */
void grid_free(Grid *grid);

/* Blank every cell. */
void grid_clear(Grid *grid);

/* The cell at (x, y), or NULL when outside. */
Cell *grid_at(Grid *grid, int x, int y);

/* Put one glyph; outside the grid does nothing. */
void grid_put(Grid *grid, int x, int y, char ch, CellStyle style);

/* Put a string from (x, y), clipped at the right edge.  Returns columns
 * written. */
int grid_puts(Grid *grid, int x, int y, const char *s, CellStyle style);

/* Row y as text (trailing blanks removed) into buf.  Returns its length. */
size_t grid_row_text(const Grid *grid, int y, char *buf, size_t len);

#endif /* INTERLEAVE_UTIL_GRID_H */
