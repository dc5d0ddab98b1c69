/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cpod/runtime.h>

#include "cpod-config.h"
#include "runtime/runtime-internal.h"
#include "storage/driver.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/db.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define DEFAULT_ROOT "/var/lib/cpod"
#define DEFAULT_RUNROOT "/run/cpod"

const char *cpod_version(void)
{
        return CPOD_VERSION;
}

static const char *pick(const char *flag, const char *conf, const char *def)
{
        if (flag && *flag)
                return flag;
        if (conf && *conf)
                return conf;
        return def;
}

static int resolve_cgroup_manager(struct cpod_runtime *rt, const char *flag, cpod_error_t *err)
{
        const char *want = pick(flag, rt->config->cgroup_manager, "systemd");

        if (strcmp(want, "cgroupfs") != 0 && strcmp(want, "systemd") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid cgroup manager \"%s\": must be cgroupfs or systemd", want);
        if (strcmp(want, "systemd") == 0 && !host_has_systemd()) {
                /* Without systemd as PID 1 there is no one to ask for scopes. */
                if (flag && *flag)
                        rt_warn(rt, "the systemd cgroup manager was requested but systemd is not running, "
                                    "using cgroupfs");
                want = "cgroupfs";
        }
        rt->cgroup_manager = xstrdup(want);
        return 0;
}

static int check_driver(const char *driver, cpod_error_t *err)
{
        if (!store_driver_find(driver))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "unknown storage driver \"%s\": supported drivers are overlay and vfs", driver);
        return 0;
}

/* podman's event loggers; "memory" is a test backend of podman's, not offered. */
static int check_events(struct cpod_runtime *rt, cpod_error_t *err)
{
        const char *b = rt->events_backend, *max = rt->config->events_logfile_max_size;
        int64_t v;

        if (strcasecmp(b, "file") != 0 && strcasecmp(b, "none") != 0 && strcasecmp(b, "journald") != 0) {
                _cleanup_free_ char *up = xstrdup(b);
                for (char *p = up; *p; p++)
                        *p = (char)toupper((unsigned char)*p);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unknown event logger type: %s", up);
        }
        if (max && *max && parse_size_decimal(max, &v) < 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid events_logfile_max_size \"%s\"", max);
        return 0;
}

int cpod_runtime_open(const struct cpod_runtime_opts *o, struct cpod_runtime **ret, cpod_error_t *err)
{
        static const struct cpod_runtime_opts none;
        struct cpod_runtime *rt;
        const char *driver;
        int r;

        if (!o)
                o = &none;
        rt = xzalloc(sizeof(*rt));
        rt->refs = 1;
        r = cpod_config_load(o->config_path, &rt->config, err);
        if (r < 0)
                goto fail;
        for (char **w = rt->config->warnings; w && *w; w++)
                rt_warn(rt, "%s", *w);
        rt->root = xstrdup(pick(o->root, NULL, DEFAULT_ROOT));
        rt->runroot = xstrdup(pick(o->runroot, NULL, DEFAULT_RUNROOT));
        rt->oci_root = path_join(rt->runroot, "runtime");
        rt->exe = realpath("/proc/self/exe", NULL);
        driver = pick(o->storage_driver, getenv("STORAGE_DRIVER"), "overlay");
        if ((r = check_driver(driver, err)) < 0)
                goto fail;
        rt->storage_driver = xstrdup(driver);
        rt->storage_opts = strv_copy((char *const *)o->storage_opts);
        /* Shown by info, but nothing reads them yet: say so rather than look like they took. */
        for (char **so = rt->storage_opts; so && *so; so++)
                rt_warn(rt, "storage option \"%s\" has no effect: cpod's storage drivers take no options yet", *so);
        if (o->tmpdir && *o->tmpdir)
                rt_warn(rt, "--tmpdir %s has no effect: cpod keeps its transient files under --runroot", o->tmpdir);
        rt->tmpdir = xstrdup(pick(o->tmpdir, rt->config->tmp_dir, "/run/libpod"));
        rt->network_backend = xstrdup(pick(o->network_backend, rt->config->network_backend, ""));
        if (o->network_config_dir && *o->network_config_dir)
                rt->network_config_dir = xstrdup(o->network_config_dir);
        else if (rt->config->network_config_dir && *rt->config->network_config_dir)
                rt->network_config_dir = xstrdup(rt->config->network_config_dir);
        rt->events_backend = xstrdup(pick(o->events_backend, rt->config->events_logger, "file"));
        if ((r = check_events(rt, err)) < 0)
                goto fail;
        /* --hooks-dir, else containers.conf hooks_dir, else podman's two directories (/etc overrides) */
        rt->hooks_dirs = o->hooks_dirs           ? strv_copy((char *const *)o->hooks_dirs)
                         : rt->config->hooks_dir ? strv_copy(rt->config->hooks_dir)
                                                 : strv_copy((char *const[]){ "/usr/share/containers/oci/hooks.d",
                                                                              "/etc/containers/oci/hooks.d", NULL });
        for (const char *const *f = o->runtime_flags; f && *f; f++)
                strv_take(&rt->runtime_flags, xasprintf("--%s", *f));
        if (o->volume_path && *o->volume_path) {
                free(rt->config->volume_path);
                rt->config->volume_path = xstrdup(o->volume_path);
        }
        rt->requested_runtime = xstrdup(o->runtime && *o->runtime ? o->runtime : NULL);
        rt->requested_conmon = xstrdup(o->conmon && *o->conmon ? o->conmon : NULL);
        rt->cgroup_mode = host_cgroup_mode();
        if ((r = resolve_cgroup_manager(rt, o->cgroup_manager, err)) < 0)
                goto fail;
        *ret = rt;
        return 0;
fail:
        cpod_runtime_unref(rt);
        return r;
}

