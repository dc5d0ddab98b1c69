/* SPDX-License-Identifier: Apache-2.0 */
/* Container reports with podman's field names: `ps --format json` entries and `inspect` objects. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpod/container.h>

#include "ctr/userns.h"
#include "ctr/ctr.h"
#include "ctr/ctr-net.h"
#include "ctr/ctr-secrets.h"
#include "ctr/health.h"
#include "ctr/lifecycle.h"
#include "ctr/spec.h"
#include "runtime/engine-db.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static json_t *go_time(int64_t ns)
{
        _cleanup_free_ char *s = NULL;

        if (ns <= 0)
                return json_string("0001-01-01T00:00:00Z");
        s = time_rfc3339nano(ns / 1000000000LL, (long)(ns % 1000000000LL), 0);
        return json_string(s);
}

static const char *str_or(const char *s, const char *def)
{
        return s ? s : def;
}

/* A new reference to j, or a new empty array (object) when j is missing. */
static json_t *array_ref(json_t *j)
{
        return j ? json_incref(j) : json_array();
}

static json_t *object_ref(json_t *j)
{
        return j ? json_incref(j) : json_object();
}

static json_t *labels_or_null(json_t *l)
{
        return json_object_size(l) ? json_incref(l) : json_null();
}

static bool running_like(enum cpod_ctr_state s)
{
        return s == CPOD_CTR_RUNNING || s == CPOD_CTR_PAUSED || s == CPOD_CTR_STOPPING;
}

static json_t *network_names(const json_t *nets)
{
        json_t *a = json_array(), *v;
        const char *k;

        json_object_foreach((json_t *)nets, k, v)
                json_array_append_new(a, json_string(k));
        return a;
}

/* podman's ps Mounts: where the user's volumes and host paths are mounted. */
static json_t *user_volume_dests(const struct ctr *c)
{
        json_t *a = json_array(), *e;
        size_t i;

        for (char **v = c->cfg.volumes; v && *v; v++) {
                _cleanup_strv_ char **p = ctr_volume_spec_named(*v) ? NULL : strv_split(*v, ":");
                if (p && p[0] && p[1])
                        json_array_append_new(a, json_string(p[1]));
        }
        json_array_foreach(c->cfg.named_volumes, i, e)
                json_array_append_new(a, json_string(json_get_str(e, "Dest")));
        return a;
}

static json_t *list_entry(struct cpod_runtime *rt, const struct ctr *c)
{
        char *health = ctr_health_status(rt, c->id);
        json_t *o = json_object();
        _cleanup_free_ char *since = human_since(c->created / 1000000000LL);
        bool exited = c->state == CPOD_CTR_EXITED || c->state == CPOD_CTR_STOPPED;

        json_object_set_new(o, "AutoRemove", json_boolean(c->cfg.rm));
        json_object_set_new(o, "Command", json_strv(c->cfg.effective_command, -1));
        json_object_set_new(o, "Created", go_time(c->created));
        json_object_set_new(o, "CreatedAt", json_string(since));
        json_object_set_new(o, "Exited", json_boolean(exited));
        json_object_set_new(o, "ExitedAt",
                            json_integer(c->finished_at ? c->finished_at / 1000000000LL : -62135596800LL));
        json_object_set_new(o, "ExitCode", json_integer(c->exit_code));
        json_object_set_new(o, "Id", json_string(c->id));
        json_object_set_new(o, "Image", json_string(c->image_name ? c->image_name : ""));
        json_object_set_new(o, "ImageID", json_string(c->image_id ? c->image_id : ""));
        json_object_set_new(o, "IsInfra", json_boolean(c->cfg.is_infra));
        json_object_set_new(o, "Labels", labels_or_null(c->labels));
        json_object_set_new(o, "Mounts", user_volume_dests(c));
        json_object_set_new(o, "Names", json_pack("[s]", c->name));
        json_object_set_new(o, "Namespaces", json_object());
        json_object_set_new(o, "Networks", network_names(c->cfg.networks));
        json_object_set_new(o, "Pid", json_integer(running_like(c->state) ? c->pid : 0));
        json_object_set_new(o, "Pod", json_string(c->pod_id ? c->pod_id : ""));
        json_object_set_new(o, "PodName", json_string(""));
        json_object_set_new(o, "Ports", c->cfg.port_mappings ? json_deep_copy(c->cfg.port_mappings) : json_null());
        json_object_set_new(o, "Restarts", json_integer(c->restart_count));
        json_object_set_new(o, "Size", json_null());
        json_object_set_new(o, "StartedAt", json_integer(c->started_at / 1000000000LL));
        json_object_set_new(o, "State", json_string(cpod_ctr_state_name(c->state)));
        json_object_set_new(o, "Status", json_string_take(health ? health : xstrdup(""))); /* podman's: health */
        return o;
}

