/*
 * fuzz_scenario.c - libFuzzer harness for the scenario parser.
 *
 * The input is a scenario file's contents.  scn_parse() either returns a
 * program or fails with exactly one line that starts "fuzz.scn:LINE:COL: "
 * (or names the file, for a NUL byte or a file too large) and has no
 * newline; a program that parses builds a class (scn_demo_new), whose lane
 * count, code lines and parameters are consistent.  No crash, leak or
 * undefined behaviour on any input.  Build and run: make fuzz.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scn.h"
#include "scenario/scn_demo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    IlError err;
    ScnDemo *d = scn_demo_parse((const char *)data, size, "fuzz.scn", 1, &err);
    const DemoClass *cls;
    int64_t params[DEMO_MAX_PARAMS];
    size_t ncode = 0;

    if (d == NULL) {
        if (err.code == 0 || strchr(err.msg, '\n') != NULL ||
            strncmp(err.msg, "fuzz.scn", 8) != 0) {
            abort(); /* one line that names the file */
        }
        return 0;
    }
    cls = scn_demo_class(d);
    demo_params_default(cls, params);
    if (demo_code(cls, params, &ncode) == NULL || ncode != scn_demo_program(d)->nlines) {
        abort();
    }
    if (scn_demo_program(d)->nlanes == 0) {
        abort();
    }
    (void)demo_lanes(cls, params); /* 0 (out of range) or a count: never a crash */
    scn_demo_free(d);
    return 0;
}
