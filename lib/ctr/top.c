/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod top: the container's processes, read from the host's /proc (every
 * process whose PID namespace is the container's), with podman's (psgo's)
 * descriptors and formatting.  PIDs are shown as the container sees them.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpod/container.h>

#include "ctr/ctr.h"
#include "ctr/spec.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct proc {
        int hpid, pid, ppid_host, ppid;
        unsigned uid, gid;   /* the host's view */
        unsigned cuid, cgid; /* the container's (its user namespace's) view */
        char state;
        char comm[64];
        char *args;
        int tty_nr, nice;
        unsigned long long utime, stime, start;
        unsigned long vsz, rss_pages;
};

static const struct {
        const char *name, *header;
} descriptors[] = {
        { "user", "USER" },     { "pid", "PID" },     { "ppid", "PPID" },     { "pcpu", "%CPU" },
        { "etime", "ELAPSED" }, { "tty", "TTY" },     { "time", "TIME" },     { "args", "COMMAND" },
        { "comm", "COMMAND" },  { "group", "GROUP" }, { "nice", "NI" },       { "vsz", "VSZ" },
        { "rss", "RSS" },       { "state", "STATE" }, { "hpid", "HPID" },     { "huser", "HUSER" },
        { "hgroup", "HGROUP" }, { "ruser", "RUSER" }, { "rgroup", "RGROUP" },
};

static int parse_stat(int hpid, struct proc *p)
{
        char path[64], buf[2048];
        _cleanup_fclose_ FILE *f = NULL;
        const char *close_paren;

        snprintf(path, sizeof(path), "/proc/%d/stat", hpid);
        if (!(f = fopen(path, "re")) || !fgets(buf, sizeof(buf), f) || !(close_paren = strrchr(buf, ')')))
                return -1;
        snprintf(p->comm, sizeof(p->comm), "%.*s", (int)(close_paren - strchr(buf, '(') - 1), strchr(buf, '(') + 1);
        return sscanf(close_paren + 2,
                      "%c %d %*d %*d %d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %d %*d %*d "
                      "%llu %lu %lu",
                      &p->state, &p->ppid_host, &p->tty_nr, &p->utime, &p->stime, &p->nice, &p->start, &p->vsz,
                      &p->rss_pages) == 9
                       ? 0
                       : -1;
}

/* Host ID id as the user namespace of process hpid sees it (its uid_map/gid_map, read from the host). */
static unsigned ns_id(int hpid, const char *file, unsigned id)
{
        _cleanup_free_ char *path = xasprintf("/proc/%d/%s", hpid, file);
        FILE *f = fopen(path, "re");
        unsigned c, h, n, r = 65534;

        while (f && fscanf(f, "%u %u %u", &c, &h, &n) == 3)
                if (id >= h && (unsigned long long)id < (unsigned long long)h + n) {
                        r = c + (id - h);
                        break;
                }
        if (f)
                fclose(f);
        return r;
}

/* Container-namespace PID (last NSpid field), uid and gid from /proc/PID/status. */
static void parse_status(int hpid, int *ret_nspid, unsigned *uid, unsigned *gid)
{
        char path[64];
        _cleanup_free_ char *buf = NULL;
        size_t len;
        const char *l;

        snprintf(path, sizeof(path), "/proc/%d/status", hpid);
        *ret_nspid = hpid;
        if (read_file(path, &buf, &len, 1 << 20, NULL) < 0)
                return;
        if ((l = strstr(buf, "\nNSpid:"))) {
                const char *e = strchr(l + 1, '\n'), *sp = e;
                while (sp > l && (isdigit((unsigned char)sp[-1])))
                        sp--;
                *ret_nspid = atoi(sp);
        }
        if ((l = strstr(buf, "\nUid:")))
                *uid = (unsigned)strtoul(l + 5, NULL, 10);
        if ((l = strstr(buf, "\nGid:")))
                *gid = (unsigned)strtoul(l + 5, NULL, 10);
}

static char *cmdline(int hpid, const char *comm)
{
        char path[64];
        char *buf = NULL;
        size_t len;

        snprintf(path, sizeof(path), "/proc/%d/cmdline", hpid);
        if (read_file(path, &buf, &len, 1 << 20, NULL) < 0 || len == 0) {
                free(buf);
                return xasprintf("[%s]", comm);
        }
        for (size_t i = 0; i + 1 < len; i++)
                if (buf[i] == '\0')
                        buf[i] = ' ';
        return buf;
}

static bool same_pidns(int hpid, const char *ns)
{
        char path[64], link[128];
        ssize_t n;

        snprintf(path, sizeof(path), "/proc/%d/ns/pid", hpid);
        n = readlink(path, link, sizeof(link) - 1);
        if (n < 0)
                return false;
        link[n] = '\0';
        return strcmp(link, ns) == 0;
}

static char *cgroup_of(int hpid)
{
        char path[64], *buf = NULL;
        size_t len;

        snprintf(path, sizeof(path), "/proc/%d/cgroup", hpid);
        return read_file(path, &buf, &len, 65536, NULL) < 0 ? NULL : buf;
}

/* Same cgroups as the container's init: a pod's shared PID namespace holds other containers too. */
static bool same_cgroup(int hpid, const char *cg)
{
        _cleanup_free_ char *mine = cgroup_of(hpid);

        return mine && cg && strcmp(mine, cg) == 0;
}

/* Every process of the container: in its PID namespace and its cgroup. */
static struct proc *collect(int init_pid, size_t *ret_n)
{
        _cleanup_free_ char *cg = cgroup_of(init_pid);
        char path[64], ns[128];
        struct proc *v = NULL;
        size_t n = 0;
        ssize_t l;
        DIR *d;
        struct dirent *de;

        snprintf(path, sizeof(path), "/proc/%d/ns/pid", init_pid);
        if ((l = readlink(path, ns, sizeof(ns) - 1)) < 0 || !(d = opendir("/proc"))) {
                *ret_n = 0;
                return NULL;
        }
        ns[l] = '\0';
        while ((de = readdir(d))) {
                struct proc p = { 0 };
                if (!isdigit((unsigned char)de->d_name[0]))
                        continue;
                p.hpid = atoi(de->d_name);
                if (!same_pidns(p.hpid, ns) || !same_cgroup(p.hpid, cg) || parse_stat(p.hpid, &p) < 0)
                        continue;
                parse_status(p.hpid, &p.pid, &p.uid, &p.gid);
                p.cuid = ns_id(p.hpid, "uid_map", p.uid);
                p.cgid = ns_id(p.hpid, "gid_map", p.gid);
                p.args = cmdline(p.hpid, p.comm);
                v = xreallocarray(v, n + 1, sizeof(*v));
                v[n++] = p;
        }
        closedir(d);
        for (size_t i = 0; i < n; i++) /* container-namespace PPID (0 for the container's init) */
                for (size_t k = 0; k < n; k++)
                        if (v[k].hpid == v[i].ppid_host)
                                v[i].ppid = v[k].pid;
        *ret_n = n;
        return v;
}

/* Name for an id from the container's /etc/passwd or /etc/group, else the number. */
static char *lookup_name(const char *db, unsigned id)
{
        _cleanup_free_ char *copy = xstrdup(db ? db : "");
        char *save = NULL;

        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                _cleanup_strv_ char **f = strv_split_keep_empty(line, ':');
                if (strv_length(f) >= 3 && strtoul(f[2], NULL, 10) == id && *f[2])
                        return xstrdup(f[0]);
        }
        return id == 0 && !*(db ? db : "") ? xstrdup("root") : xasprintf("%u", id);
}

