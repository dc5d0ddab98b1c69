/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/ctr-params.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/image.h>
#include <cpod/pod.h>

#include "cli/commands.h"
#include "cli/env.h"
#include "cli/pull-progress.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/signals.h"
#include "util/strv.h"
#include "util/xalloc.h"

static int build_env(const struct run_opts *o, json_t *p)
{
        _cleanup_strv_ char **env = NULL;
        int r = cli_env_collect(&o->env_file, &o->env, o->env_host, &env);

        if (r == 0)
                json_object_set_new(p, "Env", json_strv(env, -1));
        return r;
}

static int kv_object(const struct strv *v, const char *what, json_t **ret)
{
        json_t *o = json_object();

        for (size_t i = 0; i < v->n; i++) {
                const char *eq = strchr(v->v[i], '=');
                if (eq == v->v[i]) {
                        json_decref(o);
                        return cli_errorf("invalid %s \"%s\": empty key", what, v->v[i]);
                }
                json_object_setn_new(o, v->v[i], eq ? (size_t)(eq - v->v[i]) : strlen(v->v[i]),
                                     json_string(eq ? eq + 1 : ""));
        }
        *ret = o;
        return 0;
}

int cli_labels(const struct strv *files, const struct strv *labels, json_t **ret)
{
        struct strv all = { 0 };
        _cleanup_strv_ char **lines = xnew0(char *, 1);
        int r;

        for (size_t i = 0; i < files->n; i++) {
                _cleanup_free_ char *buf = NULL;
                cpod_error_t err = CPOD_ERROR_INIT;
                char *save = NULL;
                size_t len;
                if (read_file(files->v[i], &buf, &len, 16 << 20, &err) < 0) {
                        free(all.v);
                        return cli_fail(&err);
                }
                for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
                        if (*line && *line != '#')
                                strv_add(&lines, line);
        }
        for (char **l = lines; *l; l++)
                cli_strv_push(&all, *l);
        for (size_t i = 0; i < labels->n; i++)
                cli_strv_push(&all, labels->v[i]);
        r = kv_object(&all, "label", ret);
        free(all.v);
        return r;
}

static int labels(const struct run_opts *o, json_t *p)
{
        json_t *l;
        int r = cli_labels(&o->label_file, &o->label, &l);

        if (r == 0)
                json_object_set_new(p, "Labels", l);
        return r;
}

/* --entrypoint takes a JSON array or a plain string; "" resets it. */
static json_t *entrypoint(const char *s)
{
        json_t *j;

        if (!*s)
                return json_array();
        if (s[0] == '[' && (j = json_loads(s, 0, NULL)) && json_is_array(j))
                return j;
        return json_pack("[s]", s);
}

static int check_restart(const char *r)
{
        if (!r || strcmp(r, "no") == 0 || strcmp(r, "always") == 0 || strcmp(r, "unless-stopped") == 0 ||
            strcmp(r, "on-failure") == 0)
                return 0;
        if (strncmp(r, "on-failure:", 11) == 0 && r[11] && strspn(r + 11, "0123456789") == strlen(r + 11))
                return 0;
        return cli_errorf("invalid restart policy: \"%s\"", r);
}

static void set_str(json_t *p, const char *key, const char *v)
{
        if (v)
                json_object_set_new(p, key, json_string(v));
}

/* --sdnotify, and the NOTIFY_SOCKET this command was given (podman keeps it unless ignore). */
static int sdnotify_fields(const struct run_opts *o, json_t *p)
{
        const char *m = o->sdnotify ? o->sdnotify : "container", *sock = getenv("NOTIFY_SOCKET");

        if (strcmp(m, "container") != 0 && strcmp(m, "conmon") != 0 && strcmp(m, "ignore") != 0)
                return cli_errorf("invalid argument: invalid sdnotify value \"%s\": must be container, conmon or "
                                  "ignore",
                                  m);
        set_str(p, "SdNotifyMode", m);
        if (strcmp(m, "ignore") != 0 && sock && *sock)
                set_str(p, "SdNotifySocket", sock);
        return 0;
}

