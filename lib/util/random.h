/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_UTIL_RANDOM_H
#define CPOD_UTIL_RANDOM_H

#include <stddef.h>

/*
 * Fill buf with random bytes for IDs and names (not keys): getrandom(2), else /dev/urandom, else
 * a generator seeded from the clock and PID.  Never fails.
 */
void random_bytes(void *buf, size_t n);

#endif
