/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading conmon's k8s-file logs: records are parsed, P pieces joined per stream, --tail found by
 * reading backwards from the end in blocks, --follow driven by inotify.  The log file is written
 * by conmon from the container's output, so every byte of it is untrusted: a record that does not
 * parse is skipped, and nothing here depends on a line fitting any fixed buffer.
 */
#include "ctr/logs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/human.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define NSEC_PER_SEC 1000000000LL
#define READ_BLOCK (64 * 1024)     /* forward reads and backward tail blocks */
#define TIMESTAMP_MAX 64           /* conmon's are 35 bytes */
#define HEADER_MAX 256             /* bytes of a record enough to parse its timestamp, stream and tag */
#define JOIN_MAX (8 * 1024 * 1024) /* a P group longer than this is delivered in pieces */
#define FOLLOW_POLL_MS 250

/* ---- timestamps ---------------------------------------------------------------------------- */

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
        int64_t era, yoe, doy, doe;

        y -= m <= 2;
        era = (y >= 0 ? y : y - 399) / 400;
        yoe = y - era * 400;
        doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
        static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

        return m == 2 && leap ? 29 : mdays[m - 1];
}

/* Exactly n decimal digits. */
static bool take_digits(const char **p, const char *end, int n, int *ret)
{
        int v = 0;

        if (end - *p < n)
                return false;
        for (int i = 0; i < n; i++, (*p)++) {
                if (**p < '0' || **p > '9')
                        return false;
                v = v * 10 + (**p - '0');
        }
        *ret = v;
        return true;
}

static bool take_char(const char **p, const char *end, char c)
{
        if (*p >= end || **p != c)
                return false;
        (*p)++;
        return true;
}

enum ts_flags {
        TS_DATE_ONLY = 1 << 0, /* "2006-01-02" (midnight) is fine */
        TS_NO_ZONE = 1 << 1,   /* no "Z"/offset is fine: UTC, as Go's time.Parse */
        TS_SATURATE = 1 << 2,  /* out of int64 nanoseconds' range (1677..2262): clamp, don't fail */
};

/*
 * RFC 3339 in s[0..n): "2006-01-02T15:04:05[.frac](Z|+hh:mm)", the parts flags allow being
 * optional.  Fraction digits past nanoseconds are ignored, as Go does.  0 or -1.
 */
static int parse_rfc3339(const char *s, size_t n, unsigned flags, int64_t *ret_ns)
{
        const char *p = s, *end = s + n;
        int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
        int64_t nsec = 0, scale = NSEC_PER_SEC / 10, secs;

        if (!take_digits(&p, end, 4, &y) || !take_char(&p, end, '-') || !take_digits(&p, end, 2, &mo) ||
            !take_char(&p, end, '-') || !take_digits(&p, end, 2, &d))
                return -1;
        if (take_char(&p, end, 'T')) {
                if (!take_digits(&p, end, 2, &h) || !take_char(&p, end, ':') || !take_digits(&p, end, 2, &mi) ||
                    !take_char(&p, end, ':') || !take_digits(&p, end, 2, &sec))
                        return -1;
                if (take_char(&p, end, '.')) {
                        if (p >= end || *p < '0' || *p > '9')
                                return -1;
                        for (; p < end && *p >= '0' && *p <= '9'; p++, scale /= 10)
                                nsec += (*p - '0') * scale;
                }
        } else if (!(flags & TS_DATE_ONLY)) {
                return -1;
        }
        if (p == end) {
                if (!(flags & TS_NO_ZONE))
                        return -1;
        } else if (!take_char(&p, end, 'Z')) {
                if (*p != '+' && *p != '-')
                        return -1;
                sign = *p++ == '-' ? -1 : 1;
                if (!take_digits(&p, end, 2, &oh) || !take_char(&p, end, ':') || !take_digits(&p, end, 2, &om))
                        return -1;
        }
        if (p != end || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59 ||
            oh > 23 || om > 59)
                return -1;
        secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
        /* int64 nanoseconds cover 1677..2262; conmon can't write anything else, users can. */
        if (secs > INT64_MAX / NSEC_PER_SEC - 1 || secs < INT64_MIN / NSEC_PER_SEC + 1) {
                if (!(flags & TS_SATURATE))
                        return -1;
                *ret_ns = secs > 0 ? INT64_MAX : INT64_MIN;
                return 0;
        }
        *ret_ns = secs * NSEC_PER_SEC + nsec;
        return 0;
}

