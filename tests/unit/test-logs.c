/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/ctr/logs: conmon's k8s-file format (fixtures in data/logs/ were written by
 * conmon 2.1.6 with runc: conmon-basic.log in UTC, conmon-long.log with TZ=Asia/Kolkata and
 * lines longer than conmon's 8 KiB read buffer, conmon-tz.log with TZ=America/New_York), tail,
 * filters, follow, and podman's --since/--until values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctr/logs.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define SEC 1000000000LL

/* ---- helpers ------------------------------------------------------------------------------- */

struct got_line {
        int64_t ts;
        char stream;
        char *msg;
        size_t len;
        bool nl;
};

struct got {
        struct got_line *v;
        size_t n;
        size_t stop_after; /* 0: never stop */
};

static int collect(void *ud, const struct log_line *l)
{
        struct got *g = ud;
        char *m = xmalloc(l->len + 1);

        memcpy(m, l->msg, l->len);
        m[l->len] = '\0';
        g->v = xreallocarray(g->v, g->n + 1, sizeof(*g->v));
        g->v[g->n++] = (struct got_line){ l->ts_ns, l->stream, m, l->len, l->newline };
        return g->stop_after && g->n >= g->stop_after ? -1 : 0;
}

static void got_free(struct got *g)
{
        for (size_t i = 0; i < g->n; i++)
                free(g->v[i].msg);
        free(g->v);
        *g = (struct got){ 0 };
}

static void read_log(const char *path, const struct log_read_opts *o, struct got *g)
{
        cpod_error_t err = CPOD_ERROR_INIT;

        *g = (struct got){ 0 };
        assert_int_equal(k8s_log_read(path, o, collect, g, &err), 0);
        assert_null(err.msg);
}

static void read_tail(const char *path, long tail, struct got *g)
{
        struct log_read_opts o = LOG_READ_OPTS_INIT;

        o.tail = tail;
        read_log(path, &o, g);
}

static void expect_line(const struct got *g, size_t i, char stream, const char *msg, bool nl)
{
        assert_true(i < g->n);
        assert_int_equal(g->v[i].stream, stream);
        assert_int_equal(g->v[i].len, strlen(msg));
        assert_string_equal(g->v[i].msg, msg);
        assert_int_equal(g->v[i].nl, nl);
}

static bool same_line(const struct got_line *a, const struct got_line *b)
{
        return a->ts == b->ts && a->stream == b->stream && a->len == b->len && a->nl == b->nl &&
               memcmp(a->msg, b->msg, a->len) == 0;
}

/*
 * tail N must give the N lines that ended latest, in the order a full read gives them.  That is
 * the last N lines of a full read, except that an unfinished line (a P group without its F at
 * the end) is delivered at the end but counts where its last piece is.  The logs checked here
 * have timestamps that never go down, so "ended latest" is "has the latest timestamp".
 */
static void check_all_tails(const char *path, const long *ns, size_t count)
{
        struct got all, t;

        read_tail(path, -1, &all);
        for (size_t k = 0; k < count; k++) {
                long n = ns[k] < 0 ? (long)all.n + (-ns[k] - 1) : ns[k];
                size_t want = (size_t)n < all.n ? (size_t)n : all.n, j = 0;

                read_tail(path, n, &t);
                if (t.n != want)
                        fail_msg("tail %ld of %s: %zu lines, want %zu", n, path, t.n, want);
                for (size_t i = 0; i < all.n; i++) {
                        size_t later = 0; /* lines that ended after line i */
                        for (size_t m = 0; m < all.n; m++)
                                if (all.v[m].ts > all.v[i].ts || (all.v[m].ts == all.v[i].ts && m > i))
                                        later++;
                        if (later >= want)
                                continue;
                        if (j >= t.n || !same_line(&t.v[j], &all.v[i]))
                                fail_msg("tail %ld of %s: line %zu differs from line %zu of all", n, path, j, i);
                        j++;
                }
                got_free(&t);
        }
        got_free(&all);
}

static char tmpdir[] = "/tmp/cpod-test-logs-XXXXXX";

static char *tmp_path(const char *name)
{
        return path_join(tmpdir, name);
}

/* Append a record as conmon writes it, with a UTC offset. */
static void add_rec(struct strbuf *sb, int64_t ts, char stream, char tag, const char *msg, size_t len)
{
        time_t t = (time_t)(ts / SEC);
        struct tm tm;

        gmtime_r(&t, &tm);
        strbuf_addf(sb, "%04d-%02d-%02dT%02d:%02d:%02d.%09lld+00:00 %s %c ", tm.tm_year + 1900, tm.tm_mon + 1,
                    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long long)(ts % SEC),
                    stream == 'o' ? "stdout" : "stderr", tag);
        strbuf_add(sb, msg, len);
        strbuf_addch(sb, '\n');
}

static void add_str(struct strbuf *sb, int64_t ts, char stream, char tag, const char *msg)
{
        add_rec(sb, ts, stream, tag, msg, strlen(msg));
}

