/* SPDX-License-Identifier: Apache-2.0 */
/*
 * State.OOMKilled: the "oom" file conmon writes into its --persist-dir (the
 * bundle) when it sees the OOM event, as podman reads it; else, for a kill
 * (137) under cgroupfs, the memory cgroup's oom_kill count, read before the
 * runtime removes the cgroup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctr/ctr.h"
#include "ctr/lifecycle.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

/* "oom_kill N" in memory.oom_control (v1) or memory.events (v2). */
static bool count_positive(const char *text)
{
        for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                if (strncmp(l, "oom_kill ", 9) == 0)
                        return atoll(l + 9) > 0;
        return false;
}

bool ctr_oom_killed(struct cpod_runtime *rt, const struct ctr *c)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *cfg = path_join(bundle, "config.json");
        _cleanup_free_ char *file = NULL, *text = NULL;
        _cleanup_json_ json_t *spec = NULL;
        const char *cg;
        size_t len;

        _cleanup_free_ char *oom = path_join(bundle, "oom");

        if (access(oom, F_OK) == 0)
                return true;
        /* The kernel's OOM killer sends SIGKILL: any other end needs no look. */
        if (c->exit_code != 137 || !(spec = json_parse_file(cfg, NULL)))
                return false;
        cg = json_get_str(json_object_get(spec, "linux"), "cgroupsPath");
        if (!cg || cg[0] != '/' || strstr(cg, ".."))
                return false; /* systemd slice:prefix:name paths are not read here */
        file = rt->cgroup_mode == CPOD_CGROUP_V2 ? xasprintf("/sys/fs/cgroup%s/memory.events", cg)
                                                 : xasprintf("/sys/fs/cgroup/memory%s/memory.oom_control", cg);
        return read_file(file, &text, &len, 1 << 16, NULL) == 0 && count_positive(text);
}
