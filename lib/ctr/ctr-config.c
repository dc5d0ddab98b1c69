/* SPDX-License-Identifier: Apache-2.0 */
/* The container config's wire form: one table of members, read and written by the same code. */
#include "ctr/ctr-config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

enum kind {
        K_STR,  /* char * */
        K_BOOL, /* bool */
        K_TRI,  /* int: -1 when absent or null */
        K_I64,  /* int64_t */
        K_NUM,  /* double */
        K_STRV, /* char **, NULL-terminated */
        K_MAP,  /* json_t *: an object of strings */
        K_OBJS, /* json_t *: an object of objects (checked further by their readers) */
        K_ARRS, /* json_t *: an array of objects (checked further by their readers) */
};

enum field_flags {
        F_RESOLVED = 1 << 0, /* set by cpod at create: stored, refused from a client */
};

struct field {
        const char *key;
        enum kind kind;
        size_t off;
        ptrdiff_t has; /* offset of the bool saying it was given, or -1 */
        unsigned flags;
};

#define FLD(key, kind, member)                                                                                         \
        {                                                                                                              \
                key, kind, offsetof(struct ctr_config, member), -1, 0                                                  \
        }
#define FLD_HAS(key, kind, member)                                                                                     \
        {                                                                                                              \
                key, kind, offsetof(struct ctr_config, member), offsetof(struct ctr_config, has_##member), 0           \
        }
#define FLD_RESOLVED(key, kind, member)                                                                                \
        {                                                                                                              \
                key, kind, offsetof(struct ctr_config, member), -1, F_RESOLVED                                         \
        }

static const struct field fields[] = {
        FLD("Image", K_STR, image),
        FLD("Name", K_STR, name),
        FLD("Command", K_STRV, command),
        FLD_HAS("Entrypoint", K_STRV, entrypoint),
        FLD("Env", K_STRV, env),
        FLD("UnsetEnv", K_STRV, unset_env),
        FLD("UnsetEnvAll", K_BOOL, unset_env_all),
        FLD("Timezone", K_STR, timezone),
        FLD("Timeout", K_I64, timeout),
        FLD("PreserveFds", K_I64, preserve_fds),
        FLD("DeviceCgroupRules", K_STRV, device_cgroup_rules),
        FLD("CreateCommand", K_STRV, create_command),
        FLD("WorkingDir", K_STR, working_dir),
        FLD("User", K_STR, user),
        FLD("Hostname", K_STR, hostname),
        FLD("Tty", K_BOOL, tty),
        FLD("Stdin", K_BOOL, stdin_open),
        FLD("Rm", K_BOOL, rm),
        FLD("Init", K_BOOL, init),
        FLD("InitPath", K_STR, init_path),
        FLD("Privileged", K_BOOL, privileged),
        FLD("NoNewPrivileges", K_BOOL, no_new_privileges),
        FLD("ReadOnly", K_BOOL, read_only),
        FLD("ReadOnlyTmpfs", K_TRI, read_only_tmpfs),
        FLD("Labels", K_MAP, labels),
        FLD("Annotations", K_MAP, annotations),
        FLD("Sysctls", K_MAP, sysctls),
        FLD("CapAdd", K_STRV, cap_add),
        FLD("CapDrop", K_STRV, cap_drop),
        FLD("SecurityOpt", K_STRV, security_opt),
        FLD("Ulimits", K_STRV, ulimits),
        FLD("Devices", K_STRV, devices),
        FLD("GroupAdd", K_STRV, group_add),
        FLD("Volumes", K_STRV, volumes),
        FLD("Mounts", K_STRV, mounts),
        FLD("Tmpfs", K_STRV, tmpfs),
        FLD("VolumesFrom", K_STRV, volumes_from),
        FLD("ImageVolumeMode", K_STR, image_volume_mode),
        FLD("RestartPolicy", K_STR, restart_policy),
        FLD("SdNotifyMode", K_STR, sdnotify_mode),
        FLD("SdNotifySocket", K_STR, sdnotify_socket),
        FLD("StopSignal", K_STR, stop_signal),
        FLD_HAS("StopTimeout", K_I64, stop_timeout),
        FLD("NetworkMode", K_STR, network_mode),
        FLD("PidMode", K_STR, pid_mode),
        FLD("IpcMode", K_STR, ipc_mode),
        FLD("UtsMode", K_STR, uts_mode),
        FLD("Pod", K_STR, pod),
        FLD("LogDriver", K_STR, log_driver),
        FLD("LogPath", K_STR, log_path),
        FLD("LogTag", K_STR, log_tag),
        FLD_HAS("LogSizeMax", K_I64, log_size_max),
        FLD("CidFile", K_STR, cid_file),
        FLD("ShmSize", K_STR, shm_size),
        FLD("CgroupsPath", K_STR, cgroups_path),
        FLD("ConmonPidFile", K_STR, conmon_pid_file),
        FLD_HAS("PidsLimit", K_I64, pids_limit),
        FLD_HAS("OomScoreAdj", K_I64, oom_score_adj),
        FLD("Memory", K_I64, memory),
        FLD("MemoryReservation", K_I64, memory_reservation),
        FLD("MemorySwap", K_I64, memory_swap),
        FLD("CpuShares", K_I64, cpu_shares),
        FLD("CpuPeriod", K_I64, cpu_period),
        FLD("CpuQuota", K_I64, cpu_quota),
        FLD_HAS("Cpus", K_NUM, cpus),
        FLD("CpusetCpus", K_STR, cpuset_cpus),
        FLD("CpusetMems", K_STR, cpuset_mems),
        FLD_HAS("MemorySwappiness", K_I64, memory_swappiness),
        FLD("OomKillDisable", K_BOOL, oom_kill_disable),
        FLD("CpuRtPeriod", K_I64, cpu_rt_period),
        FLD("CpuRtRuntime", K_I64, cpu_rt_runtime),
        FLD_HAS("BlkioWeight", K_I64, blkio_weight),
        FLD("BlkioWeightDevice", K_STRV, blkio_weight_device),
        FLD("DeviceReadBps", K_STRV, device_read_bps),
        FLD("DeviceWriteBps", K_STRV, device_write_bps),
        FLD("DeviceReadIOps", K_STRV, device_read_iops),
        FLD("DeviceWriteIOps", K_STRV, device_write_iops),
        FLD("CgroupsMode", K_STR, cgroups_mode),
        FLD("CgroupConf", K_MAP, cgroup_conf),
        FLD("CgroupnsMode", K_STR, cgroupns_mode),
        FLD("UsernsMode", K_STR, userns_mode),
        FLD("UIDMap", K_STRV, uid_map),
        FLD("GIDMap", K_STRV, gid_map),
        FLD("SubUIDName", K_STR, subuid_name),
        FLD("SubGIDName", K_STR, subgid_name),
        FLD("Dns", K_STRV, dns),
        FLD("DnsSearch", K_STRV, dns_search),
        FLD("DnsOption", K_STRV, dns_option),
        FLD("AddHost", K_STRV, add_host),
        FLD("NoHosts", K_TRI, no_hosts),
        FLD("Networks", K_OBJS, networks),
        FLD("PortMappings", K_ARRS, port_mappings),
        FLD("Expose", K_STRV, expose),
        FLD("PublishAll", K_BOOL, publish_all),
        FLD("Secrets", K_STRV, secrets),
        FLD("HealthCmd", K_STRV, health_cmd),
        FLD("NoHealthcheck", K_BOOL, no_healthcheck),
        FLD_HAS("HealthInterval", K_I64, health_interval),
        FLD_HAS("HealthTimeout", K_I64, health_timeout),
        FLD_HAS("HealthStartPeriod", K_I64, health_start_period),
        FLD_HAS("HealthRetries", K_I64, health_retries),
        FLD("HealthOnFailure", K_STR, health_on_failure),
        FLD_RESOLVED("EffectiveCommand", K_STRV, effective_command),
        FLD_RESOLVED("IsInfra", K_BOOL, is_infra),
        FLD_RESOLVED("InitOnly", K_BOOL, init_only),
        FLD_RESOLVED("CgroupParent", K_STR, cgroup_parent),
        FLD_RESOLVED("PodInfra", K_STR, pod_infra),
        FLD_RESOLVED("PodExitStop", K_BOOL, pod_exit_stop),
        FLD_RESOLVED("PodHostname", K_STR, pod_hostname),
        FLD_RESOLVED("OCIRuntime", K_STR, oci_runtime),
        FLD_RESOLVED("IDMapUID", K_STRV, idmap_uid),
        FLD_RESOLVED("IDMapGID", K_STRV, idmap_gid),
        FLD_RESOLVED("NamedVolumes", K_ARRS, named_volumes),
        FLD_RESOLVED("SecretRefs", K_ARRS, secret_refs),
};

#define AT(c, f, type) ((type *)((char *)(c) + (f)->off))

static const struct field *find(const char *key)
{
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
                if (strcmp(fields[i].key, key) == 0)
                        return &fields[i];
        return NULL;
}

/* A value that asks for nothing: what a client sends for a setting it leaves alone. */
static bool is_empty(const json_t *v)
{
        switch (json_typeof(v)) {
        case JSON_NULL:
        case JSON_FALSE:
                return true;
        case JSON_STRING:
                return json_string_length(v) == 0;
        case JSON_INTEGER:
                return json_integer_value(v) == 0;
        case JSON_REAL:
                return json_real_value(v) == 0;
        case JSON_ARRAY:
                return json_array_size(v) == 0;
        case JSON_OBJECT:
                return json_object_size(v) == 0;
        default:
                return false;
        }
}

static int bad_type(const char *key, const char *want, cpod_error_t *err)
{
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid container config: \"%s\" must be %s", key, want);
}