/* ---- records ------------------------------------------------------------------------------- */

struct record {
        int64_t ts;
        int stream; /* 0 stdout, 1 stderr */
        bool partial;
        const char *msg;
        size_t len;
};

static const char stream_tag[2] = { 'o', 'e' };

/*
 * "<ts> <stdout|stderr> <tag> <text>" in s[0..n) (no newline).  The tag is CRI's ':'-separated
 * list whose first element is F or P.  When s is only a record's head (tail scan), text may be
 * cut: the caller ignores it.
 */
static int parse_record(const char *s, size_t n, struct record *r)
{
        const char *end = s + n, *p, *q;

        /* A longer timestamp (a silly fraction) is corrupt: the record's head must fit HEADER_MAX. */
        p = memchr(s, ' ', n < TIMESTAMP_MAX + 1 ? n : TIMESTAMP_MAX + 1);
        if (!p || parse_rfc3339(s, (size_t)(p - s), 0, &r->ts) < 0)
                return -1;
        p++;
        if (end - p >= 7 && memcmp(p, "stdout ", 7) == 0)
                r->stream = 0;
        else if (end - p >= 7 && memcmp(p, "stderr ", 7) == 0)
                r->stream = 1;
        else
                return -1;
        p += 7;
        for (q = p; q < end && *q != ' '; q++)
                ;
        if (q - p < 1 || (*p != 'F' && *p != 'P') || (q - p > 1 && p[1] != ':'))
                return -1;
        r->partial = *p == 'P';
        if (q < end)
                q++;
        r->msg = q;
        r->len = (size_t)(end - q);
        return 0;
}

/* ---- delivering logical lines -------------------------------------------------------------- */

struct reader_ctx {
        const struct log_read_opts *o;
        int (*cb)(void *ud, const struct log_line *l);
        void *ud;
        const char *path;
        struct strbuf part[2]; /* joined P pieces per stream */
        bool part_open[2];
        int64_t part_ts[2];
        off_t part_off[2]; /* offset of the last P record: the line's end if no F comes */
        off_t min_end;     /* --tail: lines that end in a record before this offset are not wanted */
        bool stopped;      /* the callback asked to stop */
};

static void deliver(struct reader_ctx *c, int64_t ts, int stream, const char *msg, size_t len, bool newline,
                    off_t end_off)
{
        struct log_line l = { .ts_ns = ts, .stream = stream_tag[stream], .msg = msg, .len = len, .newline = newline };

        if (c->stopped || end_off < c->min_end)
                return;
        if ((c->o->since_ns && ts < c->o->since_ns) || (c->o->until_ns && ts > c->o->until_ns))
                return;
        if (c->cb(c->ud, &l) < 0)
                c->stopped = true;
}

static void flush_stream(struct reader_ctx *c, int s)
{
        if (!c->part_open[s])
                return;
        deliver(c, c->part_ts[s], s, c->part[s].buf, c->part[s].len, false, c->part_off[s]);
        strbuf_reset(&c->part[s]);
        c->part_open[s] = false;
}

/* The unfinished lines at the very end, in the order their last pieces were written. */
static void flush_all(struct reader_ctx *c)
{
        int first = c->part_open[0] && c->part_open[1] && c->part_off[1] < c->part_off[0] ? 1 : 0;

        flush_stream(c, first);
        flush_stream(c, !first);
}

static void handle_line(struct reader_ctx *c, const char *s, size_t n, off_t off)
{
        struct record r;
        int st;

        if (parse_record(s, n, &r) < 0) {
                log_debug("log '%s': skipping corrupt record at offset %lld", c->path, (long long)off);
                return;
        }
        st = r.stream;
        if (r.partial) {
                strbuf_add(&c->part[st], r.msg, r.len);
                c->part_open[st] = true;
                c->part_ts[st] = r.ts;
                c->part_off[st] = off;
                if (c->part[st].len > JOIN_MAX)
                        flush_stream(c, st);
        } else if (c->part_open[st]) {
                strbuf_add(&c->part[st], r.msg, r.len);
                deliver(c, r.ts, st, c->part[st].buf, c->part[st].len, true, off);
                strbuf_reset(&c->part[st]);
                c->part_open[st] = false;
        } else {
                deliver(c, r.ts, st, r.msg, r.len, true, off);
        }
}

