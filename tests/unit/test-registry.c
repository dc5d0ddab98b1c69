/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the registry configuration side of pulls:
 * WWW-Authenticate parsing (lib/image/docker/www-auth.c), registries.conf
 * (lib/image/registries.c) and short-name resolution
 * (lib/image/docker/resolve.c), auth.json lookup and editing
 * (lib/image/docker/authfile.c), certs.d lookup (lib/image/docker/certs.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "image/docker/authfile.h"
#include "image/docker/certs.h"
#include "image/docker/resolve.h"
#include "image/docker/www-auth.h"
#include "image/registries.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* ---- WWW-Authenticate ---- */

static void test_www_auth_bearer(void **state)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct auth_challenge *v = NULL;
        size_t n = 0;

        (void)state;
        assert_int_equal(www_auth_parse("Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                                        "scope=\"repository:a/b:pull,push\"",
                                        &v, &n, &err),
                         0);
        assert_int_equal(n, 1);
        assert_string_equal(v[0].scheme, "bearer");
        assert_string_equal(auth_challenge_param(&v[0], "realm"), "https://auth.example/token");
        assert_string_equal(auth_challenge_param(&v[0], "SERVICE"), "registry.example");
        assert_string_equal(auth_challenge_param(&v[0], "scope"), "repository:a/b:pull,push");
        assert_null(auth_challenge_param(&v[0], "error"));
        auth_challenges_free(v, n);
}

static void test_www_auth_several(void **state)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct auth_challenge *v = NULL;
        size_t n = 0;
        const struct auth_challenge *b;

        (void)state;
        assert_int_equal(www_auth_parse("Basic realm=\"reg\", BEARER realm=tok ,  service=\"s \\\"q\\\"\", "
                                        "Negotiate abc==, Digest",
                                        &v, &n, &err),
                         0);
        assert_int_equal(n, 4);
        assert_string_equal(v[0].scheme, "basic");
        assert_string_equal(auth_challenge_param(&v[0], "realm"), "reg");
        b = auth_challenge_find(v, n, "Bearer");
        assert_non_null(b);
        assert_string_equal(auth_challenge_param(b, "realm"), "tok");
        assert_string_equal(auth_challenge_param(b, "service"), "s \"q\"");
        assert_string_equal(v[2].scheme, "negotiate");
        assert_string_equal(v[2].token68, "abc==");
        assert_string_equal(v[3].scheme, "digest");
        assert_int_equal(v[3].n_params, 0);
        auth_challenges_free(v, n);
}

static void test_www_auth_bad(void **state)
{
        static const char *const bad[] = {
                "",
                "   ",
                "Bearer realm=\"unterminated",
                "Bearer =x",
                "Bearer realm=\"a\" junk",
                "Bearer realm=\"ctl\x01\"",
                "Bearer realm=,service=x",
                "=Bearer",
                "Bearer realm=\"a\";service=b",
        };
        struct strbuf many = STRBUF_INIT, huge = STRBUF_INIT;

        (void)state;
        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                cpod_error_t err = CPOD_ERROR_INIT;
                struct auth_challenge *v = NULL;
                size_t n = 0;
                if (www_auth_parse(bad[i], &v, &n, &err) == 0)
                        fail_msg("accepted %s", bad[i]);
                assert_string_equal(cpod_error_msg(&err), "malformed WWW-Authenticate header");
                cpod_error_clear(&err);
        }
        strbuf_addstr(&many, "Bearer ");
        for (int i = 0; i < WWW_AUTH_MAX_PARAMS + 1; i++)
                strbuf_addf(&many, "%sk%d=v", i ? "," : "", i);
        strbuf_addstr(&huge, "Bearer realm=\"");
        strbuf_addchars(&huge, 'x', WWW_AUTH_MAX_LEN);
        strbuf_addstr(&huge, "\"");
        {
                cpod_error_t err = CPOD_ERROR_INIT;
                struct auth_challenge *v = NULL;
                size_t n = 0;
                assert_true(www_auth_parse(many.buf, &v, &n, &err) < 0);
                cpod_error_clear(&err);
                assert_true(www_auth_parse(huge.buf, &v, &n, &err) < 0);
                assert_string_equal(cpod_error_msg(&err), "WWW-Authenticate header too long");
                cpod_error_clear(&err);
        }
        strbuf_release(&many);
        strbuf_release(&huge);
}

