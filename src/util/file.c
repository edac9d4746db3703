/*
 * file.c - reading a whole regular file with a limit (see file.h).
 *
 * The open uses O_NONBLOCK: open(2) on a FIFO blocks until a writer comes
 * along, and the kind of the file is known only after the open (fstat on
 * the descriptor, not stat on the name, so the file checked is the file
 * read).  Once it is known to be regular, O_NONBLOCK is cleared again; it
 * means nothing for regular files anyway.  The reader allocates for the
 * size fstat reported plus room to notice growth, and stops with -EFBIG
 * as soon as more than max bytes came in.
 */
#include "config.h"

#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/vec.h"

static const char *file_kind(mode_t mode)
{
    if (S_ISDIR(mode)) {
        return "a directory";
    }
    if (S_ISFIFO(mode)) {
        return "a FIFO";
    }
    if (S_ISCHR(mode)) {
        return "a character device";
    }
    if (S_ISBLK(mode)) {
        return "a block device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a plain file";
}

/* "a" or "an", for "a schedule file", "an answers file" */
static const char *file_article(const char *what)
{
    return strchr("aeiouAEIOU", what[0]) != NULL && what[0] != '\0' ? "an" : "a";
}

/* Write a message into why (when not NULL) and return code. */
static int file_why(char *why, size_t whylen, int code, const char *fmt, ...)
    ATTR_FORMAT(printf, 4, 5);

static int file_why(char *why, size_t whylen, int code, const char *fmt, ...)
{
    if (why != NULL && whylen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
    }
    return code;
}

int file_read(const char *path, const char *what, size_t max, char **text, size_t *len, char *why,
              size_t whylen)
{
    struct stat st;
    char *buf = NULL;
    size_t at = 0, cap = 0;
    int fd, flags, rc = 0;

    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        rc = -errno;
        return file_why(why, whylen, rc, "%s: %s", path, strerror(-rc));
    }
    if (fstat(fd, &st) < 0) {
        rc = -errno;
        close(fd);
        return file_why(why, whylen, rc, "%s: %s", path, strerror(-rc));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return file_why(why, whylen, S_ISDIR(st.st_mode) ? -EISDIR : -ENODEV,
                        "%s: is %s, not a regular %s", path, file_kind(st.st_mode), what);
    }
    flags = fcntl(fd, F_GETFL);
    if (flags >= 0) {
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
    if ((uintmax_t)st.st_size > (uintmax_t)max) {
        close(fd);
        return file_why(why, whylen, -EFBIG, "%s: larger than the %zu bytes %s %s may have", path,
                        max, file_article(what), what);
    }
    for (;;) {
        ssize_t n;
        if (at + 1 >= cap) {
            /* the size fstat gave, then more if the file grows meanwhile */
            size_t want = at == 0 ? (size_t)st.st_size + 4096 : at * 2;
            char *p = vec_grow(buf, &cap, want > max + 2 ? max + 2 : want, 1);
            if (p == NULL) {
                rc = file_why(why, whylen, -ENOMEM, "%s: out of memory", path);
                break;
            }
            buf = p;
        }
        n = read(fd, buf + at, cap - 1 - at);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = -errno;
            file_why(why, whylen, rc, "%s: %s", path, strerror(-rc));
            break;
        }
        if (n == 0) {
            break;
        }
        at += (size_t)n;
        if (at > max) {
            rc = file_why(why, whylen, -EFBIG, "%s: larger than the %zu bytes %s %s may have", path,
                          max, file_article(what), what);
            break;
        }
    }
    close(fd);
    if (rc < 0) {
        free(buf);
        return rc;
    }
    buf[at] = '\0';
    *text = buf;
    *len = at;
    return 0;
}

int file_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}
