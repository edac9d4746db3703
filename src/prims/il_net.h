/*
 * il_net.h - an HTTP GET over a real socket to a server on 127.0.0.1,
 * instrumented: a request shows on its lane's row from the connect to the
 * response (EV_NET_CONNECT, then EV_NET_RESPONSE).
 *
 * Two forms: one for a thread (a blocking socket: the thread waits in
 * connect() and read() while the server takes its time) and one for a
 * coroutine (a non-blocking socket on a channel of an event loop: the
 * coroutine awaits the descriptor, and the loop runs the others).  Both
 * send "GET /p/N HTTP/1.0" and read until the server closes.
 *
 * Thread: a lane (the thread form), a coroutine of a loop (the other).
 */
#ifndef INTERLEAVE_PRIMS_IL_NET_H
#define INTERLEAVE_PRIMS_IL_NET_H

#include <stddef.h>
#include <sys/types.h>

#include "prims/il_loop.h"

/*
 * GET page N from 127.0.0.1:port: the response (headers and body) into
 * buf, at most cap - 1 bytes, NUL-terminated.  label names the request on
 * the row (an il_label_new object).  One step (the request, whole).
 * Returns the bytes read, or a negative errno.  Thread: lane.
 */
ssize_t il_http_get(int label, int port, unsigned page, char *buf, size_t cap);

/*
 * The same from a coroutine: a non-blocking socket, made chan's
 * descriptor while it lasts, awaited for the connect and for every read.
 * Returns the bytes read, or a negative errno (-ECANCELED when the task
 * was cancelled).  Thread: a coroutine of chan's loop.
 */
ssize_t il_co_http_get(IlChan *chan, int label, int port, unsigned page, char *buf, size_t cap);

/*
 * A blocking wait of ns nanoseconds for I/O (time.sleep standing for a
 * disk, a network, a kettle), labelled label: free mode, a real nanosleep,
 * the lane's row waiting from EV_IO_WAIT to EV_IO_DONE; step mode, no
 * sleep (time there is the schedule).  One step.  Thread: lane (a thread
 * or a process; a coroutine awaits il_sleep instead).
 */
void il_io_wait(int label, uint64_t ns);

/*
 * The same wait without a step: free mode, EV_IO_WAIT, a real nanosleep of
 * ns nanoseconds, EV_IO_DONE (the lane's row waiting between them, the wait
 * class the demo gives label); step mode, nothing (no sleep, no event, no
 * step), so the steps of a demo that sleeps where the schedule does not
 * care stay what they were.  Thread: lane (a thread or a process).
 */
void il_io_pause(int label, uint64_t ns);

#endif /* INTERLEAVE_PRIMS_IL_NET_H */