/* ---- registries.conf ---- */

static struct registries_conf *parse_ok(const char *doc)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct registries_conf *c = NULL;

        if (registries_conf_parse(doc, strlen(doc), "t.conf", &c, &err) < 0)
                fail_msg("unexpected error: %s", cpod_error_msg(&err));
        return c;
}

static char *parse_err(const char *doc)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct registries_conf *c = NULL;
        char *m;

        if (registries_conf_parse(doc, strlen(doc), "t.conf", &c, &err) == 0)
                fail_msg("accepted: %s", doc);
        m = xstrdup(cpod_error_msg(&err));
        cpod_error_clear(&err);
        return m;
}

static const char conf_v2[] = "unqualified-search-registries = [\"quay.io\", \"docker.io\"]\n"
                              "short-name-mode = \"enforcing\"\n"
                              "[aliases]\n"
                              "\"bb\" = \"docker.io/library/busybox\"\n"
                              "[[registry]]\n"
                              "prefix = \"example.com/foo\"\n"
                              "location = \"internal.example.net/bar\"\n"
                              "[[registry.mirror]]\n"
                              "location = \"mirror-0.local/mirror-for-foo\"\n"
                              "[[registry.mirror]]\n"
                              "location = \"mirror-1.local/mirrors/foo\"\n"
                              "insecure = true\n"
                              "pull-from-mirror = \"digest-only\"\n"
                              "[[registry]]\n"
                              "location = \"example.com\"\n"
                              "insecure = true\n"
                              "[[registry]]\n"
                              "prefix = \"*.internal\"\n"
                              "blocked = true\n"
                              "[[registry]]\n"
                              "location = \"digest.example\"\n"
                              "mirror-by-digest-only = true\n"
                              "[[registry.mirror]]\n"
                              "location = \"m.example\"\n";

static void test_conf_parse_and_find(void **state)
{
        struct registries_conf *c = parse_ok(conf_v2);
        const struct reg_entry *e;
        const char *origin = NULL;

        (void)state;
        assert_int_equal(strv_length(c->search), 2);
        assert_string_equal(c->search[1], "docker.io");
        assert_string_equal(c->search_origin, "t.conf");
        assert_int_equal(c->mode, SHORT_NAME_ENFORCING);
        assert_string_equal(registries_alias(c, "bb", &origin), "docker.io/library/busybox");
        assert_string_equal(origin, "t.conf");
        assert_null(registries_alias(c, "other", NULL));
        /* longest prefix wins */
        e = registries_find(c, "example.com/foo/img:latest");
        assert_non_null(e);
        assert_string_equal(e->prefix, "example.com/foo");
        assert_int_equal(e->n_mirrors, 2);
        e = registries_find(c, "example.com/other/img");
        assert_string_equal(e->prefix, "example.com");
        assert_true(e->insecure);
        assert_null(registries_find(c, "example.community/x"));
        assert_null(registries_find(c, "example.com.evil/x"));
        /* wildcards match subdomains, not the domain itself */
        assert_non_null(registries_find(c, "a.internal/x"));
        assert_non_null(registries_find(c, "a.b.internal:5000/x"));
        assert_null(registries_find(c, "internal/x"));
        assert_null(registries_find(c, "x/a.internal/y"));
        assert_true(registries_insecure(c, "example.com"));
        assert_false(registries_insecure(c, "quay.io"));
        registries_conf_free(c);
}

