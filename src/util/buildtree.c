/*
 * buildtree.c - the running program: built here, or installed (see
 * buildtree.h).  The program's own path comes from /proc/self/exe (Linux,
 * proc(5)); the build directory is compared after realpath(3), so a
 * symlinked checkout still counts.
 */
#include "config.h"

#include "util/buildtree.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool buildtree_running(void)
{
#ifdef INTERLEAVE_BUILDDIR
    char exe[PATH_MAX], *build, *slash;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    bool same;

    if (n <= 0) {
        return false;
    }
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (slash == NULL) {
        return false;
    }
    *slash = '\0';
    build = realpath(INTERLEAVE_BUILDDIR, NULL);
    same = build != NULL && strcmp(build, exe) == 0;
    free(build);
    return same;
#else
    return false;
#endif
}

const char *buildtree_pick(const char *checkout, const char *installed)
{
    struct stat st;

    if (buildtree_running() && stat(checkout, &st) == 0 && S_ISDIR(st.st_mode)) {
        return checkout;
    }
    return installed;
}
