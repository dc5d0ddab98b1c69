/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pod members.  What a container needs of its pod is resolved once, when it
 * is created, into its own config: lib/ctr then runs it like any container
 * that joins another's namespaces, and never reads the pods table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/pod.h>

#include "ctr/ctr-config.h"
#include "ctr/spec.h"
#include "pod/pod-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* The flag, the pod's name of the namespace, and the member's mode for it. */
struct ns_share {
        const char *flag, *ns;
        char **mode;
};

static int join_shared(const struct pod_rec *p, struct ctr_config *cfg, cpod_error_t *err)
{
        const struct ns_share shares[] = {
                { "pid", "pid", &cfg->pid_mode },
                { "ipc", "ipc", &cfg->ipc_mode },
                { "uts", "uts", &cfg->uts_mode },
                { "network", "net", &cfg->network_mode },
                { "cgroupns", "cgroup", &cfg->cgroupns_mode },
        };

        if (pod_rec_shares(p, "net") &&
            (json_array_size(cfg->port_mappings) || cfg->publish_all || json_object_size(cfg->networks)))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid config provided: published or exposed ports and networks must be "
                                      "defined when the pod is created: network cannot be configured when it is "
                                      "shared with a pod");
        for (size_t i = 0; i < sizeof(shares) / sizeof(shares[0]); i++) {
                char **m = shares[i].mode;
                if (!pod_rec_shares(p, shares[i].ns))
                        continue;
                if (*m && **m && strcmp(*m, "private") != 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid config provided: cannot set --%s: the pod shares its %s "
                                              "namespace",
                                              shares[i].flag, shares[i].ns);
                free(*m);
                *m = xasprintf("container:%s", p->infra_id);
        }
        return 0;
}

/* A member sharing the pod's network uses the pod's /etc/hosts and resolv.conf settings. */
static int take_pod_net(const struct pod_rec *p, struct ctr_config *cfg, cpod_error_t *err)
{
        static const char *const keys[] = { "Dns", "DnsSearch", "DnsOption", "AddHost", "NoHosts" };
        _cleanup_json_ json_t *net = json_object();
        struct ctr_config pod = { 0 };
        int r;

        if (spec_etc_has_net(cfg))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid config provided: extra host entries and DNS must be specified on the "
                                      "pod: network cannot be configured when it is shared with a pod");
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                if (json_object_get(p->config, keys[i]))
                        json_object_set(net, keys[i], json_object_get(p->config, keys[i]));
        if ((r = ctr_config_parse(net, false, &pod, err)) == 0) {
                /* the member's own lists are empty (spec_etc_has_net said so), but may be allocated */
                strv_free(cfg->dns);
                strv_free(cfg->dns_search);
                strv_free(cfg->dns_option);
                strv_free(cfg->add_host);
                cfg->dns = TAKE_PTR(pod.dns);
                cfg->dns_search = TAKE_PTR(pod.dns_search);
                cfg->dns_option = TAKE_PTR(pod.dns_option);
                cfg->add_host = TAKE_PTR(pod.add_host);
                cfg->no_hosts = pod.no_hosts;
        }
        ctr_config_clear(&pod);
        return r;
}

static void take_pod_settings(struct cpod_runtime *rt, const struct pod_rec *p, struct ctr_config *cfg)
{
        const char *parent = json_get_str(p->config, "CgroupParent"), *policy = json_get_str(p->config, "ExitPolicy");

        /* --share-parent=false: members (not the infra) keep the default cgroup parent, outside the pod's. */
        if (!json_is_false(json_object_get(p->config, "ShareParent")))
                cfg->cgroup_parent = parent ? xstrdup(parent) : pod_cgroup_parent(rt, p->id);
        cfg->pod_hostname = xstrdup(json_get_str(p->config, "Hostname"));
        cfg->pod_infra = xstrdup(p->infra_id);
        cfg->pod_exit_stop = policy && strcmp(policy, "stop") == 0;
}

/*
 * A pod with a user namespace (--userns, --uidmap...) runs its members in its infra's, as podman
 * does; the pod's other namespaces belong to it (its network namespace is the runtime's, see
 * userns_check), so runc, which joins the user namespace first, may join them.
 */
static int join_userns(const struct pod_rec *p, struct ctr_config *cfg, cpod_error_t *err)
{
        if (!pod_has_userns(p->config))
                return 0;
        if ((cfg->userns_mode && *cfg->userns_mode) || (cfg->uid_map && *cfg->uid_map) ||
            (cfg->gid_map && *cfg->gid_map) || (cfg->subuid_name && *cfg->subuid_name) ||
            (cfg->subgid_name && *cfg->subgid_name))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid config provided: cannot set --userns, --uidmap, --gidmap, --subuidname "
                                      "or --subgidname: the pod has a user namespace");
        cfg->userns_mode = xasprintf("container:%s", p->infra_id);
        return 0;
}

int pod_member_resolve(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err)
{
        struct pod_rec p;
        char id[65];
        int r;

        if ((r = cpod_pod_lookup(rt, cfg->pod, id, err)) < 0 || (r = pod_rec_load(rt, id, &p, err)) < 0)
                return r;
        free(cfg->pod);
        cfg->pod = xstrdup(p.id);
        if (p.infra_id && (r = join_shared(&p, cfg, err)) == 0 && (r = join_userns(&p, cfg, err)) == 0 &&
            pod_rec_shares(&p, "net"))
                r = take_pod_net(&p, cfg, err);
        if (r == 0)
                take_pod_settings(rt, &p, cfg);
        pod_rec_clear(&p);
        return r;
}
