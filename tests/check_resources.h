/*
 * check_resources.h - counting what a test process holds, to prove that
 * runs leave nothing behind: open descriptors and memory mappings.
 */
#ifndef INTERLEAVE_TESTS_CHECK_RESOURCES_H
#define INTERLEAVE_TESTS_CHECK_RESOURCES_H

#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Open descriptors of this process (entries of /proc/self/fd). */
static inline int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            n++;
        }
    }
    closedir(d);
    return n;
}

/* Mappings of this process (lines of /proc/self/maps); shared_only counts
 * only MAP_SHARED ones (permissions like "rw-s"), which is what an arena
 * is and what no allocator makes.  AddressSanitizer maps private memory as
 * it goes, so under it only the shared count is exact. */
static inline int count_maps(bool shared_only)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    int n = 0;

    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof(line), f) != NULL) {
        char perms[8] = "";
        if (strchr(line, '\n') == NULL) {
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n') {
            }
        }
        if (sscanf(line, "%*s %7s", perms) == 1 && (!shared_only || perms[3] == 's')) {
            n++;
        }
    }
    fclose(f);
    return n;
}

#endif /* INTERLEAVE_TESTS_CHECK_RESOURCES_H */
