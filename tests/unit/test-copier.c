/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cp copier against hostile roots: symlinks inside the "container"
 * (the fixture's layer dir) that point at the host, climb out with "..",
 * or sit where a copy goes.  Nothing outside the root may be read (the tar
 * never holds the sentinel's content) or written (fx_outside_clean).
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

#include "storage/copier.h"
#include "storage/tar-reader.h"
#include "tar-test-util.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

static void put_file(int dirfd, const char *name, const char *content)
{
        int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        assert_true(fd >= 0);
        assert_int_equal(write_all(fd, content, strlen(content)), 0);
        close(fd);
}

/* A root with d/f, d/sub/g and the hostile links: abs -> the fixture dir, up -> ../../.., etc -> /etc. */
static void make_root(struct fx *f)
{
        assert_int_equal(mkdirat(f->layerfd, "d", 0755), 0);
        assert_int_equal(mkdirat(f->layerfd, "d/sub", 0755), 0);
        put_file(f->layerfd, "d/f", "inside-f\n");
        put_file(f->layerfd, "d/sub/g", "inside-g\n");
        assert_int_equal(symlinkat(f->root, f->layerfd, "abs"), 0);
        assert_int_equal(symlinkat("../../../../../../..", f->layerfd, "up"), 0);
        assert_int_equal(symlinkat("/etc", f->layerfd, "etc"), 0);
        assert_int_equal(symlinkat("/", f->layerfd, "d/sub/root"), 0);
        assert_int_equal(symlinkat("sentinel", f->layerfd, "d/rel"), 0);
}

static void test_resolve_confined(void **state)
{
        struct fx f;
        _cleanup_free_ char *canon = NULL, *via_abs = NULL, *p = NULL;
        struct stat st;

        (void)state;
        fx_setup(&f);
        make_root(&f);
        /* /abs points at the fixture dir on the host: inside the root it doesn't exist. */
        p = xasprintf("/abs/sentinel");
        assert_int_equal(copier_resolve(f.layerfd, p, &via_abs, &st), -ENOENT);
        assert_int_equal(copier_resolve(f.layerfd, "/up/sentinel", &canon, &st), -ENOENT);
        /* Climbing resolves to the root itself. */
        assert_int_equal(copier_resolve(f.layerfd, "/up", &canon, &st), 0);
        assert_string_equal(canon, "");
        free(canon);
        assert_int_equal(copier_resolve(f.layerfd, "../../d/sub/root/d/f", &canon, &st), 0);
        assert_string_equal(canon, "d/f");
        assert_true(S_ISREG(st.st_mode));
        free(canon);
        canon = NULL;
        /* etc -> /etc is itself inside the root: a loop, not the host's /etc. */
        assert_int_equal(copier_resolve(f.layerfd, "/etc/passwd", &canon, &st), -ELOOP);
        assert_true(fx_outside_clean(&f));
        fx_teardown(&f);
}

static void assert_no_sentinel(const struct strbuf *tar)
{
        assert_null(memmem(tar->buf, tar->len, "sentinel-data", 13));
        assert_null(memmem(tar->buf, tar->len, "root:", 5)); /* /etc/passwd */
}

static ssize_t mem_tar_read(void *ud, void *buf, size_t len, cpod_error_t *err)
{
        (void)err;
        return memsrc_read(ud, buf, len);
}

/* The names in a tar, one per line (symlinks with their targets). */
static char *names_of(const struct strbuf *tar)
{
        struct memsrc src = { (const unsigned char *)tar->buf, tar->len, 0, 0 };
        struct strbuf out = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        const struct tar_entry *e;
        struct tar_reader *r = tar_reader_new(mem_tar_read, &src);
        int rc;

        while ((rc = tar_reader_next(r, &e, &err)) > 0)
                strbuf_addf(&out, "%s%s%s\n", e->path, e->type == TAR_SYMLINK ? " -> " : "",
                            e->type == TAR_SYMLINK ? e->linkname : "");
        assert_int_equal(rc, 0);
        tar_reader_free(r);
        return strbuf_detach(&out, NULL);
}

static void test_get_never_follows(void **state)
{
        struct fx f;
        struct strbuf tar = STRBUF_INIT;
        struct copier_get_opts o = { .name = "d" };
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *canon = NULL, *names = NULL;
        struct stat st;

        (void)state;
        fx_setup(&f);
        make_root(&f);
        assert_int_equal(copier_resolve(f.layerfd, "/d", &canon, &st), 0);
        assert_int_equal(copier_get(f.layerfd, canon, &st, &o, mem_write, &tar, &err), 0);
        names = names_of(&tar);
        assert_string_equal(names, "d/\nd/f\nd/rel -> sentinel\nd/sub/\nd/sub/g\nd/sub/root -> /\n");
        assert_no_sentinel(&tar);
        /* The whole root: links stay links, the host's /etc is not read. */
        strbuf_release(&tar);
        free(canon);
        o.name = NULL;
        assert_int_equal(copier_resolve(f.layerfd, "/", &canon, &st), 0);
        assert_int_equal(copier_get(f.layerfd, canon, &st, &o, mem_write, &tar, &err), 0);
        assert_no_sentinel(&tar);
        strbuf_release(&tar);
        assert_true(fx_outside_clean(&f));
        fx_teardown(&f);
}

static void test_get_detects_swap(void **state)
{
        struct fx f;
        struct strbuf tar = STRBUF_INIT;
        struct copier_get_opts o = { .name = "d" };
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *canon = NULL;
        struct stat st;

        (void)state;
        fx_setup(&f);
        make_root(&f);
        assert_int_equal(copier_resolve(f.layerfd, "/d", &canon, &st), 0);
        /* Between resolve and read, /d becomes a symlink to the host: the copy refuses. */
        assert_int_equal(renameat(f.layerfd, "d", f.layerfd, "d.old"), 0);
        assert_int_equal(symlinkat(f.root, f.layerfd, "d"), 0);
        assert_true(copier_get(f.layerfd, canon, &st, &o, mem_write, &tar, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "changed during the copy"));
        cpod_error_clear(&err);
        assert_no_sentinel(&tar);
        strbuf_release(&tar);
        assert_true(fx_outside_clean(&f));
        fx_teardown(&f);
}

static int put_tar(struct fx *f, const char *dir, const struct strbuf *t, bool overwrite, cpod_error_t *err)
{
        struct memsrc src = { (const unsigned char *)t->buf, t->len, 0, 0 };
        struct copier_put_opts o = {
                .rootfd = f->layerfd, .dir = dir, .overwrite = overwrite, .read = memsrc_read, .ud = &src
        };

        return copier_put(&o, err);
}

static void test_put_confined(void **state)
{
        struct fx f;
        struct strbuf t = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *data = NULL;
        size_t len;

        (void)state;
        fx_setup(&f);
        make_root(&f);
        /* A link to a host path the root doesn't have: refused, not followed to the host. */
        tb_file(&t, "abs/x", "through-abs");
        tb_end(&t);
        assert_true(put_tar(&f, "", &t, false, &err) < 0);
        cpod_error_clear(&err);
        assert_true(fx_outside_clean(&f));
        strbuf_release(&t);
        /* Once the root has its own copy of that path, abs/x lands there. */
        {
                _cleanup_free_ char *inner = xasprintf("%s%s", f.layer, f.root);
                assert_int_equal(mkdir_p(inner, 0755, NULL), 0);
        }
        tb_file(&t, "abs/x", "through-abs");
        tb_file(&t, "up/tmp/cpod-escape", "through-up");
        tb_file(&t, "d/sub/root/x", "through-root");
        tb_file(&t, "d/rel", "replaces-the-link");
        tb_end(&t);
        assert_int_equal(put_tar(&f, "", &t, false, &err), 0);
        assert_true(fx_outside_clean(&f));
        {
                _cleanup_free_ char *p = xasprintf("%s/%s/x", f.layer, f.root);
                assert_int_equal(read_file(p, &data, &len, 100, NULL), 0);
                assert_string_equal(data, "through-abs");
        }
        free(data);
        data = NULL;
        assert_int_equal(faccessat(f.layerfd, "tmp/cpod-escape", F_OK, 0), 0);
        assert_int_equal(faccessat(f.layerfd, "x", F_OK, 0), 0);
        {
                struct stat st;
                assert_int_equal(fstatat(f.layerfd, "d/rel", &st, AT_SYMLINK_NOFOLLOW), 0);
                assert_true(S_ISREG(st.st_mode)); /* the link was replaced, its target untouched */
        }
        strbuf_release(&t);
        fx_teardown(&f);
}

static void test_put_rejects_escapes(void **state)
{
        struct fx f;
        struct strbuf t = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)state;
        fx_setup(&f);
        make_root(&f);
        tb_file(&t, "../x", "climb");
        tb_end(&t);
        assert_true(put_tar(&f, "d", &t, false, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "escapes the destination"));
        cpod_error_clear(&err);
        strbuf_release(&t);
        tb_file(&t, "ok", "x");
        tb_hardlink(&t, "h", "../../sentinel");
        tb_end(&t);
        assert_true(put_tar(&f, "d", &t, false, &err) < 0);
        cpod_error_clear(&err);
        strbuf_release(&t);
        assert_true(fx_outside_clean(&f));
        fx_teardown(&f);
}

static void test_put_overwrite_rules(void **state)
{
        struct fx f;
        struct strbuf t = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct stat st;

        (void)state;
        fx_setup(&f);
        make_root(&f);
        tb_file(&t, "sub", "a file over a directory");
        tb_end(&t);
        assert_true(put_tar(&f, "d", &t, false, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "--overwrite"));
        cpod_error_clear(&err);
        assert_int_equal(put_tar(&f, "d", &t, true, &err), 0);
        assert_int_equal(fstatat(f.layerfd, "d/sub", &st, AT_SYMLINK_NOFOLLOW), 0);
        assert_true(S_ISREG(st.st_mode));
        strbuf_release(&t);
        /* Not a tar at all. */
        strbuf_addstr(&t, "this is not a tar archive, just some text that goes on and on");
        assert_true(put_tar(&f, "d", &t, false, &err) < 0);
        assert_string_equal(cpod_error_msg(&err), "source must be a (compressed) tar archive");
        cpod_error_clear(&err);
        strbuf_release(&t);
        assert_true(fx_outside_clean(&f));
        fx_teardown(&f);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_resolve_confined),    cmocka_unit_test(test_get_never_follows),
                cmocka_unit_test(test_get_detects_swap),    cmocka_unit_test(test_put_confined),
                cmocka_unit_test(test_put_rejects_escapes), cmocka_unit_test(test_put_overwrite_rules),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
