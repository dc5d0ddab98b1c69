/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for lib/image: reference parsing and normalisation, manifest and index parsing, platform choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cpod/info.h>

#include "image/manifest.h"
#include "image/reference.h"
#include "util/cleanup.h"
#include "util/strbuf.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "sha256:3333333333333333333333333333333333333333333333333333333333333333"

/* input, domain, path, tag, digest (NULL: not set) */
static const char *const valid_refs[][5] = {
        { "busybox", NULL, "busybox", NULL, NULL },
        { "busybox:1.36", NULL, "busybox", "1.36", NULL },
        { "library/busybox:latest", NULL, "library/busybox", "latest", NULL },
        { "docker.io/library/busybox", "docker.io", "library/busybox", NULL, NULL },
        { "localhost/x", "localhost", "x", NULL, NULL },
        { "localhost:5000/a/b/c:v1", "localhost:5000", "a/b/c", "v1", NULL },
        { "127.0.0.1:5000/x:y", "127.0.0.1:5000", "x", "y", NULL },
        { "[::1]:5000/x", "[::1]:5000", "x", NULL, NULL },
        { "quay.io/a-b/c__d.e:T_a.g-1", "quay.io", "a-b/c__d.e", "T_a.g-1", NULL },
        { "x@" D1, NULL, "x", NULL, D1 },
        { "r.io/x:t@" D2, "r.io", "x", "t", D2 },
        { "a--b", NULL, "a--b", NULL, NULL },
};

static const char *const invalid_refs[] = {
        "",
        "UPPER",
        "r.io/Upper/x",
        "x:",
        "x:-tag",
        "x:" /* 129-char tag below */,
        "x@sha256:short",
        "x@md5:1234",
        "/x",
        "x/",
        "x//y",
        "a..b",
        "-a",
        "a-",
        "a___b",
        "bad_domain!/x",
        "host:port/x",
        "r.io:/x",
        "x y",
        /* empty or dashed host components: ".." would name the parent of certs.d/ */
        "../x",
        "./x",
        "a..b.io/x",
        ".r.io/x",
        "r.io./x",
        "-r.io/x",
        "r-.io/x",
        "[::1]x/y",
        "[::1]:/y",
        "[zz::1]/y",
};

static void test_ref_valid(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(valid_refs) / sizeof(valid_refs[0]); i++) {
                cpod_error_t err = CPOD_ERROR_INIT;
                struct image_ref r;
                char *s;
                const char *const *want = valid_refs[i];

                if (image_ref_parse(want[0], &r, &err) < 0)
                        fail_msg("'%s' refused: %s", want[0], cpod_error_msg(&err));
                if (want[1])
                        assert_string_equal(r.domain, want[1]);
                else
                        assert_null(r.domain);
                assert_string_equal(r.path, want[2]);
                if (want[3])
                        assert_string_equal(r.tag, want[3]);
                else
                        assert_null(r.tag);
                if (want[4])
                        assert_string_equal(r.digest, want[4]);
                else
                        assert_null(r.digest);
                /* The string form gives the same reference back. */
                s = image_ref_string(&r);
                assert_string_equal(s, want[0]);
                free(s);
                image_ref_clear(&r);
        }
}

static void test_ref_invalid(void **state)
{
        struct strbuf long_tag = STRBUF_INIT;

        (void)state;
        for (size_t i = 0; i < sizeof(invalid_refs) / sizeof(invalid_refs[0]); i++) {
                cpod_error_t err = CPOD_ERROR_INIT;
                struct image_ref r;
                if (image_ref_parse(invalid_refs[i], &r, &err) == 0)
                        fail_msg("'%s' accepted", invalid_refs[i]);
                assert_int_equal(err.kind, CPOD_E_INVALID);
                assert_non_null(strstr(cpod_error_msg(&err), "invalid reference format"));
                cpod_error_clear(&err);
        }
        /* tags are at most 128 characters; names at most 255 */
        strbuf_addstr(&long_tag, "x:");
        for (int i = 0; i < 129; i++)
                strbuf_addch(&long_tag, 'a');
        {
                struct image_ref r;
                assert_true(image_ref_parse(long_tag.buf, &r, NULL) < 0);
                strbuf_reset(&long_tag);
                for (int i = 0; i < 256; i++)
                        strbuf_addch(&long_tag, 'a');
                assert_true(image_ref_parse(long_tag.buf, &r, NULL) < 0);
        }
        strbuf_release(&long_tag);
}

