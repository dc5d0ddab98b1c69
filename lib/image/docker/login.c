/* SPDX-License-Identifier: Apache-2.0 */
/* login, logout, and --get-login: credentials verified against the registry, kept in auth.json. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/registry.h>

#include "image/docker/authfile.h"
#include "image/docker/docker.h"
#include "image/registries.h"
#include "util/cleanup.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* No registry given: the first unqualified-search registry, as podman. */
static char *default_key(const char *registry, cpod_error_t *err)
{
        _cleanup_strv_ char **search = NULL;

        if (registry)
                return authfile_normalize_key(registry);
        if (registries_search(&search, err) < 0)
                return NULL;
        if (!search[0]) {
                cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                               "no registries found in registries.conf, a registry must be provided");
                return NULL;
        }
        return authfile_normalize_key(search[0]);
}

static int check_key(const char *key, cpod_error_t *err)
{
        if (!*key || *key == '/' || strchr(key, ' ') || strchr(key, '@'))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid registry \"%s\"", key);
        return 0;
}

int cpod_registry_login(const char *registry, const struct cpod_login_opts *o, cpod_error_t *err)
{
        _cleanup_free_ char *key = default_key(registry, err), *host = NULL, *path = NULL, *creds = NULL;
        struct registries_conf *conf = NULL;
        struct reg_client *c = NULL;
        struct reg_opts ro;
        int r;

        if (!key || check_key(key, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (!o->username || !*o->username)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "username is required");
        if (!o->password || !*o->password)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "password is required");
        host = xstrndup(key, strcspn(key, "/"));
        if (registries_conf_load(&conf, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        reg_opts_from(&o->reg, &ro);
        creds = xasprintf("%s:%s", o->username, o->password);
        ro.creds = creds;
        r = reg_client_new(host, registries_insecure(conf, host), &ro, &c, err);
        registries_conf_free(conf);
        if (r == 0)
                r = reg_check_login(c, err);
        reg_client_free(c);
        explicit_bzero(creds, strlen(creds));
        if (r < 0)
                return cpod_error_wrap(err, "logging into \"%s\"", key);
        path = authfile_write_path(o->reg.authfile);
        if (authfile_store(path, key, o->username, o->password, err) < 0)
                return cpod_error_wrap(err, "saving credentials for \"%s\"", key);
        return 0;
}

int cpod_registry_get_login(const char *registry, const char *authfile, char **ret_user, cpod_error_t *err)
{
        _cleanup_free_ char *key = default_key(registry, err), *host = NULL;
        const char *slash;
        struct cred cr = { 0 };
        int r;

        if (!key || check_key(key, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        slash = strchr(key, '/');
        host = xstrndup(key, slash ? (size_t)(slash - key) : strlen(key));
        r = authfile_lookup(authfile, host, slash ? slash + 1 : NULL, &cr, NULL, err);
        if (r < 0)
                return r;
        if (r == 0 || !cr.user) {
                cred_clear(&cr);
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "not logged into %s", key);
        }
        *ret_user = TAKE_PTR(cr.user);
        cred_clear(&cr);
        return 0;
}

int cpod_registry_logout(const char *registry, const char *authfile, cpod_error_t *err)
{
        _cleanup_free_ char *path = authfile_write_path(authfile), *key = NULL;

        if (!registry)
                return authfile_remove_all(path, err);
        key = authfile_normalize_key(registry);
        if (check_key(key, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        return authfile_remove(path, key, err);
}