int ctr_list(struct cpod_runtime *rt, bool all, json_t **ret, cpod_error_t *err)
{
        struct ctr *v;
        size_t n;
        json_t *a;

        if (ctr_db_list(rt, &v, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        a = json_array();
        for (size_t i = 0; i < n; i++) {
                ctr_reconcile_view(rt, &v[i]);
                if (!all && v[i].state != CPOD_CTR_RUNNING)
                        continue; /* podman's ps without -a: running containers only */
                json_array_append_new(a, list_entry(rt, &v[i]));
        }
        ctrs_free(v, n);
        *ret = a;
        return 0;
}

static json_t *state_obj(const struct ctr *c)
{
        bool run = c->state == CPOD_CTR_RUNNING || c->state == CPOD_CTR_STOPPING;

        return json_pack("{s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:i, s:i, s:i, s:s, s:o, s:o, s:s}", "OciVersion",
                         "1.0.2-dev", "Status", cpod_ctr_state_name(c->state), "Running", run, "Paused",
                         c->state == CPOD_CTR_PAUSED, "Restarting", false, "OOMKilled", c->oom_killed, "Dead", false,
                         "Pid", running_like(c->state) ? c->pid : 0, "ConmonPid",
                         running_like(c->state) ? c->conmon_pid : 0, "ExitCode", c->exit_code, "Error", "", "StartedAt",
                         go_time(c->started_at), "FinishedAt", go_time(c->finished_at), "CheckpointedAt",
                         "0001-01-01T00:00:00Z");
}

/* Capabilities as podman's inspect names them: CAP_NAME, upper case ("all" stays ALL). */
static json_t *cap_names(char **caps)
{
        json_t *a = json_array();

        for (char **c = caps; c && *c; c++) {
                char *n = strncasecmp(*c, "CAP_", 4) == 0 || strcasecmp(*c, "all") == 0 ? xstrdup(*c)
                                                                                        : xasprintf("CAP_%s", *c);
                for (char *q = n; *q; q++)
                        *q = (char)toupper((unsigned char)*q);
                json_array_append_new(a, json_string_take(n));
        }
        return a;
}

/* podman's Mounts entry: RW and Propagation apart, the rest of the options in Options. */
static json_t *mount_entry(const char *type, const char *name, const char *source, const char *dst, json_t *opts)
{
        json_t *o = json_object(), *rest = json_array(), *e;
        const char *prop = "rprivate";
        bool rw = true;
        size_t i;

        json_array_foreach(opts, i, e) {
                const char *v = json_string_value(e);
                if (strcmp(v, "ro") == 0 || strcmp(v, "rw") == 0)
                        rw = strcmp(v, "rw") == 0;
                else if (strstr(v, "shared") || strstr(v, "slave") || strstr(v, "private") || strstr(v, "bindable"))
                        prop = v;
                else
                        json_array_append(rest, e);
        }
        json_object_set_new(o, "Type", json_string(type));
        if (name)
                json_object_set_new(o, "Name", json_string(name));
        json_object_set_new(o, "Source", json_string(source));
        json_object_set_new(o, "Destination", json_string(dst));
        json_object_set_new(o, "Driver", json_string(name ? "local" : ""));
        json_object_set_new(o, "Mode", json_string(""));
        json_object_set_new(o, "Options", rest);
        json_object_set_new(o, "RW", json_boolean(rw));
        json_object_set_new(o, "Propagation", json_string(prop));
        return o;
}

/* The user's bind mounts and the named volumes (tmpfs mounts are HostConfig.Tmpfs), as podman. */
static json_t *mounts(struct cpod_runtime *rt, const struct ctr *c)
{
        _cleanup_json_ json_t *user = json_array(), *vols = json_array();
        json_t *a = json_array(), *m;
        size_t i;

        (void)spec_user_mounts(&c->cfg, user, NULL);
        spec_volume_binds(rt, &c->cfg, vols);
        json_array_foreach(user, i, m) {
                const char *type = json_get_str(m, "type");
                if (strcmp(type, "bind") == 0 || strcmp(type, "overlay") == 0)
                        json_array_append_new(a, mount_entry("bind", NULL, json_get_str(m, "source"),
                                                             json_get_str(m, "destination"),
                                                             json_object_get(m, "options")));
        }
        json_array_foreach(vols, i, m) {
                json_array_append_new(a, mount_entry("volume", json_get_str(m, "name"), json_get_str(m, "source"),
                                                     json_get_str(m, "destination"), json_object_get(m, "options")));
        }
        return a;
}

static json_t *config_fields(struct cpod_runtime *rt, const struct ctr *c, json_t *spec, const struct ctr_config *p,
                             json_t *proc)
{
        return json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:o, s:o, s:s, s:s, s:o, s:o, s:o, s:s, s:I}",
                         "Hostname", str_or(json_get_str(spec, "hostname"), ""), "Domainname", "", "User",
                         str_or(p->user, ""), "AttachStdin", false, "AttachStdout", false, "AttachStderr", false, "Tty",
                         p->tty, "OpenStdin", p->stdin_open, "StdinOnce", false, "Env",
                         ctr_secrets_env_filter(p, json_object_get(proc, "env")), "Cmd",
                         json_strv(p->effective_command, -1), "Image", str_or(c->image_name, ""), "WorkingDir",
                         str_or(json_get_str(proc, "cwd"), "/"), "Entrypoint", json_strv(p->entrypoint, -1), "Labels",
                         json_object_size(c->labels) ? json_copy(c->labels) : json_null(), "Annotations",
                         object_ref(json_object_get(spec, "annotations")), "StopSignal", str_or(p->stop_signal, "15"),
                         "StopTimeout", (json_int_t)(p->has_stop_timeout ? p->stop_timeout : rt->config->stop_timeout));
}

