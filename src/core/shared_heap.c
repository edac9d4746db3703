/*
 * shared_heap.c - the run's shared bump allocator (see shared_heap.h).
 *
 * The heap's header sits in its own first cache line of the mapping, so
 * the heap itself is shared too and a lane process could allocate (none
 * does today: demos allocate in setup).
 */
#include "config.h"

#include "core/shared_heap.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SHARED_HEAP_ALIGN 64u

struct SharedHeap {
    size_t size;         /* bytes mapped, header included; immutable */
    _Atomic size_t used; /* bytes handed out, header included */
};

SharedHeap *shared_heap_new(size_t bytes, IlError *err)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t total;
    SharedHeap *heap;
    void *p;

    if (bytes > SIZE_MAX - page - SHARED_HEAP_ALIGN) {
        il_error_set(err, -ENOMEM, "shared heap of %zu bytes is too large", bytes);
        return NULL;
    }
    total = (bytes + SHARED_HEAP_ALIGN + page - 1) / page * page;
    p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1,
             0);
    if (p == MAP_FAILED) {
        il_error_set(err, -errno, "cannot map %zu bytes of shared memory: %s", total,
                     strerror(errno));
        return NULL;
    }
    heap = p; /* anonymous mappings start zeroed */
    heap->size = total;
    atomic_init(&heap->used, SHARED_HEAP_ALIGN);
    return heap;
}

void shared_heap_free(SharedHeap *heap)
{
    if (heap != NULL) {
        munmap(heap, heap->size);
    }
}

void *shared_heap_alloc(SharedHeap *heap, size_t n, size_t size)
{
    size_t want, at;

    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    want = n * size;
    if (want > heap->size) {
        return NULL;
    }
    want = (want + SHARED_HEAP_ALIGN - 1) & ~(size_t)(SHARED_HEAP_ALIGN - 1);
    at = atomic_load(&heap->used);
    do {
        if (want > heap->size - at) {
            return NULL;
        }
    } while (!atomic_compare_exchange_weak(&heap->used, &at, at + want));
    return (char *)heap + at; /* never handed out before: still zero */
}

void shared_heap_reset(SharedHeap *heap)
{
    size_t used = atomic_load(&heap->used);
    memset((char *)heap + SHARED_HEAP_ALIGN, 0, used - SHARED_HEAP_ALIGN);
    atomic_store(&heap->used, SHARED_HEAP_ALIGN);
}

size_t shared_heap_used(const SharedHeap *heap)
{
    return atomic_load(&((SharedHeap *)heap)->used);
}

size_t shared_heap_size(const SharedHeap *heap)
{
    return heap->size;
}
