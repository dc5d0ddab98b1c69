/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's network namespace, made before the container so the
 * backend can wire it, and bind-mounted at <runroot>/netns/<id> so it
 * outlives every process in it until teardown.  Made in a short-lived
 * thread (unshare(CLONE_NEWNET) changes only the calling thread), so it is
 * safe in a threaded API server; loopback is brought up there.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

char *netns_path(struct cpod_runtime *rt, const char *id)
{
        return xasprintf("%s/netns/%s", rt->runroot, id);
}

struct mk {
        const char *path;
        int err;
        const char *step;
};

static int loopback_up(void)
{
        struct ifreq ifr = { 0 };
        int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = -1;

        if (s < 0)
                return -1;
        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
        if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
                ifr.ifr_flags |= IFF_UP;
                r = ioctl(s, SIOCSIFFLAGS, &ifr);
        }
        close(s);
        return r;
}

static void *make_ns(void *arg)
{
        struct mk *m = arg;
        char self[64];

        snprintf(self, sizeof(self), "/proc/self/task/%ld/ns/net", (long)gettid());
        if (unshare(CLONE_NEWNET) < 0)
                m->step = "unshare", m->err = errno;
        else if (mount(self, m->path, NULL, MS_BIND, NULL) < 0)
                m->step = "bind-mount", m->err = errno;
        else if (loopback_up() < 0)
                m->step = "bring up loopback in", m->err = errno;
        return NULL;
}

int netns_create(const char *path, cpod_error_t *err)
{
        _cleanup_free_ char *dir = xstrdup(path);
        struct mk m = { path, 0, NULL };
        pthread_t t;
        int fd, r;

        *strrchr(dir, '/') = '\0';
        if (mkdir_p(dir, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        if ((fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0600)) < 0)
                return cpod_error_sys(err, errno, "create %s", path);
        close(fd);
        if ((r = pthread_create(&t, NULL, make_ns, &m)) != 0)
                m.step = "start a thread for", m.err = r;
        else
                pthread_join(t, NULL);
        if (m.err) {
                netns_remove(path);
                return cpod_error_sys(err, m.err, "%s network namespace %s", m.step, path);
        }
        return 0;
}

void netns_remove(const char *path)
{
        (void)umount2(path, MNT_DETACH);
        (void)unlink(path);
}

/* RTM_DELLINK by name, over rtnetlink; a link that is not there is no error. */
int link_delete(const char *name)
{
        struct {
                struct nlmsghdr nh;
                struct ifinfomsg ifi;
        } req = { 0 };
        char buf[512];
        unsigned idx = name ? if_nametoindex(name) : 0;
        int s, r = 0;

        if (!idx)
                return 0;
        if ((s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0)
                return -errno;
        req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
        req.nh.nlmsg_type = RTM_DELLINK;
        req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
        req.ifi.ifi_family = AF_UNSPEC;
        req.ifi.ifi_index = (int)idx;
        if (send(s, &req, req.nh.nlmsg_len, 0) < 0) {
                r = -errno;
        } else {
                ssize_t n = recv(s, buf, sizeof(buf), 0);
                struct nlmsghdr *h = (struct nlmsghdr *)(void *)buf;
                if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) && h->nlmsg_type == NLMSG_ERROR)
                        r = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
        }
        close(s);
        return r;
}