static json_t *config_obj(struct cpod_runtime *rt, const struct ctr *c, json_t *spec)
{
        const struct ctr_config *p = &c->cfg;
        json_t *proc = json_object_get(spec, "process");
        json_t *o = config_fields(rt, c, spec, p, proc);

        json_t *secrets = ctr_secrets_inspect(p), *hc;

        json_object_set_new(o, "CreateCommand", p->create_command ? json_strv(p->create_command, -1) : json_null());
        if (p->sdnotify_mode && *p->sdnotify_mode) /* podman's omitempty */
                json_object_set_new(o, "sdNotifyMode", json_string(p->sdnotify_mode));
        if (p->sdnotify_socket && *p->sdnotify_socket)
                json_object_set_new(o, "sdNotifySocket", json_string(p->sdnotify_socket));
        if (secrets) /* podman's omitempty */
                json_object_set_new(o, "Secrets", secrets);
        if ((hc = ctr_health_config_json(p)))
                json_object_set_new(o, "Healthcheck", hc);
        json_object_set_new(o, "HealthcheckOnFailureAction",
                            json_string(p->health_on_failure && *p->health_on_failure ? p->health_on_failure : "none"));
        return o;
}

static json_t *restart_policy(const struct ctr *c)
{
        const char *p = c->cfg.restart_policy;
        const char *colon = p ? strchr(p, ':') : NULL;
        _cleanup_free_ char *name = p ? (colon ? xstrndup(p, (size_t)(colon - p)) : xstrdup(p)) : xstrdup("");

        return json_pack("{s:s, s:i}", "Name", name, "MaximumRetryCount", colon ? atoi(colon + 1) : 0);
}

