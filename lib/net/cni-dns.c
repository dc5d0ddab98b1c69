/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Names on CNI networks: cpod runs aardvark-dns itself, as netavark does
 * for its networks, with the same configuration (one file per network
 * under <runroot>/networks/cni-dns: the gateway address to listen on,
 * then "ID IPV4 IPV6 NAME,ALIAS,..." per container), reloaded with SIGHUP
 * when entries change and stopped when the last entry goes.  Containers
 * on the network get the gateway as their resolver and dns.podman as
 * their search domain, as on netavark's networks.  Called with the
 * netavark lock held (every backend call is).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "net/net.h"

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static char *dns_dir(struct cpod_runtime *rt)
{
        return xasprintf("%s/networks/cni-dns", rt->runroot);
}

static int aardvark_pid(const char *dir)
{
        _cleanup_free_ char *f = path_join(dir, "aardvark.pid"), *s = read_line_file(f);
        int pid = s ? atoi(s) : 0;

        return pid > 0 && kill(pid, 0) == 0 ? pid : 0;
}

/* Any network file left (aardvark.pid and hidden files are not networks)? */
static bool any_network(const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *e;
        bool any = false;

        while (d && !any && (e = readdir(d)))
                any = e->d_name[0] != '.' && strcmp(e->d_name, "aardvark.pid") != 0;
        if (d)
                closedir(d);
        return any;
}

/* Start aardvark-dns for dir, or make the running one read its files again. */
static int aardvark_reload(struct cpod_runtime *rt, const char *dir, cpod_error_t *err)
{
        _cleanup_free_ char *bin = NULL;
        int pid = aardvark_pid(dir), r;

        if (pid > 0)
                return kill(pid, SIGHUP) == 0 ? 0 : cpod_error_sys(err, errno, "reload aardvark-dns");
        if (!(bin = net_helper(rt, "aardvark-dns", err)))
                return -ENOENT;
        {
                /* it forks into the background and writes aardvark.pid itself, as for netavark */
                const char *argv[] = { bin, "--config", dir, "-p", "53", "run", NULL };
                struct child_process cp = CHILD_PROCESS_INIT;
                cp.argv = argv;
                cp.new_session = true;
                if ((r = child_start(&cp, err)) < 0 || (r = child_finish(&cp, err)) != 0)
                        return r < 0 ? r
                                     : cpod_error_set(err, EIO, CPOD_E_INTERNAL,
                                                      "aardvark-dns failed to start (exit %d)", r);
        }
        return 0;
}

int cni_dns_add(struct cpod_runtime *rt, const char *nvname, const char *gateway, const char *id, const char *ip,
                const char *ip6, const char *names, cpod_error_t *err)
{
        _cleanup_free_ char *dir = dns_dir(rt), *file = NULL, *text = NULL, *line = NULL;
        size_t len = 0;

        if (mkdir_p(dir, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        file = path_join(dir, nvname);
        if (read_file(file, &text, &len, 1 << 20, NULL) < 0)
                text = xasprintf("%s\n", gateway);
        line = xasprintf("%s%s %s %s %s\n", text, id, ip, ip6, names);
        if (write_file_replace(file, line, strlen(line), 0600, err) < 0)
                return cpod_error_rc(err, -EIO);
        return aardvark_reload(rt, dir, err);
}

void cni_dns_remove(struct cpod_runtime *rt, const char *nvname, const char *id)
{
        _cleanup_free_ char *dir = dns_dir(rt), *file = path_join(dir, nvname), *text = NULL;
        struct strbuf out = STRBUF_INIT;
        size_t len, n = 0, idl = strlen(id);
        int pid;

        if (read_file(file, &text, &len, 1 << 20, NULL) < 0)
                return;
        for (char *l = text, *nl; l && *l; l = nl ? nl + 1 : NULL, n++) {
                nl = strchr(l, '\n');
                if (n > 0 && strncmp(l, id, idl) == 0 && l[idl] == ' ')
                        continue;
                strbuf_add(&out, l, nl ? (size_t)(nl - l + 1) : strlen(l));
        }
        if (!strchr(out.buf ? out.buf : "", '\n') || strchr(out.buf, '\n')[1] == '\0')
                (void)unlink(file); /* only the listen address is left */
        else
                (void)write_file_replace(file, out.buf, out.len, 0600, NULL);
        strbuf_release(&out);
        if ((pid = aardvark_pid(dir)) > 0)
                (void)kill(pid, any_network(dir) ? SIGHUP : SIGTERM);
        if (!any_network(dir)) {
                _cleanup_free_ char *pf = path_join(dir, "aardvark.pid");
                (void)unlink(pf);
        }
}
