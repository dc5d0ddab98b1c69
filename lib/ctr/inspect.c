/* SPDX-License-Identifier: Apache-2.0 */
/* Container reports with podman's field names: `ps --format json` entries and `inspect` objects. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fts.h>
#include <sys/stat.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
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

static json_t *or_empty_array(json_t *j)
{
        return json_is_array(j) ? json_incref(j) : json_array();
}

static json_t *labels_or_null(json_t *l)
{
        return json_object_size(l) ? json_incref(l) : json_null();
}

static bool running_like(enum cpod_ctr_state s)
{
        return s == CPOD_CTR_RUNNING || s == CPOD_CTR_PAUSED || s == CPOD_CTR_STOPPING;
}

static json_t *list_entry(const struct ctr *c)
{
        json_t *o = json_object();
        _cleanup_free_ char *since = human_since(c->created / 1000000000LL);
        bool exited = c->state == CPOD_CTR_EXITED || c->state == CPOD_CTR_STOPPED;

        json_object_set_new(o, "AutoRemove", json_boolean(json_is_true(json_object_get(c->config, "Rm"))));
        json_object_set_new(o, "Command", or_empty_array(json_object_get(c->config, "EffectiveCommand")));
        json_object_set_new(o, "Created", go_time(c->created));
        json_object_set_new(o, "CreatedAt", json_string(since));
        json_object_set_new(o, "Exited", json_boolean(exited));
        json_object_set_new(o, "ExitedAt",
                            json_integer(c->finished_at ? c->finished_at / 1000000000LL : -62135596800LL));
        json_object_set_new(o, "ExitCode", json_integer(c->exit_code));
        json_object_set_new(o, "Id", json_string(c->id));
        json_object_set_new(o, "Image", json_string(c->image_name ? c->image_name : ""));
        json_object_set_new(o, "ImageID", json_string(c->image_id ? c->image_id : ""));
        json_object_set_new(o, "IsInfra", json_boolean(json_is_true(json_object_get(c->config, "IsInfra"))));
        json_object_set_new(o, "Labels", labels_or_null(c->labels));
        json_object_set_new(o, "Mounts", json_array());
        json_object_set_new(o, "Names", json_pack("[s]", c->name));
        json_object_set_new(o, "Namespaces", json_object());
        json_object_set_new(o, "Networks", json_array());
        json_object_set_new(o, "Pid", json_integer(running_like(c->state) ? c->pid : 0));
        json_object_set_new(o, "Pod", json_string(c->pod_id ? c->pod_id : ""));
        json_object_set_new(o, "PodName", json_string(""));
        json_object_set_new(o, "Ports", json_null());
        json_object_set_new(o, "Restarts", json_integer(c->restart_count));
        json_object_set_new(o, "Size", json_null());
        json_object_set_new(o, "StartedAt", json_integer(c->started_at / 1000000000LL));
        json_object_set_new(o, "State", json_string(cpod_ctr_state_name(c->state)));
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
                json_array_append_new(a, list_entry(&v[i]));
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

static json_t *mounts(const struct ctr *c)
{
        json_t *a = json_array(), *e;
        size_t i;

        json_array_foreach(json_object_get(c->config, "Volumes"), i, e) {
                _cleanup_strv_ char **p = strv_split(json_string_value(e) ? json_string_value(e) : "", ":");
                if (strv_length(p) < 2)
                        continue;
                json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:s}", "Type", "bind", "Source",
                                                   p[0], "Destination", p[1], "Driver", "", "Options", json_array(),
                                                   "RW", !(p[2] && strstr(p[2], "ro")), "Propagation", "rprivate"));
        }
        return a;
}

static json_t *config_obj(const struct ctr *c, json_t *spec)
{
        json_t *p = c->config, *proc = json_object_get(spec, "process");
        const char *user = json_get_str(p, "User");

        return json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:O, s:O, s:s, s:s, s:O, s:O, s:O, s:s, s:I}",
                         "Hostname", json_get_str(spec, "hostname") ? json_get_str(spec, "hostname") : "", "Domainname",
                         "", "User", user ? user : "", "AttachStdin", false, "AttachStdout", false, "AttachStderr",
                         false, "Tty", json_is_true(json_object_get(p, "Tty")), "OpenStdin",
                         json_is_true(json_object_get(p, "Stdin")), "StdinOnce", false, "Env",
                         json_object_get(proc, "env") ? json_object_get(proc, "env") : json_array(), "Cmd",
                         json_object_get(p, "EffectiveCommand") ?: json_array(), "Image",
                         c->image_name ? c->image_name : "", "WorkingDir",
                         json_get_str(proc, "cwd") ? json_get_str(proc, "cwd") : "/", "Entrypoint",
                         json_object_get(p, "Entrypoint") ?: json_array(), "Labels",
                         json_object_size(c->labels) ? c->labels : json_null(), "Annotations",
                         json_object_get(spec, "annotations") ?: json_object(), "StopSignal",
                         json_get_str(p, "StopSignal") ? json_get_str(p, "StopSignal") : "15", "StopTimeout",
                         json_get_int(p, "StopTimeout", 10));
}

static json_t *restart_policy(const struct ctr *c)
{
        const char *p = json_get_str(c->config, "RestartPolicy");
        const char *colon = p ? strchr(p, ':') : NULL;
        _cleanup_free_ char *name = p ? (colon ? xstrndup(p, (size_t)(colon - p)) : xstrdup(p)) : xstrdup("");

        return json_pack("{s:s, s:i}", "Name", name, "MaximumRetryCount", colon ? atoi(colon + 1) : 0);
}

/* podman's HostConfig resource fields, 0 or "" when not set. */
static void resource_fields(const json_t *p, json_t *h)
{
        static const char *const ints[] = { "Memory",    "MemoryReservation", "MemorySwap", "CpuShares",
                                            "CpuPeriod", "CpuQuota",          NULL };
        json_t *cpus = json_object_get(p, "Cpus");

        for (const char *const *k = ints; *k; k++)
                json_object_set_new(h, *k, json_integer(json_get_int(p, *k, 0)));
        json_object_set_new(h, "NanoCpus",
                            json_integer(json_is_number(cpus) ? (json_int_t)(json_number_value(cpus) * 1e9 + 0.5) : 0));
        json_object_set_new(h, "CpusetCpus",
                            json_string(json_get_str(p, "CpusetCpus") ? json_get_str(p, "CpusetCpus") : ""));
        json_object_set_new(h, "CpusetMems",
                            json_string(json_get_str(p, "CpusetMems") ? json_get_str(p, "CpusetMems") : ""));
}

