/* SPDX-License-Identifier: Apache-2.0 */
/* containers-certs.d(5) lookup (see certs.h). */
#include "image/docker/certs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/strv.h"
#include "util/xalloc.h"

void tls_files_clear(struct tls_files *t)
{
        strv_free(t->ca_files);
        free(t->client_cert);
        free(t->client_key);
        free(t->dir);
        memset(t, 0, sizeof(*t));
}

static char **roots(void)
{
        const char *env = getenv("CPOD_CERTS_D"), *home = getenv("HOME");
        char **v = xnew0(char *, 1);

        if (env && *env) {
                strv_free(v);
                return strv_split(env, ":");
        }
        if (getuid() != 0 && home && *home)
                strv_take(&v, path_join(home, ".config/containers/certs.d"));
        strv_add(&v, "/etc/containers/certs.d");
        strv_add(&v, "/etc/docker/certs.d");
        return v;
}

static bool ends_with(const char *s, const char *suf)
{
        size_t l = strlen(s), k = strlen(suf);
        return l > k && strcmp(s + l - k, suf) == 0;
}

static int cmpstr(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static int scan(const char *dir, struct tls_files *t, cpod_error_t *err)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        _cleanup_strv_ char **names = NULL;

        if (!d)
                return errno == ENOENT ? 0 : cpod_error_sys(err, errno, "open certificate directory '%s'", dir);
        while ((de = readdir(d)))
                if (de->d_name[0] != '.')
                        strv_add(&names, de->d_name);
        closedir(d);
        if (!names)
                return 0;
        qsort(names, strv_length(names), sizeof(char *), cmpstr);
        t->dir = xstrdup(dir);
        for (char **n = names; *n; n++) {
                size_t l = strlen(*n);
                if (ends_with(*n, ".crt")) {
                        strv_take(&t->ca_files, path_join(dir, *n));
                } else if (ends_with(*n, ".cert")) {
                        _cleanup_free_ char *key = xasprintf("%.*s.key", (int)(l - 5), *n);
                        if (!strv_contains(names, key))
                                return cpod_error_set(err, ENOENT, CPOD_E_INVALID,
                                                      "missing key %s for client certificate %s in %s", key, *n, dir);
                        if (t->client_cert)
                                continue; /* first pair wins */
                        t->client_cert = path_join(dir, *n);
                        t->client_key = path_join(dir, key);
                } else if (ends_with(*n, ".key")) {
                        _cleanup_free_ char *cert = xasprintf("%.*s.cert", (int)(l - 4), *n);
                        if (!strv_contains(names, cert))
                                return cpod_error_set(err, ENOENT, CPOD_E_INVALID,
                                                      "missing client certificate %s for key %s in %s", cert, *n, dir);
                }
        }
        return 0;
}

int tls_files_for(const char *host, const char *cert_dir, struct tls_files *ret, cpod_error_t *err)
{
        struct tls_files t = { 0 };
        int r = 0;

        /* The host names a directory under each root: never one above it, or below another's. */
        if (!(cert_dir && *cert_dir) &&
            (!*host || strchr(host, '/') || strcmp(host, ".") == 0 || strcmp(host, "..") == 0 || host[0] == '.'))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid registry host \"%s\"", host);
        t.ca_files = xnew0(char *, 1);
        if (cert_dir && *cert_dir) {
                r = scan(cert_dir, &t, err);
        } else {
                _cleanup_strv_ char **rv = roots();
                for (char **root = rv; *root && r == 0; root++) {
                        _cleanup_free_ char *d = path_join(*root, host);
                        if (is_dir(d)) {
                                r = scan(d, &t, err);
                                break;
                        }
                }
        }
        if (r < 0) {
                tls_files_clear(&t);
                return r;
        }
        *ret = t;
        return 0;
}