static char *write_log(const char *name, const struct strbuf *sb)
{
        char *p = tmp_path(name);

        assert_int_equal(write_file(p, sb->buf, sb->len, 0644, NULL), 0);
        return p;
}

static int setup(void **state)
{
        (void)state;
        return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
        (void)state;
        return rm_rf(tmpdir, NULL);
}

/* ---- real conmon output -------------------------------------------------------------------- */

static void test_conmon_basic(void **state)
{
        struct got g;

        (void)state;
        read_tail("data/logs/conmon-basic.log", -1, &g);
        assert_int_equal(g.n, 11);
        expect_line(&g, 0, 'o', "hello world", true);
        assert_int_equal(g.v[0].ts, 1795406019020698315LL); /* 2026-11-23T03:53:39.020698315+00:00 */
        expect_line(&g, 1, 'e', "to stderr", true);
        /* Three records (P, P, F): the line carries the F record's time, as podman shows it. */
        expect_line(&g, 2, 'o', "part one, part two end", true);
        assert_int_equal(g.v[2].ts, 1795406019251584809LL);
        expect_line(&g, 3, 'o', "", true);
        /* A stderr P piece, a whole stdout line, then the stderr F piece: joined per stream. */
        expect_line(&g, 4, 'o', "out between", true);
        expect_line(&g, 5, 'e', "err partial err done", true);
        expect_line(&g, 6, 'o', "multi", true);
        expect_line(&g, 7, 'o', "lines", true);
        expect_line(&g, 8, 'o', "in one write", true);
        assert_int_equal(g.v[6].ts, g.v[8].ts); /* one read() by conmon, one timestamp */
        expect_line(&g, 9, 'o', "tab\there, utf8 \xc3\xa9 \xe2\x9c\x93, cr\r", true);
        /* The container exited without a final newline: the last record stays P. */
        expect_line(&g, 10, 'o', "no newline at end", false);
        assert_int_equal(g.v[10].ts, 1795406019676286920LL);
        got_free(&g);
}

static void test_conmon_long(void **state)
{
        struct strbuf digits = STRBUF_INIT;
        char ys[10001];
        struct got g;

        (void)state;
        for (int i = 1; i <= 5000; i++)
                strbuf_addf(&digits, "%d", i);
        memset(ys, 'y', 10000);
        ys[10000] = '\0';
        read_tail("data/logs/conmon-long.log", -1, &g);
        assert_int_equal(g.n, 4);
        /* Five P records (one per read() of conmon, as tr wrote it) and an empty F for the newline. */
        expect_line(&g, 0, 'o', digits.buf, true);
        assert_int_equal(g.v[0].ts, 1795406024692251350LL); /* 2026-11-23T09:23:44.692251350+05:30 */
        expect_line(&g, 1, 'o', "after long", true);
        expect_line(&g, 2, 'e', ys, true);
        expect_line(&g, 3, 'o', "last", true);
        got_free(&g);
        strbuf_release(&digits);
}

static void test_conmon_tz(void **state)
{
        struct got g;

        (void)state;
        read_tail("data/logs/conmon-tz.log", -1, &g);
        assert_int_equal(g.n, 2);
        expect_line(&g, 0, 'o', "first", true);
        assert_int_equal(g.v[0].ts, 1795406027778223921LL); /* 2026-11-22T22:53:47.778223921-05:00 */
        expect_line(&g, 1, 'e', "second", true);
        got_free(&g);
}

static void test_conmon_tails(void **state)
{
        static const long ns[] = { 0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 100 };
        struct got g;

        (void)state;
        check_all_tails("data/logs/conmon-basic.log", ns, ARRAY_SIZE(ns));
        check_all_tails("data/logs/conmon-long.log", ns, ARRAY_SIZE(ns));
        check_all_tails("data/logs/conmon-tz.log", ns, ARRAY_SIZE(ns));
        /* tail 2 starts inside interleaved groups: "err partial" is before "out between". */
        read_tail("data/logs/conmon-basic.log", 7, &g);
        expect_line(&g, 0, 'o', "out between", true);
        expect_line(&g, 1, 'e', "err partial err done", true);
        got_free(&g);
        read_tail("data/logs/conmon-long.log", 4, &g);
        assert_int_equal(g.n, 4);
        assert_int_equal(g.v[0].len, 18893); /* all five P pieces of the first line */
        got_free(&g);
}

/* ---- synthetic logs ------------------------------------------------------------------------ */