static json_t *host_config(struct cpod_runtime *rt, const struct ctr *c, json_t *spec)
{
        json_t *p = c->config;
        const char *net = json_get_str(p, "NetworkMode");
        _cleanup_free_ char *logf = ctr_log_file(rt, c), *logsize = NULL;
        json_t *h;
        static const char *const dnskeys[][2] = { { "Dns", "Dns" },
                                                  { "DnsOptions", "DnsOption" },
                                                  { "DnsSearch", "DnsSearch" },
                                                  { "ExtraHosts", "AddHost" } };

        logsize = ctr_log_size_max(rt, c) > 0 ? human_size((double)ctr_log_size_max(rt, c)) : xstrdup("0B");
        h = json_pack("{s:O, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:o, s:b, s:O, s:O, s:b, s:b, s:O, s:O, "
                      "s:b, s:s, s:O}",
                      "Binds", json_object_get(p, "Volumes") ?: json_array(), "CgroupManager", rt->cgroup_manager,
                      "CgroupMode", rt->cgroup_mode == CPOD_CGROUP_V2 ? "private" : "host", "ContainerIDFile",
                      json_get_str(p, "CidFile") ? json_get_str(p, "CidFile") : "", "LogConfig", "Type",
                      ctr_log_driver(rt, c), "Path", logf, "Size", logsize, "NetworkMode", net ? net : "none",
                      "RestartPolicy", restart_policy(c), "AutoRemove", json_is_true(json_object_get(p, "Rm")),
                      "CapAdd", json_object_get(p, "CapAdd") ?: json_array(), "CapDrop",
                      json_object_get(p, "CapDrop") ?: json_array(), "Privileged",
                      json_is_true(json_object_get(p, "Privileged")), "ReadonlyRootfs",
                      json_is_true(json_object_get(p, "ReadOnly")), "SecurityOpt",
                      json_object_get(p, "SecurityOpt") ?: json_array(), "Ulimits",
                      json_object_get(json_object_get(spec, "process"), "rlimits") ?: json_array(), "Init",
                      json_is_true(json_object_get(p, "Init")), "Runtime", "oci", "Tmpfs",
                      json_object_get(p, "Tmpfs") ?: json_array());
        for (size_t i = 0; i < 4; i++)
                json_object_set_new(h, dnskeys[i][0],
                                    json_object_get(p, dnskeys[i][1]) ? json_incref(json_object_get(p, dnskeys[i][1]))
                                                                      : json_array());
        resource_fields(p, h);
        json_object_set_new(h, "PidMode",
                            json_string(json_get_str(p, "PidMode") ? json_get_str(p, "PidMode") : "private"));
        json_object_set_new(h, "IpcMode",
                            json_string(json_get_str(p, "IpcMode") ? json_get_str(p, "IpcMode") : "private"));
        json_object_set_new(h, "UTSMode",
                            json_string(json_get_str(p, "UtsMode") ? json_get_str(p, "UtsMode") : "private"));
        return h;
}

