/* SPDX-License-Identifier: Apache-2.0 */
/* --sdnotify: see sdnotify.h. */
#include "ctr/sdnotify.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctr/ctr.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

static const char *mode_of(const struct ctr_config *cfg)
{
        return cfg->sdnotify_mode && *cfg->sdnotify_mode ? cfg->sdnotify_mode : "container";
}

int ctr_sdnotify_check(const struct ctr_config *cfg, cpod_error_t *err)
{
        const char *m = mode_of(cfg);

        if (strcmp(m, "container") != 0 && strcmp(m, "conmon") != 0 && strcmp(m, "ignore") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid argument: invalid sdnotify value \"%s\": must be container, conmon or "
                                      "ignore",
                                      m);
        if (strcmp(m, "ignore") == 0 && cfg->sdnotify_socket && *cfg->sdnotify_socket)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "cannot set sd-notify socket \"%s\" with sd-notify mode \"ignore\"",
                                      cfg->sdnotify_socket);
        return 0;
}

bool ctr_sdnotify_proxied(const struct ctr *c)
{
        return strcmp(mode_of(&c->cfg), "container") == 0 && c->cfg.sdnotify_socket && *c->cfg.sdnotify_socket;
}

int ctr_sdnotify_mount(struct cpod_runtime *rt, const struct ctr *c, json_t *m, cpod_error_t *err)
{
        _cleanup_free_ char *bundle = NULL, *dir = NULL;

        if (!ctr_sdnotify_proxied(c))
                return 0;
        bundle = ctr_bundle_dir(rt, c->id);
        dir = xasprintf("%s/notify", bundle);
        if (mkdir_p(dir, 0755, err) < 0)
                return cpod_error_rc(err, -EIO);
        json_array_append_new(m, json_pack("{s:s, s:s, s:s, s:[s, s]}", "destination", "/run/notify", "type", "bind",
                                           "source", dir, "options", "bind", "rprivate"));
        return 0;
}

/* One datagram to the socket at path ("@name": abstract). */
static int send_notify(const char *path, const char *msg)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        size_t len = strlen(path);
        _cleanup_close_ int fd = -1;
        socklen_t salen;

        if (len == 0 || len >= sizeof(sa.sun_path))
                return -EINVAL;
        memcpy(sa.sun_path, path, len);
        if (path[0] == '@')
                sa.sun_path[0] = '\0';
        salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '@' ? 0 : 1));
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen) < 0)
                return -errno;
        return 0;
}

void ctr_sdnotify_started(struct cpod_runtime *rt, const struct ctr *c)
{
        const char *m = mode_of(&c->cfg);
        _cleanup_free_ char *msg = NULL;
        int r;

        if (strcmp(m, "ignore") == 0 || !c->cfg.sdnotify_socket || !*c->cfg.sdnotify_socket)
                return;
        msg = xasprintf("MAINPID=%d%s", c->conmon_pid, strcmp(m, "conmon") == 0 ? "\nREADY=1" : "");
        if ((r = send_notify(c->cfg.sdnotify_socket, msg)) < 0)
                rt_warn(rt, "notifying systemd of conmon PID: %s", strerror(-r));
}
