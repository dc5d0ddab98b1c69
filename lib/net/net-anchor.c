/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keeping a network up between containers.  netavark builds a bridge
 * network's bridge and firewall chains when its first container joins and
 * takes them down with the last one, which is most of the cost of a short
 * container on a network (about 200 ms here: a dozen iptables runs and the
 * bridge's removal).  So the first container on a network also attaches an
 * anchor: a namespace of the network's own (container ID = the network's
 * ID, name cpod-anchor-NAME, an address of the subnet) that holds the
 * network up.  When the last container leaves, the anchor lingers
 * CPOD_NETWORK_LINGER seconds (default 30; 0: it goes at once) in a
 * detached `cpod network reap` and is taken down then unless a container
 * joined meanwhile; `network rm` takes it down at once.  Every netavark
 * call and the reaper's check run under one lock, so a container joining
 * as the anchor goes always finds the network whole.
 */
#include <errno.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"

#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"

int net_linger_seconds(void)
{
        const char *v = getenv("CPOD_NETWORK_LINGER");
        char *end;
        long n;

        if (!v || !*v)
                return 30;
        n = strtol(v, &end, 10);
        return *end || n < 0 ? 30 : n > 3600 ? 3600 : (int)n;
}

int net_anchor_ensure(struct cpod_runtime *rt, const json_t *def, cpod_error_t *err)
{
        const char *name = json_get_str(def, "name"), *id = json_get_str(def, "id");
        _cleanup_free_ char *file = xasprintf("%s/networks/ctrs/%s.json", rt->runroot, id);
        _cleanup_free_ char *aname = xasprintf("cpod-anchor-%s", name), *ns = NULL;
        _cleanup_json_ json_t *nets = json_pack("{s:{}}", name);
        struct net_request req = { id, aname, nets, NULL, true };
        int r;

        if (path_exists(file))
                return 0;
        r = net_setup_locked(rt, &req, &ns, err);
        return r < 0 ? cpod_error_wrap(err, "keep network %s up", name) : 0;
}

/* Take the anchor of network name down if no container holds the network (caller holds the netavark lock). */
static void anchor_down_if_idle(struct cpod_runtime *rt, const char *name, const char *anchor_id)
{
        _cleanup_free_ char *file = xasprintf("%s/networks/ctrs/%s.json", rt->runroot, anchor_id);

        if (path_exists(file) && !net_network_held(rt, name, anchor_id))
                net_teardown_locked(rt, anchor_id);
}

static char *stamp_file(struct cpod_runtime *rt, const char *anchor_id, const char *what)
{
        return xasprintf("%s/networks/anchors/%s.%s", rt->runroot, anchor_id, what);
}

/*
 * One reaper per network at a time (it holds <id>.reaper.pid, with its PID in it); every release touches <id>.released,
 * and the reaper sleeps until the network has been idle for `after` seconds since the last one.
 */
int net_reap(struct cpod_runtime *rt, const char *name, const char *anchor_id, int after, cpod_error_t *err)
{
        _cleanup_free_ char *lockf = stamp_file(rt, anchor_id, "reaper.pid"),
                            *stamp = stamp_file(rt, anchor_id, "released");
        _cleanup_close_ int lfd = open(lockf, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        int fd;

        if (lfd < 0 || flock(lfd, LOCK_EX | LOCK_NB) < 0)
                return 0; /* another reaper watches this network */
        {
                /* its PID, for whoever must stop it (a test's teardown) */
                char pid[24];
                int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
                if (ftruncate(lfd, 0) < 0 || write_all(lfd, pid, (size_t)n) < 0)
                        log_debug("write %s: %m", lockf);
        }
        for (;;) {
                struct stat sb;
                time_t now = time(NULL);
                if (stat(stamp, &sb) < 0 || sb.st_mtime + after <= now)
                        break;
                sleep((unsigned)(sb.st_mtime + after - now));
        }
        {
                /* nothing to do when the anchor went meanwhile (network rm, or the runroot is gone) */
                _cleanup_free_ char *file = xasprintf("%s/networks/ctrs/%s.json", rt->runroot, anchor_id);
                if (!path_exists(file))
                        return 0;
        }
        if ((fd = obj_lock(rt, "networks-netavark", err)) < 0)
                return fd;
        anchor_down_if_idle(rt, name, anchor_id);
        obj_unlock(fd);
        return 0;
}

/* After a container left network name: the anchor goes now (linger 0) or later, in a detached reaper. */
void net_anchor_release(struct cpod_runtime *rt, const char *name, const char *anchor_id)
{
        _cleanup_free_ char *dir = xasprintf("%s/networks/anchors", rt->runroot);
        _cleanup_free_ char *stamp = stamp_file(rt, anchor_id, "released"),
                            *lockf = stamp_file(rt, anchor_id, "reaper.pid");
        _cleanup_close_ int lfd = -1;
        int linger = net_linger_seconds();
        char secs[16];

        if (linger == 0 || !rt->exe) {
                anchor_down_if_idle(rt, name, anchor_id);
                return;
        }
        if (mkdir_p(dir, 0700, NULL) < 0 || write_file_replace(stamp, "", 0, 0600, NULL) < 0)
                return;
        /* a reaper that is alive holds its lock and will see the new stamp */
        lfd = open(lockf, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (lfd >= 0 && flock(lfd, LOCK_EX | LOCK_NB) < 0)
                return;
        if (lfd >= 0)
                flock(lfd, LOCK_UN);
        snprintf(secs, sizeof(secs), "%d", linger);
        {
                const char *argv[] = { rt->exe, "--root",  rt->root, "--runroot", rt->runroot, "network",
                                       "reap",  "--after", secs,     name,        anchor_id,   NULL };
                struct child_process cp = CHILD_PROCESS_INIT;
                cp.argv = argv;
                cp.new_session = true;
                if (child_start(&cp, NULL) < 0)
                        log_warn("network %s: could not start its reaper; it stays up until network rm", name);
        }
}

void net_anchors_down(struct cpod_runtime *rt, const char *name)
{
        int fd = obj_lock(rt, "networks-netavark", NULL);
        _cleanup_json_ json_t *all = net_attachments(rt);
        const char *id;
        json_t *st;

        json_object_foreach(all, id, st)
                if (json_get_bool(st, "anchor", false) &&
                    (!name || json_object_get(json_path(st, "input.networks"), name)))
                        net_teardown_locked(rt, id);
        if (fd >= 0)
                obj_unlock(fd);
}
