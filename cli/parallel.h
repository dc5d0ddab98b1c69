/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Acting on many containers at once (rm -a, stop -a, kill -a, ...): podman runs the operations
 * on a pool of workers, and so does cpod.  Each worker thread opens a runtime handle of its own
 * (a handle is not shared between threads), with the global flags of the command.
 */
#ifndef CPOD_CLI_PARALLEL_H
#define CPOD_CLI_PARALLEL_H

#include <stddef.h>

#include <cpod/error.h>

#include "cli/cli.h"

/*
 * Run fn(wctx, i, &errs[i]) for every i < n, and store its result in rets[i]; wctx is a copy of
 * ctx whose runtime is the worker's.  Runs in this thread (with ctx itself) when n < 2.  A worker
 * whose handle cannot be opened fails its items with that error.
 */
void cli_parallel(struct cli_ctx *ctx, size_t n, int (*fn)(struct cli_ctx *wctx, size_t i, void *ud, cpod_error_t *err),
                  void *ud, int *rets, cpod_error_t *errs);

#endif