/* Partial groups at every tail boundary: the last line is a P group without its F. */
static void test_tail_partial_groups(void **state)
{
        static const long ns[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3 };
        _cleanup_free_ char *path = NULL;
        struct strbuf sb = STRBUF_INIT;
        struct got g;

        (void)state;
        add_str(&sb, 1 * SEC, 'o', 'F', "one");
        add_str(&sb, 2 * SEC, 'o', 'P', "two-a ");
        add_str(&sb, 3 * SEC, 'e', 'P', "err-a ");
        add_str(&sb, 4 * SEC, 'o', 'P', "two-b ");
        add_str(&sb, 5 * SEC, 'e', 'F', "err-b");
        add_str(&sb, 6 * SEC, 'o', 'F', "two-c");
        add_str(&sb, 7 * SEC, 'e', 'F', "three");
        add_str(&sb, 8 * SEC, 'o', 'P', "four-a ");
        add_str(&sb, 9 * SEC, 'e', 'F', "five");
        add_str(&sb, 10 * SEC, 'o', 'P', "four-b");
        path = write_log("groups.log", &sb);

        read_tail(path, -1, &g);
        assert_int_equal(g.n, 6);
        expect_line(&g, 0, 'o', "one", true);
        expect_line(&g, 1, 'e', "err-a err-b", true);
        assert_int_equal(g.v[1].ts, 5 * SEC);
        expect_line(&g, 2, 'o', "two-a two-b two-c", true);
        expect_line(&g, 3, 'e', "three", true);
        expect_line(&g, 4, 'e', "five", true);
        expect_line(&g, 5, 'o', "four-a four-b", false);
        assert_int_equal(g.v[5].ts, 10 * SEC);
        got_free(&g);

        read_tail(path, 1, &g);
        assert_int_equal(g.n, 1);
        expect_line(&g, 0, 'o', "four-a four-b", false);
        got_free(&g);
        read_tail(path, 2, &g);
        assert_int_equal(g.n, 2);
        expect_line(&g, 0, 'e', "five", true);
        expect_line(&g, 1, 'o', "four-a four-b", false);
        got_free(&g);
        /* tail 4 starts at "two-a": the stderr line between its pieces ends earlier and stays out. */
        read_tail(path, 4, &g);
        assert_int_equal(g.n, 4);
        expect_line(&g, 0, 'o', "two-a two-b two-c", true);
        got_free(&g);
        read_tail(path, 5, &g);
        assert_int_equal(g.n, 5);
        expect_line(&g, 0, 'e', "err-a err-b", true);
        got_free(&g);
        read_tail(path, 0, &g);
        assert_int_equal(g.n, 0);
        got_free(&g);
        check_all_tails(path, ns, ARRAY_SIZE(ns));
        strbuf_release(&sb);
}

/* tail 1 where the stdout group started before an unwanted stderr line ends: that one stays out. */
static void test_tail_unwanted_inside(void **state)
{
        _cleanup_free_ char *path = NULL;
        struct strbuf sb = STRBUF_INIT;
        struct got g;

        (void)state;
        add_str(&sb, 1 * SEC, 'o', 'P', "a");
        add_str(&sb, 2 * SEC, 'e', 'F', "unwanted");
        add_str(&sb, 3 * SEC, 'o', 'F', "b");
        path = write_log("inside.log", &sb);
        read_tail(path, 1, &g);
        assert_int_equal(g.n, 1);
        expect_line(&g, 0, 'o', "ab", true);
        got_free(&g);
        strbuf_release(&sb);
}

/* An unfinished stderr line followed by stdout lines: delivered last, counted where it ended. */
static void test_tail_unfinished_early(void **state)
{
        static const long ns[] = { 0, 1, 2, 3, 4 };
        _cleanup_free_ char *path = NULL;
        struct strbuf sb = STRBUF_INIT;
        struct got g;

        (void)state;
        add_str(&sb, 1 * SEC, 'e', 'P', "progress...");
        add_str(&sb, 2 * SEC, 'o', 'F', "a");
        add_str(&sb, 3 * SEC, 'o', 'F', "done");
        path = write_log("unfinished.log", &sb);
        read_tail(path, -1, &g);
        assert_int_equal(g.n, 3);
        expect_line(&g, 0, 'o', "a", true);
        expect_line(&g, 1, 'o', "done", true);
        expect_line(&g, 2, 'e', "progress...", false);
        got_free(&g);
        read_tail(path, 1, &g);
        assert_int_equal(g.n, 1);
        expect_line(&g, 0, 'o', "done", true);
        got_free(&g);
        read_tail(path, 2, &g);
        assert_int_equal(g.n, 2);
        expect_line(&g, 0, 'o', "a", true);
        got_free(&g);
        check_all_tails(path, ns, ARRAY_SIZE(ns));
        strbuf_release(&sb);
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
        rnd_state ^= rnd_state << 13;
        rnd_state ^= rnd_state >> 17;
        rnd_state ^= rnd_state << 5;
        return rnd_state;
}

/* Random records over many 64 KiB blocks, some longer than a block, some corrupt. */
static void test_tail_random(void **state)
{
        static const long ns[] = { 0, 1, 2, 3, 5, 10, 50, 100, 500, 1000, 1499, -1, -2, -3, -10 };
        _cleanup_free_ char *path = NULL, *big = xmalloc(200000);
        struct strbuf sb = STRBUF_INIT;
        int64_t ts = 1700000000 * SEC;

        (void)state;
        for (size_t i = 0; i < 200000; i++)
                big[i] = (char)('a' + i % 26);
        for (int i = 0; i < 3000; i++) {
                uint32_t r = rnd();
                size_t len = r % 97 == 0 ? 65536 + rnd() % 100000 : rnd() % 300;
                char stream = r & 1 ? 'e' : 'o', tag = (r >> 1) % 3 == 0 ? 'P' : 'F';

                ts += 1 + rnd() % 1000000;
                if (r % 211 == 0)
                        strbuf_addstr(&sb, "corrupt record\n");
                else if (r % 223 == 0)
                        strbuf_addch(&sb, '\n');
                else
                        add_rec(&sb, ts, stream, tag, big + rnd() % 1000, len);
        }
        path = write_log("random.log", &sb);
        assert_true(sb.len > 20 * 65536);
        check_all_tails(path, ns, ARRAY_SIZE(ns));
        strbuf_release(&sb);
}