static void test_ref_normalize(void **state)
{
        static const char *const cases[][3] = {
                /* input, qualify with, result */
                { "busybox", "docker.io", "docker.io/library/busybox:latest" },
                { "me/app", "docker.io", "docker.io/me/app:latest" },
                { "index.docker.io/busybox:1", "quay.io", "docker.io/library/busybox:1" },
                { "busybox@" D1, "localhost", "localhost/busybox@" D1 },
                { "r.io/x", "docker.io", "r.io/x:latest" },
        };
        cpod_error_t err = CPOD_ERROR_INIT;
        char *s;

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                struct image_ref r;
                assert_int_equal(image_ref_parse(cases[i][0], &r, NULL), 0);
                image_ref_qualify(&r, cases[i][1]);
                s = image_ref_string(&r);
                assert_string_equal(s, cases[i][2]);
                free(s);
                s = image_ref_repo(&r);
                assert_non_null(strchr(s, '/'));
                free(s);
                image_ref_clear(&r);
        }
        s = image_ref_normalize_local("myimage", &err);
        assert_string_equal(s, "localhost/myimage:latest");
        free(s);
        assert_null(image_ref_normalize_local("Bad", &err));
        assert_int_equal(err.kind, CPOD_E_INVALID);
        cpod_error_clear(&err);
        /* found by fuzz-reference: a valid 250-character name is too long once qualified */
        {
                char name[251];
                memset(name, 'a', 250);
                name[250] = '\0';
                assert_null(image_ref_normalize_local(name, &err));
                assert_non_null(strstr(cpod_error_msg(&err), "must not be more than 255 characters"));
                cpod_error_clear(&err);
                name[245] = '\0'; /* localhost/ + 245 = 255 */
                s = image_ref_normalize_local(name, &err);
                assert_non_null(s);
                free(s);
        }
}

static int parse(const char *doc, const char *hint, struct manifest *m, cpod_error_t *err)
{
        return manifest_parse(doc, strlen(doc), hint, m, err);
}

static void test_manifest_image(void **state)
{
        static const char oci[] =
                "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_MANIFEST "\","
                "\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"" D1 "\",\"size\":7},"
                "\"layers\":[{\"mediaType\":\"" MT_OCI_LAYER_GZIP "\",\"digest\":\"" D2
                "\",\"size\":100},{\"mediaType\":\"" MT_OCI_LAYER_ZSTD "\",\"digest\":\"" D3 "\",\"size\":5}]}";
        /* Docker v2s2 without a mediaType member: the registry's Content-Type says what it is */
        static const char docker[] = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" MT_DOCKER_CONFIG
                                     "\",\"digest\":\"" D1 "\"},\"layers\":[]}";
        cpod_error_t err = CPOD_ERROR_INIT;
        struct manifest m;

        (void)state;
        assert_int_equal(parse(oci, NULL, &m, &err), 0);
        assert_int_equal(m.kind, MANIFEST_IMAGE);
        assert_string_equal(m.media_type, MT_OCI_MANIFEST);
        assert_string_equal(m.config.digest, D1);
        assert_int_equal(m.config.size, 7);
        assert_int_equal(m.n_layers, 2);
        assert_string_equal(m.layers[0].digest, D2);
        assert_string_equal(m.layers[1].media_type, MT_OCI_LAYER_ZSTD);
        manifest_clear(&m);

        assert_int_equal(parse(docker, MT_DOCKER_MANIFEST, &m, &err), 0);
        assert_string_equal(m.media_type, MT_DOCKER_MANIFEST);
        assert_int_equal(m.config.size, -1); /* no size given */
        assert_int_equal(m.n_layers, 0);
        manifest_clear(&m);
}

static void test_manifest_index(void **state)
{
        static const char idx[] =
                "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX "\",\"manifests\":["
                "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"digest\":\"" D1
                "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}},"
                "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"digest\":\"" D2
                "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}},"
                "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"digest\":\"" D3 "\",\"size\":1,"
                "\"platform\":{\"os\":\"linux\",\"architecture\":\"x86_64\"},"
                "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}";
        cpod_error_t err = CPOD_ERROR_INIT;
        struct manifest m;

        (void)state;
        assert_int_equal(parse(idx, NULL, &m, &err), 0);
        assert_int_equal(m.kind, MANIFEST_INDEX);
        assert_int_equal(m.n_manifests, 3);
        assert_string_equal(m.manifests[2].ref_name, "v1");
        assert_int_equal(manifest_choose(&m, "linux", "arm64", NULL, &err), 0);
        assert_int_equal(manifest_choose(&m, "linux", "aarch64", "v8", &err), 0); /* arm64 without variant is v8 */
        assert_int_equal(manifest_choose(&m, "linux", "arm", "v7", &err), 1);
        assert_int_equal(manifest_choose(&m, NULL, "amd64", NULL, &err), 2); /* x86_64 normalised */
        assert_true(manifest_choose(&m, "linux", "arm", "v6", &err) < 0);
        assert_int_equal(err.kind, CPOD_E_NO_SUCH_IMAGE);
        assert_non_null(strstr(cpod_error_msg(&err), "available: linux/arm64, linux/arm/v7, linux/x86_64"));
        cpod_error_clear(&err);
        assert_true(manifest_choose(&m, "windows", "amd64", NULL, &err) < 0);
        cpod_error_clear(&err);
        manifest_clear(&m);
        /* A Docker manifest list is an index too, recognised by its shape without a mediaType. */
        assert_int_equal(parse("{\"schemaVersion\":2,\"manifests\":[]}", NULL, &m, &err), 0);
        assert_int_equal(m.kind, MANIFEST_INDEX);
        manifest_clear(&m);
}