static void check_sources(const struct registries_conf *c, const char *ref, const char *const *want)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct pull_source *v = NULL;
        size_t n = 0, k = 0;

        if (registries_pull_sources(c, ref, &v, &n, &err) < 0)
                fail_msg("%s: %s", ref, cpod_error_msg(&err));
        while (want[k])
                k++;
        assert_int_equal(n, k);
        for (size_t i = 0; i < n; i++) {
                assert_string_equal(v[i].ref, want[i]);
                assert_int_equal(v[i].mirror, i + 1 < n);
        }
        pull_sources_free(v, n);
}

static void test_conf_pull_sources(void **state)
{
        struct registries_conf *c = parse_ok(conf_v2);
        cpod_error_t err = CPOD_ERROR_INIT;
        struct pull_source *v = NULL;
        size_t n = 0;

        (void)state;
        check_sources(c, "example.com/foo/image:latest",
                      (const char *[]){ "mirror-0.local/mirror-for-foo/image:latest",
                                        "internal.example.net/bar/image:latest", NULL });
        check_sources(c, "example.com/foo/image@sha256:0123",
                      (const char *[]){ "mirror-0.local/mirror-for-foo/image@sha256:0123",
                                        "mirror-1.local/mirrors/foo/image@sha256:0123",
                                        "internal.example.net/bar/image@sha256:0123", NULL });
        check_sources(c, "quay.io/a/b:1", (const char *[]){ "quay.io/a/b:1", NULL });
        check_sources(c, "digest.example/a:1", (const char *[]){ "digest.example/a:1", NULL });
        check_sources(c, "digest.example/a@sha256:1",
                      (const char *[]){ "m.example/a@sha256:1", "digest.example/a@sha256:1", NULL });
        assert_true(registries_pull_sources(c, "x.internal/a:1", &v, &n, &err) < 0);
        assert_int_equal(err.kind, CPOD_E_DENIED);
        assert_string_equal(cpod_error_msg(&err), "registry *.internal is blocked in t.conf");
        cpod_error_clear(&err);
        registries_conf_free(c);
}

static void test_conf_v1_and_errors(void **state)
{
        struct registries_conf *c = parse_ok("[registries.search]\nregistries = ['r1.example', 'r2.example']\n"
                                             "[registries.insecure]\nregistries = ['r3.example']\n"
                                             "[registries.block]\nregistries = ['bad.example']\n");
        _cleanup_free_ char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL, *e5 = NULL, *e6 = NULL, *e7 = NULL;

        (void)state;
        assert_int_equal(strv_length(c->search), 2);
        assert_true(registries_insecure(c, "r3.example"));
        assert_true(registries_find(c, "bad.example/x")->blocked);
        registries_conf_free(c);

        e1 = parse_err("unqualified-search-registries = []\n[registries.search]\nregistries = []\n");
        assert_non_null(strstr(e1, "mixing sysregistry v1/v2 is not supported"));
        e2 = parse_err("short-name-mode = \"sometimes\"\n");
        assert_non_null(strstr(e2, "invalid short-name mode \"sometimes\""));
        e3 = parse_err("[aliases]\n\"bb\" = \"docker.io/library/busybox:latest\"\n");
        assert_non_null(strstr(e3, "must be a fully qualified name without tag or digest"));
        e4 = parse_err("[aliases]\n\"quay.io/x\" = \"quay.io/x\"\n");
        assert_non_null(strstr(e4, "must be a short name"));
        e5 = parse_err("[[registry]]\nprefix = \"*.example.com\"\nlocation = \"x.example.com\"\n");
        assert_non_null(strstr(e5, "a wildcard prefix cannot have a location"));
        e6 = parse_err("[[registry]]\nlocation = \"https://example.com\"\n");
        assert_non_null(strstr(e6, "must not contain a URI scheme"));
        e7 = parse_err("unqualified-search-registries = \"quay.io\"\n");
        assert_non_null(strstr(e7, "must be an array of strings"));
}

