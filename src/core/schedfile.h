/*
 * schedfile.h - schedule files: the one reader and writer.
 *
 * A schedule file is text.  '#' starts a comment that runs to the end of
 * its line.  Before the schedule, header lines may say which run the
 * schedule belongs to, so that a saved file replays as it was saved:
 *
 *   # the lost update, by hand
 *   demo: race
 *   params: threads=2 iterations=1 variant=unsafe
 *   A B A B
 *   A B
 *
 *   demo: NAME        the demo (a name or a unique prefix), at most once
 *   params: K=V ...   its parameters, separated by spaces or commas, at
 *                     most once; each parameter at most once
 *
 * Everything else is schedule tokens (schedule.h), separated by spaces,
 * tabs, commas or line ends; lines are joined.  Both headers are optional:
 * a file of tokens alone is a schedule file too.  `interleave run`
 * uses the file's demo and parameters unless the command line gives them
 * (a parameter on the command line overrides the file's; a different demo
 * on the command line uses the file as a schedule only).
 *
 * Nothing is cut at a buffer size: lines and tokens may be of any length.
 * The one limit is the size of the whole file (SCHEDFILE_MAX), and a
 * larger file is an error.  Only regular files are read (util/file.h).
 * Errors are one line, "PATH:LINE: what is wrong".
 *
 * Thread: any thread (no shared state).
 */
#ifndef INTERLEAVE_CORE_SCHEDFILE_H
#define INTERLEAVE_CORE_SCHEDFILE_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/demo_class.h"
#include "core/error.h"
#include "core/schedule.h"
#include "util/strbuf.h"

#define SCHEDFILE_MAX (16u * 1024u * 1024u) /* bytes in a schedule file, at most */
#define SCHEDFILE_SUFFIX ".sched"

typedef struct SchedFile {
    char *path;         /* the file read, or the name given to schedfile_parse; owned */
    char *demo;         /* demo: value, NULL = not given; owned */
    unsigned demo_line; /* its line, 0 = not given */
    char **params;      /* params: words ("threads=2"), nparams of them; owned */
    size_t nparams;
    unsigned params_line; /* its line, 0 = not given */
    char *text;           /* the file with comments and headers blanked to spaces (line
                             ends kept, so token positions map to lines); owned */
    size_t len;           /* bytes of text */
} SchedFile;

/*
 * Parse the len bytes of text (a schedule file's contents; NUL bytes in
 * it are an error) into sf (initialised by this call; caller frees it with
 * schedfile_fini()).  name is used in messages.  Returns 0, or -IL_EPARSE
 * with err "NAME:LINE: ..." (a header after the schedule, an unknown or
 * repeated header, an empty value), or -ENOMEM.  On failure sf is empty.
 * The tokens are not checked here: schedfile_schedule() does, once the
 * number of lanes is known.
 */
int schedfile_parse(const char *text, size_t len, const char *name, SchedFile *sf,
                    IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * Read and parse the schedule file at path (as given; see
 * schedfile_resolve() for names).  Errors as file_read() (not a regular
 * file, larger than SCHEDFILE_MAX, cannot open) and schedfile_parse().
 */
int schedfile_read(const char *path, SchedFile *sf, IlError *err) ATTR_WARN_UNUSED_RESULT;

/* Free what sf holds and empty it.  schedfile_fini on an empty sf is fine. */
void schedfile_fini(SchedFile *sf);

/*
 * Parse sf's tokens into out (caller frees it with schedule_fini()) for a
 * run of nlanes lanes (0 = do not check lane names).  Returns 0, or
 * -IL_EPARSE with err "PATH:LINE: token 3 'A0': a step count must be
 * 1..1000000000" (the token's position counts from the start of the file),
 * or -ENOMEM.
 */
int schedfile_schedule(const SchedFile *sf, unsigned nlanes, Schedule *out,
                       IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * Apply sf's params to values for demo (demo_params_parse: a parameter
 * twice is an error).  Returns 0 or -IL_EUSAGE with err "PATH:LINE:
 * threads: must be an integer in 1..64, got 'x'"; values is changed only
 * on success.
 */
int schedfile_apply_params(const SchedFile *sf, const DemoClass *demo,
                           int64_t values[DEMO_MAX_PARAMS], IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * The program's own schedules (the lessons' samples): the source
 * checkout's data/schedules when the program runs from that checkout's
 * build tree (util/buildtree.h), else the installed ones
 * (pkgdatadir/schedules).  Borrowed, valid for the program's life.
 */
const char *schedfile_dir(void);

/*
 * Find the schedule file a user named.  A name with a '/' is a path and is
 * used as it is; so is a name that exists in the working directory.
 * Otherwise the name (with ".sched" added when it has no suffix) is looked
 * for in the user's saved schedules (statedir "schedules"), then in
 * $INTERLEAVE_SCHEDULE_DIR, then in the program's own schedules
 * (schedfile_dir(): the checkout's data/schedules when run from its build
 * tree, else the installed ones).
 * Returns the path to use (caller owns it; free()): the first one found,
 * or name itself when none is (reading it then says why), or NULL when
 * out of memory.
 */
char *schedfile_resolve(const char *name);

/*
 * Append the text of a self-contained schedule file to out: a comment
 * line (comment, may be NULL; no line ends), demo: and params: headers
 * with every parameter of demo (so the file does not depend on the
 * defaults of a later version), then the tokens of sched, at most about
 * 72 columns a line.  Reading it back gives the same demo, parameters and
 * schedule.
 */
void schedfile_format(StrBuf *out, const char *comment, const DemoClass *demo,
                      const int64_t *params, const Schedule *sched);

/*
 * Save a self-contained schedule file (schedfile_format) as a new file
 * "<stem>-<N>.sched" in the user's saved schedules directory (made if
 * needed, mode 0700), atomically (util/statedir.h).  Returns 0 with *path
 * (caller owns it; free()), or a negative errno with err ("cannot save in
 * DIR: No space left on device").
 */
int schedfile_save(const char *stem, const char *comment, const DemoClass *demo,
                   const int64_t *params, const Schedule *sched, char **path,
                   IlError *err) ATTR_WARN_UNUSED_RESULT;

#endif /* INTERLEAVE_CORE_SCHEDFILE_H */