static bool values_are_objects(const json_t *v)
{
        const char *k;
        size_t i;
        json_t *e;

        if (json_is_array(v)) {
                json_array_foreach(v, i, e)
                        if (!json_is_object(e))
                                return false;
                return true;
        }
        json_object_foreach((json_t *)v, k, e)
                if (!json_is_object(e))
                        return false;
        return true;
}

static bool strings_only(const json_t *v)
{
        const char *k;
        size_t i;
        json_t *e;

        if (json_is_array(v)) {
                json_array_foreach(v, i, e)
                        if (!json_is_string(e))
                                return false;
                return true;
        }
        json_object_foreach((json_t *)v, k, e)
                if (!json_is_string(e))
                        return false;
        return true;
}

/* One member into its field; null leaves the field at its zero value. */
static int set_field(struct ctr_config *c, const struct field *f, const json_t *v, cpod_error_t *err)
{
        if (f->has >= 0 && !json_is_null(v))
                *(bool *)((char *)c + f->has) = true;
        if (json_is_null(v))
                return 0;
        switch (f->kind) {
        case K_STR:
                if (!json_is_string(v))
                        return bad_type(f->key, "a string", err);
                *AT(c, f, char *) = xstrdup(json_string_value(v));
                return 0;
        case K_BOOL:
        case K_TRI:
                if (!json_is_boolean(v))
                        return bad_type(f->key, "true or false", err);
                if (f->kind == K_BOOL)
                        *AT(c, f, bool) = json_is_true(v);
                else
                        *AT(c, f, int) = json_is_true(v);
                return 0;
        case K_I64:
                if (!json_is_integer(v))
                        return bad_type(f->key, "an integer", err);
                *AT(c, f, int64_t) = json_integer_value(v);
                return 0;
        case K_NUM:
                if (!json_is_number(v))
                        return bad_type(f->key, "a number", err);
                *AT(c, f, double) = json_number_value(v);
                return 0;
        case K_STRV:
                if (!json_is_array(v) || !strings_only(v))
                        return bad_type(f->key, "an array of strings", err);
                *AT(c, f, char **) = json_to_strv(v);
                return 0;
        case K_MAP:
                if (!json_is_object(v) || !strings_only(v))
                        return bad_type(f->key, "an object of strings", err);
                if (!*AT(c, f, json_t *))
                        *AT(c, f, json_t *) = json_object();
                json_object_update(*AT(c, f, json_t *), (json_t *)v);
                return 0;
        case K_OBJS:
        case K_ARRS:
                if (f->kind == K_OBJS ? !json_is_object(v) || !values_are_objects(v)
                                      : !json_is_array(v) || !values_are_objects(v))
                        return bad_type(f->key, f->kind == K_OBJS ? "an object of objects" : "an array of objects",
                                        err);
                json_decref(*AT(c, f, json_t *));
                *AT(c, f, json_t *) = json_deep_copy(v);
                return 0;
        }
        return 0;
}

