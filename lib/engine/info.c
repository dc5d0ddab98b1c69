/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `cpod info`: host, store, registries and version facts with podman's field names.  An engine
 * operation because it reports on every layer (the runtime handle, the store, registries.conf).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cpod/info.h>

#include "cpod-config.h"
#include "image/registries.h"
#include "runtime/runtime-internal.h"
#include "net/net.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* First line(s) of `prog --version`, trimmed; caller frees. */
static char *program_version(const char *path)
{
        const char *argv[] = { path, "--version", NULL };
        struct strbuf out = STRBUF_INIT;

        if (run_capture(argv, NULL, &out, NULL, NULL) != 0) {
                strbuf_release(&out);
                return xstrdup("");
        }
        strbuf_trim(&out);
        return strbuf_detach(&out, NULL);
}

/* Debian package owning path, as podman reports it: name_version_arch. */
static char *package_of(const char *path)
{
        const char *query[] = { "dpkg-query", "-S", path, NULL };
        const char *show[] = { "dpkg-query", "-W", "-f", "${Package}_${Version}_${Architecture}", NULL, NULL };
        struct strbuf owner = STRBUF_INIT, pkg = STRBUF_INIT;
        char *colon, *r = NULL;

        if (run_capture(query, NULL, &owner, NULL, NULL) == 0 && (colon = strchr(owner.buf, ':'))) {
                *colon = '\0';
                show[4] = owner.buf;
                if (run_capture(show, NULL, &pkg, NULL, NULL) == 0 && pkg.len)
                        r = strbuf_detach(&pkg, NULL);
        }
        strbuf_release(&owner);
        strbuf_release(&pkg);
        return r ? r : xstrdup("Unknown");
}

static json_t *component(const char *name, const char *path)
{
        _cleanup_free_ char *pkg = path ? package_of(path) : xstrdup("");
        _cleanup_free_ char *ver = path ? program_version(path) : xstrdup("");
        json_t *j = json_object();

        if (name)
                json_object_set_new(j, "name", json_string(name));
        json_object_set_new(j, "package", json_string(pkg));
        json_object_set_new(j, "path", json_string(path ? path : ""));
        json_object_set_new(j, "version", json_string(ver));
        return j;
}

static json_t *cgroup_controllers(enum cpod_cgroup_mode mode)
{
        json_t *a = json_array();
        _cleanup_fclose_ FILE *f = NULL;
        char line[256];

        if (mode == CPOD_CGROUP_V2) {
                _cleanup_free_ char *s = read_line_file("/sys/fs/cgroup/cgroup.controllers");
                _cleanup_strv_ char **v = strv_split(s ? s : "", " ");
                for (size_t i = 0; v[i]; i++)
                        json_array_append_new(a, json_string(v[i]));
                return a;
        }
        f = fopen("/proc/cgroups", "re");
        while (f && fgets(line, sizeof(line), f)) {
                char name[64];
                unsigned hier, num, enabled;
                if (line[0] == '#' || sscanf(line, "%63s %u %u %u", name, &hier, &num, &enabled) != 4)
                        continue;
                if (hier != 0 && enabled)
                        json_array_append_new(a, json_string(name));
        }
        return a;
}

static json_t *distribution(void)
{
        _cleanup_fclose_ FILE *f = fopen("/etc/os-release", "re");
        json_t *d = json_pack("{s:s, s:s, s:s}", "codename", "", "distribution", "", "version", "");
        char line[512];

        while (f && fgets(line, sizeof(line), f)) {
                char *eq = strchr(line, '='), *v;
                const char *key = NULL;
                size_t n;
                if (!eq)
                        continue;
                *eq = '\0';
                v = eq + 1;
                n = strcspn(v, "\n");
                v[n] = '\0';
                if (*v == '"' && n >= 2 && v[n - 1] == '"') {
                        v[n - 1] = '\0';
                        v++;
                }
                if (strcmp(line, "ID") == 0)
                        key = "distribution";
                else if (strcmp(line, "VERSION_ID") == 0)
                        key = "version";
                else if (strcmp(line, "VERSION_CODENAME") == 0)
                        key = "codename";
                if (key)
                        json_object_set_new(d, key, json_string(v));
        }
        return d;
}