/* podman's HostConfig resource fields, 0 or "" when not set. */
static void resource_fields(const struct ctr_config *p, json_t *h)
{
        json_object_set_new(h, "Memory", json_integer(p->memory));
        json_object_set_new(h, "MemoryReservation", json_integer(p->memory_reservation));
        json_object_set_new(h, "MemorySwap", json_integer(p->memory_swap));
        json_object_set_new(h, "CpuShares", json_integer(p->cpu_shares));
        json_object_set_new(h, "CpuPeriod", json_integer(p->cpu_period));
        json_object_set_new(h, "CpuQuota", json_integer(p->cpu_quota));
        json_object_set_new(h, "NanoCpus", json_integer(p->has_cpus ? (json_int_t)(p->cpus * 1e9 + 0.5) : 0));
        json_object_set_new(h, "CpusetCpus", json_string(str_or(p->cpuset_cpus, "")));
        json_object_set_new(h, "CpusetMems", json_string(str_or(p->cpuset_mems, "")));
        json_object_set_new(h, "CpuRealtimePeriod", json_integer(p->cpu_rt_period));
        json_object_set_new(h, "CpuRealtimeRuntime", json_integer(p->cpu_rt_runtime));
        json_object_set_new(
                h, "MemorySwappiness",
                json_integer(p->has_memory_swappiness && p->memory_swappiness >= 0 ? p->memory_swappiness : -1));
        json_object_set_new(h, "OomKillDisable", json_boolean(p->oom_kill_disable));
        json_object_set_new(h, "KernelMemory", json_integer(0));
        json_object_set_new(h, "BlkioWeight", json_integer(p->has_blkio_weight ? p->blkio_weight : 0));
        json_object_set_new(h, "BlkioWeightDevice", spec_blkio_inspect(p->blkio_weight_device, SPEC_BLKIO_WEIGHT));
        json_object_set_new(h, "BlkioDeviceReadBps", spec_blkio_inspect(p->device_read_bps, SPEC_BLKIO_BPS));
        json_object_set_new(h, "BlkioDeviceWriteBps", spec_blkio_inspect(p->device_write_bps, SPEC_BLKIO_BPS));
        json_object_set_new(h, "BlkioDeviceReadIOps", spec_blkio_inspect(p->device_read_iops, SPEC_BLKIO_IOPS));
        json_object_set_new(h, "BlkioDeviceWriteIOps", spec_blkio_inspect(p->device_write_iops, SPEC_BLKIO_IOPS));
        json_object_set_new(h, "CgroupConf",
                            json_object_size(p->cgroup_conf) ? json_copy(p->cgroup_conf) : json_null());
        /* podman: "disabled" for a container without a cgroup, else "default" (cpod refuses "disabled") */
        json_object_set_new(h, "Cgroups", json_string("default"));
}

/* podman's CgroupMode: the cgroup namespace, host when the container has none of its own. */
static const char *cgroupns_mode(struct cpod_runtime *rt, const struct ctr_config *p)
{
        if (p->cgroupns_mode && *p->cgroupns_mode)
                return p->cgroupns_mode;
        return rt->cgroup_mode == CPOD_CGROUP_V2 ? "private" : "host";
}

static const char *mode_or_private(const char *m)
{
        return m && *m ? m : "private";
}

