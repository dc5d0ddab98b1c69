/* SPDX-License-Identifier: Apache-2.0 */
/* cgroup v2 counters: one unified hierarchy at ROOT, the process's cgroup from the "0::" line. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctr/cgroup-stats.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

/* io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N ..." per device. */
static void io_sum(const char *text, uint64_t *rd, uint64_t *wr)
{
        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                const char *nl = strchr(l, '\n'), *r = strstr(l, " rbytes="), *w = strstr(l, " wbytes=");
                if (r && (!nl || r < nl))
                        *rd += strtoull(r + 8, NULL, 10);
                if (w && (!nl || w < nl))
                        *wr += strtoull(w + 8, NULL, 10);
        }
}

static int v2_sample(const char *root, const char *proc, struct cg_sample *ret, cpod_error_t *err)
{
        _cleanup_free_ char *p = cg_proc_path(proc, ""), *dir = NULL, *cpu = NULL, *io = NULL;
        struct cg_sample s = { 0 };

        if (!p || strstr(p, ".."))
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "no cgroup v2 entry for the container");
        dir = xasprintf("%s%s", root, strcmp(p, "/") == 0 ? "" : p);
        if (access(dir, F_OK) < 0)
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "no cgroup for the container");
        (void)cg_read_u64(dir, "memory.current", &s.mem_usage);
        if ((cpu = cg_read_text(dir, "cpu.stat"))) {
                s.cpu_ns = cg_keyed(cpu, "usage_usec") * 1000;
                s.cpu_system_ns = cg_keyed(cpu, "system_usec") * 1000;
        }
        if ((io = cg_read_text(dir, "io.stat")))
                io_sum(io, &s.blk_read, &s.blk_write);
        (void)cg_read_u64(dir, "pids.current", &s.pids);
        *ret = s;
        return 0;
}

const struct cg_stats_ops cg_stats_v2 = {
        .name = "v2",
        .sample = v2_sample,
};
