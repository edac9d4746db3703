/*
 * keys.c - the key table and what is generated from it (see keys.h).
 *
 * Lanes are granted with the upper-case letter of their name (A, B, ...),
 * which is also how they are written in a schedule, so the keys a student
 * presses read as the schedule string on screen.  Commands are lower case
 * or symbols and never collide with lane keys.  Lanes past Z (AA, AB, ...)
 * are stepped by typing a schedule with the load key.
 *
 * The quiz (KEYS_QUIZ) is a mode with its own rows: Tab opens it from the
 * lesson screen and closes it again, and inside it only its own keys, help
 * and quit apply.
 */
#include "config.h"

#include "ui/keys.h"

#include <stdio.h>
#include <string.h>

#include "ui/crt.h"
#include "view/draw.h"

const KeyBinding keys_table[] = {
    {CRT_KEY_UP, 0, "Up", NULL, "move up / scroll the page text", ACT_UP, KEYS_ALL},
    {'k', 0, "k", NULL, "move up", ACT_UP, KEYS_BROWSER},
    {CRT_KEY_DOWN, 0, "Down", NULL, "move down / scroll the page text", ACT_DOWN, KEYS_ALL},
    {'j', 0, "j", NULL, "move down", ACT_DOWN, KEYS_BROWSER},
    {CRT_KEY_ENTER, 0, "Enter", "open", "open the selected lesson", ACT_OPEN, KEYS_BROWSER},
    {'n', 0, "n", "next", "next page", ACT_NEXT_PAGE, KEYS_LESSON},
    {CRT_KEY_PGDN, 0, "PgDn", NULL, "next page", ACT_NEXT_PAGE, KEYS_LESSON},
    {'p', 0, "p", "prev", "previous page", ACT_PREV_PAGE, KEYS_LESSON},
    {CRT_KEY_PGUP, 0, "PgUp", NULL, "previous page", ACT_PREV_PAGE, KEYS_LESSON},
    {'\t', 0, "Tab", "quiz", "questions and challenges: answer them, see your answers", ACT_QUIZ,
     KEYS_LESSON},
    {'g', 0, "g", NULL, "load the page's [run 1]", ACT_PAGE_RUN, KEYS_LESSON},
    {'1', '9', "1-9", NULL, "load the page's [run N]", ACT_PAGE_RUN, KEYS_LESSON},
    {' ', 0, "space", "run/pause", "run / pause (SIGSTOP) / resume", ACT_RUN_PAUSE, KEYS_FREE},
    {'s', 0, "s", "slow", "slow motion: 0, 200us, 2ms, 20ms a step", ACT_SLOW, KEYS_FREE},
    {'m', 0, "m", "mode", "free runs / step mode (you schedule)", ACT_STEP_MODE, KEYS_LESSON},
    {'A', 'Z', "A-Z", "step lane", "give that lane one step (if it can move)", ACT_LANE, KEYS_STEP},
    {'u', 0, "u", "undo", "undo the last step", ACT_UNDO, KEYS_STEP},
    {'c', 0, "c", NULL, "finish the run round-robin", ACT_CONTINUE, KEYS_STEP},
    {'w', 0, "w", "save", "save the schedule to a file", ACT_SAVE, KEYS_STEP},
    {'l', 0, "l", "load", "load or type a schedule (the last one is filled in), replay it",
     ACT_LOAD, KEYS_LESSON},
    {'r', 0, "r", "reset", "reset: a new run, same settings", ACT_RESET, KEYS_LESSON},
    {'e', 0, "e", "params", "parameters, variant; step mode replays your steps on them", ACT_PARAMS,
     KEYS_LESSON},
    {'+', 0, "+", NULL, "timeline: zoom in", ACT_ZOOM_IN, KEYS_LESSON},
    {'=', 0, "=", NULL, "timeline: zoom in", ACT_ZOOM_IN, KEYS_LESSON},
    {'-', 0, "-", NULL, "timeline: zoom out", ACT_ZOOM_OUT, KEYS_LESSON},
    {CRT_KEY_LEFT, 0, "Left", NULL, "timeline: scroll back in time", ACT_SCROLL_LEFT, KEYS_LESSON},
    {CRT_KEY_RIGHT, 0, "Right", NULL, "timeline: scroll forward in time", ACT_SCROLL_RIGHT,
     KEYS_LESSON},
    {'f', 0, "f", NULL, "timeline: follow the run again", ACT_FOLLOW, KEYS_LESSON},
    {'x', 0, "x", NULL, "write the run as a Chrome trace file (Perfetto)", ACT_EXPORT, KEYS_LESSON},
    {'y', 0, "y", NULL, "code panel: the Python of the course / the pseudo-code", ACT_PYTHON,
     KEYS_LESSON},
    {'v', 0, "v", "layout", "presenter layout for a projector (big timeline, big banner) / back",
     ACT_PRESENT, KEYS_LESSON},
    {'[', 0, "[", NULL, "timeline: show earlier lanes (when they do not all fit)", ACT_LANES_UP,
     KEYS_LESSON},
    {']', 0, "]", NULL, "timeline: show later lanes", ACT_LANES_DOWN, KEYS_LESSON},
    {':', 0, ":", NULL, "step lanes by name, past Z too: AA, AB3, A* (the run goes on)",
     ACT_STEP_NAMED, KEYS_STEP},
    {CRT_KEY_F5, 0, "F5", NULL, "read the lesson files again (after editing one)", ACT_RELOAD,
     KEYS_ALL},
    {0x12, 0, "^R", NULL, "read the lesson files again (after editing one)", ACT_RELOAD, KEYS_ALL},
    {'o', 0, "o", NULL, "outcomes: explore every schedule (2 preemptions), pick one to replay",
     ACT_EXPLORE, KEYS_LESSON},
    {'d', 0, "d", NULL, "code: show / hide the steps of the lines the lanes stand on", ACT_EXPAND,
     KEYS_LESSON},
    /* the explorer's outcomes */
    {CRT_KEY_UP, 0, "Up", NULL, "previous outcome", ACT_UP, KEYS_EXPLORE},
    {CRT_KEY_DOWN, 0, "Down", NULL, "next outcome", ACT_DOWN, KEYS_EXPLORE},
    {CRT_KEY_ENTER, 0, "Enter", "replay", "replay the outcome's shortest schedule, then step on",
     ACT_OPEN, KEYS_EXPLORE},
    {'o', 0, "o", "close", "back to the lesson", ACT_EXPLORE, KEYS_EXPLORE},
    {CRT_KEY_ESC, 0, "Esc", NULL, "back to the lesson", ACT_EXPLORE, KEYS_EXPLORE},
    /* the quiz mode */
    {'1', '9', "1-9", "choose", "answer with that choice", ACT_CHOICE, KEYS_QUIZ},
    {CRT_KEY_ENTER, 0, "Enter", "answer", "type an answer; a challenge: start it, you step",
     ACT_ANSWER, KEYS_QUIZ},
    {'l', 0, "l", "schedule", "a challenge: type a schedule and replay it", ACT_CHALLENGE_SCHEDULE,
     KEYS_QUIZ},
    {CRT_KEY_UP, 0, "Up", NULL, "previous question or challenge", ACT_UP, KEYS_QUIZ},
    {CRT_KEY_DOWN, 0, "Down", NULL, "next question or challenge", ACT_DOWN, KEYS_QUIZ},
    {'\t', 0, "Tab", "close", "back to the lesson", ACT_QUIZ, KEYS_QUIZ},
    {CRT_KEY_ESC, 0, "Esc", NULL, "back to the lesson", ACT_QUIZ, KEYS_QUIZ},
    {'?', 0, "?", "help", "show / hide this help", ACT_HELP, KEYS_EVERYWHERE},
    {CRT_KEY_F1, 0, "F1", NULL, "show / hide this help", ACT_HELP, KEYS_EVERYWHERE},
    {CRT_KEY_ESC, 0, "Esc", "lessons", "back to the lesson list", ACT_BACK, KEYS_LESSON},
    {CRT_KEY_BACKSPACE, 0, "Bksp", NULL, "back to the lesson list", ACT_BACK, KEYS_LESSON},
    {'q', 0, "q", "quit", "quit (Ctrl-C too); the terminal is restored", ACT_QUIT, KEYS_EVERYWHERE},
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

/* Help and quit are always in the bar: a student who sees nothing else
 * can still find every key and leave. */
static bool keys_essential(const KeyBinding *b)
{
    return b->action == ACT_HELP || b->action == ACT_QUIT;
}

static int keys_bar_width(const KeyBinding *b)
{
    return draw_width(b->name, (size_t)-1) + 1 + draw_width(b->bar, (size_t)-1) + 2;
}

static int keys_bar_item(Grid *grid, int x, int y, const KeyBinding *b)
{
    x += draw_text(grid, x, y, grid->w - x, b->name, (size_t)-1, UI_KEY);
    x += 1;
    x += draw_text(grid, x, y, grid->w - x, b->bar, (size_t)-1, UI_KEYBAR);
    return x + 2;
}

void keys_draw_bar(Grid *grid, int y, unsigned scope)
{
    int x = 0, reserve = 0;

    draw_fill(grid, 0, y, grid->w, 1, UI_KEYBAR);
    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        if ((b->scope & scope) != 0 && b->bar != NULL && keys_essential(b)) {
            reserve += keys_bar_width(b);
        }
    }
    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        if ((b->scope & scope) == 0 || b->bar == NULL || keys_essential(b)) {
            continue;
        }
        if (x + keys_bar_width(b) - 2 > grid->w - reserve) {
            break;
        }
        x = keys_bar_item(grid, x, y, b);
    }
    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        if ((b->scope & scope) != 0 && b->bar != NULL && keys_essential(b)) {
            x = keys_bar_item(grid, x, y, b);
        }
    }
}

