/* SPDX-License-Identifier: Apache-2.0 */
/*
 * build --secret: "id=NAME,src=PATH" (a file) or "id=NAME,env=VAR" (an environment variable),
 * with an optional type=file|env, as podman and Buildah spell it.  Checked before Buildah runs, so
 * a missing file fails at once with its name; src becomes an absolute path (Buildah may run
 * elsewhere).  The secret reaches RUN --mount=type=secret steps only, never the image.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image-internal.h"
#include "util/cleanup.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct secret {
        const char *id, *src, *env, *type;
};

static int parse_one(char **parts, const char *spec, struct secret *s, cpod_error_t *err)
{
        memset(s, 0, sizeof(*s));
        for (char **p = parts; *p; p++) {
                char *eq = strchr(*p, '=');
                if (!eq)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid secret \"%s\": \"%s\" is not KEY=VALUE", spec, *p);
                *eq = '\0';
                if (strcmp(*p, "id") == 0)
                        s->id = eq + 1;
                else if (strcmp(*p, "src") == 0 || strcmp(*p, "source") == 0)
                        s->src = eq + 1;
                else if (strcmp(*p, "env") == 0)
                        s->env = eq + 1;
                else if (strcmp(*p, "type") == 0)
                        s->type = eq + 1;
                else
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid secret \"%s\": unknown key \"%s\"",
                                              spec, *p);
        }
        if (!s->id || !*s->id)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid secret \"%s\": no id", spec);
        if (s->type && strcmp(s->type, "file") != 0 && strcmp(s->type, "env") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid secret \"%s\": type must be file or env",
                                      spec);
        if (!s->src == !s->env)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid secret \"%s\": give one of src or env",
                                      spec);
        return 0;
}

static int file_arg(const struct secret *s, const char *spec, char **ret, cpod_error_t *err)
{
        _cleanup_free_ char *abs = realpath(s->src, NULL);
        struct stat st;

        if (!abs || stat(abs, &st) < 0)
                return cpod_error_sys(err, errno, "secret \"%s\": '%s'", spec, s->src);
        if (!S_ISREG(st.st_mode) || access(abs, R_OK) < 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "secret \"%s\": '%s' is not a readable file", spec,
                                      s->src);
        *ret = xasprintf("--secret=id=%s,src=%s", s->id, abs);
        return 0;
}

int build_secret_args(char *const *secrets, char ***ret, cpod_error_t *err)
{
        for (char *const *p = secrets; p && *p; p++) {
                _cleanup_strv_ char **parts = strv_split(*p, ",");
                struct secret s;
                char *arg = NULL;
                if (parse_one(parts, *p, &s, err) < 0)
                        return -EINVAL;
                if (s.src && file_arg(&s, *p, &arg, err) < 0)
                        return -ENOENT;
                if (s.env && !getenv(s.env))
                        return cpod_error_set(err, ENOENT, CPOD_E_INVALID,
                                              "secret \"%s\": environment variable %s is not set", *p, s.env);
                strv_take(ret, arg ? arg : xasprintf("--secret=id=%s,env=%s", s.id, s.env));
        }
        return 0;
}
