/*
 * keys.c - the key table and what is generated from it (see keys.h).
 *
 * Lanes are granted with the upper-case letter of their name (A, B, ...),
 * which is also how they are written in a schedule, so the keys a student
 * presses read as the schedule string on screen.  Commands are lower case
 * or symbols and never collide with lane keys.  Lanes past Z (AA, AB, ...)
 * are stepped by typing a schedule with the load key.
 */
#include "config.h"

#include "ui/keys.h"

#include <stdio.h>
#include <string.h>

#include "ui/crt.h"
#include "ui/draw.h"

const KeyBinding keys_table[] = {
    {CRT_KEY_UP, 0, "Up", NULL, "move up / scroll the page text up", ACT_UP, KEYS_ALL},
    {'k', 0, "k", NULL, "same as Up", ACT_UP, KEYS_BROWSER},
    {CRT_KEY_DOWN, 0, "Down", NULL, "move down / scroll the page text down", ACT_DOWN, KEYS_ALL},
    {'j', 0, "j", NULL, "same as Down", ACT_DOWN, KEYS_BROWSER},
    {CRT_KEY_ENTER, 0, "Enter", "open", "open the selected lesson", ACT_OPEN, KEYS_BROWSER},
    {'n', 0, "n", "next", "next page of the lesson", ACT_NEXT_PAGE, KEYS_LESSON},
    {CRT_KEY_PGDN, 0, "PgDn", NULL, "next page of the lesson", ACT_NEXT_PAGE, KEYS_LESSON},
    {'p', 0, "p", "prev", "previous page of the lesson", ACT_PREV_PAGE, KEYS_LESSON},
    {CRT_KEY_PGUP, 0, "PgUp", NULL, "previous page of the lesson", ACT_PREV_PAGE, KEYS_LESSON},
    {'g', 0, "g", NULL, "load the page's first demo run [run 1] (parameters, mode, schedule)",
     ACT_PAGE_RUN, KEYS_LESSON},
    {'1', '9', "1-9", NULL, "load the page's demo run [run N]", ACT_PAGE_RUN, KEYS_LESSON},
    {' ', 0, "space", "run/pause",
     "free mode: start a run / pause it (SIGSTOP) / resume it (SIGCONT)",
     ACT_RUN_PAUSE, KEYS_FREE},
    {'s', 0, "s", "slow",
     "slow motion: lanes pause 0 / 200us / 2ms / 20ms at every step of a free run",
     ACT_SLOW, KEYS_FREE},
    {'m', 0, "m", "mode", "switch between free runs and step mode (you are the scheduler)",
     ACT_STEP_MODE, KEYS_LESSON},
    {'A', 'Z', "A-Z", "step lane",
     "step mode: grant that lane one step (blocked/finished lanes are refused)", ACT_LANE,
     KEYS_STEP},
    {'u', 0, "u", "undo",
     "step mode: undo the last step (replay of the schedule minus one step)",
     ACT_UNDO, KEYS_STEP},
    {'c', 0, "c", NULL, "step mode: let the rest of the run go round-robin", ACT_CONTINUE,
     KEYS_STEP},
    {'w', 0, "w", "save", "save the schedule so far to a file", ACT_SAVE, KEYS_STEP},
    {'l', 0, "l", "load", "load a schedule file or type one; it is replayed in step mode",
     ACT_LOAD, KEYS_LESSON},
    {'r', 0, "r", "reset", "reset: stop the run and start again with the same settings",
     ACT_RESET, KEYS_LESSON},
    {'e', 0, "e", "params", "edit the parameters (threads, iterations, variant)", ACT_PARAMS,
     KEYS_LESSON},
    {'+', 0, "+", NULL, "timeline: zoom in", ACT_ZOOM_IN, KEYS_LESSON},
    {'=', 0, "=", NULL, "timeline: zoom in", ACT_ZOOM_IN, KEYS_LESSON},
    {'-', 0, "-", NULL, "timeline: zoom out", ACT_ZOOM_OUT, KEYS_LESSON},
    {CRT_KEY_LEFT, 0, "Left", NULL, "timeline: scroll back in time (stops following)",
     ACT_SCROLL_LEFT, KEYS_LESSON},
    {CRT_KEY_RIGHT, 0, "Right", NULL, "timeline: scroll forward in time", ACT_SCROLL_RIGHT,
     KEYS_LESSON},
    {'f', 0, "f", NULL, "timeline: follow the run again (newest time at the right edge)",
     ACT_FOLLOW, KEYS_LESSON},
    {'?', 0, "?", "help", "show or hide this help", ACT_HELP, KEYS_ALL},
    {CRT_KEY_F1, 0, "F1", NULL, "show or hide this help", ACT_HELP, KEYS_ALL},
    {CRT_KEY_ESC, 0, "Esc", "lessons", "back to the lesson list", ACT_BACK, KEYS_LESSON},
    {CRT_KEY_BACKSPACE, 0, "Bksp", NULL, "back to the lesson list", ACT_BACK, KEYS_LESSON},
    {'q', 0, "q", "quit", "quit (Ctrl-C works too); the terminal is restored", ACT_QUIT,
     KEYS_ALL},
    {0, 0, NULL, NULL, NULL, ACT_NONE, 0},
};

