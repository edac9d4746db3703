/*
 * statedir.h - where interleave keeps a user's state, and how it writes it.
 *
 * The state directory is $XDG_STATE_HOME/interleave when XDG_STATE_HOME
 * is an absolute path, else $HOME/.local/state/interleave when HOME is
 * one (the XDG Base Directory Specification: relative paths in these
 * variables are invalid and are ignored).  The progress file lives in it,
 * and saved schedules in its subdirectory "schedules".  Directories are
 * made on demand with mode 0700, parents included (mkdir -p), as the
 * specification asks, and every file is written with mode 0600 (progress,
 * saved schedules, traces: a student's own).
 *
 * Files are written atomically: the text goes to a temporary file in the
 * same directory, which is fsync'd, then rename()d over the old file (or
 * link()ed to a new name that must not exist yet), and the directory is
 * fsync'd.  After a crash at any moment the file holds the old text or the
 * new one, never a torn mix.
 *
 * Every function writes one line naming the path into why (whylen bytes,
 * UTIL_WHY_MAX is enough; may be NULL) on failure.  Thread: any thread (no shared state; the
 * environment is only read).
 */
#ifndef INTERLEAVE_UTIL_STATEDIR_H
#define INTERLEAVE_UTIL_STATEDIR_H

#include <stddef.h>

#include "core/compiler.h"
#include "util/file.h"

/*
 * The state directory, or its subdirectory sub when sub is not NULL
 * ("schedules").  Returns 0 with *path (caller owns it; free()), or
 * -ENOENT when neither XDG_STATE_HOME nor HOME is an absolute path, or
 * -ENOMEM.  Nothing is created.
 */
int statedir_path(const char *sub, char **path, char *why, size_t whylen) ATTR_WARN_UNUSED_RESULT;

/*
 * The same, and make the directory (and its parents) with mode 0700 if
 * it does not exist.  Errors as statedir_path(), plus mkdir's (-EACCES,
 * -ENOTDIR, ...).
 */
int statedir_make(const char *sub, char **path, char *why, size_t whylen) ATTR_WARN_UNUSED_RESULT;

/* mkdir -p dir, new directories with mode 0700.  0 or a negative errno. */
int statedir_mkdirs(const char *dir, char *why, size_t whylen) ATTR_WARN_UNUSED_RESULT;

/*
 * Replace the file at path with the len bytes of data, atomically (a
 * temporary file in path's directory, fsync, rename, fsync of the
 * directory).  The file gets mode 0600.  The directory must exist.
 * Returns 0 or a negative errno (-ENOSPC, -EACCES, ...); on failure the
 * old file is untouched and no temporary file is left.
 */
int statedir_write(const char *path, const char *data, size_t len, char *why,
                   size_t whylen) ATTR_WARN_UNUSED_RESULT;

/*
 * Write the len bytes of data to a new file in dir named
 * "<stem>-<N><suffix>" for the smallest N in 1..9999 not taken, atomically
 * (no other file is ever overwritten: the name is made with link(2)).
 * Returns 0 with *path (caller owns it; free()), or a negative errno
 * (-EEXIST when every name is taken).  The file gets mode 0600, like
 * every file written here: a student's saved schedules and traces are
 * theirs, as their progress is, whatever the directory's mode.
 */
int statedir_write_new(const char *dir, const char *stem, const char *suffix, const char *data,
                       size_t len, char **path, char *why, size_t whylen) ATTR_WARN_UNUSED_RESULT;

/*
 * Writes a file's contents to the open descriptor fd (a temporary file):
 * returns 0, or a negative errno (the sink's, -ENOMEM).
 */
typedef int (*StatedirFill)(void *ctx, int fd);

/*
 * statedir_write_new() for contents written as a stream: fill(ctx, fd)
 * writes them, so a file of any size (a trace of millions of events) is
 * never held in memory.  Same naming, atomicity and errors; when fill
 * fails its error is returned ("cannot write in DIR: ...") and no file is
 * left.
 */
int statedir_write_new_fill(const char *dir, const char *stem, const char *suffix,
                            StatedirFill fill, void *ctx, char **path, char *why,
                            size_t whylen) ATTR_WARN_UNUSED_RESULT;

#endif /* INTERLEAVE_UTIL_STATEDIR_H */