static int simple_fields(struct cli_ctx *ctx, const struct run_opts *o, json_t *p)
{
        int r;

        set_str(p, "Name", o->name);
        set_str(p, "Hostname", o->hostname);
        set_str(p, "User", o->user);
        set_str(p, "WorkingDir", o->workdir);
        set_str(p, "CidFile", o->cidfile);
        set_str(p, "ConmonPidFile", o->conmon_pidfile);
        set_str(p, "Timezone", o->tz);
        if (o->timeout)
                json_object_set_new(p, "Timeout", json_integer((json_int_t)o->timeout));
        if (o->preserve_fds)
                json_object_set_new(p, "PreserveFds", json_integer((json_int_t)o->preserve_fds));
        if (o->unsetenv_all)
                json_object_set_new(p, "UnsetEnvAll", json_true());
        if (o->kernel_memory)
                cli_warn("The --kernel-memory flag is no longer supported. This flag is a noop.", NULL);
        set_str(p, "InitPath", o->init_path);
        set_str(p, "ShmSize", cli_changed(ctx, "shm-size") ? o->shm_size : NULL);
        set_str(p, "RestartPolicy", o->restart);
        if ((r = sdnotify_fields(o, p)))
                return r;
        set_str(p, "PidMode", o->pid);
        set_str(p, "IpcMode", o->ipc);
        set_str(p, "UtsMode", o->uts);
        set_str(p, "UsernsMode", o->userns);
        set_str(p, "SubUIDName", o->subuidname);
        set_str(p, "SubGIDName", o->subgidname);
        json_object_set_new(p, "UIDMap", cli_strv_json(&o->uidmap));
        json_object_set_new(p, "GIDMap", cli_strv_json(&o->gidmap));
        if ((r = check_restart(o->restart)) || (r = cli_network_params(&o->netsel, p)))
                return r;
        if (o->stop_signal) {
                int sig = signal_number(o->stop_signal);
                if (sig < 0)
                        return cli_errorf("invalid signal: %s", o->stop_signal);
                json_object_set_new(p, "StopSignal", json_sprintf("%d", sig));
        }
        if (cli_changed(ctx, "stop-timeout"))
                json_object_set_new(p, "StopTimeout", json_integer((json_int_t)o->stop_timeout));
        if (cli_changed(ctx, "pids-limit"))
                json_object_set_new(p, "PidsLimit", json_integer(o->pids_limit));
        if (cli_changed(ctx, "oom-score-adj"))
                json_object_set_new(p, "OomScoreAdj", json_integer(o->oom_score_adj));
        if (o->entrypoint)
                json_object_set_new(p, "Entrypoint", entrypoint(o->entrypoint));
        json_object_set_new(p, "Tty", json_boolean(o->tty));
        json_object_set_new(p, "Stdin", json_boolean(o->interactive));
        json_object_set_new(p, "Rm", json_boolean(o->rm));
        json_object_set_new(p, "ReadOnly", json_boolean(o->read_only));
        json_object_set_new(p, "ReadOnlyTmpfs", json_boolean(o->read_only_tmpfs));
        json_object_set_new(p, "Init", json_boolean(o->init));
        json_object_set_new(p, "Privileged", json_boolean(o->privileged));
        return 0;
}

/* podman takes KEY=VALUE and the older KEY:VALUE; libcpod gets the first form. */
static int security_opts(const struct run_opts *o, json_t *p)
{
        json_t *out = json_array();

        for (size_t i = 0; i < o->security_opt.n; i++) {
                _cleanup_free_ char *s = xstrdup(o->security_opt.v[i]);
                char *colon = strchr(s, ':');
                if (!strchr(s, '=') && colon)
                        *colon = '=';
                if (strcmp(s, "no-new-privileges") == 0 || strcmp(s, "no-new-privileges=true") == 0) {
                        json_object_set_new(p, "NoNewPrivileges", json_true());
                } else if (strncmp(s, "seccomp=", 8) != 0 && strncmp(s, "label=", 6) != 0 &&
                           strncmp(s, "apparmor=", 9) != 0 && strcmp(s, "no-new-privileges=false") != 0) {
                        json_decref(out);
                        return cli_errorf("invalid --security-opt 1: \"%s\"", o->security_opt.v[i]);
                }
                json_array_append_new(out, json_string(s));
        }
        json_object_set_new(p, "SecurityOpt", out);
        return 0;
}

static int size_param(json_t *p, const char *key, const char *flag, const char *v, bool allow_unlimited)
{
        int64_t n;

        if (!v)
                return 0;
        if (allow_unlimited && strcmp(v, "-1") == 0)
                n = -1;
        else if (parse_size(v, &n) < 0)
                return cli_errorf("invalid argument \"%s\" for \"--%s\" flag: invalid size", v, flag);
        json_object_set_new(p, key, json_integer(n));
        return 0;
}