static void init(struct ctr_config *c)
{
        memset(c, 0, sizeof(*c));
        c->read_only_tmpfs = -1;
        c->no_hosts = -1;
}

int ctr_config_parse(const json_t *j, bool stored, struct ctr_config *ret, cpod_error_t *err)
{
        const char *key;
        json_t *v;
        int r;

        init(ret);
        if (!json_is_object(j))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid container config: not a JSON object");
        json_object_foreach((json_t *)j, key, v) {
                const struct field *f = find(key);
                if (!f || ((f->flags & F_RESOLVED) && !stored)) {
                        if (is_empty(v))
                                continue;
                        if (stored) { /* written by a newer cpod: it keeps its meaning there */
                                log_debug("container config member \"%s\" is not known, skipping", key);
                                continue;
                        }
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              f ? "invalid container config: \"%s\" is set by cpod, not by a client"
                                                : "invalid container config: \"%s\" is not supported by cpod",
                                              key);
                }
                if ((r = set_field(ret, f, v, err)) < 0)
                        return r;
        }
        return 0;
}

static json_t *field_json(const struct ctr_config *c, const struct field *f)
{
        bool has = f->has >= 0 && *(const bool *)((const char *)c + f->has);

        switch (f->kind) {
        case K_STR:
                return *AT(c, f, char *) ? json_string(*AT(c, f, char *)) : NULL;
        case K_BOOL:
                return *AT(c, f, bool) ? json_true() : NULL;
        case K_TRI:
                return *AT(c, f, int) >= 0 ? json_boolean(*AT(c, f, int)) : NULL;
        case K_I64:
                return *AT(c, f, int64_t) || has ? json_integer(*AT(c, f, int64_t)) : NULL;
        case K_NUM:
                return has ? json_real(*AT(c, f, double)) : NULL;
        case K_STRV: /* an empty list means what no list means, but for members with a "given" flag */
                return has || (*AT(c, f, char **) && **AT(c, f, char **)) ? json_strv(*AT(c, f, char **), -1) : NULL;
        case K_MAP:
                return json_object_size(*AT(c, f, json_t *)) ? json_copy(*AT(c, f, json_t *)) : NULL;
        case K_OBJS:
        case K_ARRS:
                return json_object_size(*AT(c, f, json_t *)) || json_array_size(*AT(c, f, json_t *))
                               ? json_deep_copy(*AT(c, f, json_t *))
                               : NULL;
        }
        return NULL;
}

