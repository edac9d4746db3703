/*
 * statedir.c - the state directory and atomic writes (see statedir.h).
 */
#include "config.h"

#include "util/statedir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/strbuf.h"

/* Write a message into why (when not NULL) and return code. */
static int statedir_why(char *why, size_t whylen, int code, const char *fmt, ...)
    ATTR_FORMAT(printf, 4, 5);

static int statedir_why(char *why, size_t whylen, int code, const char *fmt, ...)
{
    if (why != NULL && whylen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
    }
    return code;
}

int statedir_path(const char *sub, char **path, char *why, size_t whylen)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    StrBuf b;

    strbuf_init(&b);
    if (state != NULL && state[0] == '/') {
        strbuf_addf(&b, "%s/interleave", state);
    } else if (home != NULL && home[0] == '/') {
        strbuf_addf(&b, "%s/.local/state/interleave", home);
    } else {
        return statedir_why(why, whylen, -ENOENT,
                            "no state directory: neither XDG_STATE_HOME nor HOME is an "
                            "absolute path");
    }
    if (sub != NULL) {
        strbuf_addf(&b, "/%s", sub);
    }
    if (b.failed) {
        strbuf_fini(&b);
        return statedir_why(why, whylen, -ENOMEM, "state directory: out of memory");
    }
    *path = b.s;
    return 0;
}

int statedir_mkdirs(const char *dir, char *why, size_t whylen)
{
    char *path = strdup(dir);
    int rc = 0;

    if (path == NULL) {
        return statedir_why(why, whylen, -ENOMEM, "%s: out of memory", dir);
    }
    for (char *s = path + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char saved = *s;
            struct stat st;
            *s = '\0';
            if (mkdir(path, 0700) < 0 && errno != EEXIST) {
                rc = statedir_why(why, whylen, -errno, "cannot make %s: %s", path, strerror(errno));
                break;
            }
            if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
                rc = statedir_why(why, whylen, -ENOTDIR, "cannot make %s: %s", path,
                                  strerror(ENOTDIR));
                break;
            }
            *s = saved;
            if (saved == '\0') {
                break;
            }
        }
    }
    free(path);
    return rc;
}

int statedir_make(const char *sub, char **path, char *why, size_t whylen)
{
    int rc = statedir_path(sub, path, why, whylen);
    if (rc < 0) {
        return rc;
    }
    rc = statedir_mkdirs(*path, why, whylen);
    if (rc < 0) {
        free(*path);
        *path = NULL;
    }
    return rc;
}

/* The directory part of path ("." when there is none), malloc'd. */
static char *statedir_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        return strdup(".");
    }
    if (slash == path) {
        return strdup("/");
    }
    return strndup(path, (size_t)(slash - path));
}

/* Bytes in memory, as a StatedirFill. */
typedef struct StatedirData {
    const char *data;
    size_t len;
} StatedirData;

static int statedir_fill_data(void *ctx, int fd)
{
    const StatedirData *d = ctx;
    return file_write_all(fd, d->data, d->len);
}

/* Fill a new temporary file in dir; *tmp is its malloc'd name.  Its mode
 * is 0600 (mkostemp(3)): every file of the state directory is private. */
static int statedir_write_tmp(const char *dir, StatedirFill fill, void *ctx, char **tmp, char *why,
                              size_t whylen)
{
    StrBuf b;
    int fd, rc;

    strbuf_init(&b);
    strbuf_addf(&b, "%s/.interleave-tmp.XXXXXX", dir);
    if (b.failed) {
        strbuf_fini(&b);
        return statedir_why(why, whylen, -ENOMEM, "%s: out of memory", dir);
    }
    fd = mkostemp(b.s, O_CLOEXEC); /* mode 0600 */
    if (fd < 0) {
        rc = -errno;
        statedir_why(why, whylen, rc, "cannot write in %s: %s", dir, strerror(-rc));
        strbuf_fini(&b);
        return rc;
    }
    rc = fill(ctx, fd);
    if (rc > 0) {
        rc = -EIO; /* a fill function must return 0 or a negative errno */
    }
    if (rc == 0 && fsync(fd) < 0) {
        rc = -errno;
    }
    if (close(fd) < 0 && rc == 0) {
        rc = -errno;
    }
    if (rc < 0) {
        statedir_why(why, whylen, rc, "cannot write in %s: %s", dir, strerror(-rc));
        unlink(b.s);
        strbuf_fini(&b);
        return rc;
    }
    *tmp = b.s;
    return 0;
}

/* fsync a directory, so that a rename or link in it is durable. */
static void statedir_sync_dir(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
}

int statedir_write(const char *path, const char *data, size_t len, char *why, size_t whylen)
{
    char *dir = statedir_dirname(path), *tmp = NULL;
    StatedirData d = {data, len};
    int rc;

    if (dir == NULL) {
        return statedir_why(why, whylen, -ENOMEM, "%s: out of memory", path);
    }
    rc = statedir_write_tmp(dir, statedir_fill_data, &d, &tmp, why, whylen);
    if (rc == 0 && rename(tmp, path) < 0) {
        rc = -errno;
        statedir_why(why, whylen, rc, "cannot write %s: %s", path, strerror(-rc));
        unlink(tmp);
    }
    if (rc == 0) {
        statedir_sync_dir(dir);
    }
    free(tmp);
    free(dir);
    return rc;
}

int statedir_write_new(const char *dir, const char *stem, const char *suffix, const char *data,
                       size_t len, char **path, char *why, size_t whylen)
{
    StatedirData d = {data, len};
    return statedir_write_new_fill(dir, stem, suffix, statedir_fill_data, &d, path, why, whylen);
}

int statedir_write_new_fill(const char *dir, const char *stem, const char *suffix,
                            StatedirFill fill, void *ctx, char **path, char *why, size_t whylen)
{
    char *tmp = NULL;
    StrBuf name;
    int rc = statedir_write_tmp(dir, fill, ctx, &tmp, why, whylen);

    if (rc < 0) {
        return rc;
    }
    strbuf_init(&name);
    rc = -EEXIST;
    for (int i = 1; i < 10000; i++) {
        name.len = 0;
        strbuf_addf(&name, "%s/%s-%d%s", dir, stem, i, suffix);
        if (name.failed) {
            rc = -ENOMEM;
            break;
        }
        if (link(tmp, name.s) == 0) {
            rc = 0;
            break;
        }
        if (errno != EEXIST) {
            rc = -errno;
            break;
        }
    }
    unlink(tmp);
    free(tmp);
    if (rc < 0) {
        statedir_why(why, whylen, rc, "cannot save in %s: %s", dir,
                     rc == -EEXIST ? "every name is taken" : strerror(-rc));
        strbuf_fini(&name);
        return rc;
    }
    statedir_sync_dir(dir);
    *path = name.s;
    return 0;
}
