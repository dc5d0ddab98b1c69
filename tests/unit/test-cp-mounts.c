/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A stopped container's paths across its bind mounts (lib/ctr/cp-mounts.c):
 * which root a path lands in, symlinks followed in the container's path
 * space, mount order, and links inside a mount source that aim at the host.
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
#include <unistd.h>

#include "ctr/cp-mounts.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

struct fx {
        char dir[64];
        int rootfd, volfd, etcfd, outfd;
        struct cp_mounts m;
};

static void put_file(int dirfd, const char *name, const char *content)
{
        int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        assert_true(fd >= 0);
        assert_int_equal(write_all(fd, content, strlen(content)), 0);
        close(fd);
}

static int mkdir_open(const char *top, const char *name)
{
        _cleanup_free_ char *p = path_join(top, name);

        assert_int_equal(mkdir(p, 0755), 0);
        return open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static void add(struct fx *f, const char *dest, bool bind, int fd, const char *base, bool ro)
{
        f->m.v = xrealloc(f->m.v, (f->m.n + 1) * sizeof(*f->m.v));
        f->m.v[f->m.n++] = (struct cp_mount){
                .dest = xstrdup(dest), .bind = bind, .ro = ro, .fd = fd >= 0 ? dup(fd) : -ENOENT, .base = xstrdup(base)
        };
}

/*
 * rootfs: d/f, lnk -> /data/a, lnkdir -> /data, etc/.  vol (at /data): a, sub/, abs -> the host's
 * "outside", climb -> ../../../.., up -> .., loop -> loop.  host-etc holds "single", bound as a
 * file at /etc/single (read-only).  outside: sentinel.
 */
static void fx_setup(struct fx *f)
{
        _cleanup_free_ char *outside = NULL;

        snprintf(f->dir, sizeof(f->dir), "/tmp/cpod-test-cp-mounts.XXXXXX");
        assert_non_null(mkdtemp(f->dir));
        f->rootfd = mkdir_open(f->dir, "rootfs");
        f->volfd = mkdir_open(f->dir, "vol");
        f->etcfd = mkdir_open(f->dir, "host-etc");
        f->outfd = mkdir_open(f->dir, "outside");
        outside = path_join(f->dir, "outside");
        assert_int_equal(mkdirat(f->rootfd, "d", 0755), 0);
        assert_int_equal(mkdirat(f->rootfd, "etc", 0755), 0);
        put_file(f->rootfd, "d/f", "rootfs-f");
        assert_int_equal(symlinkat("/data/a", f->rootfd, "lnk"), 0);
        assert_int_equal(symlinkat("/data", f->rootfd, "lnkdir"), 0);
        put_file(f->volfd, "a", "vol-a");
        assert_int_equal(mkdirat(f->volfd, "sub", 0755), 0);
        assert_int_equal(symlinkat(outside, f->volfd, "abs"), 0);
        assert_int_equal(symlinkat("../../../../../../..", f->volfd, "climb"), 0);
        assert_int_equal(symlinkat("..", f->volfd, "up"), 0);
        assert_int_equal(symlinkat("loop", f->volfd, "loop"), 0);
        put_file(f->etcfd, "single", "single");
        put_file(f->outfd, "sentinel", "HOST-SECRET");
        f->m = (struct cp_mounts){ .rootfd = f->rootfd };
        add(f, "data", true, f->volfd, "", false);
        add(f, "etc/single", true, f->etcfd, "single", true);
}

static void fx_teardown(struct fx *f)
{
        cp_mounts_clear(&f->m);
        close(f->rootfd);
        close(f->volfd);
        close(f->etcfd);
        close(f->outfd);
        assert_int_equal(rm_rf(f->dir, NULL), 0);
}

static bool same_dir(int a, int b)
{
        struct stat sa, sb;

        return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* path resolves below the root fd `root` to canon, as container path cpath. */
static void expect(struct fx *f, const char *path, int root, const char *canon, const char *cpath)
{
        struct cp_place p = { 0 };

        assert_int_equal(cp_mounts_resolve(&f->m, path, &p), 0);
        assert_true(same_dir(p.rootfd, root));
        assert_string_equal(p.canon, canon);
        assert_string_equal(p.path, cpath);
        cp_place_clear(&p);
}

static int fails(struct fx *f, const char *path)
{
        struct cp_place p = { 0 };
        int r = cp_mounts_resolve(&f->m, path, &p);

        if (r == 0)
                cp_place_clear(&p);
        return r;
}

static void test_paths_land_in_their_mount(void **state)
{
        struct fx f;

        (void)state;
        fx_setup(&f);
        expect(&f, "/d/f", f.rootfd, "d/f", "d/f");
        expect(&f, "/data", f.volfd, "", "data");
        expect(&f, "/data/a", f.volfd, "a", "data/a");
        expect(&f, "/data/sub/../a", f.volfd, "a", "data/a");
        expect(&f, "/", f.rootfd, "", "");
        /* Symlinks of the rootfs lead into the mount, ".." out of it into the rootfs. */
        expect(&f, "/lnk", f.volfd, "a", "data/a");
        expect(&f, "/lnkdir/sub", f.volfd, "sub", "data/sub");
        expect(&f, "/data/../d/f", f.rootfd, "d/f", "d/f");
        expect(&f, "/data/up/d/f", f.rootfd, "d/f", "d/f");
        /* A file mount: its parent directory is the root, its name the path. */
        expect(&f, "/etc/single", f.etcfd, "single", "etc/single");
        assert_int_equal(fails(&f, "/etc/single/x"), -ENOTDIR);
        assert_int_equal(fails(&f, "/data/a/"), -ENOTDIR);
        assert_int_equal(fails(&f, "/lnk/"), -ENOTDIR);
        assert_int_equal(fails(&f, "/data/nope"), -ENOENT);
        fx_teardown(&f);
}

static void test_ro_and_order(void **state)
{
        struct fx f;
        struct cp_place p = { 0 };

        (void)state;
        fx_setup(&f);
        assert_int_equal(cp_mounts_resolve(&f.m, "/etc/single", &p), 0);
        assert_true(p.ro);
        cp_place_clear(&p);
        assert_int_equal(cp_mounts_resolve(&f.m, "/data/a", &p), 0);
        assert_false(p.ro);
        cp_place_clear(&p);
        /* A later mount covers an earlier one below it; a later tmpfs hides both (the rootfs shows). */
        add(&f, "data/sub", true, f.etcfd, "", false);
        expect(&f, "/data/sub/single", f.etcfd, "single", "data/sub/single");
        add(&f, "data", true, f.volfd, "", false);
        expect(&f, "/data/sub", f.volfd, "sub", "data/sub");
        add(&f, "data", false, -1, "", false);
        assert_int_equal(fails(&f, "/data/a"), -ENOENT);
        /* A source that could not be opened fails what lies below it. */
        add(&f, "d", true, -1, "", false);
        assert_int_equal(fails(&f, "/d/f"), -ENOENT);
        fx_teardown(&f);
}

static void test_links_in_a_mount_stay_in_the_container(void **state)
{
        struct fx f;

        (void)state;
        fx_setup(&f);
        /* An absolute link to the host is a container path: missing there. */
        assert_int_equal(fails(&f, "/data/abs/sentinel"), -ENOENT);
        assert_int_equal(fails(&f, "/data/abs"), -ENOENT);
        /* Climbing stops at the container's root, not at the host's. */
        expect(&f, "/data/climb", f.rootfd, "", "");
        expect(&f, "/data/climb/data/a", f.volfd, "a", "data/a");
        {
                _cleanup_free_ char *p = xasprintf("/data/climb%s/outside/sentinel", f.dir);
                assert_int_equal(fails(&f, p), -ENOENT);
        }
        assert_int_equal(fails(&f, "/data/loop"), -ELOOP);
        fx_teardown(&f);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_paths_land_in_their_mount),
                cmocka_unit_test(test_ro_and_order),
                cmocka_unit_test(test_links_in_a_mount_stay_in_the_container),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
