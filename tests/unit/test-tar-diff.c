/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Diff tars against a real overlay mount: changes made through overlayfs,
 * layer_diff_tar of the upper dir applied (vfs style) onto a copy of the
 * lower must give the merged view.  Also layer_changes and dir_tar.
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
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "storage/layer-apply.h"
#include "storage/layer-diff.h"
#include "tar-test-util.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

void test_diff_roundtrip(void **state);
void test_layer_changes(void **state);
void test_dir_tar(void **state);

struct ovl {
        char *root, *lower, *upper, *work, *merged, *copy;
};

static char *sub(const struct ovl *o, const char *name)
{
        return path_join(o->root, name);
}

static void put(const char *dir, const char *name, const char *content)
{
        _cleanup_free_ char *p = path_join(dir, name);

        assert_int_equal(write_file(p, content, strlen(content), 0644, NULL), 0);
}

static void mk(const char *dir, const char *name)
{
        _cleanup_free_ char *p = path_join(dir, name);

        assert_int_equal(mkdir(p, 0755), 0);
}

/* The same lower tree every time, times included. */
static void build_lower(const char *dir)
{
        struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
        const char *all[] = { "a", "d/x", "d/y", "e/old", "s", "d", "e" };
        _cleanup_close_ int fd = -1;

        put(dir, "a", "lower a");
        mk(dir, "d");
        put(dir, "d/x", "x");
        put(dir, "d/y", "y");
        mk(dir, "e");
        put(dir, "e/old", "old");
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(symlinkat("a", fd, "s"), 0);
        for (size_t i = 0; i < ARRAY_SIZE(all); i++)
                assert_int_equal(utimensat(fd, all[i], ts, AT_SYMLINK_NOFOLLOW), 0);
}

static void ovl_setup(struct ovl *o)
{
        char tmpl[] = "/tmp/cpod-test-ovl.XXXXXX";

        assert_non_null(mkdtemp(tmpl));
        o->root = xstrdup(tmpl);
        o->lower = sub(o, "lower");
        o->upper = sub(o, "upper");
        o->work = sub(o, "work");
        o->merged = sub(o, "merged");
        o->copy = sub(o, "copy");
        mk(o->root, "lower");
        mk(o->root, "upper");
        mk(o->root, "work");
        mk(o->root, "merged");
        mk(o->root, "copy");
        build_lower(o->lower);
        build_lower(o->copy);
}

static bool ovl_mount(const struct ovl *o)
{
        _cleanup_free_ char *opts = xasprintf("lowerdir=%s,upperdir=%s,workdir=%s", o->lower, o->upper, o->work);

        return mount("overlay", o->merged, "overlay", 0, opts) == 0;
}

static void ovl_teardown(struct ovl *o)
{
        (void)umount2(o->merged, MNT_DETACH);
        rm_tree(o->root);
        free(o->root);
        free(o->lower);
        free(o->upper);
        free(o->work);
        free(o->merged);
        free(o->copy);
}

static const char long_dir[] = "llllllllllllllllllllllllllllllllllllllllllllllllllllllllllll"
                               "/mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm";

/* Changes through the overlay: modify, delete, replace a dir (opaque), add every file type. */
static void make_changes(const char *m)
{
        _cleanup_free_ char *n = path_join(m, "n"), *n2 = path_join(m, "n2"), *e = path_join(m, "e");
        _cleanup_free_ char *dx = path_join(m, "d/x"), *ld = path_join(m, long_dir), *lf = NULL;
        _cleanup_free_ char *fifo = path_join(m, "fifo"), *null = path_join(m, "null"), *sym = path_join(m, "sym");

        put(m, "a", "upper a");
        assert_int_equal(unlink(dx), 0);
        rm_tree(e);
        assert_int_equal(mkdir(e, 0700), 0);
        put(m, "e/new", "new in opaque");
        put(m, "n", "new file");
        assert_int_equal(chown(n, 1000, 1000), 0);
        assert_int_equal(chmod(n, 04755), 0);
        assert_int_equal(setxattr(n, "user.k", "v", 1, 0), 0);
        assert_int_equal(link(n, n2), 0);
        assert_int_equal(mkfifo(fifo, 0600), 0);
        assert_int_equal(mknod(null, S_IFCHR | 0666, makedev(1, 3)), 0);
        assert_int_equal(symlink("target", sym), 0);
        assert_int_equal(mkdir_p(ld, 0755, NULL), 0);
        lf = path_join(ld, "file-with-a-long-path");
        assert_int_equal(write_file(lf, "deep", 4, 0600, NULL), 0);
}

