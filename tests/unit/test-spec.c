/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Golden tests for OCI runtime config generation: for each case in
 * tests/unit/data/spec/NAME.in.json (a container config as its record keeps
 * it, the image config, the namespaces joined at start) spec_generate's
 * config.json must equal NAME.out.json.  What depends on the host is
 * replaced before comparing: the test's temporary directory (@TMP@), the
 * default nofile/nproc limits clamped to the host's (@HOST@), the
 * capability set --privileged takes from cpod's bounding set (@BOUNDING@),
 * and the seccomp program (true when one is installed).
 *
 * After an intended change, regenerate with
 *   CPOD_UPDATE_GOLDEN=1 build/tests/unit/test-spec
 * and review the diff of tests/unit/data/spec/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpod/runtime.h>

#include "ctr/ctr.h"
#include "ctr/spec.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define DATA "data/spec"
#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct fixture {
        char *dir, *rootfs;
        struct cpod_runtime *rt;
};

static void write_in(const char *dir, const char *name, const char *text)
{
        _cleanup_free_ char *p = path_join(dir, name);

        assert_int_equal(write_file(p, text, strlen(text), 0644, NULL), 0);
}

static int setup(void **state)
{
        struct fixture *f = xzalloc(sizeof(*f));
        char tmpl[] = "/tmp/cpod-test-spec.XXXXXX";
        _cleanup_free_ char *root = NULL, *runroot = NULL, *etc = NULL, *bundle = NULL;

        assert_non_null(mkdtemp(tmpl));
        f->dir = xstrdup(tmpl);
        root = path_join(f->dir, "root");
        runroot = path_join(f->dir, "run");
        f->rootfs = path_join(f->dir, "rootfs");
        etc = path_join(f->rootfs, "etc");
        assert_int_equal(mkdir_p(etc, 0755, NULL), 0);
        {
                /* the cases' --workdir must exist in the image (spec_check_workdir) */
                _cleanup_free_ char *srv = path_join(f->rootfs, "srv");
                assert_int_equal(mkdir_p(srv, 0755, NULL), 0);
        }
        write_in(etc, "passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        write_in(etc, "group", "root:x:0:\nwheel:x:10:root\ndialout:x:20:\n");
        assert_int_equal(mkdir_p(root, 0700, NULL), 0);
        assert_int_equal(cpod_runtime_open(&(struct cpod_runtime_opts){ .root = root,
                                                                        .runroot = runroot,
                                                                        .cgroup_manager = "cgroupfs",
                                                                        .config_path = "/dev/null",
                                                                        /* no hooks: the host's would leak in */
                                                                        .hooks_dirs = (const char *const[]){ NULL } },
                                           &f->rt, NULL),
                         0);
        /* The cgroup layout only decides whether a cgroup namespace is made: fix it to v1. */
        f->rt->cgroup_mode = CPOD_CGROUP_V1;
        bundle = xasprintf("%s/containers/%s/userdata", runroot, ID);
        assert_int_equal(mkdir_p(bundle, 0700, NULL), 0);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;

        cpod_runtime_unref(f->rt);
        (void)rm_rf(f->dir, NULL);
        free(f->dir);
        free(f->rootfs);
        free(f);
        return 0;
}

/* Replace every occurrence of the temporary directory in strings with @TMP@. */
static void mask_tmp(json_t *v, const char *dir)
{
        const char *k;
        json_t *e;
        size_t i, n = strlen(dir);

        if (json_is_string(v)) {
                const char *s = json_string_value(v), *at = strstr(s, dir);
                if (at) {
                        _cleanup_free_ char *r = xasprintf("%.*s@TMP@%s", (int)(at - s), s, at + n);
                        json_string_set(v, r);
                }
        } else if (json_is_object(v)) {
                json_object_foreach(v, k, e)
                        mask_tmp(e, dir);
        } else if (json_is_array(v)) {
                json_array_foreach(v, i, e)
                        mask_tmp(e, dir);
        }
}

static void mask_host(json_t *spec, const json_t *cfg)
{
        json_t *proc = json_object_get(spec, "process"), *lx = json_object_get(spec, "linux"), *e;
        size_t i;

        json_array_foreach(json_object_get(proc, "rlimits"), i, e) {
                const char *t = json_get_str(e, "type");
                bool given = false;
                json_t *u;
                size_t k;
                json_array_foreach(json_object_get(cfg, "Ulimits"), k, u)
                        given |= strncasecmp(json_string_value(u), t + 7, strlen(t + 7)) == 0;
                if (!given && (strcmp(t, "RLIMIT_NOFILE") == 0 || strcmp(t, "RLIMIT_NPROC") == 0)) {
                        json_object_set_new(e, "hard", json_string("@HOST@"));
                        json_object_set_new(e, "soft", json_string("@HOST@"));
                }
        }
        if (json_is_true(json_object_get(cfg, "Privileged"))) {
                json_t *devs = json_object_get(lx, "devices"), *d;
                bool null_dev = false;
                json_object_set_new(proc, "capabilities", json_string("@BOUNDING@"));
                /* the host's own device nodes are there (/dev/null among them) but host-specific: keep the rest */
                for (i = 0; i < json_array_size(devs); i++) {
                        d = json_array_get(devs, i);
                        null_dev |= strcmp(json_get_str(d, "path"), "/dev/null") == 0;
                        if (access(json_get_str(d, "path"), F_OK) == 0)
                                json_array_remove(devs, i--);
                }
                assert_true(null_dev);
        }
        if (json_object_get(lx, "seccomp"))
                json_object_set_new(lx, "seccomp", json_true());
}

static void run_case(struct fixture *f, const char *name)
{
        _cleanup_free_ char *in_path = xasprintf(DATA "/%s.in.json", name);
        _cleanup_free_ char *out_path = xasprintf(DATA "/%s.out.json", name);
        _cleanup_json_ json_t *in = json_parse_file(in_path, NULL), *spec = NULL, *want = NULL;
        json_t *joins_j;
        struct spec_joins joins = { 0 };
        struct ctr c = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;

        if (!in)
                fail_msg("cannot read %s", in_path);
        snprintf(c.id, sizeof(c.id), "%s", ID);
        c.name = xstrdup("golden");
        c.image_name = xstrdup("localhost/busybox:latest");
        if (ctr_config_parse(json_object_get(in, "config"), true, &c.cfg, &err) < 0)
                fail_msg("%s: %s", name, cpod_error_msg(&err));
        joins_j = json_object_get(in, "joins");
        joins.pid = xstrdup(json_get_str(joins_j, "pid"));
        joins.ipc = xstrdup(json_get_str(joins_j, "ipc"));
        joins.uts = xstrdup(json_get_str(joins_j, "uts"));
        joins.net = xstrdup(json_get_str(joins_j, "net"));
        if (spec_generate(f->rt, &c, &joins, json_object_get(in, "image"), f->rootfs, &spec, &err) < 0)
                fail_msg("%s: %s", name, cpod_error_msg(&err));
        mask_tmp(spec, f->dir);
        mask_host(spec, json_object_get(in, "config"));
        if (getenv("CPOD_UPDATE_GOLDEN")) {
                assert_int_equal(json_dump_file(spec, out_path, JSON_INDENT(2) | JSON_SORT_KEYS), 0);
        } else {
                want = json_parse_file(out_path, NULL);
                if (!want || !json_equal(spec, want)) {
                        _cleanup_free_ char *got = json_dumps(spec, JSON_INDENT(2) | JSON_SORT_KEYS);
                        fail_msg("%s: config.json differs from %s; got:\n%s", name, out_path, got);
                }
        }
        spec_joins_clear(&joins);
        ctr_clear(&c);
}

static void test_golden(void **state)
{
        struct fixture *f = *state;
        DIR *d = opendir(DATA);
        struct dirent *de;
        int n = 0;

        assert_non_null(d);
        while ((de = readdir(d))) {
                size_t len = strlen(de->d_name);
                _cleanup_free_ char *name = NULL;
                if (len < 9 || strcmp(de->d_name + len - 8, ".in.json") != 0)
                        continue;
                name = xstrndup(de->d_name, len - 8);
                run_case(f, name);
                n++;
        }
        closedir(d);
        assert_true(n >= 6);
}

/* What cannot run is refused before the runtime is asked. */
static void test_refused(void **state)
{
        static const char *const cases[][2] = {
                { "{\"EffectiveCommand\":[]}", "no command or entrypoint provided" },
                { "{\"EffectiveCommand\":[\"sh\"],\"User\":\"nosuchuser\"}", "unable to find user nosuchuser" },
                { "{\"EffectiveCommand\":[\"sh\"],\"GroupAdd\":[\"nosuchgroup\"]}", "nosuchgroup" },
                { "{\"EffectiveCommand\":[\"sh\"],\"Ulimits\":[\"nofile=10:5\"]}", "invalid ulimit option" },
                { "{\"EffectiveCommand\":[\"sh\"],\"Volumes\":[\"/tmp:/x\",\"/etc:/x\"]}",
                  "duplicate mount destination" },
        };
        struct fixture *f = *state;

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                _cleanup_json_ json_t *cfg = json_loads(cases[i][0], 0, NULL), *img = json_object(), *spec = NULL;
                struct spec_joins joins = { 0 };
                struct ctr c = { 0 };
                cpod_error_t err = CPOD_ERROR_INIT;

                snprintf(c.id, sizeof(c.id), "%s", ID);
                c.name = xstrdup("refused");
                assert_int_equal(ctr_config_parse(cfg, true, &c.cfg, NULL), 0);
                if (spec_generate(f->rt, &c, &joins, img, f->rootfs, &spec, &err) == 0)
                        fail_msg("generated a config for %s", cases[i][0]);
                if (!strstr(cpod_error_msg(&err), cases[i][1]))
                        fail_msg("%s: '%s'", cases[i][0], cpod_error_msg(&err));
                cpod_error_clear(&err);
                ctr_clear(&c);
        }
}

