/*
 * main.c - subcommand dispatch: `interleave` alone opens the TUI, and
 * `interleave COMMAND ...` runs a headless subcommand from cli_commands[].
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ui/ui.h"

int main(int argc, char **argv)
{
    const CliCommand *cmd;

    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            cli_usage();
            printf("\n");
            ui_usage(stdout);
            return EXIT_OK;
        }
        if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
            printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return EXIT_OK;
        }
        return ui_main(argc, argv);
    }
    cmd = cli_find(argv[1]);
    if (cmd == NULL) {
        fprintf(stderr, "interleave: unknown command '%s' (try 'interleave --help')\n", argv[1]);
        return EXIT_USAGE;
    }
    return cmd->fn(argc - 1, argv + 1);
}
