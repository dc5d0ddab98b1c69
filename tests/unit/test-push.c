/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for push and manifest lists: the manifest a push writes (lib/image/push.c), list
 * entries and their platform overrides (lib/image/manifest-list.c), and build --secret checking
 * (lib/image/build-secret.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "image/image-internal.h"
#include "image/manifest-list.h"
#include "image/manifest.h"
#include "image/push.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static const char *const DIGEST_A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char *const DIGEST_B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

static json_t *push_manifest_json(bool oci, enum push_compression comp)
{
        struct push_image im = { .config = (char *)"{}", .config_len = 2, .n_layers = 1, .oci = oci };
        struct push_blob blobs[1] = { { .fd = -1, .size = 42 } };
        _cleanup_free_ char *s = NULL;

        snprintf(im.config_digest, sizeof(im.config_digest), "%s", DIGEST_A);
        snprintf(blobs[0].digest, sizeof(blobs[0].digest), "%s", DIGEST_B);
        s = push_manifest(&im, blobs, comp);
        return json_loads(s, 0, NULL);
}

static void test_push_manifest_types(void **state)
{
        _cleanup_json_ json_t *d = push_manifest_json(false, PUSH_GZIP), *o = push_manifest_json(true, PUSH_GZIP);
        _cleanup_json_ json_t *z = push_manifest_json(true, PUSH_ZSTD);

        (void)state;
        assert_string_equal(json_get_str(d, "mediaType"), MT_DOCKER_MANIFEST);
        assert_string_equal(json_get_str(json_object_get(d, "config"), "mediaType"), MT_DOCKER_CONFIG);
        assert_string_equal(json_get_str(json_array_get(json_object_get(d, "layers"), 0), "mediaType"),
                            MT_DOCKER_LAYER);
        assert_string_equal(json_get_str(o, "mediaType"), MT_OCI_MANIFEST);
        assert_string_equal(json_get_str(json_array_get(json_object_get(o, "layers"), 0), "mediaType"),
                            MT_OCI_LAYER_GZIP);
        assert_string_equal(json_get_str(json_array_get(json_object_get(z, "layers"), 0), "mediaType"),
                            MT_OCI_LAYER_ZSTD);
        assert_string_equal(json_get_str(json_array_get(json_object_get(z, "layers"), 0), "digest"), DIGEST_B);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(z, "layers"), 0), "size")),
                         42);
        assert_int_equal(json_integer_value(json_object_get(o, "schemaVersion")), 2);
}

static void test_push_opts(void **state)
{
        struct cpod_push_opts o = { .reg = CPOD_REGISTRY_OPTS_INIT };
        cpod_error_t err = CPOD_ERROR_INIT;
        enum push_compression comp;

        (void)state;
        assert_int_equal(push_check_opts(&o, &comp, &err), 0);
        assert_int_equal(comp, PUSH_GZIP);
        o.compression = "zstd";
        assert_int_equal(push_check_opts(&o, &comp, &err), 0);
        assert_int_equal(comp, PUSH_ZSTD);
        o.format = "v2s2";
        assert_true(push_check_opts(&o, &comp, &err) < 0);
        assert_non_null(strstr(err.msg, "zstd"));
        cpod_error_clear(&err);
        o.compression = NULL;
        o.format = "v2s1";
        assert_true(push_check_opts(&o, &comp, &err) < 0);
        assert_int_equal(err.kind, CPOD_E_NOT_SUPPORTED);
        cpod_error_clear(&err);
        o.format = NULL;
        o.compression = "lz4";
        assert_true(push_check_opts(&o, &comp, &err) < 0);
        cpod_error_clear(&err);
}

