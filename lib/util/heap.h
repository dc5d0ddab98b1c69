/* SPDX-License-Identifier: Apache-2.0 */
/* Process heap tuning for commands that build large in-memory listings. */
#ifndef CPOD_UTIL_HEAP_H
#define CPOD_UTIL_HEAP_H

#include <stddef.h>

/*
 * Grow the malloc heap by about `bytes` at once and ask for transparent huge
 * pages on it (as glibc's glibc.malloc.hugetlb=1 tunable would): a listing of
 * thousands of JSON objects then takes a few 2 MiB page faults instead of
 * thousands of 4 KiB ones.  Best effort; call before the big allocations.
 */
void heap_prepare_large(size_t bytes);

#endif
