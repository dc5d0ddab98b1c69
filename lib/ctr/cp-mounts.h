/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The paths of a container that is not running, as it sees them: its rootfs
 * with its bind mounts on top (cpod cp).
 *
 * A running container is copied through /proc/PID/root, where the kernel
 * shows its mounts.  A stopped or created one has only its rootfs mounted,
 * so a path is walked here, component by component, and each component is
 * looked up in the root it lives in: the rootfs, or the host source of the
 * bind mount covering it (a -v/--mount bind, a volume, or a file cpod binds
 * over /etc/hosts, /etc/hostname, /etc/resolv.conf).
 *
 * Threat model as copier.h's: the content of the rootfs and of the mount
 * sources is untrusted.  Every lookup goes through openat2(RESOLVE_IN_ROOT)
 * relative to the root fd of the mount the component is on, and symlinks
 * are followed by this walk, in the container's path space: an absolute
 * link restarts at the container's "/", ".." climbs in the container (out
 * of a mount into the rootfs, never into the host directory above a mount
 * source).  A place found here is (root fd, path below it), so the copy
 * that follows stays inside that root whatever changes meanwhile.
 */
#ifndef CPOD_CTR_CP_MOUNTS_H
#define CPOD_CTR_CP_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include <cpod/error.h>

struct cpod_runtime;
struct ctr;

struct cp_mount {
        char *dest; /* cleaned container path, no leading '/' */
        bool bind;  /* else a tmpfs or the like: not there while stopped, the rootfs shows through */
        bool ro;
        int fd;     /* bind: the source directory, or a file source's parent; -errno when it can't be opened */
        char *base; /* "" for a directory source, else the file source's name in fd */
};

struct cp_mounts {
        int rootfd;         /* borrowed: the container's mounted rootfs */
        struct cp_mount *v; /* in mount order: a later mount covers an earlier one below it */
        size_t n;
};

/*
 * The mounts of c: those of its last start (the bundle's config.json, which lives until the
 * container is removed), else, before any start, its -v/--mount binds.  rootfd is borrowed.
 */
int cp_mounts_load(struct cpod_runtime *rt, const struct ctr *c, int rootfd, struct cp_mounts *ret, cpod_error_t *err);
void cp_mounts_clear(struct cp_mounts *m);

/* Where a container path is. */
struct cp_place {
        int rootfd;  /* borrowed: the rootfs's or a mount source's directory */
        char *canon; /* cleaned path below rootfd, no leading '/' ("" = rootfd itself) */
        char *path;  /* the container's canonical path, no leading '/' ("" = its root) */
        struct stat st;
        bool ro; /* on a read-only mount */
};
void cp_place_clear(struct cp_place *p);

/*
 * Resolve an absolute container path, following symlinks (the last one too) as the
 * container would, across mount points.  Returns 0 and fills *ret, or -errno (-ENOENT,
 * -ENOTDIR, -ELOOP, a mount source's open error) without setting an error.
 */
int cp_mounts_resolve(const struct cp_mounts *m, const char *path, struct cp_place *ret);

#endif
