/*
 * file.h - reading a whole input file, regular files only, with a limit.
 *
 * Everything interleave reads from a path a user names (schedule files,
 * lesson files, answers files, demo scripts, the progress file) goes
 * through file_read(): the file is
 * opened without blocking (O_NONBLOCK, so a FIFO with no writer cannot
 * hang the open), refused unless it is a regular file (a directory, FIFO,
 * character device such as /dev/zero, socket or block device is an error
 * that names what it is), and read whole up to a size limit; a file larger
 * than the limit, or one that grows past it while being read, is an error,
 * never a silent cut.
 *
 * Thread: any thread (no shared state).
 */
#ifndef INTERLEAVE_UTIL_FILE_H
#define INTERLEAVE_UTIL_FILE_H

#include <stddef.h>

#include "core/compiler.h"

/* Room for the one-line messages of util/ functions (why[], below). */
#define UTIL_WHY_MAX 512

/*
 * Read the regular file at path.  On success returns 0 with *text (caller
 * owns it; free()) holding the *len bytes of the file plus a NUL after
 * them (the bytes may hold NULs of their own).  what names the kind of
 * file in messages ("schedule file", "lesson file").  Errors: -ENOENT and
 * the other open/read errnos, -EISDIR (a directory) or -ENODEV (a FIFO,
 * device or socket: anything else that is not a regular file), -EFBIG past
 * max bytes, -ENOMEM; why (whylen bytes, UTIL_WHY_MAX is enough; may be
 * NULL) then holds one line, "PATH: is a FIFO, not a regular schedule
 * file" or "PATH: larger than the 16777216 bytes a schedule file may
 * have".  *text and *len are untouched then.
 */
int file_read(const char *path, const char *what, size_t max, char **text, size_t *len, char *why,
              size_t whylen) ATTR_WARN_UNUSED_RESULT;

/*
 * Write len bytes of data to fd, going on after short writes and EINTR.
 * Returns 0 or a negative errno.
 */
int file_write_all(int fd, const char *data, size_t len) ATTR_WARN_UNUSED_RESULT;

#endif /* INTERLEAVE_UTIL_FILE_H */