void keys_draw_bar_only(Grid *grid, int y, unsigned scope, const KeyAction *actions, size_t n)
{
    int x = 0;

    draw_fill(grid, 0, y, grid->w, 1, UI_KEYBAR);
    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        bool want = false;
        for (size_t i = 0; i < n && !want; i++) {
            want = b->action == actions[i];
        }
        if ((b->scope & scope) == 0 || b->bar == NULL || !want) {
            continue;
        }
        if (x + keys_bar_width(b) - 2 > grid->w) {
            break;
        }
        x = keys_bar_item(grid, x, y, b);
    }
}

/* True when an earlier binding in scope has the same action and help: the
 * help shows them on one line ("n PgDn"). */
static bool keys_is_repeat(const KeyBinding *b, unsigned scope)
{
    for (const KeyBinding *e = keys_table; e < b; e++) {
        if ((e->scope & scope) != 0 && e->action == b->action && strcmp(e->help, b->help) == 0) {
            return true;
        }
    }
    return false;
}

/* "n PgDn": every key of b's line. */
static void keys_names(const KeyBinding *b, unsigned scope, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (const KeyBinding *e = b; e->name != NULL; e++) {
        if ((e->scope & scope) != 0 && e->action == b->action && strcmp(e->help, b->help) == 0) {
            n +=
                (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n > 0 ? " " : "", e->name);
        }
    }
}

