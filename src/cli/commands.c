/*
 * commands.c - the table of subcommands; usage and lookup come from it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int cli_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_usage();
    return EXIT_OK;
}

static int cli_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
    return EXIT_OK;
}

const CliCommand cli_commands[] = {
    {"run", "(DEMO | FILE.scn) [key=value ...] [options]",
     "run a demo or a scenario headless and print its results", cli_run},
    {"list", "[--lessons DIR]...", "list the demos, their parameters, and the lessons", cli_list},
    {"explore", "(DEMO [key=value ...] | FILE.scn) [options]",
     "list every outcome of a run within a preemption bound", cli_explore},
    {"lint", "FILE...", "check lesson and scenario files (file:line errors)", cli_lint},
    {"grade", "--answers FILE [options]", "grade answers to questions and challenges", cli_grade},
    {"help", "", "show this help", cli_help},
    {"version", "", "show the version", cli_version},
    {NULL, NULL, NULL, NULL},
};

const CliCommand *cli_find(const char *name)
{
    const CliCommand *found = NULL;
    size_t len = strlen(name);
    int n = 0;
    for (const CliCommand *c = cli_commands; c->name != NULL; c++) {
        if (strcmp(c->name, name) == 0) {
            return c;
        }
        if (strncmp(c->name, name, len) == 0) {
            found = c;
            n++;
        }
    }
    return n == 1 ? found : NULL;
}

void cli_usage(void)
{
    printf("usage: interleave                       open the lessons (terminal UI)\n");
    for (const CliCommand *c = cli_commands; c->name != NULL; c++) {
        char syn[80];
        snprintf(syn, sizeof(syn), "%s %s", c->name, c->args);
        printf("       interleave %-38s %s\n", syn, c->help);
    }
    printf("\nrun options:\n");
    cli_run_options_print(stdout);
    printf("\ngrade options (interleave grade --help for all):\n"
           "  --answers FILE           the answers file (interleave-answers(5))\n"
           "  --lesson NAME            grade this lesson (repeatable)\n"
           "  --lessons DIR            read lessons from DIR too (repeatable)\n"
           "  --format F               text, json, tap, junit or gradescope\n"
           "  --output FILE            write the report to FILE\n"
           "  grade exit status: 0 all passed, 1 some failed, 2 usage, 74 not written\n"
           "\nexit status: 0 ok, 1 check failed, 2 usage, 3 bad schedule, 4 deadlock,\n"
           "             5 run timed out or crashed, 70 internal error,\n"
           "             74 the output could not be written\n"
           "see interleave(1), interleave-lesson(5) and interleave-answers(5)\n");
}
