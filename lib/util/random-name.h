/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CPOD_UTIL_RANDOM_NAME_H
#define CPOD_UTIL_RANDOM_NAME_H

/* A random ADJECTIVE_SURNAME name (lib/util/random-name.c); caller frees. */
char *random_name(void);

#endif
