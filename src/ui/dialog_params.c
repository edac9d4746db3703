/*
 * dialog_params.c - the parameters dialog (see dialog_params.h).
 */
#include "config.h"

#include "ui/dialog_params.h"

#include <stdio.h>
#include <string.h>

#include "ui/crt.h"
#include "view/draw.h"

void dialog_params_open(DialogParams *d, const DemoClass *demo,
                        const int64_t values[DEMO_MAX_PARAMS])
{
    memset(d, 0, sizeof(*d));
    d->demo = demo;
    memcpy(d->edit, values, sizeof(d->edit));
}

int64_t dialog_params_step(const DemoParam *p, int64_t v, int dir)
{
    if (demo_param_named(p)) {
        v += dir;
        if (v < p->min) {
            v = p->max;
        }
        if (v > p->max) {
            v = p->min;
        }
        return v;
    }
    if (p->max - p->min <= 100) {
        v += dir;
    } else {
        int64_t mag = 1;
        while (mag * 10 <= v) {
            mag *= 10;
        }
        if (dir > 0) {
            v = v < 2 * mag ? 2 * mag : v < 5 * mag ? 5 * mag : 10 * mag;
        } else {
            v = v > 5 * mag   ? 5 * mag
                : v > 2 * mag ? 2 * mag
                : v > mag     ? mag
                : mag / 2 > 0 ? mag / 2
                              : 1;
        }
    }
    return v < p->min ? p->min : v > p->max ? p->max : v;
}

DialogResult dialog_params_key(DialogParams *d, int key)
{
    const DemoParam *p = &d->demo->params[d->sel];
    int64_t *v = &d->edit[d->sel];
    int n = (int)d->demo->nparams;

    d->error[0] = '\0';
    switch (key) {
    case CRT_KEY_ESC:
        return DIALOG_CANCEL;
    case 'q':
        return DIALOG_QUIT;
    case CRT_KEY_ENTER:
        if (!demo_param_named(p) && (*v < p->min || *v > p->max)) {
            char range[64];
            demo_param_range(p, range, sizeof(range));
            snprintf(d->error, sizeof(d->error), "%s must be %s", p->name, range);
            return DIALOG_EDITING;
        }
        return DIALOG_APPLY;
    case CRT_KEY_UP:
    case CRT_KEY_DOWN:
    case '\t':
        d->typing = false;
        if (!demo_param_named(p) && *v < p->min) {
            *v = p->min;
        }
        d->sel = (d->sel + (key == CRT_KEY_UP ? n - 1 : 1)) % n;
        break;
    case CRT_KEY_LEFT:
    case CRT_KEY_RIGHT:
        d->typing = false;
        *v = dialog_params_step(p, *v, key == CRT_KEY_LEFT ? -1 : 1);
        break;
    case CRT_KEY_BACKSPACE:
        if (!demo_param_named(p)) {
            *v /= 10;
            d->typing = true;
        }
        break;
    default:
        if (!demo_param_named(p) && key >= '0' && key <= '9') {
            if (!d->typing) {
                *v = 0;
                d->typing = true;
            }
            if (*v < INT64_MAX / 10 - 10) {
                *v = *v * 10 + (key - '0');
            }
        } else if (demo_param_named(p) && key >= 'a' && key <= 'z') {
            for (int64_t c = p->min; c <= p->max; c++) {
                if (demo_param_choice(p, c)[0] == key) {
                    *v = c;
                    break;
                }
            }
        }
        break;
    }
    return DIALOG_EDITING;
}

/* The description of row i: its help and its range ("lanes incrementing
 * the counter (1..64)"). */
static void dialog_params_desc(const DemoParam *p, char *buf, size_t len)
{
    char range[160];
    demo_param_range(p, range, sizeof(range));
    snprintf(buf, len, "%s (%s)", p->help, range);
}

