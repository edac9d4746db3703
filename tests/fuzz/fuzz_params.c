/*
 * fuzz_params.c - libFuzzer harness for parameter and number parsing.
 *
 * The input is lines of "key=value" arguments.  Every demo parses them with
 * demo_params_parse(); a set that parses must give values inside each
 * parameter's range, format back to text that parses to the same values,
 * and never be accepted when a key repeats.  The strict number parsers
 * (util/num.h) see every line too and must agree with a plain re-check.
 * Build and run: make fuzz (tests/fuzz/README).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/demo_class.h"
#include "demos/demo.h"
#include "util/num.h"

#define FUZZ_MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    const char *args[FUZZ_MAX_ARGS];
    size_t nargs = 0;
    char *save = NULL;

    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    for (char *a = strtok_r(text, "\n", &save); a != NULL && nargs < FUZZ_MAX_ARGS;
         a = strtok_r(NULL, "\n", &save)) {
        int64_t v;
        double d;
        args[nargs++] = a;
        if (num_parse_i64(a, INT64_MIN, INT64_MAX, &v)) {
            /* accepted only -?[0-9]+: no blank, sign '+', hex or suffix */
            const char *c = a[0] == '-' ? a + 1 : a;
            if (*c == '\0') {
                abort();
            }
            for (; *c != '\0'; c++) {
                if (*c < '0' || *c > '9') {
                    abort();
                }
            }
        }
        if (num_parse_decimal(a, 86400, &d) && !(d >= 0 && d <= 86400)) {
            abort();
        }
    }
    for (size_t i = 0; i < demo_count(); i++) {
        const DemoClass *demo = demo_at(i);
        int64_t values[DEMO_MAX_PARAMS];
        IlError err;

        demo_params_default(demo, values);
        if (demo_params_parse(demo, args, nargs, values, &err) < 0) {
            continue;
        }
        {
            char formatted[DEMO_MAX_PARAMS][96];
            const char *fargs[DEMO_MAX_PARAMS];
            int64_t again[DEMO_MAX_PARAMS];
            for (unsigned p = 0; p < demo->nparams; p++) {
                char v[64];
                if (values[p] < demo->params[p].min || values[p] > demo->params[p].max) {
                    abort(); /* out of range, accepted */
                }
                demo_param_format(&demo->params[p], values[p], v, sizeof(v));
                snprintf(formatted[p], sizeof(formatted[p]), "%s=%s", demo->params[p].name, v);
                fargs[p] = formatted[p];
            }
            demo_params_default(demo, again);
            if (demo_params_parse(demo, fargs, demo->nparams, again, &err) < 0 ||
                memcmp(again, values, sizeof(again)) != 0) {
                abort(); /* what we print, we read */
            }
            if (demo->nparams > 0) {
                const char *twice[2] = {fargs[0], fargs[0]};
                if (demo_params_parse(demo, twice, 2, again, &err) == 0) {
                    abort(); /* a repeated key must be refused */
                }
            }
        }
    }
    free(text);
    return 0;
}