/* "/dev/PATH:VALUE" of the block IO flags: podman's syntax and ranges. */
static void test_blkio_parse(void **state)
{
        static const struct {
                const char *in;
                enum spec_blkio_kind kind;
                long long want; /* -1: refused */
        } cases[] = {
                { "/dev/sda:1mb", SPEC_BLKIO_BPS, 1048576 }, { "/dev/sda:512k", SPEC_BLKIO_BPS, 524288 },
                { "/dev/sda:100", SPEC_BLKIO_BPS, 100 },     { "/dev/sda:-1", SPEC_BLKIO_BPS, -1 },
                { "/dev/sda:1000", SPEC_BLKIO_IOPS, 1000 },  { "/dev/sda:1k", SPEC_BLKIO_IOPS, -1 },
                { "/dev/sda:", SPEC_BLKIO_IOPS, -1 },        { "/dev/sda:500", SPEC_BLKIO_WEIGHT, 500 },
                { "/dev/sda:0", SPEC_BLKIO_WEIGHT, 0 },      { "/dev/sda:9", SPEC_BLKIO_WEIGHT, -1 },
                { "/dev/sda:1001", SPEC_BLKIO_WEIGHT, -1 },  { "/dev/sda", SPEC_BLKIO_BPS, -1 },
                { "sda:1mb", SPEC_BLKIO_BPS, -1 },           { "/tmp/x:1", SPEC_BLKIO_IOPS, -1 },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                cpod_error_t err = CPOD_ERROR_INIT;
                char *path = NULL;
                uint64_t v = 0;
                int r = spec_blkio_parse(cases[i].in, cases[i].kind, &path, &v, &err);
                if (cases[i].want < 0) {
                        if (r == 0)
                                fail_msg("%s was accepted", cases[i].in);
                        assert_int_equal(err.kind, CPOD_E_INVALID);
                } else {
                        if (r < 0)
                                fail_msg("%s was refused", cases[i].in);
                        assert_string_equal(path, "/dev/sda");
                        assert_int_equal(v, (uint64_t)cases[i].want);
                }
                free(path);
                cpod_error_clear(&err);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_golden, setup, teardown),
                cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
                cmocka_unit_test(test_blkio_parse),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
