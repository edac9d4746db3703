/*
 * prompt.c - a one-line text prompt (see prompt.h).
 */
#include "config.h"

#include "ui/prompt.h"

#include <stdio.h>
#include <string.h>

#include "ui/crt.h"
#include "view/draw.h"

void prompt_open(Prompt *p, const char *label, const char *text)
{
    p->label = label;
    snprintf(p->text, sizeof(p->text), "%s", text != NULL ? text : "");
    p->len = strlen(p->text);
    p->full = false;
}

PromptResult prompt_key(Prompt *p, int key)
{
    p->full = false;
    switch (key) {
    case CRT_KEY_ESC:
        return PROMPT_CANCEL;
    case CRT_KEY_ENTER:
        return PROMPT_ACCEPT;
    case CRT_KEY_BACKSPACE:
        if (p->len > 0) {
            p->text[--p->len] = '\0';
        }
        break;
    case 0x15: /* Ctrl-U: clear the line */
        p->len = 0;
        p->text[0] = '\0';
        break;
    default:
        if (key >= 0x20 && key < 0x7f) {
            if (p->len + 1 < sizeof(p->text)) {
                p->text[p->len++] = (char)key;
                p->text[p->len] = '\0';
            } else {
                p->full = true;
            }
        }
        break;
    }
    return PROMPT_EDITING;
}

void prompt_draw(const Prompt *p, Grid *g, int y)
{
    int W = g->w;
    int px = draw_text(g, 0, y, W, p->label, (size_t)-1, UI_HEADING);
    int len = (int)p->len;
    int off = len > W - px - 2 ? len - (W - px - 2) : 0;
    px += draw_text(g, px, y, W - px, p->text + off, (size_t)-1, STYLE_TEXT);
    grid_put(g, px, y, '_', (CellStyle)UI_SELECTED);
}
