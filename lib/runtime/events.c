/* SPDX-License-Identifier: Apache-2.0 */
/* The event log writer (see events.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/events.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define EVENTS_MAX_DEFAULT 1000000 /* containers.conf's events_logfile_max_size default, "1m" */

bool rt_events_enabled(struct cpod_runtime *rt)
{
        return strcasecmp(rt->events_backend, "none") != 0;
}

char *rt_events_path(struct cpod_runtime *rt)
{
        const char *p = rt->config->events_logfile_path;

        return p && *p ? xstrdup(p) : xasprintf("%s/events/events.log", rt->runroot);
}

static void set_str(json_t *o, const char *key, const char *v)
{
        if (v && *v)
                json_object_set_new(o, key, json_string(v));
}

static int cmp_key(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Go marshals a map with its keys sorted. */
static json_t *sorted_attributes(const json_t *attrs)
{
        const char *k;
        json_t *v, *out;
        size_t n = json_object_size(attrs), i = 0;
        _cleanup_free_ const char **keys = NULL;

        if (!attrs)
                return json_null();
        keys = xcalloc(n + 1, sizeof(*keys));
        json_object_foreach((json_t *)attrs, k, v)
                keys[i++] = k;
        qsort(keys, i, sizeof(*keys), cmp_key);
        out = json_object();
        for (size_t j = 0; j < i; j++)
                json_object_set(out, keys[j], json_object_get(attrs, keys[j]));
        return out;
}

char *rt_event_json(const struct rt_event *ev, int64_t t)
{
        _cleanup_json_ json_t *o = json_object();

        if (ev->exit_code)
                json_object_set_new(o, "ContainerExitCode", json_integer(ev->exit_code));
        set_str(o, "ID", ev->id);
        set_str(o, "Image", ev->image);
        set_str(o, "Name", ev->name);
        set_str(o, "network", ev->network);
        json_object_set_new(o, "Status", json_string(ev->status));
        json_object_set_new(o, "Time", json_string_take(time_rfc3339nano(t / 1000000000, t % 1000000000, 0)));
        json_object_set_new(o, "Type", json_string(ev->type));
        set_str(o, "health_status", ev->health_status);
        set_str(o, "PodID", ev->pod_id);
        json_object_set_new(o, "Attributes", sorted_attributes(ev->attributes));
        return json_dump_compact(o);
}

static int64_t max_size(struct cpod_runtime *rt)
{
        const char *s = rt->config->events_logfile_max_size;
        int64_t v;

        if (!s || !*s)
                return EVENTS_MAX_DEFAULT;
        return parse_size_decimal(s, &v) == 0 ? v : EVENTS_MAX_DEFAULT;
}

/* Open the log and lock it; reopen when a rotation replaced the file meanwhile. */
static int open_locked(const char *path)
{
        for (int tries = 0; tries < 100; tries++) {
                struct stat a, b;
                int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

                if (fd < 0)
                        return -errno;
                while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
                        ;
                if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
                        return fd;
                close(fd);
        }
        return -EAGAIN;
}

/* podman's rotation: keep the lines after the middle of the file, in a new file renamed over it. */
static int rotate(const char *path, int fd, off_t size)
{
        _cleanup_free_ char *tmp = xasprintf("%s.rotate", path), *buf = NULL;
        _cleanup_close_ int in = open(path, O_RDONLY | O_CLOEXEC);
        size_t len = 0;
        const char *nl;
        int r;

        (void)fd;
        if (in < 0 || lseek(in, size / 2, SEEK_SET) < 0 || read_fd(in, &buf, &len, (size_t)size, NULL) < 0)
                return -EIO;
        nl = memchr(buf, '\n', len);
        nl = nl ? nl + 1 : buf + len;
        r = write_file(tmp, nl, len - (size_t)(nl - buf), 0600, NULL);
        if (r < 0 || rename(tmp, path) < 0) {
                (void)unlink(tmp);
                return -EIO;
        }
        return 0;
}

static int append(int fd, const char *line)
{
        _cleanup_free_ char *l = xasprintf("%s\n", line);

        return write_all(fd, l, strlen(l));
}

static int write_event(struct cpod_runtime *rt, const struct rt_event *ev)
{
        _cleanup_free_ char *path = rt_events_path(rt), *dir = xstrdup(path), *line = NULL;
        _cleanup_close_ int fd = -1;
        char *slash = strrchr(dir, '/');
        int64_t max = max_size(rt);
        struct stat st;

        if (slash && slash != dir)
                *slash = '\0';
        if (mkdir_p(dir, 0700, NULL) < 0)
                return -EIO;
        if ((fd = open_locked(path)) < 0)
                return fd;
        line = rt_event_json(ev, now_ns());
        if (max > 0 && fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size + (int64_t)strlen(line) >= max) {
                _cleanup_json_ json_t *attrs = json_pack("{ss}", "io.podman.event.rotate", path);
                struct rt_event rot = { .type = "system", .status = "log-rotation", .attributes = attrs };
                _cleanup_free_ char *rl = NULL;
                if (rotate(path, fd, st.st_size) < 0)
                        return -EIO;
                close(fd);
                if ((fd = open_locked(path)) < 0)
                        return -EIO;
                rl = rt_event_json(&rot, now_ns());
                if (append(fd, rl) < 0)
                        return -EIO;
                free(line);
                line = rt_event_json(ev, now_ns());
        }
        return append(fd, line);
}

void rt_events_check(struct cpod_runtime *rt)
{
        if (strcasecmp(rt->events_backend, "journald") == 0 && !rt->events_warned) {
                rt->events_warned = true;
                rt_warn(rt, "events logger \"journald\" is not supported by cpod, using the \"file\" logger");
        }
}

void rt_event(struct cpod_runtime *rt, const struct rt_event *ev)
{
        int r;

        if (!rt_events_enabled(rt))
                return;
        rt_events_check(rt);
        if ((r = write_event(rt, ev)) < 0)
                rt_warn(rt, "unable to write %s event \"%s\": %s", ev->type, ev->status, strerror(-r));
}

void rt_event_simple(struct cpod_runtime *rt, const char *type, const char *status, const char *id, const char *name)
{
        struct rt_event ev = { .type = type, .status = status, .id = id, .name = name };

        rt_event(rt, &ev);
}