/* ---- forward reading ----------------------------------------------------------------------- */

struct line_reader {
        int fd;
        char *buf; /* READ_BLOCK bytes */
        size_t pos, end;
        struct strbuf line; /* the current line when it spans reads */
        bool line_done;     /* line was handed out: reset it first */
        off_t line_off;     /* file offset where the current line starts */
};

static void line_reader_reset(struct line_reader *rd, int fd, off_t off)
{
        rd->fd = fd;
        rd->pos = rd->end = 0;
        strbuf_reset(&rd->line);
        rd->line_done = false;
        rd->line_off = off;
}

/* Next complete line (without '\n'): 1, 0 at EOF (a started line stays buffered), or -errno. */
static int next_line(struct line_reader *rd, const char **ret, size_t *ret_len, off_t *ret_off)
{
        if (rd->line_done) {
                strbuf_reset(&rd->line);
                rd->line_done = false;
        }
        for (;;) {
                if (rd->pos < rd->end) {
                        char *start = rd->buf + rd->pos, *nl = memchr(start, '\n', rd->end - rd->pos);
                        size_t n;

                        if (!nl) {
                                strbuf_add(&rd->line, start, rd->end - rd->pos);
                                rd->pos = rd->end;
                                continue;
                        }
                        n = (size_t)(nl - start);
                        rd->pos += n + 1;
                        *ret_off = rd->line_off;
                        if (rd->line.len) {
                                strbuf_add(&rd->line, start, n);
                                *ret = rd->line.buf;
                                *ret_len = rd->line.len;
                        } else {
                                *ret = start;
                                *ret_len = n;
                        }
                        rd->line_off += (off_t)(*ret_len + 1);
                        rd->line_done = true;
                        return 1;
                }
                ssize_t k = read(rd->fd, rd->buf, READ_BLOCK);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (k == 0)
                        return 0;
                rd->pos = 0;
                rd->end = (size_t)k;
        }
}

/*
 * Handle every complete record up to EOF.  With last set nothing more will be written, so a
 * record cut short at the end (no newline) is taken as it is.
 */
static int pump(struct reader_ctx *c, struct line_reader *rd, bool last, cpod_error_t *err)
{
        const char *s = NULL;
        size_t n = 0;
        off_t off = 0;
        int r = 0;

        while (!c->stopped && (r = next_line(rd, &s, &n, &off)) > 0)
                handle_line(c, s, n, off);
        if (c->stopped)
                return 0;
        if (r < 0)
                return cpod_error_sys(err, -r, "read '%s'", c->path);
        if (last && rd->line.len) {
                handle_line(c, rd->line.buf, rd->line.len, rd->line_off);
                rd->line_off += (off_t)rd->line.len;
                strbuf_reset(&rd->line);
        }
        return 0;
}

/* ---- --tail: backwards from the end ------------------------------------------------------- */

struct tail_scan {
        long want, count;
        bool seen[2];    /* a record of this stream was met (scanning backwards) */
        bool pending[2]; /* inside a wanted line of this stream: its P pieces extend its start */
        off_t start;     /* where the forward pass begins */
        off_t min_end;   /* the wanted line that ends first ends here */
};

/* One record, met backwards.  Returns true once the wanted lines are complete. */
static bool tail_record(struct tail_scan *t, const char *head, size_t n, off_t off)
{
        struct record r;
        bool ends_line;
        int s;

        if (parse_record(head, n, &r) < 0)
                return false;
        s = r.stream;
        /* The last record of a stream ends a line even when it is P: the container stopped mid-line. */
        ends_line = !t->seen[s] || !r.partial;
        t->seen[s] = true;
        if (ends_line) {
                t->pending[s] = false;
                if (t->count < t->want) {
                        t->count++;
                        t->pending[s] = true;
                        t->start = t->min_end = off;
                }
        } else if (t->pending[s]) {
                t->start = off;
        }
        return t->count >= t->want && !t->pending[0] && !t->pending[1];
}

