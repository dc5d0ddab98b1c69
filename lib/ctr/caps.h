/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux capabilities of a container: the name table and podman's rules for
 * combining containers.conf default_capabilities with --cap-add/--cap-drop
 * and --privileged.
 */
#ifndef CPOD_CTR_CAPS_H
#define CPOD_CTR_CAPS_H

#include <stdbool.h>

#include <cpod/error.h>

/*
 * Effective capability set as a NULL-terminated vector of "CAP_XXX" names,
 * sorted and unique; *ret is the caller's (strv_free).
 *
 * defaults: containers.conf default_capabilities; add/drop: --cap-add and
 * --cap-drop values.  Names are accepted with or without "CAP_", in any
 * case; add and drop may hold "ALL".  Any of the three may be NULL.
 * privileged: start from every capability the running kernel knows
 * (/proc/sys/kernel/cap_last_cap, else the whole table) instead of the
 * defaults; --cap-drop still applies.
 *
 * Rules (podman's): drop ALL + add X = only X; add ALL = all known minus
 * the drops; a name both added and dropped, or add ALL with drop ALL, is
 * an error; unknown names fail with `unknown capability "CAP_FOO"`.  All
 * errors are CPOD_E_INVALID.
 */
int caps_compute(char *const *defaults, char *const *add, char *const *drop, bool privileged, char ***ret,
                 cpod_error_t *err);

/* Whether name (normalised as above, "ALL" excluded) is a known capability. */
bool cap_name_valid(const char *name);

/* Capability number of name (normalised as above), -1 if unknown. */
int cap_number(const char *name);

/* "sys_admin" -> "CAP_SYS_ADMIN", "all" -> "ALL" (no validation).  Caller frees. */
char *cap_normalize(const char *name);

/* "CAP_XXX" for a capability number (borrowed), NULL if out of the table. */
const char *cap_name(int number);

/* Highest capability number the running kernel knows, capped to the table. */
int cap_last_cap(void);

#endif