static void test_since_until(void **state)
{
        _cleanup_free_ char *path = NULL;
        struct log_read_opts o = LOG_READ_OPTS_INIT;
        struct strbuf sb = STRBUF_INIT;
        struct got g;

        (void)state;
        add_str(&sb, 1 * SEC, 'o', 'F', "l1");
        add_str(&sb, 2 * SEC, 'e', 'F', "l2");
        add_str(&sb, 3 * SEC, 'o', 'P', "l3a");
        add_str(&sb, 4 * SEC, 'o', 'F', "l3b"); /* the line is at 4 s */
        add_str(&sb, 5 * SEC, 'o', 'F', "l5");
        add_str(&sb, 6 * SEC, 'e', 'F', "l6");
        path = write_log("times.log", &sb);

        o.since_ns = 4 * SEC;
        read_log(path, &o, &g);
        assert_int_equal(g.n, 3);
        expect_line(&g, 0, 'o', "l3al3b", true);
        expect_line(&g, 2, 'e', "l6", true);
        got_free(&g);

        o.since_ns = 0;
        o.until_ns = 2 * SEC;
        read_log(path, &o, &g);
        assert_int_equal(g.n, 2);
        expect_line(&g, 1, 'e', "l2", true);
        got_free(&g);

        o.since_ns = 2 * SEC + 1;
        o.until_ns = 5 * SEC;
        read_log(path, &o, &g);
        assert_int_equal(g.n, 2);
        expect_line(&g, 0, 'o', "l3al3b", true);
        expect_line(&g, 1, 'o', "l5", true);
        got_free(&g);

        /* tail applies before the filters, as in podman. */
        o.tail = 2;
        o.since_ns = 0;
        o.until_ns = 5 * SEC;
        read_log(path, &o, &g);
        assert_int_equal(g.n, 1);
        expect_line(&g, 0, 'o', "l5", true);
        got_free(&g);
        strbuf_release(&sb);
}

static void test_big_line(void **state)
{
        const size_t mib = 1024 * 1024;
        _cleanup_free_ char *path = NULL, *text = xmalloc(mib + 1);
        struct strbuf sb = STRBUF_INIT;
        struct got g;

        (void)state;
        for (size_t i = 0; i < mib; i++)
                text[i] = (char)('A' + (i * 7) % 50);
        text[mib] = '\0';
        add_str(&sb, 1 * SEC, 'o', 'F', "before");
        add_str(&sb, 2 * SEC, 'o', 'F', text); /* one record */
        for (size_t off = 0; off < mib; off += 8192)
                add_rec(&sb, 3 * SEC, 'e', off + 8192 < mib ? 'P' : 'F', text + off, 8192); /* as conmon cuts it */
        add_str(&sb, 4 * SEC, 'o', 'F', "after");
        path = write_log("big.log", &sb);

        read_tail(path, -1, &g);
        assert_int_equal(g.n, 4);
        expect_line(&g, 1, 'o', text, true);
        expect_line(&g, 2, 'e', text, true);
        expect_line(&g, 3, 'o', "after", true);
        got_free(&g);
        read_tail(path, 2, &g);
        assert_int_equal(g.n, 2);
        expect_line(&g, 0, 'e', text, true);
        got_free(&g);
        read_tail(path, 3, &g);
        assert_int_equal(g.n, 3);
        expect_line(&g, 0, 'o', text, true);
        got_free(&g);
        strbuf_release(&sb);
}