static void test_manifest_refused(void **state)
{
        static const struct {
                const char *doc, *hint, *why;
                enum cpod_error_kind kind;
        } cases[] = {
                { "not json", NULL, "parse manifest: line 1", CPOD_E_INVALID },
                { "[]", NULL, "not a JSON object", CPOD_E_CORRUPT },
                { "{\"schemaVersion\":1,\"name\":\"x\"}", NULL, "Docker schema 1", CPOD_E_NOT_SUPPORTED },
                { "{}", MT_DOCKER_V1_SIGNED, "Docker schema 1", CPOD_E_NOT_SUPPORTED },
                { "{\"mediaType\":\"text/plain\"}", NULL, "unsupported manifest media type", CPOD_E_NOT_SUPPORTED },
                { "{\"mediaType\":\"" MT_OCI_MANIFEST "\",\"layers\":[]}", NULL, "config descriptor", CPOD_E_CORRUPT },
                { "{\"config\":{\"digest\":\"sha256:abc\"},\"layers\":[]}", NULL, "bad digest", CPOD_E_CORRUPT },
                { "{\"config\":{\"digest\":\"" D1 "\",\"size\":-1},\"layers\":[]}", NULL, "bad size", CPOD_E_CORRUPT },
                { "{\"config\":{\"digest\":\"" D1 "\",\"size\":\"7\"},\"layers\":[]}", NULL, "bad size",
                  CPOD_E_CORRUPT },
                { "{\"config\":{\"digest\":\"" D1 "\"},\"layers\":{}}", NULL, "must be an array", CPOD_E_CORRUPT },
                { "{\"config\":{\"digest\":\"" D1 "\"},\"layers\":[{\"digest\":\"../x\"}]}", NULL, "bad digest",
                  CPOD_E_CORRUPT },
                { "{\"manifests\":[1]}", NULL, "manifests descriptor", CPOD_E_CORRUPT },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                cpod_error_t err = CPOD_ERROR_INIT;
                struct manifest m;
                if (parse(cases[i].doc, cases[i].hint, &m, &err) == 0)
                        fail_msg("accepted: %s", cases[i].doc);
                if (!strstr(cpod_error_msg(&err), cases[i].why) || err.kind != cases[i].kind)
                        fail_msg("%s: got kind %d '%s', want '%s'", cases[i].doc, err.kind, cpod_error_msg(&err),
                                 cases[i].why);
                cpod_error_clear(&err);
        }
}

static void test_manifest_limits(void **state)
{
        struct strbuf sb = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct manifest m;

        (void)state;
        /* more layers than any image has: refused before anything is allocated per entry */
        strbuf_addstr(&sb, "{\"config\":{\"digest\":\"" D1 "\"},\"layers\":[");
        for (int i = 0; i < 5000; i++)
                strbuf_addf(&sb, "%s{\"digest\":\"" D2 "\"}", i ? "," : "");
        strbuf_addstr(&sb, "]}");
        assert_true(manifest_parse(sb.buf, sb.len, NULL, &m, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "too many layers"));
        cpod_error_clear(&err);
        /* and documents over 4 MiB are not parsed at all */
        assert_true(manifest_parse(sb.buf, MANIFEST_MAX_SIZE + 1, NULL, &m, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "too large"));
        cpod_error_clear(&err);
        strbuf_release(&sb);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_ref_valid),       cmocka_unit_test(test_ref_invalid),
                cmocka_unit_test(test_ref_normalize),   cmocka_unit_test(test_manifest_image),
                cmocka_unit_test(test_manifest_index),  cmocka_unit_test(test_manifest_refused),
                cmocka_unit_test(test_manifest_limits),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
