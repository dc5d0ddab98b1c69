/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the layer tar engine: reader formats and errors, extraction
 * of every entry type, compression and digests, whiteouts, tar-split, diff
 * tars and change lists.  The malicious layers are in test-tar-evil.c.
 * Runs as root (ownership, device nodes, trusted.* xattrs, overlay mounts).
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
#include "storage/tar-reader.h"
#include "storage/tar-writer.h"
#include "storage/tarsplit.h"
#include "tar-test-util.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

extern const struct CMUnitTest tar_evil_tests[];
extern const size_t tar_evil_n;

static ssize_t tr_read(void *ud, void *buf, size_t len, cpod_error_t *err)
{
        (void)err;
        return memsrc_read(ud, buf, len);
}

/* All entries of a tar as "type path -> link size uid" lines; NULL with *err on failure. */
static char *list_tar(const struct strbuf *tar, size_t chunk, cpod_error_t *err)
{
        struct memsrc m = { (const unsigned char *)tar->buf, tar->len, 0, chunk };
        struct tar_reader *r = tar_reader_new(tr_read, &m);
        struct strbuf out = STRBUF_INIT;
        const struct tar_entry *e;
        char data[64];
        int q;

        while ((q = tar_reader_next(r, &e, err)) > 0) {
                ssize_t n = tar_reader_read(r, data, sizeof(data) - 1, err);
                strbuf_addf(&out, "%c %s -> %s %llu %llu", e->type, e->path, e->linkname, (unsigned long long)e->size,
                            (unsigned long long)e->uid);
                if (n > 0)
                        strbuf_addf(&out, " [%.*s]", (int)n, data);
                for (size_t i = 0; i < e->n_xattrs; i++)
                        strbuf_addf(&out, " %s=%.*s", e->xattrs[i].name, (int)e->xattrs[i].len,
                                    (char *)e->xattrs[i].value);
                strbuf_addch(&out, '\n');
        }
        tar_reader_free(r);
        if (q < 0) {
                strbuf_release(&out);
                return NULL;
        }
        return strbuf_detach(&out, NULL);
}

static void test_reader_formats(void **state)
{
        struct strbuf t = STRBUF_INIT, recs = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        char longname[300];
        _cleanup_free_ char *l1 = NULL, *l7 = NULL, *want = NULL;

        (void)state;
        memset(longname, 'n', sizeof(longname) - 1);
        longname[sizeof(longname) - 1] = '\0';
        tb_long(&t, 'L', longname);
        tb_long(&t, 'K', "long/link/target");
        tb_header(&t, &(struct th){ .name = "short", .type = '2', .format = TH_GNU });
        tb_entry(&t, &(struct th){ .name = "v7dir/", .nul_type = true, .format = TH_V7 }, "", 0);
        tb_entry(&t, &(struct th){ .name = "v7file", .nul_type = true, .format = TH_V7 }, "v7", 2);
        tb_entry(&t, &(struct th){ .name = "name", .prefix = "pre/fix" }, "abc", 3);
        tb_entry(&t, &(struct th){ .name = "big", .uid = 1ULL << 40, .base256_uid = true }, "", 0);
        tb_entry(&t, &(struct th){ .name = "contig", .type = '7' }, "c", 1);
        tb_header(&t, &(struct th){ .name = "hl", .type = '1', .link = "name", .size = 99999 });
        tb_record(&recs, "path", "pax/path", 8);
        tb_record(&recs, "uid", "4000000000", 10);
        tb_record(&recs, "SCHILY.xattr.user.a", "v1", 2);
        tb_record(&recs, "LIBARCHIVE.xattr.user.b%3Dc", "djI", 3); /* "v2" */
        tb_record(&recs, "atime", "1.5", 3);
        tb_pax(&t, 'x', &recs);
        tb_file(&t, "ignored-name", "px");
        strbuf_reset(&recs);
        tb_record(&recs, "comment", "global", 6);
        tb_pax(&t, 'g', &recs);
        tb_file(&t, "after-global", "g");
        tb_end(&t);
        want = xasprintf("2 %s -> long/link/target 0 0\n"
                         "5 v7dir/ ->  0 0\n"
                         "0 v7file ->  2 0 [v7]\n"
                         "0 pre/fix/name ->  3 0 [abc]\n"
                         "0 big ->  0 1099511627776\n"
                         "0 contig ->  1 0 [c]\n"
                         "1 hl -> name 0 0\n"
                         "0 pax/path ->  2 4000000000 [px] user.a=v1 user.b=c=v2\n"
                         "0 after-global ->  1 0 [g]\n",
                         longname);
        l1 = list_tar(&t, 1, &err);
        assert_non_null(l1);
        assert_string_equal(l1, want);
        l7 = list_tar(&t, 7777, &err);
        assert_string_equal(l7, want);
        strbuf_release(&t);
        strbuf_release(&recs);
}