/*
 * Find where the last `want` logical lines start.  Reads blocks from the end; each block keeps
 * HEADER_MAX bytes of the block after it so that the head of a record starting near a block's
 * end is whole.  Lines of any length cost nothing: only record heads are parsed.
 */
static int tail_find(int fd, off_t size, long want, off_t *ret_start, off_t *ret_min_end)
{
        _cleanup_free_ char *buf = xmalloc(READ_BLOCK + HEADER_MAX);
        char carry[HEADER_MAX];
        size_t carry_len = 0;
        struct tail_scan t = { .want = want, .start = size, .min_end = size };
        off_t pos = size, rec_end = size, trailing = -1;
        bool done = false;

        while (pos > 0 && !done) {
                off_t blk = pos > READ_BLOCK ? pos - READ_BLOCK : 0;
                size_t len = (size_t)(pos - blk), have = 0;

                while (have < len) {
                        ssize_t k = pread(fd, buf + have, len - have, blk + (off_t)have);
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k <= 0)
                                return k < 0 ? -errno : -EIO;
                        have += (size_t)k;
                }
                memcpy(buf + len, carry, carry_len);
                for (size_t i = len + 1; i-- > 0 && !done;) {
                        off_t start = blk + (off_t)i;
                        size_t avail;

                        if (i > 0 && buf[i - 1] != '\n')
                                continue;
                        if (i == 0 && blk > 0)
                                break; /* the record starts in an earlier block */
                        if (start < rec_end) {
                                if (trailing < 0 && rec_end == size)
                                        trailing = start;
                                avail = (size_t)(rec_end - start);
                                if (avail > HEADER_MAX)
                                        avail = HEADER_MAX;
                                done = tail_record(&t, buf + i, avail, start);
                        }
                        rec_end = start - 1;
                }
                carry_len = len < HEADER_MAX ? len : HEADER_MAX;
                memcpy(carry, buf, carry_len);
                pos = blk;
        }
        if (t.count < want) {
                *ret_start = *ret_min_end = 0;
                return 0;
        }
        /* With nothing wanted, start at the last record boundary so following resumes cleanly. */
        if (want == 0 && trailing >= 0)
                t.start = trailing;
        *ret_start = t.start;
        *ret_min_end = t.min_end;
        return 0;
}

/* ---- following ----------------------------------------------------------------------------- */

struct follow {
        int ifd;     /* inotify, -1 when unavailable: plain timed polling */
        int wd_file; /* the file being read */
        struct stat st;
};

static void follow_watch_file(struct follow *f, const char *path)
{
        if (f->ifd < 0)
                return;
        if (f->wd_file >= 0)
                (void)inotify_rm_watch(f->ifd, f->wd_file);
        f->wd_file = inotify_add_watch(f->ifd, path, IN_MODIFY | IN_CLOSE_WRITE | IN_MOVE_SELF | IN_DELETE_SELF);
}

static void follow_init(struct follow *f, const char *path)
{
        _cleanup_free_ char *dir = xstrdup(path);
        char *slash = strrchr(dir, '/');

        f->wd_file = -1;
        f->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (f->ifd < 0) {
                log_debug("inotify: %s, polling '%s' instead", strerror(errno), path);
                return;
        }
        if (slash)
                *(slash == dir ? slash + 1 : slash) = '\0';
        /* The directory tells when the file appears or is replaced by a rename (rotation). */
        if (inotify_add_watch(f->ifd, slash ? dir : ".", IN_CREATE | IN_MOVED_TO) < 0)
                log_debug("inotify on '%s': %s", slash ? dir : ".", strerror(errno));
}

/* Sleep until something happens to the file or the timeout passes: 1 on events, 0 on timeout. */
static int follow_wait(struct follow *f, int timeout_ms)
{
        struct pollfd p = { .fd = f->ifd, .events = POLLIN };
        char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
        int r;

        r = poll(f->ifd >= 0 ? &p : NULL, f->ifd >= 0 ? 1 : 0, timeout_ms);
        if (r <= 0)
                return 0;
        /* Only the wake-up matters: the file itself is checked after every one. */
        while (read(f->ifd, ev, sizeof(ev)) > 0)
                ;
        return 1;
}