static bool kernel_has_seccomp(void)
{
        _cleanup_free_ char *status = NULL;
        size_t len;

        return read_file("/proc/self/status", &status, &len, 1 << 20, NULL) == 0 && strstr(status, "\nSeccomp:");
}

static json_t *security(const struct cpod_runtime *rt)
{
        _cleanup_free_ char *caps = NULL, *aa = read_line_file("/sys/module/apparmor/parameters/enabled");
        _cleanup_strv_ char **upper = NULL;

        for (char **c = rt->config->default_capabilities; c && *c; c++)
                strv_take(&upper, strncmp(*c, "CAP_", 4) == 0 ? xstrdup(*c) : xasprintf("CAP_%s", *c));
        caps = strv_join(upper, ",");
        return json_pack("{s:b, s:s, s:b, s:b, s:s, s:b}", "apparmorEnabled", aa && aa[0] == 'Y', "capabilities", caps,
                         "rootless", geteuid() != 0, "seccompEnabled", kernel_has_seccomp(), "seccompProfilePath",
                         rt->config->seccomp_profile ? rt->config->seccomp_profile : "", "selinuxEnabled",
                         path_exists("/sys/fs/selinux/enforce"));
}

static char *uptime_str(long secs)
{
        return xasprintf("%ldh %ldm %ld.00s", secs / 3600, (secs / 60) % 60, secs % 60);
}

/* podman prints conmon's two version lines joined by ", ". */
static void conmon_version_one_line(json_t *c)
{
        _cleanup_strv_ char **lines = strv_split(json_get_str(c, "version"), "\n");
        _cleanup_free_ char *joined = strv_join(lines, ", ");

        json_object_set_new(c, "version", json_string(joined));
}

/* CPU time since boot from /proc/stat, as podman's cpuUtilization percentages. */
static json_t *cpu_utilization(void)
{
        _cleanup_free_ char *buf = NULL;
        unsigned long long v[8] = { 0 }, total = 0;
        size_t len;

        if (read_file("/proc/stat", &buf, &len, 1 << 16, NULL) < 0 ||
            sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                   &v[7]) < 4)
                return json_object();
        for (int i = 0; i < 8; i++)
                total += v[i];
        if (!total)
                return json_object();
#define PCT(x) json_real((double)(long long)((double)(x)*10000.0 / (double)total + 0.5) / 100.0)
        return json_pack("{s:o, s:o, s:o}", "userPercent", PCT(v[0] + v[1]), "systemPercent",
                         PCT(v[2] + v[5] + v[6] + v[7]), "idlePercent", PCT(v[3] + v[4]));
#undef PCT
}

/* podman's other host fields: the network backend; cpod has no buildah and no API service. */
static void host_extras(struct cpod_runtime *rt, json_t *h)
{
        json_object_set_new(h, "buildahVersion", json_string(""));
        json_object_set_new(h, "cpuUtilization", cpu_utilization());
        json_object_set_new(h, "idMappings", json_pack("{s:n, s:n}", "gidmap", "uidmap"));
        json_object_set_new(h, "networkBackend", json_string(net_backend_get(rt)->name));
        json_object_set_new(h, "remoteSocket", json_pack("{s:b}", "exists", 0));
        json_object_set_new(h, "serviceIsRemote", json_false());
}

