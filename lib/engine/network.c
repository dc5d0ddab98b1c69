/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The network commands (include/cpod/network.h): definitions are lib/net's;
 * which containers use a network, and removing them with --force, need
 * the containers and pods above it, so they live here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/container.h>
#include <cpod/network.h>
#include <cpod/pod.h>

#include "ctr/ctr.h"
#include "ctr/ctr-net.h"
#include "engine/engine-internal.h"
#include "runtime/lock.h"
#include "net/net.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

int cpod_network_create(struct cpod_runtime *rt, const json_t *req, json_t **ret, cpod_error_t *err)
{
        return net_def_create(rt, req, ret, err);
}

int cpod_network_list(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err)
{
        return net_def_list(rt, ret, err);
}

int cpod_network_inspect(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        return net_def_get(rt, name, ret, err);
}

/* IDs of the containers whose config joins network name (a definition's name). */
static int users_of(struct cpod_runtime *rt, const char *name, char ***ret, cpod_error_t *err)
{
        struct ctr *all = NULL;
        size_t n = 0;
        char **v = xnew0(char *, 1);

        if (ctr_db_list(rt, &all, &n, err) < 0) {
                free(v);
                return cpod_error_rc(err, -EIO);
        }
        /* the listing carries each container's Networks (ctr-db.c's light columns) */
        for (size_t i = 0; i < n; i++)
                if (json_object_get(all[i].cfg.networks, name))
                        strv_add(&v, all[i].id);
        ctrs_free(all, n);
        *ret = v;
        return 0;
}

int cpod_network_containers(struct cpod_runtime *rt, const char *name, char ***ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *def = NULL;

        if (net_def_get(rt, name, &def, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        return users_of(rt, json_get_str(def, "name"), ret, err);
}

int engine_remove_ctrs(struct cpod_runtime *rt, char **ids, int timeout, cpod_error_t *err)
{
        struct cpod_rm_opts o = { .force = true, .timeout = timeout };

        for (char **id = ids; *id; id++) {
                struct ctr c = { 0 };
                int r;
                if (ctr_db_get(rt, *id, &c, NULL) < 0)
                        continue; /* gone with its pod already */
                if (ctr_is_infra(&c) && c.pod_id)
                        r = cpod_pod_remove(rt, c.pod_id, true, timeout, err);
                else
                        r = cpod_ctr_remove(rt, c.id, &o, err);
                ctr_clear(&c);
                if (r < 0 && !(err && (err->kind == CPOD_E_NO_SUCH_CTR || err->kind == CPOD_E_NO_SUCH_POD)))
                        return r;
                cpod_error_clear(err);
        }
        return 0;
}

int cpod_network_remove(struct cpod_runtime *rt, const char *name, bool force, int timeout, char **ret_name,
                        cpod_error_t *err)
{
        _cleanup_json_ json_t *def = NULL;
        _cleanup_strv_ char **users = NULL;
        const char *real;

        if (net_def_get(rt, name, &def, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        real = json_get_str(def, "name");
        if (strcmp(real, net_default_name(rt)) == 0)
                return cpod_error_set(err, EPERM, CPOD_E_INVALID, "default network %s cannot be removed", real);
        if (users_of(rt, real, &users, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (users[0] && !force)
                return cpod_error_set(err, EBUSY, CPOD_E_IN_USE,
                                      "\"%s\" has associated containers with it. Use -f to forcibly delete containers "
                                      "and pods: network is being used",
                                      real);
        if (users[0] && engine_remove_ctrs(rt, users, timeout, err) < 0)
                return cpod_error_rc(err, -EIO);
        net_anchors_down(rt, real);
        if (net_def_delete(rt, def, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (ret_name)
                *ret_name = xstrdup(real);
        return 0;
}

static int with_ctr(struct cpod_runtime *rt, const char *network, const char *container, const json_t *opts,
                    bool connect, cpod_error_t *err)
{
        struct ctr c = { 0 };
        char id[65];
        int fd, r;

        if (cpod_ctr_lookup(rt, container, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if ((fd = ctr_lock_load(rt, id, &c, err)) < 0)
                return fd;
        r = connect ? ctr_net_connect(rt, &c, network, opts, err) : ctr_net_disconnect(rt, &c, network, err);
        ctr_clear(&c);
        obj_unlock(fd);
        return r;
}

int cpod_network_connect(struct cpod_runtime *rt, const char *network, const char *container, const json_t *opts,
                         cpod_error_t *err)
{
        return with_ctr(rt, network, container, opts, true, err);
}

int cpod_network_disconnect(struct cpod_runtime *rt, const char *network, const char *container, cpod_error_t *err)
{
        return with_ctr(rt, network, container, NULL, false, err);
}

int cpod_network_reap(struct cpod_runtime *rt, const char *network, const char *anchor_id, int after, cpod_error_t *err)
{
        return net_reap(rt, network, anchor_id, after, err);
}

int cpod_network_reload(struct cpod_runtime *rt, const char *container, char ret_id[65], cpod_error_t *err)
{
        struct ctr c = { 0 };
        int fd, r;

        if (cpod_ctr_lookup(rt, container, ret_id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if ((fd = ctr_lock_load(rt, ret_id, &c, err)) < 0)
                return fd;
        if (c.state != CPOD_CTR_RUNNING && c.state != CPOD_CTR_PAUSED)
                r = cpod_error_set(err, EINVAL, CPOD_E_CTR_STATE, "container %s is not running", c.name);
        else if (!ctr_net_bridge(&c.cfg))
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "container %s is not on a bridge network", c.name);
        else
                r = net_reload(rt, c.id, err);
        ctr_clear(&c);
        obj_unlock(fd);
        return r;
}