/* Open path for reading; -ENOENT quietly when it is not there. */
static int open_log(const char *path, struct stat *ret_st, cpod_error_t *err)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return errno == ENOENT ? -ENOENT : cpod_error_sys(err, errno, "open '%s'", path);
        if (fstat(fd, ret_st) < 0) {
                int r = cpod_error_sys(err, errno, "stat '%s'", path);
                (void)close(fd);
                return r;
        }
        return fd;
}

/*
 * At EOF: has the file been replaced or truncated?  A replacement is opened in place of the old
 * file (read from its start); a truncated file is read again from its start.  1 when something
 * changed, 0 when not, < 0 on error.
 */
static int follow_check_file(struct reader_ctx *c, struct follow *f, struct line_reader *rd, cpod_error_t *err)
{
        struct stat st;
        off_t pos;
        int fd;

        if (rd->fd >= 0 && stat(c->path, &st) == 0 && st.st_ino == f->st.st_ino && st.st_dev == f->st.st_dev) {
                pos = lseek(rd->fd, 0, SEEK_CUR);
                if (fstat(rd->fd, &st) < 0 || pos < 0 || st.st_size >= pos)
                        return 0;
                log_debug("log '%s' was truncated, reading it again", c->path);
                if (lseek(rd->fd, 0, SEEK_SET) < 0)
                        return cpod_error_sys(err, errno, "seek '%s'", c->path);
                line_reader_reset(rd, rd->fd, 0);
                c->min_end = 0;
                return 1;
        }
        fd = open_log(c->path, &st, err);
        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return fd;
        if (rd->fd >= 0) {
                /* conmon closes the old file before it renames the new one over it: finish the old one. */
                int r = pump(c, rd, true, err);
                if (r < 0) {
                        (void)close(fd);
                        return r;
                }
                log_debug("log '%s' was replaced, reading the new file", c->path);
                (void)close(rd->fd);
        }
        f->st = st;
        line_reader_reset(rd, fd, 0);
        c->min_end = 0;
        follow_watch_file(f, c->path);
        return 1;
}

static bool past_until(const struct log_read_opts *o)
{
        return o->until_ns && now_ns() > o->until_ns;
}

/*
 * Read to EOF over and over, waiting for inotify between rounds.  still_running() is asked only
 * when the file has been quiet for a poll period (or at the start), and before the final drain:
 * whatever was written before the container stopped is read.
 */
static int follow_loop(struct reader_ctx *c, struct follow *f, struct line_reader *rd, cpod_error_t *err)
{
        bool ask = true;
        int r;

        for (;;) {
                bool alive = true;

                if (ask)
                        alive = (!c->o->still_running || c->o->still_running(c->o->ud)) && !past_until(c->o);
                if (rd->fd >= 0 && (r = pump(c, rd, !alive, err)) < 0)
                        return r;
                if (c->stopped)
                        return 0;
                r = follow_check_file(c, f, rd, err);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                if (!alive)
                        return 0;
                ask = follow_wait(f, FOLLOW_POLL_MS) == 0;
        }
}

/* ---- entry points -------------------------------------------------------------------------- */

