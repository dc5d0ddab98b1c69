/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading the event log (lib/runtime/events.c writes it): the lines that match the filters, then,
 * when streaming, what is appended.  The log's directory is watched with inotify (appends and the
 * rename of a rotation); after a rotation the new file is read from just after the last line seen,
 * which the rotation kept, or from its start when it was cut away.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpod/events.h>

#include "ctr/logs.h"
#include "engine/events-internal.h"
#include "runtime/events.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct follow {
        const struct cpod_events_opts *o;
        json_t *filters;
        int64_t since, until; /* ns; 0: none */
        cpod_event_fn fn;
        void *userdata;
        char *path;
        int fd;
        struct strbuf partial; /* a line not yet complete */
        char *last;            /* the last line read, to find our place after a rotation */
        bool stop;
};

static void one_line(struct follow *f, const char *line)
{
        _cleanup_json_ json_t *ev = NULL;
        int64_t t;

        free(f->last);
        f->last = xstrdup(line);
        ev = json_loads(line, 0, NULL);
        if (!json_is_object(ev))
                return;
        t = ev_time_ns(ev);
        if ((f->since && t <= f->since) || (f->until && t >= f->until) || !ev_filters_match(f->filters, ev))
                return;
        if (f->fn(line, ev, f->userdata) != 0)
                f->stop = true;
}

/* Read what the file has now, line by line. */
static void drain(struct follow *f)
{
        char buf[65536];
        ssize_t n;

        while (!f->stop && f->fd >= 0 && (n = read(f->fd, buf, sizeof(buf))) > 0) {
                size_t start = 0;
                for (size_t i = 0; i < (size_t)n && !f->stop; i++) {
                        if (buf[i] != '\n')
                                continue;
                        strbuf_add(&f->partial, buf + start, i - start);
                        one_line(f, f->partial.buf);
                        strbuf_reset(&f->partial);
                        start = i + 1;
                }
                strbuf_add(&f->partial, buf + start, (size_t)n - start);
        }
}

/* After a rotation: the new file, from just after the last line seen when it is still there. */
static void reopen(struct follow *f)
{
        _cleanup_free_ char *data = NULL, *needle = NULL;
        size_t len = 0;
        const char *at = NULL;

        if (f->fd >= 0)
                close(f->fd);
        f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
        strbuf_reset(&f->partial);
        if (f->fd < 0 || !f->last || read_fd(f->fd, &data, &len, SIZE_MAX, NULL) < 0)
                return;
        needle = xasprintf("%s\n", f->last);
        for (const char *p = data; (p = memmem(p, len - (size_t)(p - data), needle, strlen(needle))); p++)
                at = p;
        (void)lseek(f->fd, at ? (off_t)(at - data + strlen(needle)) : 0, SEEK_SET);
}

static bool replaced(const struct follow *f)
{
        struct stat a, b;

        if (stat(f->path, &b) < 0)
                return false;
        return f->fd < 0 || fstat(f->fd, &a) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev;
}

static int wait_timeout(const struct follow *f)
{
        int64_t left;

        if (!f->until)
                return -1;
        left = (f->until - now_ns()) / 1000000 + 1;
        return left <= 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

static int stream(struct follow *f, cpod_error_t *err)
{
        _cleanup_free_ char *dir = xstrdup(f->path);
        _cleanup_close_ int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

        *strrchr(dir, '/') = '\0';
        if (ifd < 0 || inotify_add_watch(ifd, dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0)
                return cpod_error_set(err, errno, CPOD_E_INTERNAL, "watch the event log %s: %s", dir, strerror(errno));
        while (!f->stop) {
                struct pollfd p[2] = { { ifd, POLLIN, 0 }, { f->o->watch_fd > 0 ? f->o->watch_fd : -1, 0, 0 } };
                int timeout;
                drain(f);
                if (replaced(f)) {
                        reopen(f);
                        continue;
                }
                if (f->stop || (timeout = wait_timeout(f)) == 0)
                        break;
                if (poll(p, 2, timeout) < 0 && errno != EINTR)
                        return cpod_error_set(err, errno, CPOD_E_INTERNAL, "poll: %s", strerror(errno));
                if (p[1].revents & (POLLERR | POLLHUP | POLLNVAL))
                        break; /* nobody reads any more */
                while (read(ifd, buf, sizeof(buf)) > 0)
                        ;
        }
        return 0;
}

static int parse_times(struct follow *f, cpod_error_t *err)
{
        int64_t now = now_ns();

        if (f->o->since && *f->o->since && log_parse_time(f->o->since, now, &f->since, err) < 0)
                return cpod_error_wrap(err, "failed to parse event filters: unable to convert since time of %s",
                                       f->o->since);
        if (f->o->until && *f->o->until && log_parse_until(f->o->until, now, &f->until, err) < 0)
                return cpod_error_wrap(err, "failed to parse event filters: unable to convert until time of %s",
                                       f->o->until);
        return 0;
}

static int read_log(struct cpod_runtime *rt, struct follow *f, cpod_error_t *err)
{
        bool from_start = f->since || f->until || !f->o->stream;
        _cleanup_free_ char *dir = NULL;

        f->path = rt_events_path(rt);
        dir = xstrdup(f->path);
        *strrchr(dir, '/') = '\0';
        if (f->o->stream && mkdir_p(dir, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
        if (f->fd < 0 && errno != ENOENT)
                return cpod_error_set(err, errno, CPOD_E_INTERNAL, "open %s: %s", f->path, strerror(errno));
        if (f->fd >= 0 && !from_start)
                (void)lseek(f->fd, 0, SEEK_END);
        if (!f->o->stream) {
                drain(f);
                return 0;
        }
        return stream(f, err);
}

int cpod_events_read(struct cpod_runtime *rt, const struct cpod_events_opts *o, cpod_event_fn fn, void *userdata,
                     cpod_error_t *err)
{
        struct follow f = { .o = o, .fn = fn, .userdata = userdata, .fd = -1, .partial = STRBUF_INIT };
        int r;

        if (!rt_events_enabled(rt))
                return cpod_error_set(err, ENOTSUP, CPOD_E_INVALID,
                                      "cannot read events with the \"none\" backend: not supported");
        rt_events_check(rt);
        r = ev_filters_parse(o->filters, &f.filters, err);
        if (r == 0)
                r = parse_times(&f, err);
        if (r == 0)
                r = read_log(rt, &f, err);
        if (f.fd >= 0)
                close(f.fd);
        json_decref(f.filters);
        strbuf_release(&f.partial);
        free(f.last);
        free(f.path);
        return r;
}