static json_t *host_info(struct cpod_runtime *rt)
{
        const struct cpod_oci_runtime *oci = NULL;
        const char *conmon = NULL;
        struct utsname un;
        struct sysinfo si;
        _cleanup_free_ char *up = NULL;
        char host[256] = "";
        json_t *h;

        uname(&un);
        sysinfo(&si);
        gethostname(host, sizeof(host) - 1);
        up = uptime_str(si.uptime);
        (void)cpod_runtime_oci(rt, &oci, NULL);
        (void)cpod_runtime_conmon(rt, &conmon, NULL);
        h = json_object();
        json_object_set_new(h, "arch", json_string(cpod_goarch()));
        json_object_set_new(h, "cgroupControllers", cgroup_controllers(rt->cgroup_mode));
        json_object_set_new(h, "cgroupManager", json_string(rt->cgroup_manager));
        json_object_set_new(h, "cgroupVersion", json_string(rt->cgroup_mode == CPOD_CGROUP_V2 ? "v2" : "v1"));
        json_object_set_new(h, "cgroupMode",
                            json_string(rt->cgroup_mode == CPOD_CGROUP_V2       ? "unified"
                                        : rt->cgroup_mode == CPOD_CGROUP_HYBRID ? "hybrid"
                                                                                : "legacy"));
        json_object_set_new(h, "conmon", component(NULL, conmon));
        conmon_version_one_line(json_object_get(h, "conmon"));
        json_object_set_new(h, "cpus", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
        json_object_set_new(h, "distribution", distribution());
        json_object_set_new(h, "eventLogger", json_string(rt->events_backend));
        json_object_set_new(h, "hostname", json_string(host));
        json_object_set_new(h, "kernel", json_string(un.release));
        json_object_set_new(h, "linkmode", json_string("dynamic"));
        json_object_set_new(h, "logDriver", json_string(rt->config->log_driver));
        json_object_set_new(h, "memFree", json_integer((json_int_t)si.freeram * si.mem_unit));
        json_object_set_new(h, "memTotal", json_integer((json_int_t)si.totalram * si.mem_unit));
        json_object_set_new(h, "ociRuntime", component(oci ? oci->name : "", oci ? oci->path : NULL));
        if (oci)
                json_object_set_new(json_object_get(h, "ociRuntime"), "chosenBecause", json_string(oci->why));
        json_object_set_new(h, "os", json_string("linux"));
        json_object_set_new(h, "security", security(rt));
        json_object_set_new(h, "swapFree", json_integer((json_int_t)si.freeswap * si.mem_unit));
        json_object_set_new(h, "swapTotal", json_integer((json_int_t)si.totalswap * si.mem_unit));
        json_object_set_new(h, "uptime", json_string(up));
        host_extras(rt, h);
        return h;
}

static json_t *store_info(struct cpod_runtime *rt)
{
        _cleanup_free_ char *graphroot = path_join(rt->root, "storage");
        _cleanup_free_ char *volumes = path_join(rt->root, "volumes");
        struct statvfs vfs;
        json_t *s = json_object(), *opts = json_object();

        for (char **o = rt->storage_opts; o && *o; o++) {
                char *eq = strchr(*o, '=');
                if (eq)
                        json_object_setn_new(opts, *o, (size_t)(eq - *o), json_string(eq + 1));
        }
        json_object_set_new(s, "configFile",
                            json_string(rt->config->files && rt->config->files[0]
                                                ? rt->config->files[strv_length(rt->config->files) - 1]
                                                : ""));
        json_object_set_new(s, "graphDriverName", json_string(rt->storage_driver));
        json_object_set_new(s, "graphOptions", opts);
        json_object_set_new(s, "graphRoot", json_string(graphroot));
        if (statvfs(rt->root, &vfs) == 0 || statvfs("/", &vfs) == 0) {
                json_object_set_new(s, "graphRootAllocated", json_integer((json_int_t)vfs.f_blocks * vfs.f_frsize));
                json_object_set_new(s, "graphRootUsed",
                                    json_integer((json_int_t)(vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize));
        }
        json_object_set_new(s, "imageCopyTmpDir", json_string("/var/tmp"));
        json_object_set_new(s, "runRoot", json_string(rt->runroot));
        json_object_set_new(s, "volumePath", json_string(rt->config->volume_path ? rt->config->volume_path : volumes));
        return s;
}

int cpod_system_info(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err)
{
        _cleanup_strv_ char **search = NULL;
        json_t *info, *version;
        char osarch[64];

        const struct cpod_oci_runtime *oci;

        /* A runtime the user named must exist; an auto-detection failure is only reported. */
        if (rt->requested_runtime && cpod_runtime_oci(rt, &oci, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (registries_search(&search, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        info = json_object();
        json_object_set_new(info, "host", host_info(rt));
        json_object_set_new(info, "registries", json_object());
        if (search && search[0])
                json_object_set_new(json_object_get(info, "registries"), "search", json_strv(search, -1));
        json_object_set_new(info, "store", store_info(rt));
        version = cpod_version_info();
        snprintf(osarch, sizeof(osarch), "linux/%s", cpod_goarch());
        json_object_set_new(version, "OsArch", json_string(osarch));
        json_object_set_new(info, "version", version);
        *ret = info;
        return 0;
}