static void test_corrupt(void **state)
{
        static const long ns[] = { 0, 1, 2, 3, 4, 5 };
        static const char nul_line[] = "2024-01-01T00:00:00.000000000+00:00 stdout F nul\0byte\n";
        _cleanup_free_ char *path = NULL;
        struct strbuf sb = STRBUF_INIT;
        struct got g;

        (void)state;
        strbuf_addstr(&sb, "garbage\n\n   \n");
        add_str(&sb, 1 * SEC, 'o', 'F', "good one");
        strbuf_addstr(&sb, "2024-01-01T00:00:00Z stdin F no such stream\n");
        strbuf_addstr(&sb, "2024-01-01T00:00:00Z stdout X bad tag\n");
        strbuf_addstr(&sb, "2024-01-01T00:00:00Z stdout FP bad tag\n");
        strbuf_addstr(&sb, "2024-13-01T00:00:00Z stdout F bad month\n");
        strbuf_addstr(&sb, "2024-01-01T00:00:00 stdout F no zone\n");
        strbuf_addstr(&sb, "2024-01-01T00:00:00Z stdout\n");
        strbuf_addstr(&sb, "2024-01-01T00:00:00.");
        strbuf_addchars(&sb, '1', 300); /* Go would take it; no writer does, and heads must stay short */
        strbuf_addstr(&sb, "Z stdout F silly fraction\n");
        strbuf_addstr(&sb, "2023-12-31T23:59:59.5Z stderr F short fraction, Z\n");
        strbuf_addstr(&sb, "2024-01-01T00:00:00Z stdout F:x tagged\n");
        strbuf_addstr(&sb, "2024-01-01T00:00:00Z stdout F\n"); /* empty text, no space */
        strbuf_add(&sb, nul_line, sizeof(nul_line) - 1);
        strbuf_addstr(&sb, "2024-01-01T00:00:00Z stdout F cut at the end, no newline");
        path = write_log("corrupt.log", &sb);

        read_tail(path, -1, &g);
        assert_int_equal(g.n, 6);
        expect_line(&g, 0, 'o', "good one", true);
        expect_line(&g, 1, 'e', "short fraction, Z", true);
        assert_int_equal(g.v[1].ts, 1704067199 * SEC + SEC / 2);
        expect_line(&g, 2, 'o', "tagged", true);
        expect_line(&g, 3, 'o', "", true);
        assert_int_equal(g.v[4].len, 8);
        assert_memory_equal(g.v[4].msg, "nul\0byte", 8);
        expect_line(&g, 5, 'o', "cut at the end, no newline", true);
        got_free(&g);
        check_all_tails(path, ns, ARRAY_SIZE(ns));
        strbuf_release(&sb);
}

static void test_missing_and_stop(void **state)
{
        _cleanup_free_ char *missing = tmp_path("nope.log"), *path = NULL;
        struct log_read_opts o = LOG_READ_OPTS_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct strbuf sb = STRBUF_INIT;
        struct got g = { 0 };

        (void)state;
        read_tail(missing, -1, &g);
        assert_int_equal(g.n, 0);
        read_tail(missing, 3, &g);
        assert_int_equal(g.n, 0);
        /* A directory is an error, not "no lines". */
        assert_true(k8s_log_read(tmpdir, &o, collect, &g, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), tmpdir));
        cpod_error_clear(&err);

        for (int i = 0; i < 10; i++)
                add_str(&sb, (i + 1) * SEC, 'o', 'F', "x");
        path = write_log("stop.log", &sb);
        g.stop_after = 3;
        assert_int_equal(k8s_log_read(path, &o, collect, &g, &err), 0);
        assert_int_equal(g.n, 3);
        got_free(&g);
        strbuf_release(&sb);
}

/* ---- follow -------------------------------------------------------------------------------- */

struct writer {
        char *path;
        atomic_bool running;
        atomic_int polls;
        int mode; /* 0 append, 1 rotate (rename a new file over the path), 2 create late */
};

static bool writer_running(void *ud)
{
        struct writer *w = ud;

        atomic_fetch_add(&w->polls, 1);
        return atomic_load(&w->running);
}

