/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Containers' cgroups (cgroupfs manager).  The runtime removes a
 * container's cgroup when it deletes the container; when it cannot (the
 * runroot was wiped by a reboot, the runtime was killed), cpod removes the
 * empty directories itself, in every hierarchy: v1 controllers, the hybrid
 * layout's unified mount, or the v2 tree.  rmdir(2) removes only empty
 * cgroups, so a cgroup that still holds processes is never touched.  With
 * the systemd manager, systemd removes its scopes.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctr/ctr.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* The roots of the hierarchies cpod's cgroups live in. */
static char **hierarchies(const struct cpod_runtime *rt)
{
        char **v = xnew0(char *, 1);
        DIR *d;
        struct dirent *de;

        if (rt->cgroup_mode == CPOD_CGROUP_V2) {
                strv_add(&v, "/sys/fs/cgroup");
                return v;
        }
        if (!(d = opendir("/sys/fs/cgroup")))
                return v;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && de->d_type == DT_DIR)
                        strv_take(&v, path_join("/sys/fs/cgroup", de->d_name));
        closedir(d);
        return v;
}

/* The container's cgroupsPath as spec.c writes it (cgroupfs form). */
static char *cgroup_path(const struct ctr *c)
{
        if (c->cfg.cgroups_path && *c->cfg.cgroups_path)
                return xstrdup(c->cfg.cgroups_path);
        return xasprintf("%s/cpod-%s", c->cfg.cgroup_parent ? c->cfg.cgroup_parent : "/cpod_parent", c->id);
}

void ctr_cgroup_remove(struct cpod_runtime *rt, const struct ctr *c)
{
        _cleanup_strv_ char **roots = NULL;
        _cleanup_free_ char *rel = NULL;

        if (strcmp(rt->cgroup_manager, "cgroupfs") != 0)
                return;
        roots = hierarchies(rt);
        rel = cgroup_path(c);
        if (strstr(rel, "..") || rel[0] != '/')
                return;
        for (char **r = roots; *r; r++) {
                _cleanup_free_ char *dir = xasprintf("%s%s", *r, rel);
                if (rmdir(dir) == 0)
                        log_debug("removed cgroup %s", dir);
        }
}

static bool is_ctr_dir(const char *name)
{
        size_t n = strlen(name);

        if (n != 69 || strncmp(name, "cpod-", 5) != 0)
                return false;
        for (size_t i = 5; i < n; i++)
                if (!isxdigit((unsigned char)name[i]))
                        return false;
        return true;
}

/* Under dir (a cpod_parent or a pod's parent): empty cgroups of containers that are not running. */
static void gc_dir(struct cpod_runtime *rt, const char *dir, int depth)
{
        DIR *d = opendir(dir);
        struct dirent *de;

        while (d && (de = readdir(d))) {
                _cleanup_free_ char *sub = NULL;
                struct ctr c = { 0 };
                if (de->d_type != DT_DIR || de->d_name[0] == '.')
                        continue;
                sub = path_join(dir, de->d_name);
                if (depth == 0 && strncmp(de->d_name, "pod-", 4) == 0) {
                        gc_dir(rt, sub, 1);
                        continue;
                }
                if (!is_ctr_dir(de->d_name))
                        continue;
                if (ctr_db_get(rt, de->d_name + 5, &c, NULL) == 0) {
                        ctr_reconcile_view(rt, &c);
                        bool active = c.state == CPOD_CTR_RUNNING || c.state == CPOD_CTR_PAUSED ||
                                      c.state == CPOD_CTR_CREATED || c.state == CPOD_CTR_STOPPING;
                        ctr_clear(&c);
                        if (active)
                                continue;
                }
                if (rmdir(sub) == 0)
                        log_debug("removed the cgroup of a container that is gone: %s", sub);
        }
        if (d)
                closedir(d);
}

void ctr_cgroup_gc(struct cpod_runtime *rt)
{
        _cleanup_strv_ char **roots = NULL;

        if (strcmp(rt->cgroup_manager, "cgroupfs") != 0)
                return;
        roots = hierarchies(rt);
        for (char **r = roots; *r; r++) {
                _cleanup_free_ char *parent = path_join(*r, "cpod_parent");
                gc_dir(rt, parent, 0);
        }
}