static json_t *host_config(struct cpod_runtime *rt, const struct ctr *c, json_t *spec)
{
        const struct ctr_config *p = &c->cfg;
        _cleanup_free_ char *logf = ctr_log_file(rt, c), *logsize = NULL;
        json_t *h;

        logsize = human_size_compact(ctr_log_size_max(rt, c) > 0 ? (double)ctr_log_size_max(rt, c) : 0);
        h = json_pack("{s:o, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:o, s:b, s:o, s:o, s:b, s:b, s:o, s:o, "
                      "s:b, s:s, s:o, s:s}",
                      "Binds", json_strv(p->volumes, -1), "CgroupManager", rt->cgroup_manager, "CgroupMode",
                      cgroupns_mode(rt, p), "ContainerIDFile", str_or(p->cid_file, ""), "LogConfig", "Type",
                      ctr_log_driver(rt, c), "Path", logf, "Size", logsize, "NetworkMode",
                      str_or(p->network_mode, "none"), "RestartPolicy", restart_policy(c), "AutoRemove", p->rm,
                      "CapAdd", cap_names(p->cap_add), "CapDrop", cap_names(p->cap_drop), "Privileged", p->privileged,
                      "ReadonlyRootfs", p->read_only, "SecurityOpt", json_strv(p->security_opt, -1), "Ulimits",
                      array_ref(json_object_get(json_object_get(spec, "process"), "rlimits")), "Init", p->init,
                      "Runtime", "oci", "Tmpfs", json_strv(p->tmpfs, -1), "CgroupParent", str_or(p->cgroup_parent, ""));
        {
                /* /dev/shm's size in bytes, as podman reports it */
                _cleanup_free_ char *shm = ctr_shm_size(rt, c);
                int64_t n = 0;
                (void)parse_size(shm, &n);
                json_object_set_new(h, "ShmSize", json_integer(n));
        }
        json_object_set_new(json_object_get(h, "LogConfig"), "Config", json_null());
        json_object_set_new(json_object_get(h, "LogConfig"), "Tag", json_string(str_or(p->log_tag, "")));
        json_object_set_new(h, "Dns", json_strv(p->dns, -1));
        json_object_set_new(h, "DnsOptions", json_strv(p->dns_option, -1));
        json_object_set_new(h, "DnsSearch", json_strv(p->dns_search, -1));
        json_object_set_new(h, "ExtraHosts", json_strv(p->add_host, -1));
        resource_fields(p, h);
        json_object_set_new(h, "OomScoreAdj", json_integer(p->oom_score_adj));
        json_object_set_new(h, "PidsLimit", json_integer(p->has_pids_limit ? p->pids_limit : rt->config->pids_limit));
        json_object_set_new(h, "PidMode", json_string(mode_or_private(p->pid_mode)));
        json_object_set_new(h, "IpcMode", json_string(mode_or_private(p->ipc_mode)));
        json_object_set_new(h, "UTSMode", json_string(mode_or_private(p->uts_mode)));
        json_object_set_new(h, "UsernsMode", json_string_take(userns_inspect_mode(p)));
        if (userns_enabled(p))
                json_object_set_new(h, "IDMappings",
                                    json_pack("{s:o, s:o}", "UidMap", json_strv(p->idmap_uid, -1), "GidMap",
                                              json_strv(p->idmap_gid, -1)));
        json_object_set_new(h, "PortBindings", ctr_net_port_bindings(c));
        json_object_set_new(h, "PublishAllPorts", json_boolean(p->publish_all));
        return h;
}

/* The manifest digest of the container's image ("" once the image is gone). */
static json_t *image_digest(struct cpod_runtime *rt, const struct ctr *c)
{
        struct image_rec img = { 0 };
        struct store *s;
        json_t *d;

        if (!c->image_id || rt_store(rt, &s, NULL) < 0 || store_image_get(s, c->image_id, &img, NULL) < 0)
                return json_string("");
        d = json_string(img.digest ? img.digest : "");
        image_rec_clear(&img);
        return d;
}

