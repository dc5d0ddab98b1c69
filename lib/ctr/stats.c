/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stats: a container's usage, podman's way.  CPU % is CPU time over wall
 * time since the previous sample (since the start without one), so 100%
 * is one CPU busy; memory is what its cgroup is charged, against its limit
 * or the host's memory; net IO sums every interface of its network
 * namespace but lo (none on the host's network); block IO and PIDs come from
 * the cgroup.  A container that is not running reports zeros, as podman's.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

#include <cpod/stats.h>

#include "ctr/cgroup-stats.h"
#include "ctr/ctr.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/xalloc.h"

/* /proc/PID/net/dev: "  eth0: RXBYTES ... (8 rx fields) TXBYTES ...". */
static void net_sample(int pid, struct cpod_ctr_stats *s)
{
        _cleanup_free_ char *path = xasprintf("/proc/%d/net/dev", pid), *text = NULL;
        size_t len;

        if (read_file(path, &text, &len, 1 << 20, NULL) < 0)
                return;
        for (char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                char *colon = strchr(l, ':'), *nl = strchr(l, '\n');
                unsigned long long v[9];
                if (!colon || (nl && colon > nl))
                        continue;
                while (*l == ' ')
                        l++;
                if (strncmp(l, "lo:", 3) == 0)
                        continue;
                if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
                           &v[5], &v[6], &v[7], &v[8]) == 9) {
                        s->net_input += v[0];
                        s->net_output += v[8];
                }
        }
}

static uint64_t mem_limit(const struct ctr *c)
{
        struct sysinfo si;
        uint64_t host = 0, lim = c->cfg.memory > 0 ? (uint64_t)c->cfg.memory : UINT64_MAX;

        if (sysinfo(&si) == 0)
                host = (uint64_t)si.totalram * si.mem_unit;
        return host && lim > host ? host : lim;
}

static double percent(uint64_t used, uint64_t prev_used, uint64_t now, uint64_t since)
{
        if (now <= since || used <= prev_used)
                return 0;
        return (double)(used - prev_used) / (double)(now - since) * 100.0;
}

static int sample(struct cpod_runtime *rt, const struct ctr *c, const struct cpod_ctr_stats *prev,
                  struct cpod_ctr_stats *s, cpod_error_t *err)
{
        _cleanup_free_ char *path = xasprintf("/proc/%d/cgroup", c->pid), *proc = NULL;
        struct cg_sample cg;
        size_t len;
        uint64_t now = (uint64_t)now_ns(), start = (uint64_t)c->started_at;

        /* Gone since the reconcile: it reports as a stopped container does. */
        if (read_file(path, &proc, &len, 1 << 16, NULL) < 0)
                return 1;
        if (cg_stats_ops_for(rt->cgroup_mode)->sample("/sys/fs/cgroup", proc, &cg, err) < 0)
                return cpod_error_wrap(err, "unable to obtain cgroup stats");
        /* A restart runs in a new cgroup: the previous sample no longer applies. */
        if (prev && (!prev->running || prev->cpu_nano > cg.cpu_ns || strcmp(prev->id, c->id) != 0))
                prev = NULL;
        s->running = true;
        s->cpu_nano = cg.cpu_ns;
        s->cpu_system_nano = cg.cpu_system_ns;
        s->system_nano = now;
        s->cpu = percent(cg.cpu_ns, prev ? prev->cpu_nano : 0, now, prev ? prev->system_nano : start);
        s->avg_cpu = percent(cg.cpu_ns, 0, now, start);
        s->mem_usage = cg.mem_usage;
        s->mem_limit = mem_limit(c);
        s->mem_perc = s->mem_limit ? (double)s->mem_usage / (double)s->mem_limit * 100.0 : 0;
        s->block_input = cg.blk_read;
        s->block_output = cg.blk_write;
        s->pids = cg.pids;
        if (!c->cfg.network_mode || strcmp(c->cfg.network_mode, "host") != 0)
                net_sample(c->pid, s);
        return 0;
}

int cpod_ctr_stats(struct cpod_runtime *rt, const char *name, const struct cpod_ctr_stats *prev,
                   struct cpod_ctr_stats *ret, cpod_error_t *err)
{
        struct ctr c = { 0 };
        struct cpod_ctr_stats s = { 0 };
        char id[65];
        int r = 0;

        if (cpod_ctr_lookup(rt, name, id, err) < 0 || ctr_db_get(rt, id, &c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        ctr_reconcile_view(rt, &c);
        memcpy(s.id, c.id, sizeof(s.id));
        s.name = xstrdup(c.name);
        if ((c.state == CPOD_CTR_RUNNING || c.state == CPOD_CTR_PAUSED) && c.pid > 0)
                r = sample(rt, &c, prev, &s, err);
        ctr_clear(&c);
        if (r > 0) {
                memset(&s.running, 0, sizeof(s) - offsetof(struct cpod_ctr_stats, running));
                r = 0;
        }
        if (r < 0) {
                cpod_ctr_stats_clear(&s);
                return r;
        }
        *ret = s;
        return 0;
}

void cpod_ctr_stats_clear(struct cpod_ctr_stats *s)
{
        if (!s)
                return;
        free(s->name);
        s->name = NULL;
}