/* --blkio-weight (a 16-bit number, as podman parses it) and the device lists; libcpod checks the rest. */
static int blkio_params(const struct run_opts *o, json_t *p)
{
        const struct {
                const char *key;
                const struct strv *v;
        } lists[] = {
                { "BlkioWeightDevice", &o->blkio_weight_device }, { "DeviceReadBps", &o->device_read_bps },
                { "DeviceWriteBps", &o->device_write_bps },       { "DeviceReadIOps", &o->device_read_iops },
                { "DeviceWriteIOps", &o->device_write_iops },
        };

        if (o->blkio_weight && *o->blkio_weight) {
                const char *w = o->blkio_weight;
                char *end;
                unsigned long n;
                errno = 0;
                n = strtoul(w, &end, 10);
                if (!isdigit((unsigned char)*w) || *end)
                        return cli_errorf("invalid value for blkio-weight: strconv.ParseUint: parsing \"%s\": "
                                          "invalid syntax",
                                          w);
                if (errno || n > 65535)
                        return cli_errorf("invalid value for blkio-weight: strconv.ParseUint: parsing \"%s\": "
                                          "value out of range",
                                          w);
                json_object_set_new(p, "BlkioWeight", json_integer((json_int_t)n));
        }
        for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
                if (lists[i].v->n)
                        json_object_set_new(p, lists[i].key, cli_strv_json(lists[i].v));
        return 0;
}

/* -m, --memory-reservation, --memory-swap, --cpus, --cpu-*, --cpuset-*; libcpod checks the ranges. */
int cli_resource_params(struct cli_ctx *ctx, const struct run_opts *o, json_t *p)
{
        int r;

        if ((r = size_param(p, "Memory", "memory", o->memory, false)) ||
            (r = size_param(p, "MemoryReservation", "memory-reservation", o->memory_reservation, false)) ||
            (r = size_param(p, "MemorySwap", "memory-swap", o->memory_swap, true)))
                return r;
        if (o->cpus) {
                char *end;
                double c = strtod(o->cpus, &end);
                if (end == o->cpus || *end)
                        return cli_errorf("invalid argument \"%s\" for \"--cpus\" flag: invalid syntax", o->cpus);
                if (c != 0)
                        json_object_set_new(p, "Cpus", json_real(c));
        }
        if (cli_changed(ctx, "cpu-shares"))
                json_object_set_new(p, "CpuShares", json_integer((json_int_t)o->cpu_shares));
        if (cli_changed(ctx, "cpu-period"))
                json_object_set_new(p, "CpuPeriod", json_integer((json_int_t)o->cpu_period));
        if (cli_changed(ctx, "cpu-quota"))
                json_object_set_new(p, "CpuQuota", json_integer(o->cpu_quota));
        set_str(p, "CpusetCpus", o->cpuset_cpus);
        set_str(p, "CpusetMems", o->cpuset_mems);
        if (cli_changed(ctx, "cpu-rt-period"))
                json_object_set_new(p, "CpuRtPeriod", json_integer((json_int_t)o->cpu_rt_period));
        if (cli_changed(ctx, "cpu-rt-runtime"))
                json_object_set_new(p, "CpuRtRuntime", json_integer(o->cpu_rt_runtime));
        /* as podman: a negative swappiness (the default, -1) leaves the kernel's */
        if (cli_changed(ctx, "memory-swappiness") && o->memory_swappiness >= 0)
                json_object_set_new(p, "MemorySwappiness", json_integer(o->memory_swappiness));
        return blkio_params(o, p);
}

/* --sysctl KEY=VALUE, podman's syntax errors; libcpod checks which keys a container may set. */
static int sysctl_params(const struct strv *v, json_t *p)
{
        json_t *o = json_object();

        for (size_t i = 0; i < v->n; i++) {
                const char *s = v->v[i], *eq = strchr(s, '=');
                if (!eq) {
                        json_decref(o);
                        return cli_errorf("%s is invalid, sysctl values must be in the form of KEY=VALUE", s);
                }
                if (isspace((unsigned char)s[0]) || (eq > s && isspace((unsigned char)eq[-1])) ||
                    isspace((unsigned char)eq[1]) || (eq[1] && isspace((unsigned char)s[strlen(s) - 1]))) {
                        json_decref(o);
                        return cli_errorf("'%s' is invalid, extra spaces found", s);
                }
                json_object_setn_new(o, s, (size_t)(eq - s), json_string(eq + 1));
        }
        json_object_set_new(p, "Sysctls", o);
        return 0;
}

