/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stopping several containers at once (a pod's members, kube down): each gets its stop signal
 * first, then each is waited for until its own deadline (signal time + its timeout) and killed
 * if it still runs.  Stopped one after the other, three containers that ignore SIGTERM took three
 * timeouts (30 s for a kube down); podman stops them in parallel, in one timeout.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
#include "ctr/lifecycle.h"
#include "runtime/lock.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct pending {
        char id[65];
        int r;            /* ctr_stop_begin's result, or < 0 */
        int64_t deadline; /* CLOCK_MONOTONIC ms */
};

static int64_t monotonic_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void begin(struct cpod_runtime *rt, const char *name, int timeout, struct pending *p, cpod_error_t *err)
{
        struct ctr c = { 0 };
        int fd;

        if (cpod_ctr_lookup(rt, name, p->id, err) < 0 || (fd = ctr_lock_load(rt, p->id, &c, err)) < 0) {
                p->r = -ENOENT;
                return;
        }
        p->deadline = monotonic_ms() + (int64_t)ctr_stop_timeout(rt, &c, timeout) * 1000;
        p->r = ctr_stop_begin(rt, &c, timeout, err);
        (void)ctr_stop_done(rt, &c, fd, p->r); /* the stop event now only when it stopped already */
}

static int end(struct cpod_runtime *rt, struct pending *p, int timeout, cpod_error_t *err)
{
        struct ctr c = { 0 };
        int64_t left = p->deadline - monotonic_ms();
        int fd = ctr_lock_load(rt, p->id, &c, err), r;

        if (fd < 0)
                return err && err->kind == CPOD_E_NO_SUCH_CTR ? (cpod_error_clear(err), 0) : fd;
        r = ctr_stop_end(rt, &c, &fd, timeout, p->r == 1 ? (int)(left > 0 ? left : 0) : -1, err);
        return ctr_stop_done(rt, &c, fd, r);
}

int cpod_ctr_stop_many(struct cpod_runtime *rt, char *const *ids, int timeout, int *rets, cpod_error_t *errs)
{
        size_t n = strv_length((char **)ids);
        struct pending *p = xnew0(struct pending, n + 1);
        int worst = 0;

        for (size_t i = 0; i < n; i++)
                begin(rt, ids[i], timeout, &p[i], &errs[i]);
        for (size_t i = 0; i < n; i++) {
                rets[i] = p[i].r > 0 ? end(rt, &p[i], timeout, &errs[i]) : p[i].r;
                if (rets[i] < 0)
                        worst = rets[i];
        }
        free(p);
        return worst;
}