static char *tmpdir_new(void)
{
        char tmpl[] = "/tmp/cpod-test-registry-XXXXXX";

        if (!mkdtemp(tmpl))
                fail_msg("mkdtemp: %s", strerror(errno));
        return xstrdup(tmpl);
}

static void write_str(const char *dir, const char *name, const char *content)
{
        _cleanup_free_ char *p = path_join(dir, name);
        cpod_error_t err = CPOD_ERROR_INIT;

        if (write_file(p, content, strlen(content), 0600, &err) < 0)
                fail_msg("%s", cpod_error_msg(&err));
}

static void test_conf_dropins_merge(void **state)
{
        _cleanup_free_ char *dir = tmpdir_new(), *main = path_join(dir, "main.conf"), *d = path_join(dir, "d");
        char *dirs[] = { d, NULL };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct registries_conf *c = NULL;
        const char *origin;

        (void)state;
        write_str(dir, "main.conf",
                  "unqualified-search-registries = [\"a.example\"]\n[aliases]\n\"x\" = \"a.example/x\"\n"
                  "\"y\" = \"a.example/y\"\n[[registry]]\nlocation = \"a.example\"\ninsecure = true\n");
        assert_int_equal(mkdir(d, 0700), 0);
        write_str(d, "10-b.conf", "unqualified-search-registries = [\"b.example\"]\n[aliases]\n\"x\" = \"\"\n");
        write_str(d, "20-c.conf",
                  "[[registry]]\nlocation = \"a.example\"\nblocked = true\n[aliases]\n"
                  "\"y\" = \"c.example/y\"\n");
        write_str(d, "ignored.txt", "not toml at all [");
        assert_int_equal(registries_conf_load_paths(main, dirs, &c, &err), 0);
        assert_int_equal(strv_length(c->search), 1);
        assert_string_equal(c->search[0], "b.example");
        assert_non_null(strstr(c->search_origin, "10-b.conf"));
        assert_null(registries_alias(c, "x", NULL)); /* erased by "" */
        assert_string_equal(registries_alias(c, "y", &origin), "c.example/y");
        assert_non_null(strstr(origin, "20-c.conf"));
        /* the whole [[registry]] was replaced: blocked, and no longer insecure */
        assert_true(registries_find(c, "a.example/z")->blocked);
        assert_false(registries_find(c, "a.example/z")->insecure);
        registries_conf_free(c);
        /* a broken drop-in is an error naming it */
        write_str(d, "30-bad.conf", "short-name-mode = 3\n");
        assert_true(registries_conf_load_paths(main, dirs, &c, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "30-bad.conf"));
        cpod_error_clear(&err);
        (void)rm_rf(dir, NULL);
}

/* ---- short names ---- */

static char **resolve_ok(const char *doc, const char *name, char **desc)
{
        struct registries_conf *c = parse_ok(doc);
        cpod_error_t err = CPOD_ERROR_INIT;
        struct resolved r = { 0 };
        char **v;

        if (shortname_resolve(c, name, NULL, NULL, &r, &err) < 0)
                fail_msg("%s: %s", name, cpod_error_msg(&err));
        registries_conf_free(c);
        v = TAKE_PTR(r.candidates);
        if (desc)
                *desc = TAKE_PTR(r.description);
        resolved_clear(&r);
        return v;
}

static int pick_second(void *ud, const char *name, char *const *candidates)
{
        (void)ud;
        (void)name;
        return candidates[1] ? 1 : -1;
}