/* The containers this one cannot run without: those whose namespaces it joins, its pod's infra. */
static json_t *dependencies(const struct ctr *c)
{
        const struct ctr_config *p = &c->cfg;
        const char *modes[] = {
                p->network_mode, p->pid_mode, p->ipc_mode, p->uts_mode, p->cgroupns_mode, p->userns_mode
        };
        _cleanup_strv_ char **ids = NULL;

        for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
                if (modes[i] && strncmp(modes[i], "container:", 10) == 0 && !strv_contains(ids, modes[i] + 10))
                        strv_add(&ids, modes[i] + 10);
        if (p->pod_infra && *p->pod_infra && strcmp(p->pod_infra, c->id) != 0 && !strv_contains(ids, p->pod_infra))
                strv_add(&ids, p->pod_infra);
        return json_strv(ids, -1);
}

static json_t *inspect_obj(struct cpod_runtime *rt, const struct ctr *c)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *cfg = path_join(bundle, "config.json");
        _cleanup_json_ json_t *spec = json_parse_file(cfg, NULL);
        _cleanup_json_ json_t *args = json_strv(c->cfg.effective_command, -1);
        json_t *o = json_object();
        json_t *caps = json_path(spec, "process.capabilities");

        if (!spec)
                spec = json_object();
        json_object_set_new(o, "Id", json_string(c->id));
        json_object_set_new(o, "Created", go_time(c->created));
        json_object_set_new(o, "Path",
                            json_string(json_array_size(args) ? json_string_value(json_array_get(args, 0)) : ""));
        json_object_set_new(o, "Args", json_array_size(args) > 1 ? json_array() : json_array());
        for (size_t i = 1; i < json_array_size(args); i++)
                json_array_append(json_object_get(o, "Args"), json_array_get(args, i));
        json_object_set_new(o, "State", state_obj(c));
        json_object_set_new(json_object_get(o, "State"), "Health", ctr_health_state_json(rt, c->id));
        json_object_set_new(o, "Image", json_string(c->image_id ? c->image_id : ""));
        json_object_set_new(o, "ImageName", json_string(c->image_name ? c->image_name : ""));
        json_object_set_new(o, "Rootfs", json_string(""));
        json_object_set_new(o, "Pod", json_string(c->pod_id ? c->pod_id : ""));
        json_object_set_new(o, "ResolvConfPath", json_sprintf("%s/resolv.conf", bundle));
        json_object_set_new(o, "HostnamePath", json_sprintf("%s/hostname", bundle));
        json_object_set_new(o, "HostsPath", json_sprintf("%s/hosts", bundle));
        json_object_set_new(o, "OCIConfigPath", json_string(cfg));
        /* as the user named it at create (--runtime /usr/bin/runc), as podman keeps it */
        json_object_set_new(o, "OCIRuntime",
                            json_string(c->cfg.oci_runtime ? c->cfg.oci_runtime : str_or(rt->oci.name, "")));
        json_object_set_new(o, "ImageDigest", image_digest(rt, c));
        json_object_set_new(o, "Namespace", json_string(""));
        json_object_set_new(o, "Dependencies", dependencies(c));
        json_object_set_new(o, "ConmonPidFile", json_sprintf("%s/conmon.pid", bundle));
        json_object_set_new(o, "PidFile", json_sprintf("%s/pidfile", bundle));
        json_object_set_new(o, "Name", json_string(c->name));
        json_object_set_new(o, "RestartCount", json_integer(c->restart_count));
        json_object_set_new(o, "Driver", json_string(rt->storage_driver));
        json_object_set_new(o, "ExecIDs", ctr_exec_ids(rt, c->id));
        json_object_set_new(o, "EffectiveCaps", array_ref(json_object_get(caps, "effective")));
        json_object_set_new(o, "BoundingCaps", array_ref(json_object_get(caps, "bounding")));
        json_object_set_new(o, "GraphDriver",
                            json_pack("{s:s, s:{s:s}}", "Name", rt->storage_driver, "Data", "MergedDir",
                                      c->mountpoint ? c->mountpoint : ""));
        json_object_set_new(o, "Mounts", mounts(rt, c));
        json_object_set_new(o, "IsInfra", json_boolean(c->cfg.is_infra));
        json_object_set_new(o, "Config", config_obj(rt, c, spec));
        json_object_set_new(o, "HostConfig", host_config(rt, c, spec));
        json_object_set_new(o, "NetworkSettings", ctr_net_settings(rt, c));
        return o;
}