int k8s_log_read(const char *path, const struct log_read_opts *o, int (*cb)(void *ud, const struct log_line *l),
                 void *ud, cpod_error_t *err)
{
        struct reader_ctx c = { .o = o, .cb = cb, .ud = ud, .path = path };
        struct line_reader rd = { .fd = -1, .line = STRBUF_INIT };
        struct follow f = { .ifd = -1, .wd_file = -1 };
        _cleanup_free_ char *buf = xmalloc(READ_BLOCK);
        off_t start = 0;
        int fd, r;

        c.part[0] = (struct strbuf)STRBUF_INIT;
        c.part[1] = (struct strbuf)STRBUF_INIT;
        rd.buf = buf;
        if (o->tail == 0 && !o->follow)
                return 0;
        if (o->follow)
                follow_init(&f, path); /* before opening: a file created meanwhile still wakes us */
        fd = open_log(path, &f.st, err);
        if (fd < 0 && fd != -ENOENT) {
                r = fd;
                goto out;
        }
        if (fd >= 0) {
                follow_watch_file(&f, path);
                if (o->tail >= 0 && (r = tail_find(fd, f.st.st_size, o->tail, &start, &c.min_end)) < 0) {
                        r = cpod_error_sys(err, -r, "read '%s'", path);
                        (void)close(fd);
                        goto out;
                }
                if (start > 0 && lseek(fd, start, SEEK_SET) < 0) {
                        r = cpod_error_sys(err, errno, "seek '%s'", path);
                        (void)close(fd);
                        goto out;
                }
                line_reader_reset(&rd, fd, start);
        }
        if (o->follow)
                r = follow_loop(&c, &f, &rd, err);
        else
                r = fd >= 0 ? pump(&c, &rd, true, err) : 0;
        if (r == 0)
                flush_all(&c);
out:
        if (rd.fd >= 0)
                (void)close(rd.fd);
        if (f.ifd >= 0)
                (void)close(f.ifd);
        strbuf_release(&rd.line);
        strbuf_release(&c.part[0]);
        strbuf_release(&c.part[1]);
        return r;
}

/* ---- --since/--until values ---------------------------------------------------------------- */

/* a + b, saturating. */
static int64_t add_sat(int64_t a, int64_t b)
{
        int64_t r;

        if (__builtin_add_overflow(a, b, &r))
                return b > 0 ? INT64_MAX : INT64_MIN;
        return r;
}

/*
 * A Unix timestamp as strconv.ParseFloat takes it: plain decimals are converted exactly
 * ("1700000000.123456789"), anything else ParseFloat knows ("1.7e9") through strtod.
 */
static int parse_unix(const char *s, int64_t *ret_ns)
{
        const char *p = s;
        int64_t secs = 0, nsec = 0, scale = NSEC_PER_SEC / 10;
        bool neg = false, digits = false;
        char *end;
        double v;

        if (*p == '+' || *p == '-')
                neg = *p++ == '-';
        for (; *p >= '0' && *p <= '9'; p++, digits = true)
                if (__builtin_mul_overflow(secs, 10, &secs) || __builtin_add_overflow(secs, *p - '0', &secs))
                        goto fallback;
        if (*p == '.')
                for (p++; *p >= '0' && *p <= '9'; p++, digits = true, scale /= 10)
                        nsec += (*p - '0') * scale;
        if (*p || !digits)
                goto fallback;
        if (secs > INT64_MAX / NSEC_PER_SEC - 1)
                return -1;
        *ret_ns = (neg ? -1 : 1) * (secs * NSEC_PER_SEC + nsec);
        return 0;
fallback:
        /* strtod also takes hex floats, inf and nan; ParseFloat takes the first too, the rest is useless here. */
        if (!*s || strchr(" \t\n\v\f\r", *s))
                return -1;
        errno = 0;
        v = strtod(s, &end);
        if (end == s || *end || errno || !isfinite(v) || fabs(v) >= (double)(INT64_MAX / NSEC_PER_SEC))
                return -1;
        *ret_ns = (int64_t)(v * (double)NSEC_PER_SEC);
        return 0;
}

/* podman's util.ParseInputTime: timestamps first, then a Unix time, then a duration. */
static int parse_input_time(const char *s, int64_t now, bool since, int64_t *ret_ns, cpod_error_t *err)
{
        int64_t v;

        if (parse_rfc3339(s, strlen(s), TS_DATE_ONLY | TS_NO_ZONE | TS_SATURATE, &v) == 0 || parse_unix(s, &v) == 0) {
                *ret_ns = v;
                return 0;
        }
        if (parse_duration_ns(s, &v) == 0) {
                *ret_ns = since ? (v == INT64_MIN ? add_sat(add_sat(now, INT64_MAX), 1) : add_sat(now, -v))
                                : add_sat(now, v);
                return 0;
        }
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unable to interpret time value");
}

int log_parse_time(const char *s, int64_t now, int64_t *ret_ns, cpod_error_t *err)
{
        return parse_input_time(s, now, true, ret_ns, err);
}

int log_parse_until(const char *s, int64_t now, int64_t *ret_ns, cpod_error_t *err)
{
        return parse_input_time(s, now, false, ret_ns, err);
}