static json_t *inspect_obj(struct cpod_runtime *rt, const struct ctr *c)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *cfg = path_join(bundle, "config.json");
        _cleanup_json_ json_t *spec = json_parse_file(cfg, NULL);
        json_t *args = json_object_get(c->config, "EffectiveCommand"), *o = json_object();
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
        json_object_set_new(o, "Image", json_string(c->image_id ? c->image_id : ""));
        json_object_set_new(o, "ImageName", json_string(c->image_name ? c->image_name : ""));
        json_object_set_new(o, "Rootfs", json_string(""));
        json_object_set_new(o, "Pod", json_string(c->pod_id ? c->pod_id : ""));
        json_object_set_new(o, "ResolvConfPath", json_sprintf("%s/resolv.conf", bundle));
        json_object_set_new(o, "HostnamePath", json_sprintf("%s/hostname", bundle));
        json_object_set_new(o, "HostsPath", json_sprintf("%s/hosts", bundle));
        json_object_set_new(o, "OCIConfigPath", json_string(cfg));
        json_object_set_new(o, "OCIRuntime", json_string(rt->oci.name ? rt->oci.name : ""));
        json_object_set_new(o, "ConmonPidFile", json_sprintf("%s/conmon.pid", bundle));
        json_object_set_new(o, "PidFile", json_sprintf("%s/pidfile", bundle));
        json_object_set_new(o, "Name", json_string(c->name));
        json_object_set_new(o, "RestartCount", json_integer(c->restart_count));
        json_object_set_new(o, "Driver", json_string(rt->storage_driver));
        json_object_set_new(o, "ExecIDs", ctr_exec_ids(rt, c->id));
        json_object_set_new(o, "EffectiveCaps", json_incref(json_object_get(caps, "effective") ?: json_array()));
        json_object_set_new(o, "BoundingCaps", json_incref(json_object_get(caps, "bounding") ?: json_array()));
        json_object_set_new(o, "GraphDriver",
                            json_pack("{s:s, s:{s:s}}", "Name", rt->storage_driver, "Data", "MergedDir",
                                      c->mountpoint ? c->mountpoint : ""));
        json_object_set_new(o, "Mounts", mounts(c));
        json_object_set_new(o, "IsInfra", json_boolean(json_is_true(json_object_get(c->config, "IsInfra"))));
        json_object_set_new(o, "Config", config_obj(c, spec));
        json_object_set_new(o, "HostConfig", host_config(rt, c, spec));
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

/* Bytes of the regular files under dir (without following links or leaving its file system). */
static int64_t du(const char *dir)
{
        char *paths[] = { (char *)dir, NULL };
        FTS *f = fts_open(paths, FTS_PHYSICAL | FTS_XDEV | FTS_NOCHDIR, NULL);
        FTSENT *e;
        int64_t total = 0;

        while (f && (e = fts_read(f)))
                if (e->fts_info == FTS_F)
                        total += e->fts_statp->st_size;
        if (f)
                fts_close(f);
        return total;
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
        *ret_rw = du(diff);
        *ret_rootfs = *ret_rw;
        if (c.image_id && store_image_get(s, c.image_id, &img, NULL) == 0) {
                *ret_rootfs += img.size;
                image_rec_clear(&img);
        }
        ctr_clear(&c);
        return 0;
}