int cpod_ctr_inspect(struct cpod_runtime *rt, const char *name, bool size, json_t **ret, cpod_error_t *err)
{
        struct ctr c = { 0 };
        const struct cpod_oci_runtime *oci;
        char id[65];

        if (cpod_ctr_lookup(rt, name, id, err) < 0 || ctr_db_get(rt, id, &c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        (void)cpod_runtime_oci(rt, &oci, NULL);
        ctr_reconcile_view(rt, &c);
        *ret = inspect_obj(rt, &c);
        ctr_clear(&c);
        /* --size: podman's SizeRw (the writable layer) and SizeRootFs (it and the image). */
        if (size) {
                int64_t rw, rootfs;
                if (cpod_ctr_size(rt, id, &rw, &rootfs, err) < 0) {
                        json_decref(*ret);
                        return cpod_error_rc(err, -EIO);
                }
                json_object_set_new(*ret, "SizeRw", json_integer(rw));
                json_object_set_new(*ret, "SizeRootFs", json_integer(rootfs));
        }
        return 0;
}

int cpod_ctr_config(struct cpod_runtime *rt, const char *name, json_t **ret, cpod_error_t *err)
{
        struct ctr c = { 0 };
        char id[65];
        json_t *o;

        if (cpod_ctr_lookup(rt, name, id, err) < 0 || ctr_db_get(rt, id, &c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        o = ctr_config_to_json(&c.cfg);
        json_object_set_new(o, "Id", json_string(c.id));
        json_object_set_new(o, "Name", json_string(c.name ? c.name : ""));
        json_object_set_new(o, "ImageID", json_string(c.image_id ? c.image_id : ""));
        json_object_set_new(o, "ImageName", json_string(c.image_name ? c.image_name : ""));
        json_object_set_new(o, "PodID", json_string(c.pod_id ? c.pod_id : ""));
        json_object_set_new(o, "Created", json_integer(c.created));
        ctr_clear(&c);
        *ret = o;
        return 0;
}

int cpod_ctr_count_by_image(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err)
{
        struct ctr *v;
        size_t n;
        json_t *o;

        if (ctr_db_list(rt, &v, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        o = json_object();
        for (size_t i = 0; i < n; i++)
                if (v[i].image_id)
                        json_object_set_new(o, v[i].image_id, json_integer(json_get_int(o, v[i].image_id, 0) + 1));
        ctrs_free(v, n);
        *ret = o;
        return 0;
}

int cpod_ctr_ids_by_image(struct cpod_runtime *rt, const char *image_id, char ***ret, cpod_error_t *err)
{
        struct ctr *v;
        size_t n;

        if (ctr_db_list(rt, &v, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        *ret = xnew0(char *, 1);
        for (size_t i = 0; i < n; i++)
                if (v[i].image_id && strcmp(v[i].image_id, image_id) == 0)
                        strv_add(ret, v[i].id);
        ctrs_free(v, n);
        return 0;
}

int cpod_ctr_size(struct cpod_runtime *rt, const char *name, int64_t *ret_rw, int64_t *ret_rootfs, cpod_error_t *err)
{
        struct ctr c = { 0 };
        struct store *s;
        struct image_rec img = { 0 };
        _cleanup_free_ char *diff = NULL;
        char id[65];

        if (cpod_ctr_lookup(rt, name, id, err) < 0 || ctr_db_get(rt, id, &c, err) < 0 || rt_store(rt, &s, err) < 0) {
                ctr_clear(&c);
                return cpod_error_rc(err, -ENOENT);
        }
        diff = store_layer_diff_dir(s, c.layer_id);
        *ret_rw = dir_size(diff);
        *ret_rootfs = *ret_rw;
        if (c.image_id && store_image_get(s, c.image_id, &img, NULL) == 0) {
                *ret_rootfs += img.size;
                image_rec_clear(&img);
        }
        ctr_clear(&c);
        return 0;
}