static void sleep_ms(int ms)
{
        struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

static void append(const char *path, int64_t ts, char stream, char tag, const char *msg)
{
        struct strbuf sb = STRBUF_INIT;
        int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

        assert_true(fd >= 0);
        add_str(&sb, ts, stream, tag, msg);
        assert_int_equal(write_all(fd, sb.buf, sb.len), 0);
        close(fd);
        strbuf_release(&sb);
}

static void *writer_main(void *arg)
{
        struct writer *w = arg;
        _cleanup_free_ char *tmp = xasprintf("%s.tmp", w->path);

        /* Start once the reader has opened the file and done its tail: it then asks whether we run. */
        while (atomic_load(&w->polls) == 0)
                sleep_ms(1);
        if (w->mode == 2)
                sleep_ms(100);
        for (int i = 0; i < 5; i++) {
                _cleanup_free_ char *m = xasprintf("line %d", i);
                append(w->path, (10 + i) * SEC, i % 2 ? 'e' : 'o', 'F', m);
                sleep_ms(20);
        }
        if (w->mode == 1) {
                /* conmon's log rotation: a new file renamed over the old one. */
                append(tmp, 20 * SEC, 'o', 'F', "rotated 1");
                assert_int_equal(rename(tmp, w->path), 0);
                sleep_ms(20);
                append(w->path, 21 * SEC, 'o', 'F', "rotated 2");
        }
        append(w->path, 30 * SEC, 'o', 'P', "half ");
        sleep_ms(20);
        append(w->path, 31 * SEC, 'o', 'F', "done");
        append(w->path, 32 * SEC, 'e', 'P', "unfinished");
        atomic_store(&w->running, false);
        return NULL;
}

static void run_follow(int mode, long tail, struct got *g, double *ret_secs, int *ret_polls)
{
        struct writer w = { .path = tmp_path(mode == 2   ? "late.log"
                                             : mode == 1 ? "rot.log"
                                                         : "follow.log"),
                            .mode = mode };
        struct log_read_opts o = LOG_READ_OPTS_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct timespec a, b;
        pthread_t th;

        atomic_init(&w.running, true);
        atomic_init(&w.polls, 0);
        if (mode != 2) {
                append(w.path, 1 * SEC, 'o', 'F', "old 1");
                append(w.path, 2 * SEC, 'o', 'F', "old 2");
        }
        o.follow = true;
        o.tail = tail;
        o.still_running = writer_running;
        o.ud = &w;
        *g = (struct got){ 0 };
        clock_gettime(CLOCK_MONOTONIC, &a);
        assert_int_equal(pthread_create(&th, NULL, writer_main, &w), 0);
        assert_int_equal(k8s_log_read(w.path, &o, collect, g, &err), 0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        pthread_join(th, NULL);
        *ret_secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        *ret_polls = atomic_load(&w.polls);
        if (getenv("LOGS_TEST_TIMING"))
                fprintf(stderr, "follow mode %d: %.3f s, %d still_running() calls\n", mode, *ret_secs, *ret_polls);
        free(w.path);
}

static void expect_followed_tail(const struct got *g, size_t i)
{
        for (int k = 0; k < 5; k++) {
                _cleanup_free_ char *m = xasprintf("line %d", k);
                expect_line(g, i + (size_t)k, k % 2 ? 'e' : 'o', m, true);
        }
}

static void test_follow(void **state)
{
        struct got g;
        double secs;
        int polls;

        (void)state;
        run_follow(0, 1, &g, &secs, &polls);
        assert_int_equal(g.n, 8);
        expect_line(&g, 0, 'o', "old 2", true);
        expect_followed_tail(&g, 1);
        expect_line(&g, 6, 'o', "half done", true);
        expect_line(&g, 7, 'e', "unfinished", false); /* the writer stopped mid-line */
        /* The writer needs ~150 ms; then at most one poll period passes. */
        assert_true(secs < 2.0);
        assert_true(polls < 20); /* asked only when quiet: no busy loop */
        got_free(&g);
}

static void test_follow_rotate(void **state)
{
        struct got g;
        double secs;
        int polls;

        (void)state;
        run_follow(1, -1, &g, &secs, &polls);
        assert_int_equal(g.n, 11);
        expect_line(&g, 0, 'o', "old 1", true);
        expect_followed_tail(&g, 2);
        expect_line(&g, 7, 'o', "rotated 1", true);
        expect_line(&g, 8, 'o', "rotated 2", true);
        expect_line(&g, 9, 'o', "half done", true);
        expect_line(&g, 10, 'e', "unfinished", false);
        assert_true(secs < 2.0);
        got_free(&g);
}

static void test_follow_late_file(void **state)
{
        struct got g;
        double secs;
        int polls;

        (void)state;
        run_follow(2, 0, &g, &secs, &polls);
        assert_int_equal(g.n, 7);
        expect_followed_tail(&g, 0);
        assert_true(secs < 2.0);
        got_free(&g);
}

struct scripted {
        const char *path;
        int calls;
        const char *appends[3]; /* written at the first calls of still_running(); then it says stopped */
        bool truncate;          /* truncate before the first append */
};

static bool scripted_running(void *ud)
{
        struct scripted *sc = ud;
        const char *a = sc->calls < 3 ? sc->appends[sc->calls] : NULL;
        int fd;

        sc->calls++;
        if (!a)
                return false;
        fd = open(sc->path, O_WRONLY | O_APPEND | O_CLOEXEC | (sc->truncate && sc->calls == 1 ? O_TRUNC : 0));
        assert_true(fd >= 0);
        assert_int_equal(write_all(fd, a, strlen(a)), 0);
        close(fd);
        return true;
}

/* tail 0 while the last record is still being written: following resumes at that record. */
static void test_follow_cut_record(void **state)
{
        _cleanup_free_ char *path = NULL;
        struct log_read_opts o = LOG_READ_OPTS_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct strbuf sb = STRBUF_INIT;
        struct scripted sc = { 0 };
        struct got g = { 0 };

        (void)state;
        add_str(&sb, 1 * SEC, 'o', 'F', "old");
        strbuf_addstr(&sb, "2024-01-01T00:00:00Z stdout P par");
        path = write_log("cut.log", &sb);
        sc.path = path;
        sc.appends[0] = "tial \n";
        sc.appends[1] = "2024-01-01T00:00:01Z stdout F line\n2024-01-01T00:00:02Z stderr P cut";
        o.follow = true;
        o.tail = 0;
        o.still_running = scripted_running;
        o.ud = &sc;
        assert_int_equal(k8s_log_read(path, &o, collect, &g, &err), 0);
        assert_int_equal(g.n, 2);
        expect_line(&g, 0, 'o', "partial line", true);
        expect_line(&g, 1, 'e', "cut", false); /* stopped while cut: taken as it is */
        assert_int_equal(sc.calls, 3);
        got_free(&g);
        strbuf_release(&sb);
}

/* A file truncated under the reader is read again from its start. */
static void test_follow_truncated(void **state)
{
        _cleanup_free_ char *path = NULL;
        struct log_read_opts o = LOG_READ_OPTS_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct strbuf sb = STRBUF_INIT;
        struct scripted sc = { 0 };
        struct got g = { 0 };

        (void)state;
        for (int i = 0; i < 20; i++)
                add_str(&sb, 1 * SEC, 'o', 'F', "a line before truncation");
        path = write_log("trunc.log", &sb);
        sc.path = path;
        sc.truncate = true;
        sc.appends[0] = "2024-01-01T00:00:01Z stdout F new\n";
        o.follow = true;
        o.tail = 1;
        o.still_running = scripted_running;
        o.ud = &sc;
        assert_int_equal(k8s_log_read(path, &o, collect, &g, &err), 0);
        assert_int_equal(g.n, 1);
        expect_line(&g, 0, 'o', "new", true);
        got_free(&g);
        strbuf_release(&sb);
}

static bool never_running(void *ud)
{
        (void)ud;
        return false;
}

static bool always_running(void *ud)
{
        int *calls = ud;

        (*calls)++;
        return true;
}

static void test_follow_edges(void **state)
{
        _cleanup_free_ char *path = NULL, *missing = tmp_path("never.log");
        struct log_read_opts o = LOG_READ_OPTS_INIT;
        cpod_error_t err = CPOD_ERROR_INIT;
        struct strbuf sb = STRBUF_INIT;
        struct timespec a, b;
        struct got g = { 0 };
        int calls = 0;

        (void)state;
        add_str(&sb, 1 * SEC, 'o', 'F', "a");
        add_str(&sb, 2 * SEC, 'o', 'F', "b");
        add_str(&sb, 3 * SEC, 'o', 'P', "c");
        path = write_log("edges.log", &sb);

        /* A stopped container: everything, at once, no waiting. */
        o.follow = true;
        o.still_running = never_running;
        clock_gettime(CLOCK_MONOTONIC, &a);
        assert_int_equal(k8s_log_read(path, &o, collect, &g, &err), 0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        assert_true((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9 < 0.2);
        assert_int_equal(g.n, 3);
        expect_line(&g, 2, 'o', "c", false);
        got_free(&g);

        /* tail 0 while following a stopped container: nothing. */
        o.tail = 0;
        assert_int_equal(k8s_log_read(path, &o, collect, &g, &err), 0);
        assert_int_equal(g.n, 0);

        /* A missing file for a stopped container: no lines, no error. */
        o.tail = -1;
        assert_int_equal(k8s_log_read(missing, &o, collect, &g, &err), 0);
        assert_int_equal(g.n, 0);

        /* The callback ends a follow that would never end by itself. */
        o.still_running = always_running;
        o.ud = &calls;
        g.stop_after = 2;
        assert_int_equal(k8s_log_read(path, &o, collect, &g, &err), 0);
        assert_int_equal(g.n, 2);
        got_free(&g);

        /* --until in the past ends following too. */
        o.until_ns = 2 * SEC;
        assert_int_equal(k8s_log_read(path, &o, collect, &g, &err), 0);
        assert_int_equal(g.n, 2);
        got_free(&g);
        strbuf_release(&sb);
}

/* ---- --since/--until values ---------------------------------------------------------------- */

static int64_t parse_ok(const char *s, int64_t now, bool until)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        int64_t v = 42;
        int r = until ? log_parse_until(s, now, &v, &err) : log_parse_time(s, now, &v, &err);

        if (r < 0)
                fail_msg("'%s': %s", s, cpod_error_msg(&err));
        return v;
}

static void test_parse_time(void **state)
{
        const int64_t now = 1700000000 * SEC, t0 = 1704164645LL * SEC; /* 2024-01-02T03:04:05Z */
        static const char *const bad[] = {
                "",
                "abc",
                "10x",
                "1h30",
                "h",
                ".",
                ".s",
                "1.2.3s",
                "--1h",
                "1d",
                "1 h",
                " 10",
                "10 ",
                "2024-13-01",
                "2024-00-10",
                "2024-02-30",
                "2023-02-29",
                "2024-01-02T25:00:00Z",
                "2024-01-02T03:60:00Z",
                "2024-01-02T03:04:60Z",
                "2024-01-02T03:04Z",
                "2024-01-02T03:04:05.Z",
                "2024-01-02T03:04:05+0100",
                "2024-01-02T03:04:05+25:00",
                "2024-01-02 03:04:05",
                "2024-1-02",
                "nan",
                "inf",
                "1e",
                "9999999999999999999h",
                "3000000h",
                "0x",
        };
        cpod_error_t err = CPOD_ERROR_INIT;
        int64_t v = 42;

        (void)state;
        /* RFC 3339 */
        assert_int_equal(parse_ok("2024-01-02T03:04:05Z", now, false), t0);
        assert_int_equal(parse_ok("2024-01-02T03:04:05.123456789Z", now, false), t0 + 123456789);
        assert_int_equal(parse_ok("2024-01-02T03:04:05.1234567891234Z", now, false), t0 + 123456789);
        assert_int_equal(parse_ok("2024-01-02T04:04:05.5+01:00", now, false), t0 + SEC / 2);
        assert_int_equal(parse_ok("2024-01-01T21:34:05-05:30", now, false), t0);
        assert_int_equal(parse_ok("2026-11-23T09:23:44.690553860+05:30", now, false), 1795406024690553860LL);
        /* no offset: UTC, like Go's time.Parse */
        assert_int_equal(parse_ok("2024-01-02T03:04:05", now, false), t0);
        assert_int_equal(parse_ok("2024-01-02T03:04:05.25", now, false), t0 + SEC / 4);
        /* dates */
        assert_int_equal(parse_ok("2024-01-02", now, false), 1704153600LL * SEC);
        assert_int_equal(parse_ok("2024-01-02Z", now, false), 1704153600LL * SEC);
        assert_int_equal(parse_ok("2024-01-02+02:00", now, false), (1704153600LL - 7200) * SEC);
        assert_int_equal(parse_ok("2024-02-29", now, false), 1709164800LL * SEC);
        assert_int_equal(parse_ok("1970-01-01", now, false), 0);
        assert_int_equal(parse_ok("1969-12-31T23:59:59Z", now, false), -SEC);
        assert_int_equal(parse_ok("2000-03-01", now, false), 951868800LL * SEC);
        assert_int_equal(parse_ok("9999-12-31", now, false), INT64_MAX); /* beyond int64 ns: clamped */
        /* Unix timestamps */
        assert_int_equal(parse_ok("1700000000", now, false), 1700000000LL * SEC);
        assert_int_equal(parse_ok("1700000000.5", now, false), 1700000000LL * SEC + SEC / 2);
        assert_int_equal(parse_ok("1700000000.123456789", now, false), 1700000000LL * SEC + 123456789);
        assert_int_equal(parse_ok("-1.5", now, false), -SEC - SEC / 2);
        assert_int_equal(parse_ok("+10", now, false), 10 * SEC);
        assert_int_equal(parse_ok("0", now, false), 0);
        assert_int_equal(parse_ok(".5", now, false), SEC / 2);
        assert_int_equal(parse_ok("1.7e9", now, false), 1700000000LL * SEC);
        /* Go durations: before now for --since, after now for --until (as podman does) */
        assert_int_equal(parse_ok("10m", now, false), now - 600 * SEC);
        assert_int_equal(parse_ok("10m", now, true), now + 600 * SEC);
        assert_int_equal(parse_ok("1h30m", now, false), now - 5400 * SEC);
        assert_int_equal(parse_ok("5s", now, false), now - 5 * SEC);
        assert_int_equal(parse_ok("2h45m30.5s", now, false), now - 9930 * SEC - SEC / 2);
        assert_int_equal(parse_ok("1.5h", now, false), now - 5400 * SEC);
        assert_int_equal(parse_ok(".5s", now, false), now - SEC / 2);
        assert_int_equal(parse_ok("1.s", now, false), now - SEC);
        assert_int_equal(parse_ok("300ms", now, false), now - 300000000);
        assert_int_equal(parse_ok("1us", now, false), now - 1000);
        assert_int_equal(parse_ok("1\xc2\xb5s", now, false), now - 1000);
        assert_int_equal(parse_ok("1\xce\xbcs", now, false), now - 1000);
        assert_int_equal(parse_ok("7ns", now, false), now - 7);
        assert_int_equal(parse_ok("-1h", now, false), now + 3600 * SEC);
        assert_int_equal(parse_ok("+1h", now, true), now + 3600 * SEC);
        assert_int_equal(parse_ok("1h1h", now, false), now - 7200 * SEC);
        assert_int_equal(parse_ok("2562047h", now, true), INT64_MAX); /* fits a Duration; the sum saturates */
        /* errors */
        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                int r = log_parse_time(bad[i], now, &v, &err);
                if (r != -EINVAL)
                        fail_msg("'%s' was accepted (%lld)", bad[i], (long long)v);
                assert_string_equal(cpod_error_msg(&err), "unable to interpret time value");
                assert_int_equal(err.kind, CPOD_E_INVALID);
                cpod_error_clear(&err);
        }
        assert_int_equal(v, 42); /* untouched on failure */
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_conmon_basic),
                cmocka_unit_test(test_conmon_long),
                cmocka_unit_test(test_conmon_tz),
                cmocka_unit_test(test_conmon_tails),
                cmocka_unit_test(test_tail_partial_groups),
                cmocka_unit_test(test_tail_unwanted_inside),
                cmocka_unit_test(test_tail_unfinished_early),
                cmocka_unit_test(test_tail_random),
                cmocka_unit_test(test_since_until),
                cmocka_unit_test(test_big_line),
                cmocka_unit_test(test_corrupt),
                cmocka_unit_test(test_missing_and_stop),
                cmocka_unit_test(test_follow),
                cmocka_unit_test(test_follow_rotate),
                cmocka_unit_test(test_follow_late_file),
                cmocka_unit_test(test_follow_edges),
                cmocka_unit_test(test_follow_cut_record),
                cmocka_unit_test(test_follow_truncated),
                cmocka_unit_test(test_parse_time),
        };

        return cmocka_run_group_tests(tests, setup, teardown);
}