static char *go_duration(double secs)
{
        if (secs < 60)
                return xasprintf("%.9gs", secs);
        if (secs < 3600)
                return xasprintf("%dm%.9gs", (int)(secs / 60), secs - 60 * (int)(secs / 60));
        return xasprintf("%dh%dm%.9gs", (int)(secs / 3600), (int)(secs / 60) % 60, secs - 60 * (int)(secs / 60));
}

static char *tty_name(int tty_nr)
{
        int major = (tty_nr >> 8) & 0xfff, minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);

        if (tty_nr == 0)
                return xstrdup("?");
        if (major == 136)
                return xasprintf("pts/%d", minor);
        return xasprintf("tty%d", minor);
}

struct top_ctx {
        const char *passwd, *group, *hpasswd, *hgroup;
        double uptime;
        long hz;
};

static char *field(const struct top_ctx *t, const struct proc *p, const char *desc)
{
        double age = t->uptime - (double)p->start / (double)t->hz, cpu = (double)(p->utime + p->stime) / (double)t->hz;

        if (!strcmp(desc, "user") || !strcmp(desc, "ruser"))
                return lookup_name(t->passwd, p->cuid);
        if (!strcmp(desc, "group") || !strcmp(desc, "rgroup"))
                return lookup_name(t->group, p->cgid);
        if (!strcmp(desc, "huser"))
                return lookup_name(t->hpasswd, p->uid);
        if (!strcmp(desc, "hgroup"))
                return lookup_name(t->hgroup, p->gid);
        if (!strcmp(desc, "pid"))
                return xasprintf("%d", p->pid);
        if (!strcmp(desc, "hpid"))
                return xasprintf("%d", p->hpid);
        if (!strcmp(desc, "ppid"))
                return xasprintf("%d", p->ppid);
        if (!strcmp(desc, "pcpu"))
                return xasprintf("%.3f", age > 0 ? 100.0 * cpu / age : 0.0);
        if (!strcmp(desc, "etime"))
                return go_duration(age > 0 ? age : 0);
        if (!strcmp(desc, "time"))
                return go_duration(cpu);
        if (!strcmp(desc, "tty"))
                return tty_name(p->tty_nr);
        if (!strcmp(desc, "args"))
                return xstrdup(p->args);
        if (!strcmp(desc, "comm"))
                return xstrdup(p->comm);
        if (!strcmp(desc, "nice"))
                return xasprintf("%d", p->nice);
        if (!strcmp(desc, "vsz"))
                return xasprintf("%lu", p->vsz / 1024);
        if (!strcmp(desc, "rss"))
                return xasprintf("%lu", p->rss_pages * (unsigned long)sysconf(_SC_PAGESIZE) / 1024);
        if (!strcmp(desc, "state"))
                return xasprintf("%c", p->state);
        return xstrdup("");
}

