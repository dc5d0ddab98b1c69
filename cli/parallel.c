/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include <cpod/runtime.h>

#include "util/xalloc.h"

/* podman's default: three workers per CPU. */
#define WORKERS_PER_CPU 3

struct pool {
        struct cli_ctx *ctx;
        size_t n;
        atomic_size_t next;
        int (*fn)(struct cli_ctx *wctx, size_t i, void *ud, cpod_error_t *err);
        void *ud;
        int *rets;
        cpod_error_t *errs;
};

static void *worker(void *arg)
{
        struct pool *p = arg;
        struct cli_ctx w = *p->ctx;
        struct cpod_runtime_opts o;
        cpod_error_t open_err = CPOD_ERROR_INIT;
        size_t i;

        cli_runtime_opts(p->ctx, &o);
        w.rt = NULL;
        if (cpod_runtime_open(&o, &w.rt, &open_err) == 0)
                cpod_runtime_set_warning_handler(w.rt, cli_warn, NULL);
        while ((i = atomic_fetch_add(&p->next, 1)) < p->n) {
                if (!w.rt) {
                        p->rets[i] = cpod_error_set(&p->errs[i], open_err.code, open_err.kind, "%s",
                                                    cpod_error_msg(&open_err));
                        continue;
                }
                p->rets[i] = p->fn(&w, i, p->ud, &p->errs[i]);
        }
        cpod_runtime_unref(w.rt);
        cpod_error_clear(&open_err);
        return NULL;
}

void cli_parallel(struct cli_ctx *ctx, size_t n, int (*fn)(struct cli_ctx *wctx, size_t i, void *ud, cpod_error_t *err),
                  void *ud, int *rets, cpod_error_t *errs)
{
        struct pool p = { .ctx = ctx, .n = n, .fn = fn, .ud = ud, .rets = rets, .errs = errs };
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        size_t want = (size_t)(cpus > 0 ? cpus : 1) * WORKERS_PER_CPU, started = 0;
        pthread_t *t;

        if (n < 2) {
                for (size_t i = 0; i < n; i++)
                        rets[i] = fn(ctx, i, ud, &errs[i]);
                return;
        }
        if (want > n)
                want = n;
        t = xnew0(pthread_t, want);
        for (size_t k = 0; k < want; k++)
                if (pthread_create(&t[k], NULL, worker, &p) == 0)
                        started++;
                else
                        break;
        if (started == 0) /* no thread: do the work here */
                for (size_t i = 0; i < n; i++)
                        rets[i] = fn(ctx, i, ud, &errs[i]);
        for (size_t k = 0; k < started; k++)
                pthread_join(t[k], NULL);
        free(t);
}
