/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Failpoints make crash-consistency tests deterministic.  Always compiled
 * in and inert unless CPOD_FAILPOINTS is set, e.g.
 *   CPOD_FAILPOINTS="layer-after-extract=kill,image-before-commit=error"
 * Actions: kill (SIGKILL ourselves at that instant), error (fail the
 * operation with EIO), sleep:N (sleep N ms, for race tests).
 */
#ifndef CPOD_UTIL_FAILPOINT_H
#define CPOD_UTIL_FAILPOINT_H

#include <cpod/error.h>

/* Returns 0 to continue, or < 0 with err set when the point is told to fail. */
int failpoint(const char *name, cpod_error_t *err);

#endif