void rt_checkpoint_idle(struct cpod_runtime *rt)
{
        if (rt->mod[RT_MOD_DB].p)
                db_checkpoint_idle(rt->mod[RT_MOD_DB].p);
        if (rt->mod[RT_MOD_STORAGE].p)
                store_checkpoint_idle(rt->mod[RT_MOD_STORAGE].p);
}

void rt_close_modules(struct cpod_runtime *rt)
{
        for (int i = RT_MOD_MAX - 1; i >= 0; i--) {
                if (rt->mod[i].p && rt->mod[i].free)
                        rt->mod[i].free(rt->mod[i].p);
                rt->mod[i].p = NULL;
        }
}

struct cpod_runtime *cpod_runtime_unref(struct cpod_runtime *rt)
{
        if (!rt || --rt->refs > 0)
                return NULL;
        rt_close_modules(rt);
        cpod_config_free(rt->config);
        free(rt->root);
        free(rt->runroot);
        free(rt->oci_root);
        free(rt->exe);
        free(rt->storage_driver);
        strv_free(rt->storage_opts);
        free(rt->tmpdir);
        free(rt->cgroup_manager);
        free(rt->network_backend);
        free(rt->network_config_dir);
        free(rt->events_backend);
        strv_free(rt->runtime_flags);
        strv_free(rt->hooks_dirs);
        free(rt->signature_policy);
        strv_free(rt->warnings);
        free(rt->requested_runtime);
        free(rt->requested_conmon);
        free(rt->oci_name);
        free(rt->oci_path);
        free(rt->oci_why);
        free(rt->conmon_path);
        free(rt);
        return NULL;
}

void cpod_runtime_set_signature_policy(struct cpod_runtime *rt, const char *path)
{
        free(rt->signature_policy);
        rt->signature_policy = path && *path ? xstrdup(path) : NULL;
}

const struct cpod_config *cpod_runtime_config(const struct cpod_runtime *rt)
{
        return rt->config;
}

const char *cpod_runtime_root(const struct cpod_runtime *rt)
{
        return rt->root;
}

const char *cpod_runtime_runroot(const struct cpod_runtime *rt)
{
        return rt->runroot;
}

enum cpod_cgroup_mode cpod_runtime_cgroup_mode(const struct cpod_runtime *rt)
{
        return rt->cgroup_mode;
}

const char *cpod_runtime_cgroup_manager(const struct cpod_runtime *rt)
{
        return rt->cgroup_manager;
}

void rt_warn(struct cpod_runtime *rt, const char *fmt, ...)
{
        va_list ap;
        char *msg;

        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        log_debug("warning: %s", msg);
        if (rt->warn_handler) {
                rt->warn_handler(msg, rt->warn_userdata);
                free(msg);
                return;
        }
        strv_take(&rt->warnings, msg);
}

void cpod_runtime_set_warning_handler(struct cpod_runtime *rt, cpod_warning_handler_t handler, void *userdata)
{
        char **pending = TAKE_PTR(rt->warnings);

        rt->warn_handler = handler;
        rt->warn_userdata = userdata;
        for (char **w = pending; w && *w; w++)
                if (handler)
                        handler(*w, userdata);
                else
                        strv_add(&rt->warnings, *w);
        strv_free(pending);
}

char **cpod_runtime_take_warnings(struct cpod_runtime *rt)
{
        return TAKE_PTR(rt->warnings);
}

char *rt_pod_cgroup_parent(const struct cpod_runtime *rt, const char *pod_id)
{
        if (strcmp(rt->cgroup_manager, "systemd") == 0)
                return xasprintf("machine-cpod_pod_%.12s.slice", pod_id);
        return xasprintf("/cpod_parent/pod-%s", pod_id);
}