json_t *ctr_config_to_json(const struct ctr_config *c)
{
        json_t *o = json_object();

        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
                json_t *v = field_json(c, &fields[i]);
                if (v)
                        json_object_set_new(o, fields[i].key, v);
        }
        return o;
}

void ctr_config_clear(struct ctr_config *c)
{
        if (!c)
                return;
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
                const struct field *f = &fields[i];
                if (f->kind == K_STR)
                        free(*AT(c, f, char *));
                else if (f->kind == K_STRV)
                        strv_free(*AT(c, f, char **));
                else if (f->kind == K_MAP || f->kind == K_OBJS || f->kind == K_ARRS)
                        json_decref(*AT(c, f, json_t *));
        }
        memset(c, 0, sizeof(*c));
}

char **ctr_config_command(const struct ctr_config *c, const json_t *imgcfg)
{
        _cleanup_strv_ char **img_ep = json_to_strv(json_object_get(imgcfg, "Entrypoint"));
        _cleanup_strv_ char **img_cmd = json_to_strv(json_object_get(imgcfg, "Cmd"));
        char *const *ep = c->has_entrypoint ? c->entrypoint : img_ep;
        char *const *cmd = c->command && c->command[0] ? c->command : c->has_entrypoint ? NULL : img_cmd;
        char **all = xnew0(char *, 1);

        for (char *const *a = ep; a && *a; a++)
                strv_add(&all, *a);
        for (char *const *a = cmd; a && *a; a++)
                strv_add(&all, *a);
        return all;
}

bool ctr_config_env_ok(const char *kv)
{
        const char *eq = strchr(kv, '=');

        return eq && eq != kv;
}