static void expect_reader_error(const struct strbuf *t, const char *msg_part)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char *l = list_tar(t, 0, &err);

        if (l)
                fprintf(stderr, "unexpectedly parsed:\n%s", l);
        assert_null(l);
        assert_int_equal(err.kind, CPOD_E_CORRUPT);
        if (!strstr(cpod_error_msg(&err), msg_part))
                fprintf(stderr, "message: %s\n", cpod_error_msg(&err));
        assert_non_null(strstr(cpod_error_msg(&err), msg_part));
        cpod_error_clear(&err);
}

static void test_reader_errors(void **state)
{
        struct strbuf t = STRBUF_INIT, recs = STRBUF_INIT;

        (void)state;
        tb_header(&t, &(struct th){ .name = "x", .bad_sum = true });
        expect_reader_error(&t, "checksum");
        strbuf_reset(&t);
        tb_header(&t, &(struct th){ .name = "x", .type = 'S' });
        expect_reader_error(&t, "sparse");
        strbuf_reset(&t);
        tb_record(&recs, "GNU.sparse.map", "0,1", 3);
        tb_pax(&t, 'x', &recs);
        tb_file(&t, "x", "");
        expect_reader_error(&t, "sparse");
        strbuf_reset(&t);
        strbuf_reset(&recs);
        strbuf_addstr(&recs, "99 path=x\n");
        tb_pax(&t, 'x', &recs);
        tb_file(&t, "x", "");
        expect_reader_error(&t, "pax");
        strbuf_reset(&t);
        tb_header(&t, &(struct th){ .name = "x", .size = 1ULL << 33 });
        strbuf_addchars(&t, 'a', 1000);
        expect_reader_error(&t, "unexpected end");
        strbuf_reset(&t);
        strbuf_addchars(&t, 0, 512);
        tb_file(&t, "x", "");
        expect_reader_error(&t, "after end-of-archive");
        strbuf_reset(&t);
        tb_file(&t, "x", "");
        strbuf_setlen(&t, 300);
        expect_reader_error(&t, "unexpected end");
        strbuf_reset(&t);
        tb_entry(&t, &(struct th){ .name = "x", .type = 'x' }, "", 0);
        tb_end(&t);
        expect_reader_error(&t, "without an entry");
        strbuf_release(&t);
        strbuf_release(&recs);
}

static void check_stat(int dirfd, const char *name, mode_t type, mode_t mode, uid_t uid, gid_t gid, time_t mtime)
{
        struct stat st;

        assert_int_equal(fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW), 0);
        assert_int_equal(st.st_mode & S_IFMT, type);
        if (type != S_IFLNK)
                assert_int_equal(st.st_mode & 07777, mode);
        assert_int_equal(st.st_uid, uid);
        assert_int_equal(st.st_gid, gid);
        assert_int_equal(st.st_mtim.tv_sec, mtime);
}

