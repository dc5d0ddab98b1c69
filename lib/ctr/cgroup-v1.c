/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cgroup v1 counters (and the v1 controllers of the hybrid layout): one
 * hierarchy per controller, mounted at ROOT/<controller> (a joint mount such
 * as cpu,cpuacct has its per-controller symlinks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctr/cgroup-stats.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

static char *dir_of(const char *root, const char *proc, const char *ctrl)
{
        _cleanup_free_ char *p = cg_proc_path(proc, ctrl);

        if (!p || strstr(p, ".."))
                return NULL;
        return xasprintf("%s/%s%s", root, ctrl, strcmp(p, "/") == 0 ? "" : p);
}

/* "MAJ:MIN Read N" lines of blkio.*io_service_bytes_recursive. */
static void blkio_sum(const char *text, uint64_t *rd, uint64_t *wr)
{
        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                const char *op = strchr(l, ' ');
                const char *nl = strchr(l, '\n');
                if (!op || (nl && op > nl))
                        continue;
                op++;
                if (strncmp(op, "Read ", 5) == 0)
                        *rd += strtoull(op + 5, NULL, 10);
                else if (strncmp(op, "Write ", 6) == 0)
                        *wr += strtoull(op + 6, NULL, 10);
        }
}

static void cpu_sample(const char *dir, struct cg_sample *s)
{
        _cleanup_free_ char *stat = cg_read_text(dir, "cpuacct.stat");
        long hz = sysconf(_SC_CLK_TCK);

        (void)cg_read_u64(dir, "cpuacct.usage", &s->cpu_ns);
        if (stat && hz > 0)
                s->cpu_system_ns = cg_keyed(stat, "system") * (1000000000ULL / (uint64_t)hz);
}

static void blkio_sample(const char *dir, struct cg_sample *s)
{
        /* As runc: the CFQ counters when the scheduler keeps them, else the throttle layer's. */
        _cleanup_free_ char *t = cg_read_text(dir, "blkio.io_service_bytes_recursive");

        if (!t || !*t || strspn(t, "Total 0\n") == strlen(t)) {
                free(t);
                t = cg_read_text(dir, "blkio.throttle.io_service_bytes_recursive");
        }
        blkio_sum(t, &s->blk_read, &s->blk_write);
}

static int v1_sample(const char *root, const char *proc, struct cg_sample *ret, cpod_error_t *err)
{
        _cleanup_free_ char *mem = dir_of(root, proc, "memory"), *cpu = dir_of(root, proc, "cpuacct"),
                            *blk = dir_of(root, proc, "blkio"), *pids = dir_of(root, proc, "pids");
        struct cg_sample s = { 0 };

        if (!mem || access(mem, F_OK) < 0)
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "no memory cgroup for the container");
        (void)cg_read_u64(mem, "memory.usage_in_bytes", &s.mem_usage);
        if (cpu)
                cpu_sample(cpu, &s);
        if (blk)
                blkio_sample(blk, &s);
        if (pids)
                (void)cg_read_u64(pids, "pids.current", &s.pids);
        *ret = s;
        return 0;
}

const struct cg_stats_ops cg_stats_v1 = {
        .name = "v1",
        .sample = v1_sample,
};