static void test_shortnames(void **state)
{
        static const char two[] = "unqualified-search-registries = [\"quay.io\", \"docker.io\"]\n"
                                  "[aliases]\n\"bb\" = \"docker.io/library/busybox\"\n";
        _cleanup_strv_ char **a = NULL, **b = NULL, **c = NULL, **d = NULL, **e = NULL;
        _cleanup_free_ char *desc = NULL, *desc2 = NULL;
        struct registries_conf *conf;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct resolved r = { 0 };

        (void)state;
        a = resolve_ok("", "docker.io/busybox", NULL);
        assert_int_equal(strv_length(a), 1);
        assert_string_equal(a[0], "docker.io/library/busybox:latest");
        b = resolve_ok(two, "bb@sha256:0000000000000000000000000000000000000000000000000000000000000000", &desc);
        assert_string_equal(b[0], "docker.io/library/busybox@sha256:"
                                  "0000000000000000000000000000000000000000000000000000000000000000");
        assert_string_equal(desc, "Resolved \"bb\" as an alias (t.conf)");
        /* permissive (the default) without a terminal: every search registry, in order */
        c = resolve_ok(two, "alpine:3", &desc2);
        assert_int_equal(strv_length(c), 2);
        assert_string_equal(c[0], "quay.io/alpine:3");
        assert_string_equal(c[1], "docker.io/library/alpine:3");
        assert_string_equal(desc2, "Resolving \"alpine\" using unqualified-search registries (t.conf)");
        d = resolve_ok("unqualified-search-registries = [\"a.io\", \"b.io\"]\nshort-name-mode = \"disabled\"\n",
                       "ns/img", NULL);
        assert_int_equal(strv_length(d), 2);
        assert_string_equal(d[1], "b.io/ns/img:latest");
        e = resolve_ok("unqualified-search-registries = [\"a.io\"]\nshort-name-mode = \"enforcing\"\n", "img", NULL);
        assert_string_equal(e[0], "a.io/img:latest");

        conf = parse_ok("unqualified-search-registries = [\"a.io\", \"b.io\"]\nshort-name-mode = \"enforcing\"\n");
        assert_true(shortname_resolve(conf, "img", NULL, NULL, &r, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "short-name resolution enforced but cannot prompt without a TTY"));
        cpod_error_clear(&err);
        assert_int_equal(shortname_resolve(conf, "img", pick_second, NULL, &r, &err), 0);
        assert_int_equal(strv_length(r.candidates), 1);
        assert_string_equal(r.candidates[0], "b.io/img:latest");
        resolved_clear(&r);
        registries_conf_free(conf);

        conf = parse_ok("");
        assert_true(shortname_resolve(conf, "img", NULL, NULL, &r, &err) < 0);
        assert_string_equal(cpod_error_msg(&err), "short-name \"img\" did not resolve to an alias and no "
                                                  "unqualified-search registries are defined in \"t.conf\"");
        cpod_error_clear(&err);
        assert_true(shortname_resolve(conf, "UPPER", NULL, NULL, &r, &err) < 0);
        cpod_error_clear(&err);
        registries_conf_free(conf);
}

/* ---- auth.json ---- */

static void test_authfile_lookup(void **state)
{
        _cleanup_free_ char *dir = tmpdir_new(), *f = path_join(dir, "auth.json");
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cred cr = { 0 };

        (void)state;
        /* base64("u1:p1"), base64("u2:p2"), base64("u3:p:3"), base64("hub:pw") */
        write_str(dir, "auth.json",
                  "{\"auths\": {"
                  "\"reg.example\": {\"auth\": \"dTE6cDE=\"},"
                  "\"reg.example/team\": {\"auth\": \"dTI6cDI=\"},"
                  "\"reg.example/team/app\": {\"auth\": \"dTM6cDoz\"},"
                  "\"https://index.docker.io/v1/\": {\"auth\": \"aHViOnB3\"},"
                  "\"broken.example\": {\"auth\": \"!!!\"}}}");
        assert_int_equal(authfile_lookup_in(f, false, "reg.example", "team/app", &cr, &err), 1);
        assert_string_equal(cr.user, "u3");
        assert_string_equal(cr.pass, "p:3");
        cred_clear(&cr);
        assert_int_equal(authfile_lookup_in(f, false, "reg.example", "team/other", &cr, &err), 1);
        assert_string_equal(cr.user, "u2");
        cred_clear(&cr);
        assert_int_equal(authfile_lookup_in(f, false, "reg.example", "elsewhere/x", &cr, &err), 1);
        assert_string_equal(cr.user, "u1");
        cred_clear(&cr);
        assert_int_equal(authfile_lookup_in(f, false, "reg.example", NULL, &cr, &err), 1);
        assert_string_equal(cr.user, "u1");
        cred_clear(&cr);
        assert_int_equal(authfile_lookup_in(f, false, "docker.io", "library/busybox", &cr, &err), 1);
        assert_string_equal(cr.user, "hub");
        cred_clear(&cr);
        assert_int_equal(authfile_lookup_in(f, false, "other.example", NULL, &cr, &err), 0);
        assert_int_equal(authfile_lookup_in(f, false, "reg.example:5000", NULL, &cr, &err), 0);
        assert_true(authfile_lookup_in(f, false, "broken.example", NULL, &cr, &err) < 0);
        cpod_error_clear(&err);
        (void)rm_rf(dir, NULL);
}

