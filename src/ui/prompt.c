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
    prompt_close(p);
    p->label = label;
    strbuf_add(&p->text, text != NULL ? text : "");
}

void prompt_close(Prompt *p)
{
    strbuf_fini(&p->text);
    strbuf_init(&p->text);
}

const char *prompt_text(const Prompt *p)
{
    return strbuf_str(&p->text);
}

PromptResult prompt_key(Prompt *p, int key)
{
    switch (key) {
    case CRT_KEY_ESC:
        return PROMPT_CANCEL;
    case CRT_KEY_ENTER:
        return PROMPT_ACCEPT;
    case CRT_KEY_BACKSPACE:
        if (p->text.len > 0) {
            p->text.s[--p->text.len] = '\0';
        }
        break;
    case 0x15: /* Ctrl-U: clear the line */
        prompt_close(p);
        break;
    default:
        if (key >= 0x20 && key < 0x7f) {
            strbuf_addf(&p->text, "%c", key);
        }
        break;
    }
    return PROMPT_EDITING;
}

void prompt_draw(const Prompt *p, Grid *g, int y)
{
    int W = g->w;
    int px = draw_text(g, 0, y, W, p->label, (size_t)-1, UI_HEADING);
    int len = (int)p->text.len;
    int off = len > W - px - 2 ? len - (W - px - 2) : 0;
    px += draw_text(g, px, y, W - px, prompt_text(p) + off, (size_t)-1, STYLE_TEXT);
    grid_put(g, px, y, '_', (CellStyle)UI_SELECTED);
}