static void test_mlist_put_and_apply(void **state)
{
        struct mlist l = { .doc = json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2, "mediaType", MT_DOCKER_LIST,
                                            "manifests"),
                           .instances = json_object() };
        char *feats[] = { "sse4", NULL }, *anns[] = { "k=v", "empty=", NULL }, *bad[] = { "=v", NULL };
        struct cpod_manifest_entry_opts eo = {
                .arch = "arm64", .variant = "v8", .os_version = "1.0", .features = feats, .annotations = anns
        };
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *list = json_object_get(l.doc, "manifests"), *e;

        (void)state;
        mlist_put(&l, mlist_entry_new(MT_DOCKER_MANIFEST, 10, DIGEST_A, "amd64", "linux", NULL),
                  "containers-storage:x");
        mlist_put(&l, mlist_entry_new(MT_OCI_MANIFEST, 20, DIGEST_B, "amd64", "linux", ""), "docker://h/r@b");
        /* the same digest again replaces the entry and its source */
        mlist_put(&l, mlist_entry_new(MT_DOCKER_MANIFEST, 11, DIGEST_A, "amd64", "linux", NULL),
                  "containers-storage:y");
        assert_int_equal(json_array_size(list), 2);
        e = json_array_get(list, 0);
        assert_int_equal(json_integer_value(json_object_get(e, "size")), 11);
        assert_string_equal(json_get_str(l.instances, DIGEST_A), "containers-storage:y");
        assert_null(json_object_get(json_object_get(json_array_get(list, 1), "platform"), "variant"));
        assert_int_equal(mlist_entry_apply(e, &eo, &err), 0);
        assert_string_equal(json_get_str(json_object_get(e, "platform"), "architecture"), "arm64");
        assert_string_equal(json_get_str(json_object_get(e, "platform"), "os"), "linux");
        assert_string_equal(json_get_str(json_object_get(e, "platform"), "variant"), "v8");
        assert_string_equal(json_get_str(json_object_get(e, "platform"), "os.version"), "1.0");
        assert_string_equal(json_string_value(json_array_get(json_path(e, "platform.features"), 0)), "sse4");
        assert_string_equal(json_get_str(json_object_get(e, "annotations"), "k"), "v");
        assert_string_equal(json_get_str(json_object_get(e, "annotations"), "empty"), "");
        eo = (struct cpod_manifest_entry_opts){ .annotations = bad };
        assert_true(mlist_entry_apply(e, &eo, &err) < 0);
        cpod_error_clear(&err);
        assert_true(mlist_type(MT_OCI_INDEX) && mlist_type(MT_DOCKER_LIST) && !mlist_type(MT_OCI_MANIFEST));
        mlist_clear(&l);
}

static void expect_secret_error(const char *spec, const char *want)
{
        char *v[] = { (char *)spec, NULL };
        _cleanup_strv_ char **args = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;

        assert_true(build_secret_args(v, &args, &err) < 0);
        assert_non_null(strstr(err.msg, want));
        cpod_error_clear(&err);
}

static void test_build_secrets(void **state)
{
        char tmpl[] = "/tmp/cpod-test-secret-XXXXXX";
        int fd = mkstemp(tmpl);
        _cleanup_free_ char *spec = NULL, *want = NULL;
        _cleanup_strv_ char **args = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        char *v[3] = { NULL };

        (void)state;
        assert_true(fd >= 0);
        close(fd);
        spec = xasprintf("id=one,src=%s", tmpl);
        setenv("CPOD_TEST_SECRET_ENV", "x", 1);
        v[0] = spec;
        v[1] = "id=two,type=env,env=CPOD_TEST_SECRET_ENV";
        assert_int_equal(build_secret_args(v, &args, &err), 0);
        want = xasprintf("--secret=id=one,src=%s", tmpl);
        assert_string_equal(args[0], want);
        assert_string_equal(args[1], "--secret=id=two,env=CPOD_TEST_SECRET_ENV");
        expect_secret_error("src=/etc/hostname", "no id");
        expect_secret_error("id=x", "give one of src or env");
        expect_secret_error("id=x,src=/nonexistent/secret", "/nonexistent/secret");
        expect_secret_error("id=x,src=/etc", "not a readable file");
        expect_secret_error("id=x,colour=red,src=/etc/hostname", "unknown key \"colour\"");
        expect_secret_error("id=x,type=tmpfs,src=/etc/hostname", "type must be file or env");
        expect_secret_error("id=x,novalue", "is not KEY=VALUE");
        expect_secret_error("id=x,env=CPOD_TEST_SECRET_UNSET_VAR", "is not set");
        unlink(tmpl);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_push_manifest_types),
                cmocka_unit_test(test_push_opts),
                cmocka_unit_test(test_mlist_put_and_apply),
                cmocka_unit_test(test_build_secrets),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
