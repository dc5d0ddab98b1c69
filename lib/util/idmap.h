/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User namespace ID mappings: "CONTAINER:HOST:SIZE" ranges as podman writes them, the checks a
 * mapping gets, and a user namespace made from one (for idmapped mounts).  Untrusted input (flags,
 * /etc/subuid) is parsed here once.
 */
#ifndef CPOD_UTIL_IDMAP_H
#define CPOD_UTIL_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpod/error.h>

struct idmap_range {
        uint32_t ctr, host, size;
};

/* One direction (UIDs or GIDs): ranges in the order given. */
struct idmap {
        struct idmap_range *v;
        size_t n;
};

void idmap_clear(struct idmap *m);
void idmap_add(struct idmap *m, uint32_t ctr, uint32_t host, uint32_t size);
/* Parse "C:H:S" and add it; -EINVAL when malformed (no error set: callers word it). */
int idmap_add_text(struct idmap *m, const char *s);
/* Parse a NULL-terminated list of "C:H:S" (NULL: none); -EINVAL, *ret_bad then names the bad entry. */
int idmap_parse_strv(char *const *v, struct idmap *ret, const char **ret_bad);
/* The ranges as "C:H:S" strings, NULL-terminated; caller frees. */
char **idmap_to_strv(const struct idmap *m);
/* The index of the first range whose container or host side overlaps an earlier one, or -1. */
long idmap_first_overlap(const struct idmap *m);
/* The host ID container ID id maps to; false when it is not mapped. */
bool idmap_to_host(const struct idmap *m, uint32_t id, uint32_t *ret);
/* Deep copy. */
void idmap_copy(struct idmap *dst, const struct idmap *src);

/*
 * A new user namespace with these mappings, as an O_CLOEXEC fd (for mount_setattr's
 * MOUNT_ATTR_IDMAP).  The short-lived child only blocks on a pipe and exits: async-signal-safe
 * calls only, so it is safe in a threaded caller.
 */
int idmap_userns_fd(const struct idmap *uids, const struct idmap *gids, cpod_error_t *err);

/*
 * The mappings of the user namespace at nspath (a /proc/PID/ns/user or a bind mount of one),
 * read by a child that joins it.
 */
int idmap_read_userns(const char *nspath, struct idmap *ret_uids, struct idmap *ret_gids, cpod_error_t *err);

#endif
