/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Malicious layers: each one must fail cleanly or land inside the layer, and
 * never create, change or remove anything outside it.  The target is a
 * subdirectory of a temp dir that also holds a sentinel file; after every
 * apply the temp dir must hold just those two, the sentinel unchanged, and
 * nothing may appear at the host paths the layers aim for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "storage/layer-apply.h"
#include "tar-test-util.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

/*
 * Apply t in mode wh.  msg NULL: must succeed; else must fail with msg in the
 * message.  Returns the fixture for further checks (caller tears down).
 */
static void run_in(struct fx *fp, const struct strbuf *t, enum layer_whiteouts wh, const char *msg)
{
        struct fx f = *fp;
        cpod_error_t err = CPOD_ERROR_INIT;
        int r;

        r = apply_mem(f.layerfd, t->buf, t->len, wh, -1, 0, NULL, &err);
        if (!msg && r < 0)
                fail_msg("unexpected failure: %s", cpod_error_msg(&err));
        if (msg && r == 0)
                fail_msg("unexpected success (wanted \"%s\")", msg);
        if (msg && !strcasestr(cpod_error_msg(&err), msg)) /* strerror texts may be lower-cased */
                fail_msg("message \"%s\" lacks \"%s\"", cpod_error_msg(&err), msg);
        if (msg)
                assert_int_equal(err.kind, CPOD_E_CORRUPT);
        cpod_error_clear(&err);
        assert_true(fx_outside_clean(&f));
}

static struct fx run(const struct strbuf *t, enum layer_whiteouts wh, const char *msg)
{
        struct fx f;

        fx_setup(&f);
        run_in(&f, t, wh, msg);
        return f;
}

static void run_both(const struct strbuf *t, const char *msg)
{
        struct fx f = run(t, LAYER_WHITEOUT_OVERLAY, msg);

        fx_teardown(&f);
        f = run(t, LAYER_WHITEOUT_APPLY, msg);
        fx_teardown(&f);
}