/* ps(1)'s AIX format descriptors, which psgo accepts too. */
static const char *unalias(const char *d)
{
        static const char *const aix[][2] = {
                { "%C", "pcpu" },  { "%G", "group" },  { "%P", "ppid" }, { "%U", "user" }, { "%a", "args" },
                { "%c", "comm" },  { "%g", "rgroup" }, { "%n", "nice" }, { "%p", "pid" },  { "%t", "etime" },
                { "%u", "ruser" }, { "%x", "time" },   { "%y", "tty" },  { "%z", "vsz" },
        };

        for (size_t i = 0; i < sizeof(aix) / sizeof(aix[0]); i++)
                if (strcmp(d, aix[i][0]) == 0)
                        return aix[i][1];
        return d;
}

static int check_descriptors(char *const *descs, cpod_error_t *err)
{
        for (char *const *d = descs; *d; d++) {
                size_t i;
                for (i = 0; i < sizeof(descriptors) / sizeof(descriptors[0]); i++)
                        if (strcmp(unalias(*d), descriptors[i].name) == 0)
                                break;
                if (i == sizeof(descriptors) / sizeof(descriptors[0]))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unknown descriptor: %s", *d);
        }
        return 0;
}

static const char *header_of(const char *d)
{
        for (size_t i = 0; i < sizeof(descriptors) / sizeof(descriptors[0]); i++)
                if (strcmp(d, descriptors[i].name) == 0)
                        return descriptors[i].header;
        return d;
}

static char *read_root_file(const char *rootfs, const char *name)
{
        return rootfs ? spec_read_in_root(rootfs, name) : NULL;
}

bool cpod_ctr_top_descriptors_known(char *const *descs)
{
        return !descs || check_descriptors(descs, NULL) == 0;
}

int cpod_ctr_top(struct cpod_runtime *rt, const char *name, char *const *descs, json_t **ret, cpod_error_t *err)
{
        static char *const defaults[] = { "user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args", NULL };
        struct ctr c = { 0 };
        char id[65];
        _cleanup_free_ char *up = read_line_file("/proc/uptime");
        struct top_ctx t = { .hz = sysconf(_SC_CLK_TCK), .uptime = up ? strtod(up, NULL) : 0 };
        struct proc *v;
        size_t n;
        json_t *rows;

        descs = descs && descs[0] ? descs : defaults;
        if (check_descriptors(descs, err) < 0 || cpod_ctr_lookup(rt, name, id, err) < 0 ||
            ctr_db_get(rt, id, &c, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        ctr_reconcile_view(rt, &c);
        if (c.state != CPOD_CTR_RUNNING && c.state != CPOD_CTR_PAUSED) {
                ctr_clear(&c);
                return cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE,
                                      "top can only be used on running containers: container state improper");
        }
        t.passwd = read_root_file(c.mountpoint, "etc/passwd");
        t.group = read_root_file(c.mountpoint, "etc/group");
        t.hpasswd = read_root_file("/", "etc/passwd");
        t.hgroup = read_root_file("/", "etc/group");
        v = collect(c.pid, &n);
        rows = json_array();
        {
                json_t *h = json_array();
                for (char *const *d = descs; *d; d++)
                        json_array_append_new(h, json_string(header_of(unalias(*d))));
                json_array_append_new(rows, h);
        }
        for (size_t i = 0; i < n; i++) {
                json_t *r = json_array();
                for (char *const *d = descs; *d; d++)
                        json_array_append_new(r, json_string_take(field(&t, &v[i], unalias(*d))));
                json_array_append_new(rows, r);
                free(v[i].args);
        }
        free(v);
        free((char *)t.passwd);
        free((char *)t.group);
        free((char *)t.hpasswd);
        free((char *)t.hgroup);
        ctr_clear(&c);
        *ret = rows;
        return 0;
}
