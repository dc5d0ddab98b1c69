/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod logs: the k8s-file log conmon writes, read and followed by
 * ctr/logs.c; and the checks of --log-driver and --log-opt.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
#include "ctr/logs.h"
#include "util/cleanup.h"
#include "util/json.h"
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

int ctr_log_check(const struct ctr_config *cfg, cpod_error_t *err)
{
        const char *d = cfg->log_driver, *path = cfg->log_path;

        if (d && *d && strcmp(d, "k8s-file") != 0 && strcmp(d, "none") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_NOT_SUPPORTED,
                                      "log driver \"%s\" is not supported: use k8s-file or none", d);
        if (path && (path[0] != '/' || strchr(path, ':')))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "log path \"%s\" must be an absolute path without ':'", path);
        if (cfg->log_size_max > 0 && cfg->log_size_max < 8192)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "log max-size must be at least 8KiB");
        return 0;
}

static int no_logs(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        struct ctr c = { 0 };
        int r = 0;

        if (ctr_db_get(rt, id, &c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (strcmp(ctr_log_driver(rt, &c), "none") == 0)
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                   "this container is using the 'none' log driver, cannot read logs: this container "
                                   "is not logging output");
        ctr_clear(&c);
        return r;
}

int cpod_ctr_logs(struct cpod_runtime *rt, const char *name, const struct cpod_logs_opts *o,
                  int (*cb)(void *ud, const struct cpod_log_line *l), void *ud, cpod_error_t *err)
{
        struct follow_ctx f = { .rt = rt, .cb = cb, .ud = ud };
        struct log_read_opts lo = LOG_READ_OPTS_INIT;
        _cleanup_free_ char *path = NULL;
        int64_t now = now_ns();

        if (cpod_ctr_lookup(rt, name, f.id, err) < 0 || cpod_ctr_log_path(rt, f.id, &path, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (no_logs(rt, f.id, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (o->since && log_parse_time(o->since, now, &lo.since_ns, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (o->until && log_parse_until(o->until, now, &lo.until_ns, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        lo.tail = o->tail;
        lo.follow = o->follow;
        lo.still_running = still_running;
        lo.ud = &f;
        return k8s_log_read(path, &lo, relay, &f, err);
}