const KeyBinding *keys_find(int key, unsigned scope)
{
    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        if ((b->scope & scope) == 0) {
            continue;
        }
        if (b->key_last != 0 ? key >= b->key && key <= b->key_last : key == b->key) {
            return b;
        }
    }
    return NULL;
}

void keys_draw_bar(Grid *grid, int y, unsigned scope)
{
    int x = 0;

    draw_fill(grid, 0, y, grid->w, 1, UI_KEYBAR);
    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        int need;
        if ((b->scope & scope) == 0 || b->bar == NULL) {
            continue;
        }
        need = draw_width(b->name, (size_t)-1) + draw_width(b->bar, (size_t)-1) + 1;
        if (x + need > grid->w) {
            break;
        }
        x += draw_text(grid, x, y, grid->w - x, b->name, (size_t)-1, UI_KEY);
        x += 1;
        x += draw_text(grid, x, y, grid->w - x, b->bar, (size_t)-1, UI_KEYBAR);
        x += 2;
    }
}

void keys_draw_help(Grid *grid, unsigned scope, const char *const *extra)
{
    int n = 0, nextra = 0;
    int w = grid->w - 8 < 96 ? grid->w - 8 : 96;
    int h, x0, y0, y;

    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        n += (b->scope & scope) != 0;
    }
    while (extra != NULL && extra[nextra] != NULL) {
        nextra++;
    }
    h = n + nextra + 4;
    if (h > grid->h - 2) {
        h = grid->h - 2;
    }
    x0 = (grid->w - w) / 2;
    y0 = (grid->h - h) / 2;
    draw_fill(grid, x0, y0, w, h, STYLE_TEXT);
    draw_hline(grid, x0, y0, w, UI_HEADING);
    draw_hline(grid, x0, y0 + h - 1, w, UI_HEADING);
    draw_text(grid, x0 + 2, y0, w - 4, " keys (any key closes this) ", (size_t)-1, UI_HEADING);
    y = y0 + 1;
    for (const KeyBinding *b = keys_table; b->name != NULL && y < y0 + h - 1; b++) {
        if ((b->scope & scope) == 0) {
            continue;
        }
        draw_text(grid, x0 + 2, y, 7, b->name, (size_t)-1, UI_KEY);
        draw_text(grid, x0 + 10, y, w - 12, b->help, (size_t)-1, STYLE_TEXT);
        y++;
    }
    for (int i = 0; i < nextra && y < y0 + h - 1; i++) {
        y += i == 0;
        draw_text(grid, x0 + 2, y, w - 4, extra[i], (size_t)-1, STYLE_DIM);
        y++;
    }
}