/* The help's key column: the widest list of names ("Esc Bksp"), a gap. */
static int keys_help_namew(unsigned scope)
{
    int w = 4;
    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        char names[64];
        int n;
        if ((b->scope & scope) == 0 || keys_is_repeat(b, scope)) {
            continue;
        }
        keys_names(b, scope, names, sizeof(names));
        n = draw_width(names, (size_t)-1);
        w = n > w ? n : w;
    }
    return w + 2;
}

/* Where the help's notes go (draw_wrap's lines). */
typedef struct KeysNoteRows {
    Grid *g; /* NULL: count only */
    int y, w;
} KeysNoteRows;

static void keys_note_row(void *arg, const char *text, size_t n, int indent)
{
    KeysNoteRows *nr = arg;
    if (nr->g != NULL) {
        draw_text(nr->g, indent, nr->y, nr->w - indent, text, n, STYLE_DIM);
    }
    nr->y++;
}

/*
 * Lay the help out in g (NULL: only count) cw columns wide: the keys in
 * cols columns of descriptions descw wide, then the notes.  Returns the
 * rows it takes.
 */
static int keys_help_lay(Grid *g, unsigned scope, const char *const *extra, int cw, int cols,
                         int namew)
{
    int colw = (cw - (cols - 1) * 2) / cols, descw = colw - namew;
    int total = 0, split = 0, best, rows = 0, y, x, nitems = 0, k = 0;

    /* the keys: where the second column starts so that the taller one is
     * as short as it can be */
    for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
        if ((b->scope & scope) != 0 && !keys_is_repeat(b, scope)) {
            total += draw_text_lines(NULL, 0, 0, descw, 4, b->help, STYLE_TEXT);
            nitems++;
        }
    }
    best = total;
    split = nitems;
    if (cols == 2) {
        int left = 0;
        for (const KeyBinding *b = keys_table; b->name != NULL; b++) {
            if ((b->scope & scope) == 0 || keys_is_repeat(b, scope)) {
                continue;
            }
            left += draw_text_lines(NULL, 0, 0, descw, 4, b->help, STYLE_TEXT);
            k++;
            if ((left > total - left ? left : total - left) < best) {
                best = left > total - left ? left : total - left;
                split = k;
            }
        }
    }
    rows = best;
    k = 0;
    y = 0;
    x = 0;
    for (const KeyBinding *b = keys_table; g != NULL && b->name != NULL; b++) {
        char names[64];
        if ((b->scope & scope) == 0 || keys_is_repeat(b, scope)) {
            continue;
        }
        if (k == split) {
            x = colw + 2;
            y = 0;
        }
        keys_names(b, scope, names, sizeof(names));
        draw_text(g, x, y, namew - 1, names, (size_t)-1, UI_KEY);
        y += draw_text_lines(g, x + namew, y, descw, 4, b->help, STYLE_TEXT);
        k++;
    }
    /* the notes after a blank row, a list item each */
    for (int i = 0; extra != NULL && extra[i] != NULL; i++) {
        KeysNoteRows nr = {g, rows + (i == 0), cw};
        char item[1024];
        snprintf(item, sizeof(item), "- %s", extra[i]);
        rows += (i == 0) + draw_wrap(item, cw, keys_note_row, &nr);
    }
    return rows;
}