static void test_authfile_search_order(void **state)
{
        _cleanup_free_ char *dir = tmpdir_new(), *xdg = path_join(dir, "xdg"), *home = path_join(dir, "home");
        _cleanup_free_ char *dockerdir = path_join(home, ".docker"), *cdir = path_join(xdg, "containers");
        _cleanup_strv_ char **paths = NULL;
        _cleanup_free_ char *origin = NULL, *wp = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cred cr = { 0 };

        (void)state;
        setenv("XDG_RUNTIME_DIR", xdg, 1);
        setenv("HOME", home, 1);
        unsetenv("REGISTRY_AUTH_FILE");
        unsetenv("XDG_CONFIG_HOME");
        unsetenv("DOCKER_CONFIG");
        paths = authfile_read_paths(NULL);
        assert_int_equal(strv_length(paths), 4);
        assert_non_null(strstr(paths[0], "/xdg/containers/auth.json"));
        assert_non_null(strstr(paths[1], "/home/.config/containers/auth.json"));
        assert_non_null(strstr(paths[2], "/home/.docker/config.json"));
        assert_non_null(strstr(paths[3], "/home/.dockercfg"));
        assert_int_equal(mkdir(home, 0700), 0);
        assert_int_equal(mkdir(dockerdir, 0700), 0);
        /* only docker's file has it */
        write_str(dockerdir, "config.json", "{\"auths\": {\"reg.example\": {\"auth\": \"dTE6cDE=\"}}}");
        assert_int_equal(authfile_lookup(NULL, "reg.example", NULL, &cr, &origin, &err), 1);
        assert_string_equal(cr.user, "u1");
        assert_non_null(strstr(origin, ".docker/config.json"));
        cred_clear(&cr);
        /* login writes the runtime-dir file, which then wins */
        wp = authfile_write_path(NULL);
        assert_non_null(strstr(wp, "/xdg/containers/auth.json"));
        assert_int_equal(authfile_store(wp, "reg.example", "u9", "p9", &err), 0);
        {
                struct stat st;
                assert_int_equal(stat(wp, &st), 0);
                assert_int_equal(st.st_mode & 0777, 0600);
        }
        assert_int_equal(authfile_lookup(NULL, "reg.example", NULL, &cr, NULL, &err), 1);
        assert_string_equal(cr.user, "u9");
        cred_clear(&cr);
        /* --authfile (or REGISTRY_AUTH_FILE) is the only file read */
        setenv("REGISTRY_AUTH_FILE", "/nonexistent/auth.json", 1);
        assert_int_equal(authfile_lookup(NULL, "reg.example", NULL, &cr, NULL, &err), 0);
        unsetenv("REGISTRY_AUTH_FILE");
        /* legacy ~/.dockercfg: keys at the top, URLs as keys */
        write_str(home, ".dockercfg", "{\"https://legacy.example/v1/\": {\"auth\": \"dTI6cDI=\"}}");
        assert_int_equal(authfile_lookup(NULL, "legacy.example", NULL, &cr, NULL, &err), 1);
        assert_string_equal(cr.user, "u2");
        cred_clear(&cr);
        /* remove, then a second remove fails */
        assert_int_equal(authfile_remove(wp, "reg.example", &err), 0);
        assert_int_equal(authfile_remove(wp, "reg.example", &err), -ENOENT);
        assert_string_equal(cpod_error_msg(&err), "not logged into reg.example");
        cpod_error_clear(&err);
        (void)cdir;
        (void)rm_rf(dir, NULL);
}

