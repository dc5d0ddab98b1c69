/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rlimits.  podman's defaults (nofile 1048576, nproc 4194304) are clamped
 * to what this process may set: without CAP_SYS_RESOURCE nobody can raise
 * a hard limit, so a plain `run` must never ask for more than ours.  An
 * explicit --ulimit above that is a clear error instead of a runtime
 * failure.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cpod/config.h>

#include "ctr/ctr-config.h"
#include "ctr/spec.h"
#include "runtime/runtime-internal.h"
#include "ctr/userns.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

static const struct {
        const char *name;
        int resource;
} limits[] = {
        { "as", RLIMIT_AS },           { "core", RLIMIT_CORE },         { "cpu", RLIMIT_CPU },
        { "data", RLIMIT_DATA },       { "fsize", RLIMIT_FSIZE },       { "locks", RLIMIT_LOCKS },
        { "memlock", RLIMIT_MEMLOCK }, { "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE },
        { "nofile", RLIMIT_NOFILE },   { "nproc", RLIMIT_NPROC },       { "rss", RLIMIT_RSS },
        { "rtprio", RLIMIT_RTPRIO },   { "rttime", RLIMIT_RTTIME },     { "sigpending", RLIMIT_SIGPENDING },
        { "stack", RLIMIT_STACK },
};

static bool can_raise_hard(void)
{
        _cleanup_free_ char *status = NULL;
        size_t len;
        const char *p;
        unsigned long long eff;

        if (read_file("/proc/self/status", &status, &len, 1 << 20, NULL) < 0 || !(p = strstr(status, "CapEff:")))
                return false;
        eff = strtoull(p + 7, NULL, 16);
        return (eff >> 24) & 1; /* CAP_SYS_RESOURCE */
}

/* The highest hard limit we could give: ours, or fs.nr_open for nofile with CAP_SYS_RESOURCE. */
static unsigned long long ceiling(int res, bool privileged_raise)
{
        struct rlimit rl;

        if (privileged_raise) {
                if (res == RLIMIT_NOFILE) {
                        _cleanup_free_ char *s = read_line_file("/proc/sys/fs/nr_open");
                        return s ? strtoull(s, NULL, 10) : 1048576;
                }
                return RLIM_INFINITY;
        }
        if (getrlimit(res, &rl) < 0)
                return RLIM_INFINITY;
        return rl.rlim_max;
}

static void set_limit(json_t *arr, const char *name, unsigned long long soft, unsigned long long hard)
{
        _cleanup_free_ char *type = xasprintf("RLIMIT_%s", name);
        size_t i;
        json_t *e;

        for (char *p = type; *p; p++)
                *p = (char)toupper((unsigned char)*p);
        json_array_foreach(arr, i, e)
                if (strcmp(json_get_str(e, "type"), type) == 0) {
                        json_array_remove(arr, i);
                        break;
                }
        json_array_append_new(
                arr, json_pack("{s:s, s:I, s:I}", "type", type, "hard", (json_int_t)hard, "soft", (json_int_t)soft));
}

static int parse_value(const char *s, unsigned long long *ret)
{
        char *end;

        if (strcmp(s, "-1") == 0 || strcmp(s, "unlimited") == 0) {
                *ret = RLIM_INFINITY;
                return 0;
        }
        errno = 0;
        *ret = strtoull(s, &end, 10);
        return errno || end == s || *end || s[0] == '-' ? -1 : 0;
}

/* "nofile=1024:2048" or "nofile=1024". */
static int parse_ulimit(const char *spec, json_t *arr, bool raise, cpod_error_t *err)
{
        const char *eq = strchr(spec, '=');
        _cleanup_free_ char *name = eq ? xstrndup(spec, (size_t)(eq - spec)) : NULL, *vals = NULL;
        unsigned long long soft, hard;
        char *colon;

        for (size_t i = 0; name && i < sizeof(limits) / sizeof(limits[0]); i++) {
                if (strcmp(limits[i].name, name) != 0)
                        continue;
                vals = xstrdup(eq + 1);
                colon = strchr(vals, ':');
                if (colon)
                        *colon = '\0';
                if (parse_value(vals, &soft) < 0 || parse_value(colon ? colon + 1 : vals, &hard) < 0 || soft > hard)
                        break;
                if (hard > ceiling(limits[i].resource, raise))
                        return cpod_error_set(err, EPERM, CPOD_E_INVALID,
                                              "ulimit option \"%s\" exceeds the host hard limit of %llu for %s", spec,
                                              ceiling(limits[i].resource, raise), name);
                set_limit(arr, name, soft, hard);
                return 0;
        }
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                              "invalid ulimit option \"%s\": want NAME=SOFT[:HARD] with SOFT <= HARD", spec);
}

int spec_rlimits(struct cpod_runtime *rt, const struct ctr_config *cfg, json_t *process, cpod_error_t *err)
{
        json_t *arr = json_array();
        /* in a user namespace the runtime cannot raise a hard limit: CAP_SYS_RESOURCE is the namespace's */
        bool raise = can_raise_hard() && !userns_enabled(cfg);
        unsigned long long nofile = ceiling(RLIMIT_NOFILE, raise), nproc = ceiling(RLIMIT_NPROC, raise);

        json_object_set_new(process, "rlimits", arr);
        set_limit(arr, "nofile", nofile < 1048576 ? nofile : 1048576, nofile < 1048576 ? nofile : 1048576);
        set_limit(arr, "nproc", nproc < 4194304 ? nproc : 4194304, nproc < 4194304 ? nproc : 4194304);
        for (char **u = rt->config->default_ulimits; u && *u; u++)
                if (parse_ulimit(*u, arr, raise, err) < 0)
                        return cpod_error_wrap(err, "containers.conf default_ulimits");
        for (char **u = cfg->ulimits; u && *u; u++)
                if (parse_ulimit(*u, arr, raise, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
        return 0;
}