int keys_draw_help(Grid *grid, unsigned scope, const char *const *extra, int *scroll)
{
    int w = grid->w - 2 < 180 ? grid->w - 2 : 180;
    int cw = w - 4, namew = keys_help_namew(scope);
    int cols, total, shown, h, x0, y0;
    Grid *lay;

    /* two columns when a description still gets 30 columns in each */
    cols = (cw - 2) / 2 - namew >= 30 ? 2 : 1;
    total = keys_help_lay(NULL, scope, extra, cw, cols, namew);
    shown = total < grid->h - 4 ? total : grid->h - 4;
    shown = shown < 1 ? 1 : shown;
    if (*scroll > total - shown) {
        *scroll = total - shown;
    }
    if (*scroll < 0) {
        *scroll = 0;
    }
    h = shown + 2;
    x0 = (grid->w - w) / 2;
    y0 = (grid->h - h) / 2;
    draw_box(grid, x0, y0, w, h, UI_HEADING);
    draw_text(grid, x0 + 2, y0, w - 4,
              shown < total ? " keys (Up/Down scroll, q quits, any other key closes this) "
                            : " keys (q quits, any other key closes this) ",
              (size_t)-1, UI_HEADING);
    /* laid out whole in a scratch grid, of which the rows from *scroll show */
    lay = grid_new(cw, total > 0 ? total : 1);
    if (lay != NULL) {
        lay->utf8 = grid->utf8;
        keys_help_lay(lay, scope, extra, cw, cols, namew);
        for (int r = 0; r < shown && *scroll + r < total; r++) {
            for (int c = 0; c < cw; c++) {
                Cell *to = grid_at(grid, x0 + 2 + c, y0 + 1 + r);
                if (to != NULL) {
                    *to = *grid_at(lay, c, *scroll + r);
                }
            }
        }
        grid_free(lay);
    }
    if (*scroll > 0) {
        draw_text(grid, x0 + 2, y0 + h - 1, w - 4, " more above (Up) ", (size_t)-1, UI_HEADING);
    }
    if (*scroll + shown < total) {
        static const char down[] = " more below (Down) ";
        draw_text(grid, x0 + w - 2 - (int)strlen(down), y0 + h - 1, (int)strlen(down), down,
                  (size_t)-1, UI_HEADING);
    }
    return shown < total ? shown : 0;
}