static int open_dir(const char *p)
{
        int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        assert_true(fd >= 0);
        return fd;
}

void test_diff_roundtrip(void **state)
{
        struct ovl o;
        struct strbuf tar = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *want = NULL, *got = NULL;
        int ufd, cfd, mfd;

        (void)state;
        ovl_setup(&o);
        if (!ovl_mount(&o)) {
                ovl_teardown(&o);
                skip();
        }
        make_changes(o.merged);
        assert_int_equal(umount(o.merged), 0);
        ufd = open_dir(o.upper);
        if (layer_diff_tar(ufd, mem_write, &tar, &err) < 0)
                fail_msg("diff: %s", cpod_error_msg(&err));
        close(ufd);
        cfd = open_dir(o.copy);
        if (apply_mem(cfd, tar.buf, tar.len, LAYER_WHITEOUT_APPLY, -1, 0, NULL, &err) < 0)
                fail_msg("apply: %s", cpod_error_msg(&err));
        got = tree_signature(cfd, false);
        close(cfd);
        assert_true(ovl_mount(&o));
        mfd = open_dir(o.merged);
        want = tree_signature(mfd, false);
        close(mfd);
        assert_int_equal(umount(o.merged), 0);
        if (strcmp(want, got) != 0)
                fprintf(stderr, "merged:\n%s\napplied:\n%s\n", want, got);
        assert_string_equal(want, got);
        /* Deterministic: the same upper gives the same bytes. */
        {
                struct strbuf again = STRBUF_INIT;
                ufd = open_dir(o.upper);
                assert_int_equal(layer_diff_tar(ufd, mem_write, &again, &err), 0);
                close(ufd);
                assert_int_equal(again.len, tar.len);
                assert_memory_equal(again.buf, tar.buf, tar.len);
                strbuf_release(&again);
        }
        ovl_teardown(&o);
        strbuf_release(&tar);
}

static int collect_change(void *ud, char kind, const char *path)
{
        strbuf_addf(ud, "%c %s\n", kind, path);
        return 0;
}

void test_layer_changes(void **state)
{
        struct ovl o;
        struct strbuf got = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *want = NULL;
        int ufd, lfd;

        (void)state;
        ovl_setup(&o);
        if (!ovl_mount(&o)) {
                ovl_teardown(&o);
                skip();
        }
        make_changes(o.merged);
        assert_int_equal(umount(o.merged), 0);
        ufd = open_dir(o.upper);
        lfd = open_dir(o.lower);
        assert_int_equal(layer_changes(ufd, &lfd, 1, collect_change, &got, &err), 0);
        close(ufd);
        close(lfd);
        want = xasprintf("C /a\nC /d\nD /d/x\nC /e\nA /e/new\nA /fifo\nA /%.60s\nA /%s\nA /%s/file-with-a-long-path\n"
                         "A /n\nA /n2\nA /null\nA /sym\n",
                         long_dir, long_dir, long_dir);
        assert_string_equal(got.buf, want);
        ovl_teardown(&o);
        strbuf_release(&got);
}

void test_dir_tar(void **state)
{
        struct ovl o;
        struct fx f;
        struct strbuf tar = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *want = NULL, *got = NULL;
        int cfd;

        (void)state;
        ovl_setup(&o);
        fx_setup(&f);
        make_changes(o.copy); /* a plain tree with every file type */
        cfd = open_dir(o.copy);
        assert_int_equal(dir_tar(cfd, mem_write, &tar, &err), 0);
        want = tree_signature(cfd, true);
        close(cfd);
        assert_int_equal(apply_mem(f.layerfd, tar.buf, tar.len, LAYER_WHITEOUT_OVERLAY, -1, 0, NULL, &err), 0);
        got = tree_signature(f.layerfd, true);
        assert_string_equal(want, got);
        fx_teardown(&f);
        ovl_teardown(&o);
        strbuf_release(&tar);
}
