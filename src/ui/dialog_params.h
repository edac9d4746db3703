/*
 * dialog_params.h - the parameters dialog of the lesson screen.
 *
 * A centred box with one row per parameter of a demo: its name, the value
 * being edited, its range and its help.  Up/Down choose a row, Left/Right
 * step a value (numbers in a 1-2-5 series, choices in turn), digits type a
 * number, a letter picks the first choice that starts with it; Enter
 * applies, Esc cancels, q quits the program (as everywhere).  The dialog only edits a copy of the
 * values: the screen decides what applying means (a new run).
 *
 * Curses-free: it draws into a Grid.  Thread: UI thread only.
 */
#ifndef INTERLEAVE_UI_DIALOG_PARAMS_H
#define INTERLEAVE_UI_DIALOG_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/demo_class.h"
#include "util/grid.h"

typedef struct DialogParams {
    const DemoClass *demo;         /* borrowed: whose parameters */
    int sel;                       /* the selected row */
    int64_t edit[DEMO_MAX_PARAMS]; /* the values being edited */
    bool typing;                   /* a number is being typed into the row */
    char error[128];               /* why Enter was refused, "" = none */
} DialogParams;

/* What a key did to the dialog. */
typedef enum DialogResult {
    DIALOG_EDITING = 0, /* still open */
    DIALOG_APPLY = 1,   /* Enter with valid values: apply d->edit */
    DIALOG_CANCEL = 2,  /* Esc: close, nothing changes */
    DIALOG_QUIT = 3     /* q: the student leaves the program (q quits from anywhere) */
} DialogResult;

/* Open the dialog on demo's parameters with their current values. */
void dialog_params_open(DialogParams *d, const DemoClass *demo,
                        const int64_t values[DEMO_MAX_PARAMS]);

/* Handle key (a character or CRT_KEY_*). */
DialogResult dialog_params_key(DialogParams *d, int key);

/* Draw the dialog centred in g. */
void dialog_params_draw(const DialogParams *d, Grid *g);

/* The next value of p after v in direction dir (+1 or -1): choices in
 * turn, small ranges one by one, large ones in a 1-2-5 series. */
int64_t dialog_params_step(const DemoParam *p, int64_t v, int dir);

#endif /* INTERLEAVE_UI_DIALOG_PARAMS_H */