/* --cgroupns, --cgroups, --cgroup-conf KEY=VALUE, --oom-kill-disable (create only). */
static int cgroup_params(const struct run_opts *o, json_t *p)
{
        json_t *conf = json_object();

        set_str(p, "CgroupnsMode", o->cgroupns && *o->cgroupns ? o->cgroupns : NULL);
        set_str(p, "CgroupsMode", o->cgroups && *o->cgroups ? o->cgroups : NULL);
        if (o->oom_kill_disable)
                json_object_set_new(p, "OomKillDisable", json_true());
        for (size_t i = 0; i < o->cgroup_conf.n; i++) {
                const char *s = o->cgroup_conf.v[i], *eq = strchr(s, '=');
                if (!eq) {
                        json_decref(conf);
                        return cli_errorf("--cgroup-conf must be formatted KEY=VALUE");
                }
                json_object_setn_new(conf, s, (size_t)(eq - s), json_string(eq + 1));
        }
        json_object_set_new(p, "CgroupConf", conf);
        return 0;
}

/* --log-driver and --log-opt path=, max-size=, tag=; libcpod checks the values. */
int cli_log_params(const char *driver, const struct strv *log_opt, json_t *p)
{
        set_str(p, "LogDriver", driver);
        for (size_t i = 0; i < log_opt->n; i++) {
                const char *kv = log_opt->v[i], *eq = strchr(kv, '=');
                int64_t n;
                if (eq && strncmp(kv, "path=", 5) == 0)
                        json_object_set_new(p, "LogPath", json_string(eq + 1));
                else if (eq && strncmp(kv, "tag=", 4) == 0)
                        json_object_set_new(p, "LogTag", json_string(eq + 1));
                else if (eq && strncmp(kv, "max-size=", 9) == 0 && parse_size_decimal(eq + 1, &n) == 0)
                        json_object_set_new(p, "LogSizeMax", json_integer(n));
                else
                        return cli_errorf("invalid log option \"%s\": cpod knows path=, max-size= and tag=", kv);
        }
        return 0;
}

/* /etc/hosts and resolv.conf settings; libcpod checks the values. */
int cli_net_params(struct cli_ctx *ctx, const struct cli_net_opts *n, const char *network, json_t *p)
{
        if (network && strcmp(network, "none") == 0 && (n->dns.n || n->dns_option.n || n->dns_search.n))
                return cli_errorf("conflicting options: dns and the network mode: none");
        json_object_set_new(p, "Dns", cli_strv_json(&n->dns));
        json_object_set_new(p, "DnsSearch", cli_strv_json(&n->dns_search));
        json_object_set_new(p, "DnsOption", cli_strv_json(&n->dns_option));
        json_object_set_new(p, "AddHost", cli_strv_json(&n->add_host));
        if (cli_changed(ctx, "no-hosts"))
                json_object_set_new(p, "NoHosts", json_boolean(n->no_hosts));
        return 0;
}

/* --pod NAME, --pod new:NAME (a pod created now), --pod-id-file FILE. */
static int pod_param(struct cli_ctx *ctx, const struct run_opts *o, json_t *p)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *fromfile = NULL;
        const char *name = o->pod;
        char id[65];
        int r;

        if (o->pod_id_file) {
                if (!(fromfile = read_line_file(o->pod_id_file)))
                        return cli_errorf("reading pod ID file %s: no such file or directory", o->pod_id_file);
                name = fromfile;
        }
        if (!name || !*name)
                return 0;
        if (strncmp(name, "new:", 4) == 0) {
                if ((r = cli_pod_create(ctx, name + 4, id)))
                        return r;
        } else if (cpod_pod_lookup(ctx->rt, name, id, &err) < 0) {
                return cli_fail(&err);
        }
        json_object_set_new(p, "Pod", json_string(id));
        return 0;
}