static void build_all_types(struct strbuf *t)
{
        struct strbuf recs = STRBUF_INIT;
        static const unsigned char cap[] = { 1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

        tb_header(t, &(struct th){ .name = "./", .type = '5', .mode = 0750, .mtime = 1500000000 });
        tb_header(t,
                  &(struct th){
                          .name = "dir/", .type = '5', .mode = 02775, .uid = 1000, .gid = 1001, .mtime = 1600000000 });
        tb_record(&recs, "mtime", "1600000001.123456789", 20);
        tb_record(&recs, "SCHILY.xattr.user.k", "v\0w", 3);
        tb_record(&recs, "SCHILY.xattr.security.capability", cap, sizeof(cap));
        tb_record(&recs, "SCHILY.xattr.trusted.t", "tv", 2);
        tb_pax(t, 'x', &recs);
        tb_entry(t, &(struct th){ .name = "dir/file", .mode = 04755, .uid = 1000, .gid = 1001 }, "hello", 5);
        tb_hardlink(t, "dir/hard", "/dir/file");
        tb_header(t, &(struct th){
                             .name = "sym", .type = '2', .link = "dir/file", .uid = 7, .gid = 8, .mtime = 1234567890 });
        tb_header(t, &(struct th){ .name = "null", .type = '3', .mode = 0666, .devmajor = 1, .devminor = 3 });
        tb_header(t, &(struct th){ .name = "blk", .type = '4', .mode = 0660, .devmajor = 7, .devminor = 0 });
        tb_header(t, &(struct th){ .name = "fifo", .type = '6', .mode = 01600 });
        tb_end(t);
        strbuf_release(&recs);
}

static void test_entry_types(void **state)
{
        struct strbuf t = STRBUF_INIT;
        struct fx f;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct stat st, st2;
        char buf[64];
        ssize_t n;

        (void)state;
        fx_setup(&f);
        build_all_types(&t);
        assert_int_equal(apply_mem(f.layerfd, t.buf, t.len, LAYER_WHITEOUT_OVERLAY, -1, 0, NULL, &err), 0);
        check_stat(f.layerfd, ".", S_IFDIR, 0750, 0, 0, 1500000000);
        check_stat(f.layerfd, "dir", S_IFDIR, 02775, 1000, 1001, 1600000000);
        check_stat(f.layerfd, "dir/file", S_IFREG, 04755, 1000, 1001, 1600000001);
        assert_int_equal(fstatat(f.layerfd, "dir/file", &st, 0), 0);
        assert_int_equal(st.st_mtim.tv_nsec, 123456789);
        assert_int_equal(st.st_nlink, 2);
        assert_int_equal(fstatat(f.layerfd, "dir/hard", &st2, AT_SYMLINK_NOFOLLOW), 0);
        assert_int_equal(st.st_ino, st2.st_ino);
        check_stat(f.layerfd, "sym", S_IFLNK, 0, 7, 8, 1234567890);
        n = readlinkat(f.layerfd, "sym", buf, sizeof(buf));
        assert_int_equal(n, 8);
        assert_memory_equal(buf, "dir/file", 8);
        check_stat(f.layerfd, "null", S_IFCHR, 0666, 0, 0, 1000000000);
        assert_int_equal(fstatat(f.layerfd, "null", &st, AT_SYMLINK_NOFOLLOW), 0);
        assert_int_equal(st.st_rdev, makedev(1, 3));
        check_stat(f.layerfd, "blk", S_IFBLK, 0660, 0, 0, 1000000000);
        check_stat(f.layerfd, "fifo", S_IFIFO, 01600, 0, 0, 1000000000);
        {
                _cleanup_free_ char *p = path_join(f.layer, "dir/file");
                _cleanup_free_ char *data = NULL;
                size_t len;
                assert_int_equal(lgetxattr(p, "user.k", buf, sizeof(buf)), 3);
                assert_memory_equal(buf, "v\0w", 3);
                assert_int_equal(lgetxattr(p, "trusted.t", buf, sizeof(buf)), 2);
                assert_int_equal(lgetxattr(p, "security.capability", buf, sizeof(buf)), 20);
                assert_int_equal(read_file(p, &data, &len, 100, NULL), 0);
                assert_string_equal(data, "hello");
        }
        assert_true(fx_outside_clean(&f));
        fx_teardown(&f);
        strbuf_release(&t);
}

static struct strbuf simple_tar(void)
{
        struct strbuf t = STRBUF_INIT;

        tb_dir(&t, "d/");
        tb_file(&t, "d/a", "alpha");
        tb_file(&t, "b", "bravo bravo bravo");
        tb_end(&t);
        return t;
}

static void check_compressed(const struct strbuf *tar, const struct strbuf *blob, enum layer_compression comp)
{
        struct fx f;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct layer_apply_result res;
        char dc[DIGEST_STR_MAX], dt[DIGEST_STR_MAX];

        fx_setup(&f);
        if (apply_mem(f.layerfd, blob->buf, blob->len, LAYER_WHITEOUT_OVERLAY, -1, 0, &res, &err) < 0)
                fail_msg("apply (%d): %s", comp, cpod_error_msg(&err));
        digest_buf(blob->buf, blob->len, dc);
        digest_buf(tar->buf, tar->len, dt);
        assert_int_equal(res.compression, comp);
        assert_string_equal(res.compressed_digest, dc);
        assert_string_equal(res.diff_id, dt);
        assert_int_equal(res.compressed_size, blob->len);
        assert_int_equal(res.size, tar->len);
        assert_true(faccessat(f.layerfd, "d/a", F_OK, AT_SYMLINK_NOFOLLOW) == 0);
        fx_teardown(&f);
}

static void test_compression(void **state)
{
        struct strbuf t = simple_tar(), gz = STRBUF_INIT, gz3 = STRBUF_INIT, zs = STRBUF_INIT;

        (void)state;
        gzip_buf(t.buf, t.len, 1, &gz);
        gzip_buf(t.buf, t.len, 3, &gz3);
        zstd_buf(t.buf, t.len, &zs);
        check_compressed(&t, &t, LAYER_COMP_NONE);
        check_compressed(&t, &gz, LAYER_COMP_GZIP);
        check_compressed(&t, &gz3, LAYER_COMP_GZIP);
        check_compressed(&t, &zs, LAYER_COMP_ZSTD);
        strbuf_release(&t);
        strbuf_release(&gz);
        strbuf_release(&gz3);
        strbuf_release(&zs);
}

static int apply_expect(const struct strbuf *blob, const char *cdig, const char *did, cpod_error_t *err)
{
        struct fx f;
        struct memsrc m = { (const unsigned char *)blob->buf, blob->len, 0, 100 };
        struct layer_apply_opts o = { .read = memsrc_read,
                                      .userdata = &m,
                                      .expect_compressed_digest = cdig,
                                      .expect_diff_id = did,
                                      .tarsplit_fd = -1 };
        struct layer_apply_result res;
        int r;

        fx_setup(&f);
        o.target_dirfd = f.layerfd;
        r = layer_apply(&o, &res, err);
        fx_teardown(&f);
        return r;
}

static void test_digests(void **state)
{
        struct strbuf t = simple_tar(), gz = STRBUF_INIT, trunc = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        char dc[DIGEST_STR_MAX], dt[DIGEST_STR_MAX];
        const char *bad = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

        (void)state;
        gzip_buf(t.buf, t.len, 1, &gz);
        digest_buf(gz.buf, gz.len, dc);
        digest_buf(t.buf, t.len, dt);
        assert_int_equal(apply_expect(&gz, dc, dt, &err), 0);
        assert_true(apply_expect(&gz, bad, dt, &err) < 0);
        assert_int_equal(err.kind, CPOD_E_CORRUPT);
        assert_non_null(strstr(cpod_error_msg(&err), bad));
        assert_non_null(strstr(cpod_error_msg(&err), dc));
        cpod_error_clear(&err);
        assert_true(apply_expect(&gz, dc, bad, &err) < 0);
        assert_int_equal(err.kind, CPOD_E_CORRUPT);
        assert_non_null(strstr(cpod_error_msg(&err), dt));
        cpod_error_clear(&err);
        assert_true(apply_expect(&gz, "md5:abc", NULL, &err) < 0);
        assert_int_equal(err.kind, CPOD_E_INVALID);
        cpod_error_clear(&err);
        /* A truncated gzip stream and trailing junk after the last member are errors. */
        strbuf_add(&trunc, gz.buf, gz.len - 5);
        assert_true(apply_expect(&trunc, NULL, NULL, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "gzip"));
        cpod_error_clear(&err);
        strbuf_reset(&trunc);
        strbuf_add(&trunc, gz.buf, gz.len);
        strbuf_addstr(&trunc, "junkjunk");
        assert_true(apply_expect(&trunc, NULL, NULL, &err) < 0);
        cpod_error_clear(&err);
        strbuf_release(&t);
        strbuf_release(&gz);
        strbuf_release(&trunc);
}

/* Apply with tar-split, reassemble: byte-identical to the uncompressed tar. */
static void check_tarsplit(const struct strbuf *tar, const struct strbuf *blob, enum layer_whiteouts wh)
{
        struct fx f;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct layer_apply_result res;
        struct strbuf out = STRBUF_INIT;
        _cleanup_free_ char *tspath = NULL;
        int tsfd;

        fx_setup(&f);
        tspath = path_join(f.root, "ts");
        tsfd = open(tspath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        assert_true(tsfd >= 0);
        if (apply_mem(f.layerfd, blob->buf, blob->len, wh, tsfd, 0, &res, &err) < 0)
                fail_msg("apply: %s", cpod_error_msg(&err));
        assert_int_equal(lseek(tsfd, 0, SEEK_SET), 0);
        if (tarsplit_assemble(tsfd, f.layerfd, mem_write, &out, res.diff_id, &err) < 0)
                fail_msg("assemble: %s", cpod_error_msg(&err));
        assert_int_equal(out.len, tar->len);
        assert_memory_equal(out.buf, tar->buf, tar->len);
        close(tsfd);
        unlink(tspath);
        fx_teardown(&f);
        strbuf_release(&out);
}

static void test_tarsplit(void **state)
{
        struct strbuf t = simple_tar(), gz = STRBUF_INIT, recs = STRBUF_INIT;
        static char longname[400], big[200000];

        (void)state;
        check_tarsplit(&t, &t, LAYER_WHITEOUT_OVERLAY);
        strbuf_reset(&t);
        build_all_types(&t);
        check_tarsplit(&t, &t, LAYER_WHITEOUT_OVERLAY);
        strbuf_reset(&t);
        memset(longname, 'q', sizeof(longname) - 1);
        longname[sizeof(longname) - 1] = '\0';
        longname[100] = longname[200] = longname[300] = '/';
        tb_long(&t, 'L', longname);
        tb_file(&t, "ignored", "gnu long name");
        tb_record(&recs, "path",
                  "pax/long/"
                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                  108);
        tb_pax(&t, 'g', &recs);
        tb_pax(&t, 'x', &recs);
        for (size_t i = 0; i < sizeof(big); i++)
                big[i] = (char)(i * 7 + i / 1000);
        tb_entry(&t, &(struct th){ .name = "x" }, big, sizeof(big));
        tb_file(&t, "dup", "first");
        tb_file(&t, ".wh.gone", "whiteout with data");
        tb_file(&t, "empty", "");
        tb_end(&t);
        /* Extra zero blocks and junk after the end of the archive. */
        strbuf_addchars(&t, 0, 2048);
        strbuf_addstr(&t, "trailing garbage that is part of the blob");
        check_tarsplit(&t, &t, LAYER_WHITEOUT_OVERLAY);
        check_tarsplit(&t, &t, LAYER_WHITEOUT_APPLY);
        gzip_buf(t.buf, t.len, 2, &gz);
        check_tarsplit(&t, &gz, LAYER_WHITEOUT_OVERLAY);
        strbuf_release(&t);
        strbuf_release(&gz);
        strbuf_release(&recs);
}

static void test_tarsplit_detects_change(void **state)
{
        struct strbuf t = simple_tar(), out = STRBUF_INIT;
        struct fx f;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct layer_apply_result res;
        _cleanup_free_ char *tspath = NULL, *a = NULL;
        int tsfd;

        (void)state;
        fx_setup(&f);
        tspath = path_join(f.root, "ts");
        tsfd = open(tspath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        assert_int_equal(apply_mem(f.layerfd, t.buf, t.len, LAYER_WHITEOUT_OVERLAY, tsfd, 0, &res, &err), 0);
        a = path_join(f.layer, "d/a");
        assert_int_equal(write_file(a, "ALPHA", 5, 0644, NULL), 0);
        lseek(tsfd, 0, SEEK_SET);
        assert_true(tarsplit_assemble(tsfd, f.layerfd, mem_write, &out, NULL, &err) < 0);
        assert_int_equal(err.kind, CPOD_E_CORRUPT);
        cpod_error_clear(&err);
        unlink(a);
        strbuf_reset(&out);
        lseek(tsfd, 0, SEEK_SET);
        assert_true(tarsplit_assemble(tsfd, f.layerfd, mem_write, &out, NULL, &err) < 0);
        cpod_error_clear(&err);
        /* A symlink planted in place of a file is not followed out of the layer. */
        assert_int_equal(symlinkat("/etc/passwd", f.layerfd, "d/a"), 0);
        strbuf_reset(&out);
        lseek(tsfd, 0, SEEK_SET);
        assert_true(tarsplit_assemble(tsfd, f.layerfd, mem_write, &out, NULL, &err) < 0);
        cpod_error_clear(&err);
        close(tsfd);
        fx_teardown(&f);
        strbuf_release(&t);
        strbuf_release(&out);
}

static void test_whiteouts_overlay(void **state)
{
        struct strbuf t = STRBUF_INIT;
        struct fx f;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct stat st;
        char v[4];
        _cleanup_free_ char *c = NULL;

        (void)state;
        fx_setup(&f);
        tb_dir(&t, "a/");
        tb_file(&t, "a/.wh.b", "");
        tb_dir(&t, "c/");
        tb_file(&t, "c/.wh..wh..opq", "");
        tb_file(&t, "c/kept", "k");
        tb_file(&t, "d", "mine");
        tb_file(&t, ".wh.d", "");
        tb_file(&t, "deep/er/.wh.x", "");
        tb_file(&t, ".wh..wh.plnk", "");
        tb_end(&t);
        assert_int_equal(apply_mem(f.layerfd, t.buf, t.len, LAYER_WHITEOUT_OVERLAY, -1, 0, NULL, &err), 0);
        assert_int_equal(fstatat(f.layerfd, "a/b", &st, AT_SYMLINK_NOFOLLOW), 0);
        assert_true(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0));
        assert_int_equal(fstatat(f.layerfd, "deep/er/x", &st, AT_SYMLINK_NOFOLLOW), 0);
        assert_true(S_ISCHR(st.st_mode));
        c = path_join(f.layer, "c");
        assert_int_equal(getxattr(c, "trusted.overlay.opaque", v, sizeof(v)), 1);
        assert_int_equal(v[0], 'y');
        assert_int_equal(fstatat(f.layerfd, "d", &st, AT_SYMLINK_NOFOLLOW), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_int_equal(faccessat(f.layerfd, ".wh.d", F_OK, AT_SYMLINK_NOFOLLOW), -1);
        assert_int_equal(faccessat(f.layerfd, ".wh..wh.plnk", F_OK, AT_SYMLINK_NOFOLLOW), -1);
        fx_teardown(&f);
        strbuf_release(&t);
}

static void test_whiteouts_apply(void **state)
{
        struct strbuf lower = STRBUF_INIT, t = STRBUF_INIT;
        struct fx f;
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *sig = NULL;

        (void)state;
        fx_setup(&f);
        tb_file(&lower, "x", "x");
        tb_dir(&lower, "y/");
        tb_file(&lower, "y/old", "o");
        tb_dir(&lower, "y/sub/");
        tb_file(&lower, "y/sub/old2", "o");
        tb_dir(&lower, "z/");
        tb_file(&lower, "z/gone", "g");
        tb_file(&lower, "z/stay", "s");
        tb_end(&lower);
        assert_int_equal(apply_mem(f.layerfd, lower.buf, lower.len, LAYER_WHITEOUT_APPLY, -1, 0, NULL, &err), 0);
        tb_file(&t, ".wh.x", "");
        tb_file(&t, "y/sub/new", "n");
        tb_file(&t, "y/.wh..wh..opq", "");
        tb_file(&t, "y/new2", "n");
        tb_file(&t, "z/.wh.gone", "");
        tb_file(&t, "w", "w");
        tb_file(&t, ".wh.w", "");
        tb_file(&t, "nodir/.wh.q", "");
        tb_end(&t);
        assert_int_equal(apply_mem(f.layerfd, t.buf, t.len, LAYER_WHITEOUT_APPLY, -1, 0, NULL, &err), 0);
        sig = tree_signature(f.layerfd, false);
        assert_null(strstr(sig, "\nx "));
        assert_true(strncmp(sig, "x ", 2) != 0);
        assert_null(strstr(sig, "y/old"));
        assert_null(strstr(sig, "y/sub/old2"));
        assert_non_null(strstr(sig, "y/sub/new "));
        assert_non_null(strstr(sig, "y/new2 "));
        assert_null(strstr(sig, "z/gone"));
        assert_non_null(strstr(sig, "z/stay "));
        assert_true(strncmp(sig, "w ", 2) == 0 || strstr(sig, "\nw "));
        assert_null(strstr(sig, "nodir"));
        assert_null(strstr(sig, ".wh."));
        fx_teardown(&f);
        strbuf_release(&lower);
        strbuf_release(&t);
}

static void test_tar_writer(void **state)
{
        struct strbuf t = STRBUF_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct tar_writer *w = tar_writer_new(mem_write, &t);
        char longp[300];
        struct tar_xattr x = { (char *)"user.z", (char *)"zz", 2 };
        _cleanup_free_ char *l = NULL, *want = NULL;

        (void)state;
        memset(longp, 'p', sizeof(longp) - 1);
        longp[sizeof(longp) - 1] = '\0';
        longp[150] = '/';
        assert_int_equal(tar_writer_header(w,
                                           &(struct tar_entry){ .path = longp,
                                                                .linkname = (char *)"",
                                                                .type = '0',
                                                                .size = 3,
                                                                .uid = 1ULL << 32,
                                                                .xattrs = &x,
                                                                .n_xattrs = 1 },
                                           &err),
                         0);
        assert_int_equal(tar_writer_data(w, "abc", 3, &err), 0);
        assert_int_equal(tar_writer_header(
                                 w,
                                 &(struct tar_entry){
                                         .path = (char *)"a/b/", .linkname = (char *)"", .type = '5', .mtime_sec = -5 },
                                 &err),
                         0);
        assert_int_equal(
                tar_writer_header(w, &(struct tar_entry){ .path = (char *)"héllo", .linkname = longp, .type = '2' },
                                  &err),
                0);
        assert_int_equal(tar_writer_finish(w, &err), 0);
        tar_writer_free(w);
        l = list_tar(&t, 0, &err);
        if (!l)
                fail_msg("%s", cpod_error_msg(&err));
        want = xasprintf("0 %s ->  3 4294967296 [abc] user.z=zz\n5 a/b/ ->  0 0\n2 héllo -> %s 0 0\n", longp, longp);
        assert_string_equal(l, want);
        strbuf_release(&t);
}

extern void test_diff_roundtrip(void **state);
extern void test_layer_changes(void **state);
extern void test_dir_tar(void **state);

int main(void)
{
        const struct CMUnitTest base[] = {
                cmocka_unit_test(test_reader_formats),
                cmocka_unit_test(test_reader_errors),
                cmocka_unit_test(test_entry_types),
                cmocka_unit_test(test_compression),
                cmocka_unit_test(test_digests),
                cmocka_unit_test(test_tarsplit),
                cmocka_unit_test(test_tarsplit_detects_change),
                cmocka_unit_test(test_whiteouts_overlay),
                cmocka_unit_test(test_whiteouts_apply),
                cmocka_unit_test(test_tar_writer),
                cmocka_unit_test(test_diff_roundtrip),
                cmocka_unit_test(test_layer_changes),
                cmocka_unit_test(test_dir_tar),
        };
        size_t n = ARRAY_SIZE(base) + tar_evil_n;
        struct CMUnitTest *all = xcalloc(n, sizeof(*all));
        int r;

        memcpy(all, base, sizeof(base));
        memcpy(all + ARRAY_SIZE(base), tar_evil_tests, tar_evil_n * sizeof(*all));
        r = _cmocka_run_group_tests("test-tar", all, n, NULL, NULL);
        free(all);
        return r;
}
