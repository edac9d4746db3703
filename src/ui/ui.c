/*
 * ui.c - placeholder entry point of the terminal UI.
 */
#include "config.h"

#include "ui/ui.h"

#include <stdio.h>

int ui_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "interleave: the terminal UI is not built yet; try 'interleave --help'\n");
    return 2;
}