void dialog_params_draw(const DialogParams *d, Grid *g)
{
    static const char hint[] = "Up/Down choose, Left/Right change, digits type a number, a letter "
                               "picks a choice; Enter applies (new run), Esc cancels, q quits";
    unsigned np = d->demo->nparams;
    int nw = 4, vw = 5, dw = 0, w, descw, h, x0, y0, y, hint_rows, rows = 0;
    bool wrap = true;

    /* the columns: names, values (any choice, the value being typed), and
     * the descriptions in the rest, wrapped */
    for (unsigned i = 0; i < np; i++) {
        const DemoParam *p = &d->demo->params[i];
        char buf[256];
        int len = (int)strlen(p->name);
        nw = len > nw ? len : nw;
        for (int64_t c = p->min; demo_param_named(p) && c <= p->max; c++) {
            len = draw_width(demo_param_choice(p, c), (size_t)-1);
            vw = len > vw ? len : vw;
        }
        demo_param_format(p, demo_param_named(p) ? p->min : p->max, buf, sizeof(buf));
        len = (int)strlen(buf);
        vw = len > vw ? len : vw;
        demo_param_format(p, d->edit[i], buf, sizeof(buf));
        len = (int)strlen(buf);
        vw = len > vw ? len : vw;
        dialog_params_desc(p, buf, sizeof(buf));
        len = draw_width(buf, (size_t)-1);
        dw = len > dw ? len : dw;
    }
    vw = vw > 20 ? 20 : vw;
    w = 4 + nw + 2 + vw + 2 + (dw > 24 ? dw : 24);
    w = w > 100 ? 100 : w;
    w = w > g->w - 2 ? g->w - 2 : w; /* a column of the screen either side */
    descw = w - 4 - nw - 2 - vw - 2;
    descw = descw < 8 ? 8 : descw;
    hint_rows = draw_text_lines(NULL, 0, 0, w - 4, 4, hint, STYLE_DIM);
    /* every description whole when the screen has the rows, else one row
     * each and the selected one whole */
    for (unsigned i = 0; i < np; i++) {
        char buf[256];
        dialog_params_desc(&d->demo->params[i], buf, sizeof(buf));
        rows += draw_text_lines(NULL, 0, 0, descw, 4, buf, STYLE_TEXT);
    }
    h = 2 + rows + 1 + hint_rows;
    if (h > g->h - 2) {
        char buf[256];
        wrap = false;
        dialog_params_desc(&d->demo->params[d->sel], buf, sizeof(buf));
        h = 2 + (int)np - 1 + draw_text_lines(NULL, 0, 0, descw, 4, buf, STYLE_TEXT) + 1 +
            hint_rows;
    }
    h = h > g->h ? g->h : h;
    x0 = (g->w - w) / 2;
    y0 = (g->h - h) / 2;
    draw_box(g, x0, y0, w, h, UI_HEADING);
    draw_textf(g, x0 + 2, y0, w - 4, UI_HEADING, " parameters of %s ", d->demo->name);
    y = y0 + 1;
    for (unsigned i = 0; i < np && y < y0 + h - 1; i++) {
        const DemoParam *p = &d->demo->params[i];
        char val[64], desc[256];
        bool sel = (int)i == d->sel;
        int style = sel ? UI_SELECTED : STYLE_TEXT;
        int n, xd = x0 + 2 + nw + 2 + vw + 2;
        demo_param_format(p, d->edit[i], val, sizeof(val));
        dialog_params_desc(p, desc, sizeof(desc));
        n = wrap || sel ? draw_text_lines(NULL, 0, 0, descw, 4, desc, style) : 1;
        n = y + n > y0 + h - 1 ? y0 + h - 1 - y : n;
        draw_fill(g, x0 + 1, y, w - 2, n, style);
        draw_text(g, x0 + 2, y, nw, p->name, (size_t)-1, style);
        draw_text(g, x0 + 2 + nw + 2, y, vw, val, (size_t)-1, style);
        if (n > 1) {
            draw_text_lines(g, xd, y, descw, n, desc, style);
        } else {
            draw_text_fit(g, xd, y, descw, desc, style);
        }
        y += n;
    }
    draw_text_lines(g, x0 + 2, y0 + h - 1 - hint_rows, w - 4, hint_rows, hint, STYLE_DIM);
}
