/*
 * shared_heap.h - memory that every lane of a run shares, threads and
 * forked processes alike.
 *
 * DESIGN
 * A bump allocator over one anonymous MAP_SHARED mapping that the sandbox
 * makes before any lane starts.  A lane process is forked from the
 * sandbox, so it inherits the mapping at the same address: a pointer into
 * the heap means the same bytes in every lane, which is what a mutex, a
 * condition variable or a counter that lanes share needs.  Memory from
 * malloc() is not shared that way: after a fork each process writes its
 * own copy (the lesson of the later `share` demo).
 *
 * Nothing is ever freed one by one: the mapping goes when the sandbox and
 * its lane processes exit.  The pages are MAP_NORESERVE and zero until
 * touched, so a generous heap costs only what a run uses.
 *
 * OWNERSHIP: the sandbox owns the heap (shared_heap_new / _free); memory
 * from shared_heap_alloc() is borrowed until the heap is freed.
 */
#ifndef INTERLEAVE_CORE_SHARED_HEAP_H
#define INTERLEAVE_CORE_SHARED_HEAP_H

#include <stddef.h>

#include "core/compiler.h"
#include "core/error.h"

typedef struct SharedHeap SharedHeap;

/*
 * Map a shared heap of at least bytes usable bytes.  Returns it (caller
 * owns it; free with shared_heap_free()) or NULL with err filled (the
 * mmap failure).  Thread: the sandbox's controller, before lanes start.
 */
SharedHeap *shared_heap_new(size_t bytes, IlError *err) ATTR_WARN_UNUSED_RESULT;

/* Unmap the heap; shared_heap_free(NULL) does nothing.  Only once no lane
 * uses it.  Thread: the controller. */
void shared_heap_free(SharedHeap *heap);

/*
 * n objects of size bytes each, zeroed, aligned to 64 bytes (a cache line,
 * so two lanes' objects never share one by accident).  Returns NULL when
 * n * size overflows or the heap is full.  Thread: any thread of the
 * sandbox (the bump is atomic), but in practice setup code, before lanes
 * start.
 */
void *shared_heap_alloc(SharedHeap *heap, size_t n, size_t size);

/* Take back everything handed out and zero it, keeping the mapping (the
 * explorer runs the same demo again in it).  Only once nothing uses it.
 * Thread: the controller. */
void shared_heap_reset(SharedHeap *heap);

/* Bytes handed out so far, and the heap's size.  Thread: any. */
size_t shared_heap_used(const SharedHeap *heap);
size_t shared_heap_size(const SharedHeap *heap);

#endif /* INTERLEAVE_CORE_SHARED_HEAP_H */