/* -v with a relative host path (./dir, ../dir, . or ..) names it from the current directory, as podman. */
static json_t *volumes_param(const struct strv *v)
{
        json_t *a = json_array();

        for (size_t i = 0; i < v->n; i++) {
                const char *s = v->v[i], *colon = strchr(s, ':');
                bool rel = s[0] == '.' && (s[1] == '/' || s[1] == ':' || (s[1] == '.' && (s[2] == '/' || s[2] == ':')));
                _cleanup_free_ char *src = rel && colon ? xstrndup(s, (size_t)(colon - s)) : NULL;
                _cleanup_free_ char *abs = src ? realpath(src, NULL) : NULL;
                if (abs)
                        json_array_append_new(a, json_string_take(xasprintf("%s%s", abs, colon)));
                else
                        json_array_append_new(a, json_string(s));
        }
        return a;
}

int ctr_params_build(struct cli_ctx *ctx, const struct run_opts *o, int argc, char **argv, json_t **ret)
{
        json_t *p = json_object(), *ann = NULL;
        int r;

        json_object_set_new(p, "Image", json_string(argv[0]));
        json_object_set_new(p, "CreateCommand", cli_create_command(ctx));
        if (argc > 1)
                json_object_set_new(p, "Command", json_strv(argv + 1, argc - 1));
        if ((r = pod_param(ctx, o, p)) != 0)
                ;
        else if ((r = simple_fields(ctx, o, p)) == 0 && (r = build_env(o, p)) == 0 && (r = labels(o, p)) == 0 &&
                 (r = security_opts(o, p)) == 0 && (r = kv_object(&o->annotation, "annotation", &ann)) == 0 &&
                 (r = sysctl_params(&o->sysctl, p)) == 0 && (r = cgroup_params(o, p)) == 0) {
                json_object_set_new(p, "Annotations", TAKE_PTR(ann));
                json_object_set_new(p, "CapAdd", cli_strv_json(&o->cap_add));
                json_object_set_new(p, "CapDrop", cli_strv_json(&o->cap_drop));
                json_object_set_new(p, "Devices", cli_strv_json(&o->device));
                json_object_set_new(p, "GroupAdd", cli_strv_json(&o->group_add));
                json_object_set_new(p, "Volumes", volumes_param(&o->volume));
                json_object_set_new(p, "VolumesFrom", cli_strv_json(&o->volumes_from));
                if (o->image_volume && cli_changed(ctx, "image-volume")) /* else containers.conf's */
                        json_object_set_new(p, "ImageVolumeMode", json_string(o->image_volume));
                json_object_set_new(p, "Mounts", cli_strv_json(&o->mount));
                json_object_set_new(p, "Tmpfs", cli_strv_json(&o->tmpfs));
                json_object_set_new(p, "Secrets", cli_strv_json(&o->secret));
                json_object_set_new(p, "Ulimits", cli_strv_json(&o->ulimit));
                json_object_set_new(p, "UnsetEnv", cli_strv_json(&o->unsetenv));
                json_object_set_new(p, "DeviceCgroupRules", cli_strv_json(&o->device_cgroup_rule));
                if ((r = cli_net_params(ctx, &o->net, o->netsel.network.n ? o->netsel.network.v[0] : NULL, p)) == 0 &&
                    (r = cli_log_params(o->log_driver, &o->log_opt, p)) == 0 &&
                    (r = cli_health_params(ctx, &o->health, p)) == 0)
                        r = cli_resource_params(ctx, o, p);
        }
        if (r) {
                json_decref(ann); /* made before a later flag failed */
                json_decref(p);
                return r;
        }
        *ret = p;
        return 0;
}

int cli_ensure_image(struct cli_ctx *ctx, const char *image, const struct run_opts *o, char ret_id[65])
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_pull_opts po = {
                .reg = CPOD_REGISTRY_OPTS_INIT, .os = o->os, .arch = o->arch, .variant = o->variant
        };
        enum cpod_pull_policy pol;
        struct pull_progress pp;
        char *plat[3] = { NULL, NULL, NULL };
        int r;

        if ((r = cli_platform_split(o->platform, &po.os, &po.arch, &po.variant, plat)) != 0)
                return r;
        if (cpod_pull_policy_parse(o->pull, &pol, &err) < 0) {
                r = -EINVAL;
        } else {
                pull_progress_init(&pp, o->quiet);
                pull_progress_attach(&pp, &po);
                r = cpod_image_ensure(ctx->rt, image, pol, &po, ret_id, &err);
                pull_progress_release(&pp);
        }
        for (size_t i = 0; i < 3; i++)
                free(plat[i]);
        return r < 0 ? cli_fail(&err) : 0;
}
