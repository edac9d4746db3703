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

void dialog_params_draw(const DialogParams *d, Grid *g)
{
    int w = 70, h = (int)d->demo->nparams + 5;
    int x0 = (g->w - w) / 2, y0 = (g->h - h) / 2;

    draw_fill(g, x0, y0, w, h, STYLE_TEXT);
    draw_hline(g, x0, y0, w, UI_HEADING);
    draw_hline(g, x0, y0 + h - 1, w, UI_HEADING);
    draw_textf(g, x0 + 2, y0, w - 4, UI_HEADING, " parameters of %s ", d->demo->name);
    for (unsigned i = 0; i < d->demo->nparams; i++) {
        const DemoParam *p = &d->demo->params[i];
        char val[64], range[64];
        int style = (int)i == d->sel ? UI_SELECTED : STYLE_TEXT;
        int y = y0 + 1 + (int)i;
        demo_param_format(p, d->edit[i], val, sizeof(val));
        demo_param_range(p, range, sizeof(range));
        draw_fill(g, x0 + 1, y, w - 2, 1, style);
        draw_textf(g, x0 + 2, y, w - 4, style, "%-11s %-9s %-20s %s", p->name, val, range, p->help);
    }
    draw_text(g, x0 + 2, y0 + h - 3, w - 4,
              "Up/Down choose, Left/Right change, digits type a number,", (size_t)-1, STYLE_DIM);
    draw_text(g, x0 + 2, y0 + h - 2, w - 4,
              "a letter picks a choice; Enter applies (new run), Esc cancels, q quits", (size_t)-1,
              STYLE_DIM);
}
