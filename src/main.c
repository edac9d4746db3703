/*
 * main.c - subcommand dispatch: `interleave` alone opens the TUI, and
 * `interleave COMMAND ...` runs a headless subcommand from cli_commands[].
 *
 * Before anything else, descriptors 0, 1 and 2 are made sure to be open:
 * a program started with one of them closed (`interleave run ... <&-`)
 * would otherwise hand that number to the next descriptor it opens (the
 * run's socket became "standard input" and step mode read its own
 * protocol).  A closed stdin reads as /dev/null, so closed input and end
 * of input are the same thing; a closed stdout gets /dev/full, so writing
 * the report fails and is reported (exit 74) instead of vanishing; a
 * closed stderr gets /dev/null.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ui/ui.h"

/* Open what fd should be if it is closed.  Returns true when it was. */
static bool main_reserve_fd(int fd, const char *path, int flags)
{
    int got;

    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) {
        return false;
    }
    got = open(path, flags);
    if (got >= 0 && got != fd) {
        /* a lower descriptor was closed too and took this open: move it */
        (void)dup2(got, fd);
        close(got);
    }
    return true;
}

int main(int argc, char **argv)
{
    const CliCommand *cmd;
    bool stdout_closed;

    (void)main_reserve_fd(0, "/dev/null", O_RDONLY);
    stdout_closed = main_reserve_fd(1, "/dev/full", O_WRONLY);
    (void)main_reserve_fd(2, "/dev/null", O_WRONLY);

    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            cli_usage();
            printf("\n");
            ui_usage(stdout);
            return cli_finish(EXIT_OK, stdout_closed);
        }
        if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
            printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return cli_finish(EXIT_OK, stdout_closed);
        }
        for (int i = 1; i < argc; i++) {
            if (strcmp(argv[i], "--headless") == 0) {
                /* a demo script without a terminal: the autopilot's twin */
                return cli_finish(cli_script(argc, argv), stdout_closed);
            }
        }
        return ui_main(argc, argv);
    }
    cmd = cli_find(argv[1]);
    if (cmd == NULL) {
        fprintf(stderr, "interleave: unknown command '%s' (try 'interleave --help')\n", argv[1]);
        return EXIT_USAGE;
    }
    return cli_finish(cmd->fn(argc - 1, argv + 1), stdout_closed);
}
