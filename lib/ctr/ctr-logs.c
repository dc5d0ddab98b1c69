/* SPDX-License-Identifier: Apache-2.0 */
/* cpod logs: the k8s-file log conmon writes, read and followed by ctr/logs.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
#include "ctr/logs.h"
#include "util/cleanup.h"
#include "util/human.h"

struct follow_ctx {
        struct cpod_runtime *rt;
        char id[65];
        int (*cb)(void *ud, const struct cpod_log_line *l);
        void *ud;
};

static bool still_running(void *ud)
{
        struct follow_ctx *f = ud;
        return cpod_ctr_is_running(f->rt, f->id);
}

static int relay(void *ud, const struct log_line *l)
{
        struct follow_ctx *f = ud;
        struct cpod_log_line out = { l->ts_ns, l->stream, l->msg, l->len, l->newline };

        return f->cb(f->ud, &out);
}

int cpod_ctr_logs(struct cpod_runtime *rt, const char *name, const struct cpod_logs_opts *o,
                  int (*cb)(void *ud, const struct cpod_log_line *l), void *ud, cpod_error_t *err)
{
        struct follow_ctx f = { .rt = rt, .cb = cb, .ud = ud };
        struct log_read_opts lo = LOG_READ_OPTS_INIT;
        _cleanup_free_ char *path = NULL;
        int64_t now = now_ns();

        if (cpod_ctr_lookup(rt, name, f.id, err) < 0 || cpod_ctr_log_path(rt, f.id, &path, err) < 0)
                return -ENOENT;
        if (o->since && log_parse_time(o->since, now, &lo.since_ns, err) < 0)
                return -EINVAL;
        if (o->until && log_parse_until(o->until, now, &lo.until_ns, err) < 0)
                return -EINVAL;
        lo.tail = o->tail;
        lo.follow = o->follow;
        lo.still_running = still_running;
        lo.ud = &f;
        return k8s_log_read(path, &lo, relay, &f, err);
}