static bool exists(int dirfd, const char *path)
{
        return faccessat(dirfd, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static void test_dotdot(void **state)
{
        struct strbuf t = STRBUF_INIT;

        (void)state;
        tb_file(&t, "../escape", "x");
        tb_end(&t);
        run_both(&t, "layer entry \"../escape\" escapes the layer");
        strbuf_reset(&t);
        tb_file(&t, "a/../../escape", "x");
        tb_end(&t);
        run_both(&t, "escapes the layer");
        strbuf_reset(&t);
        tb_dir(&t, "./a/b/../../../");
        tb_end(&t);
        run_both(&t, "escapes the layer");
        strbuf_release(&t);
}

static void test_absolute(void **state)
{
        struct strbuf t = STRBUF_INIT;
        struct fx f;

        (void)state;
        tb_file(&t, "/abs/path", "x");
        tb_file(&t, "//abs//./other", "y");
        tb_end(&t);
        f = run(&t, LAYER_WHITEOUT_OVERLAY, NULL);
        assert_true(exists(f.layerfd, "abs/path"));
        assert_true(exists(f.layerfd, "abs/other"));
        fx_teardown(&f);
        strbuf_release(&t);
}

static void test_symlink_parent(void **state)
{
        struct strbuf t = STRBUF_INIT;
        struct fx f;

        (void)state;
        tb_symlink(&t, "evil", "/");
        tb_file(&t, "evil/escape", "x");
        tb_symlink(&t, "evil2", "../../..");
        tb_file(&t, "evil2/x", "y");
        tb_header(&t, &(struct th){ .name = "evil/cpod-escape", .type = '6' });
        tb_end(&t);
        f = run(&t, LAYER_WHITEOUT_OVERLAY, NULL);
        assert_true(exists(f.layerfd, "escape"));
        assert_true(exists(f.layerfd, "x"));
        assert_true(exists(f.layerfd, "cpod-escape"));
        fx_teardown(&f);
        strbuf_release(&t);
}

/* A symlink to the temp dir itself (an absolute host path): resolves inside the layer, where it is missing. */
static void test_symlink_host_path(void **state)
{
        struct strbuf t = STRBUF_INIT;

        (void)state;
        /* Aim at a host directory that exists, /tmp: inside the layer it does not. */
        tb_symlink(&t, "tmp", "/tmp");
        tb_file(&t, "tmp/cpod-escape", "x");
        tb_end(&t);
        run_both(&t, "cannot open its parent");
        assert_int_equal(access("/tmp/cpod-escape", F_OK), -1);
        strbuf_reset(&t);
        tb_symlink(&t, "evil", "/tmp");
        tb_file(&t, "evil/.wh.cpod-escape", "");
        tb_file(&t, "evil/.wh..wh..opq", "");
        tb_end(&t);
        {
                struct fx f = run(&t, LAYER_WHITEOUT_APPLY, NULL);
                fx_teardown(&f);
        }
        /* Now at the fixture's own sentinel, by its absolute host path. */
        for (int mode = 0; mode < 2; mode++) {
                struct fx f;
                fx_setup(&f);
                strbuf_reset(&t);
                tb_symlink(&t, "evil", f.root);
                tb_file(&t, "evil/.wh.sentinel", "");
                tb_end(&t);
                run_in(&f, &t, mode ? LAYER_WHITEOUT_APPLY : LAYER_WHITEOUT_OVERLAY,
                       mode ? NULL : "cannot open its directory");
                strbuf_reset(&t);
                tb_symlink(&t, "evil", f.root);
                tb_file(&t, "evil/sentinel", "overwritten");
                tb_end(&t);
                run_in(&f, &t, mode ? LAYER_WHITEOUT_APPLY : LAYER_WHITEOUT_OVERLAY, "cannot open its parent");
                fx_teardown(&f);
        }
        strbuf_release(&t);
}

static void test_hardlinks(void **state)
{
        struct strbuf t = STRBUF_INIT;
        struct stat before, after;
        struct fx f;

        (void)state;
        assert_int_equal(stat("/etc/shadow", &before), 0);
        tb_hardlink(&t, "hl", "../../etc/shadow");
        tb_end(&t);
        run_both(&t, "outside the layer");
        strbuf_reset(&t);
        tb_hardlink(&t, "hl", "/etc/shadow");
        tb_end(&t);
        run_both(&t, "hardlink target");
        strbuf_reset(&t);
        tb_symlink(&t, "evil", "/etc");
        tb_hardlink(&t, "hl", "evil/shadow");
        tb_end(&t);
        run_both(&t, "hardlink target");
        strbuf_reset(&t);
        /* A link to a symlink links the symlink, never what it points to. */
        tb_symlink(&t, "ptr", "/etc/shadow");
        tb_hardlink(&t, "hl", "ptr");
        tb_end(&t);
        f = run(&t, LAYER_WHITEOUT_OVERLAY, NULL);
        assert_int_equal(fstatat(f.layerfd, "hl", &after, AT_SYMLINK_NOFOLLOW), 0);
        assert_true(S_ISLNK(after.st_mode));
        fx_teardown(&f);
        assert_int_equal(stat("/etc/shadow", &after), 0);
        assert_int_equal(before.st_nlink, after.st_nlink);
        strbuf_release(&t);
}

static void test_symlink_replaced_by_dir(void **state)
{
        struct strbuf t = STRBUF_INIT;
        struct fx f;
        struct stat st;

        (void)state;
        tb_symlink(&t, "d", "/tmp");
        tb_dir(&t, "d/");
        tb_file(&t, "d/cpod-escape", "x");
        tb_file(&t, "f", "file");
        tb_symlink(&t, "f", "/etc");
        tb_dir(&t, "f/");
        tb_file(&t, "f/passwd", "mine");
        tb_end(&t);
        f = run(&t, LAYER_WHITEOUT_APPLY, NULL);
        assert_int_equal(fstatat(f.layerfd, "d", &st, AT_SYMLINK_NOFOLLOW), 0);
        assert_true(S_ISDIR(st.st_mode));
        assert_true(exists(f.layerfd, "d/cpod-escape"));
        assert_int_equal(fstatat(f.layerfd, "f/passwd", &st, AT_SYMLINK_NOFOLLOW), 0);
        assert_int_equal(st.st_size, 4);
        fx_teardown(&f);
        assert_int_equal(access("/tmp/cpod-escape", F_OK), -1);
        strbuf_release(&t);
}

static void test_bad_whiteouts(void **state)
{
        static const char *const names[] = { ".wh...", "dir/.wh..", ".wh.", "a/b/.wh..." };
        struct strbuf t = STRBUF_INIT;

        (void)state;
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                strbuf_reset(&t);
                tb_dir(&t, "dir/");
                tb_file(&t, names[i], "");
                tb_end(&t);
                run_both(&t, "invalid whiteout");
        }
        strbuf_release(&t);
}

static void test_parent_is_file(void **state)
{
        struct strbuf t = STRBUF_INIT;

        (void)state;
        tb_file(&t, "f", "file");
        tb_symlink(&t, "s", "f");
        tb_file(&t, "s/x", "x");
        tb_end(&t);
        run_both(&t, "cannot open its parent");
        strbuf_reset(&t);
        tb_file(&t, "f", "file");
        tb_file(&t, "f/x", "x");
        tb_end(&t);
        run_both(&t, "cannot open its parent");
        strbuf_reset(&t);
        tb_symlink(&t, "s", "/etc/passwd");
        tb_file(&t, "s/x", "x");
        tb_end(&t);
        run_both(&t, "cannot open its parent");
        strbuf_release(&t);
}

static void test_xattr_filter(void **state)
{
        struct strbuf t = STRBUF_INIT, recs = STRBUF_INIT;
        static const unsigned char cap[] = { 1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        _cleanup_free_ char *p = NULL;
        char v[64];
        struct fx f;

        (void)state;
        tb_record(&recs, "SCHILY.xattr.trusted.overlay.redirect", "/etc", 4);
        tb_record(&recs, "SCHILY.xattr.trusted.overlay.opaque", "y", 1);
        tb_record(&recs, "SCHILY.xattr.user.overlay.opaque", "y", 1);
        tb_record(&recs, "SCHILY.xattr.security.selinux", "system_u:object_r:shadow_t:s0", 29);
        tb_record(&recs, "SCHILY.xattr.security.capability", cap, sizeof(cap));
        tb_record(&recs, "SCHILY.xattr.user.fine", "ok", 2);
        tb_pax(&t, 'x', &recs);
        tb_dir(&t, "d/");
        tb_end(&t);
        f = run(&t, LAYER_WHITEOUT_OVERLAY, NULL);
        p = path_join(f.layer, "d");
        assert_int_equal(lgetxattr(p, "trusted.overlay.redirect", v, sizeof(v)), -1);
        assert_int_equal(lgetxattr(p, "trusted.overlay.opaque", v, sizeof(v)), -1);
        assert_int_equal(lgetxattr(p, "user.overlay.opaque", v, sizeof(v)), -1);
        assert_int_equal(lgetxattr(p, "security.selinux", v, sizeof(v)), -1);
        assert_int_equal(lgetxattr(p, "security.capability", v, sizeof(v)), 20);
        assert_int_equal(lgetxattr(p, "user.fine", v, sizeof(v)), 2);
        fx_teardown(&f);
        strbuf_release(&t);
        strbuf_release(&recs);
}

static void test_truncated_and_bad(void **state)
{
        struct strbuf t = STRBUF_INIT;

        (void)state;
        tb_header(&t, &(struct th){ .name = "big", .size = 077777777777ULL });
        strbuf_addstr(&t, "short");
        run_both(&t, "unexpected end of tar stream in \"big\"");
        strbuf_reset(&t);
        tb_file(&t, "ok", "x");
        tb_header(&t, &(struct th){ .name = "bad", .bad_sum = true });
        tb_end(&t);
        run_both(&t, "checksum");
        strbuf_reset(&t);
        tb_header(&t, &(struct th){ .name = ".", .type = '2', .link = "/" });
        tb_end(&t);
        run_both(&t, "replace the layer root");
        strbuf_reset(&t);
        tb_header(&t, &(struct th){ .name = "sock", .type = 'V' });
        tb_end(&t);
        run_both(&t, "unsupported type");
        strbuf_release(&t);
}

static void test_bomb(void **state)
{
        struct strbuf t = STRBUF_INIT, gz = STRBUF_INIT, zs = STRBUF_INIT;
        size_t big = 64u << 20;
        char *zeros = xzalloc(big);
        struct fx f;
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)state;
        tb_entry(&t, &(struct th){ .name = "zeros" }, zeros, big);
        tb_end(&t);
        free(zeros);
        gzip_buf(t.buf, t.len, 1, &gz);
        zstd_buf(t.buf, t.len, &zs);
        assert_true(gz.len < big / 100);
        fx_setup(&f);
        assert_true(apply_mem(f.layerfd, gz.buf, gz.len, LAYER_WHITEOUT_OVERLAY, -1, 1 << 20, NULL, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "larger than the maximum"));
        assert_int_equal(err.kind, CPOD_E_CORRUPT);
        cpod_error_clear(&err);
        assert_true(apply_mem(f.layerfd, zs.buf, zs.len, LAYER_WHITEOUT_APPLY, -1, 1 << 20, NULL, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "larger than the maximum"));
        cpod_error_clear(&err);
        assert_true(fx_outside_clean(&f));
        fx_teardown(&f);
        strbuf_release(&t);
        strbuf_release(&gz);
        strbuf_release(&zs);
}

static void test_long_names(void **state)
{
        struct strbuf t = STRBUF_INIT, recs = STRBUF_INIT;
        char *name = xmalloc(5000);

        (void)state;
        memset(name, 'a', 4999);
        name[4999] = '\0';
        tb_long(&t, 'L', name);
        tb_file(&t, "x", "x");
        tb_end(&t);
        run_both(&t, "too long");
        strbuf_reset(&t);
        tb_record(&recs, "path", name, 4999);
        tb_pax(&t, 'x', &recs);
        tb_file(&t, "x", "x");
        tb_end(&t);
        run_both(&t, "too long");
        strbuf_reset(&t);
        memset(name, 'b', 300);
        name[300] = '\0';
        tb_long(&t, 'L', name); /* a component longer than NAME_MAX */
        tb_file(&t, "x", "x");
        tb_end(&t);
        run_both(&t, "File name too long");
        free(name);
        strbuf_release(&t);
        strbuf_release(&recs);
}

const struct CMUnitTest tar_evil_tests[] = {
        cmocka_unit_test(test_dotdot),         cmocka_unit_test(test_absolute),
        cmocka_unit_test(test_symlink_parent), cmocka_unit_test(test_symlink_host_path),
        cmocka_unit_test(test_hardlinks),      cmocka_unit_test(test_symlink_replaced_by_dir),
        cmocka_unit_test(test_bad_whiteouts),  cmocka_unit_test(test_parent_is_file),
        cmocka_unit_test(test_xattr_filter),   cmocka_unit_test(test_truncated_and_bad),
        cmocka_unit_test(test_bomb),           cmocka_unit_test(test_long_names),
};
const size_t tar_evil_n = ARRAY_SIZE(tar_evil_tests);