static void test_authfile_keys_and_base64(void **state)
{
        _cleanup_free_ char *k1 = authfile_normalize_key("https://index.docker.io/v1/");
        _cleanup_free_ char *k2 = authfile_normalize_key("quay.io/ns");
        _cleanup_free_ char *b = base64_encode("user:pa:ss", 10), *out = NULL;
        size_t len;

        (void)state;
        assert_string_equal(k1, "docker.io");
        assert_string_equal(k2, "quay.io/ns");
        assert_string_equal(b, "dXNlcjpwYTpzcw==");
        assert_int_equal(base64_decode(b, &out, &len), 0);
        assert_int_equal(len, 10);
        assert_memory_equal(out, "user:pa:ss", 10);
        assert_true(base64_decode("abc", &out, &len) < 0);
}

/* ---- certs.d ---- */

static void test_certs_d(void **state)
{
        _cleanup_free_ char *dir = tmpdir_new(), *host = path_join(dir, "reg.example:5000");
        cpod_error_t err = CPOD_ERROR_INIT;
        struct tls_files t = { 0 };

        (void)state;
        setenv("CPOD_CERTS_D", dir, 1);
        assert_int_equal(tls_files_for("nowhere.example", NULL, &t, &err), 0);
        assert_int_equal(strv_length(t.ca_files), 0);
        assert_null(t.client_cert);
        tls_files_clear(&t);
        assert_int_equal(mkdir(host, 0700), 0);
        write_str(host, "ca.crt", "x");
        write_str(host, "extra.crt", "x");
        write_str(host, "client.cert", "x");
        write_str(host, "client.key", "x");
        assert_int_equal(tls_files_for("reg.example:5000", NULL, &t, &err), 0);
        assert_int_equal(strv_length(t.ca_files), 2);
        assert_non_null(strstr(t.client_cert, "client.cert"));
        assert_non_null(strstr(t.client_key, "client.key"));
        tls_files_clear(&t);
        /* a key without its certificate is an error, as in containers/image */
        write_str(host, "orphan.key", "x");
        assert_true(tls_files_for("reg.example:5000", NULL, &t, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "missing client certificate orphan.cert for key orphan.key"));
        cpod_error_clear(&err);
        /* --cert-dir replaces the certs.d lookup */
        assert_int_equal(tls_files_for("reg.example:5000", dir, &t, &err), 0);
        assert_int_equal(strv_length(t.ca_files), 0);
        tls_files_clear(&t);
        unsetenv("CPOD_CERTS_D");
        (void)rm_rf(dir, NULL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_www_auth_bearer),
                cmocka_unit_test(test_www_auth_several),
                cmocka_unit_test(test_www_auth_bad),
                cmocka_unit_test(test_conf_parse_and_find),
                cmocka_unit_test(test_conf_pull_sources),
                cmocka_unit_test(test_conf_v1_and_errors),
                cmocka_unit_test(test_conf_dropins_merge),
                cmocka_unit_test(test_shortnames),
                cmocka_unit_test(test_authfile_lookup),
                cmocka_unit_test(test_authfile_search_order),
                cmocka_unit_test(test_authfile_keys_and_base64),
                cmocka_unit_test(test_certs_d),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
