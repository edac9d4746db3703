/*
 * prompt.h - a one-line text prompt at the bottom of a screen.
 *
 * The lesson screen asks for a schedule file or schedule text with it.
 * Printable keys are typed, Backspace deletes, Ctrl-U clears the line,
 * Enter accepts and Esc cancels.  The text has no length limit (a schedule
 * of thousands of steps is filled in whole); the end of it shows.
 *
 * Curses-free: it draws into a Grid.  Thread: UI thread only.
 */
#ifndef INTERLEAVE_UI_PROMPT_H
#define INTERLEAVE_UI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/grid.h"
#include "util/strbuf.h"

typedef struct Prompt {
    const char *label; /* borrowed: "schedule file or text ...: " */
    StrBuf text;       /* what was typed, any length (owned) */
} Prompt;

typedef enum PromptResult {
    PROMPT_EDITING = 0,
    PROMPT_ACCEPT = 1, /* Enter: p->text is the answer */
    PROMPT_CANCEL = 2  /* Esc */
} PromptResult;

/* Open p (zeroed, or closed) with label and the text it starts with (may
 * be NULL). */
void prompt_open(Prompt *p, const char *label, const char *text);

/* Free the text.  The prompt may be opened again. */
void prompt_close(Prompt *p);

/* What was typed (borrowed until the next key). */
const char *prompt_text(const Prompt *p);

/* Handle key (a character or CRT_KEY_*). */
PromptResult prompt_key(Prompt *p, int key);

/* Draw the prompt on row y of g, the end of the text in view, and a
 * cursor after it. */
void prompt_draw(const Prompt *p, Grid *g, int y);

#endif /* INTERLEAVE_UI_PROMPT_H */
