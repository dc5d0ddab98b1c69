/* SPDX-License-Identifier: Apache-2.0 */
#include "util/heap.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define THP_SIZE ((uintptr_t)2 << 20)

void heap_prepare_large(size_t bytes)
{
        uintptr_t start, end;
        void *volatile p; /* volatile: the compiler may not drop the malloc/free pair */

        /* Keep the heap's growth in the brk area (no mmap per big block, no trim on free). */
        if (!mallopt(M_MMAP_THRESHOLD, 4 << 20) || !mallopt(M_TRIM_THRESHOLD, (int)bytes * 2) ||
            !mallopt(M_TOP_PAD, (int)bytes))
                return;
        p = malloc(256 << 10); /* more than the top chunk holds: the heap grows by the pad */
        free(p);
        end = (uintptr_t)sbrk(0);
        start = (end - bytes + THP_SIZE - 1) & ~(THP_SIZE - 1);
        if (start < end)
                (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
}
