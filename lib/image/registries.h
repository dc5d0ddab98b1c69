/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registries.conf (containers-registries.conf(5)), version 2 and the
 * deprecated version 1, with its drop-in directories
 * (containers-registries.conf.d(5)).
 *
 * Files, in load order (later files override earlier ones):
 *   main:   $CONTAINERS_REGISTRIES_CONF, else ~/.config/containers/registries.conf
 *           when it exists, else /etc/containers/registries.conf;
 *   drop-ins: $CONTAINERS_REGISTRIES_CONF_DIR/<*.conf> when that is set (and then
 *           only that directory, as in newer podman), else
 *           /etc/containers/registries.conf.d/<*.conf> (not when the main file
 *           is the user's) and then ~/.config/containers/registries.conf.d/<*.conf>,
 *           each in lexical order.
 * Note that setting only CONTAINERS_REGISTRIES_CONF still reads the system
 * drop-in directory, as podman does: isolated setups (tests) set both.
 *
 * Merging follows containers/image: a [[registry]] with the same prefix as
 * an earlier one replaces it; unqualified-search-registries and
 * short-name-mode replace earlier values when present; aliases merge name
 * by name and an empty value erases one.  A file may not mix v1 and v2 keys.
 */
#ifndef CPOD_IMAGE_REGISTRIES_H
#define CPOD_IMAGE_REGISTRIES_H

#include <stdbool.h>
#include <stddef.h>

#include <cpod/error.h>

enum short_name_mode {
        SHORT_NAME_UNSET = 0, /* not configured: permissive */
        SHORT_NAME_PERMISSIVE,
        SHORT_NAME_ENFORCING,
        SHORT_NAME_DISABLED,
};

enum pull_from_mirror { PULL_FROM_MIRROR_ALL = 0, PULL_FROM_MIRROR_DIGEST_ONLY, PULL_FROM_MIRROR_TAG_ONLY };

struct reg_mirror {
        char *location;
        bool insecure;
        enum pull_from_mirror pull_from;
};

struct reg_entry {
        char *prefix;   /* "host[:port][/ns...]" or "*.domain" */
        char *location; /* "" for wildcard prefixes: the reference itself */
        bool insecure, blocked, mirror_by_digest_only;
        struct reg_mirror *mirrors;
        size_t n_mirrors;
        char *origin; /* file it came from */
};

struct reg_alias {
        char *name, *value, *origin;
};

struct registries_conf {
        char **search;       /* NULL-terminated; NULL when never set */
        char *search_origin; /* file that set it */
        enum short_name_mode mode;
        struct reg_alias *aliases;
        size_t n_aliases;
        struct reg_entry *regs; /* sorted by prefix */
        size_t n_regs;
        char *sources; /* "main, dir, userdir" for messages */
};

/* Load the whole configuration (see above). */
int registries_conf_load(struct registries_conf **ret, cpod_error_t *err);
/*
 * Load from explicit paths (main may be absent on disk; each of dirs, a
 * NULL-terminated list, is read in order when it exists).
 */
int registries_conf_load_paths(const char *main, char *const *dirs, struct registries_conf **ret, cpod_error_t *err);
/* Parse one document (origin names it in messages and alias origins). */
int registries_conf_parse(const char *buf, size_t len, const char *origin, struct registries_conf **ret,
                          cpod_error_t *err);
struct registries_conf *registries_conf_free(struct registries_conf *c);

/*
 * The [[registry]] table for a reference string "host[:port]/path[:tag][@digest]":
 * the longest matching prefix, or NULL.  Borrowed from c.
 */
const struct reg_entry *registries_find(const struct registries_conf *c, const char *ref);

/* Alias value for a short name ("busybox"), or NULL; *origin (may be NULL) gets the file. */
const char *registries_alias(const struct registries_conf *c, const char *name, const char **origin);

/* Where to pull a reference from: mirrors first, then the primary location. */
struct pull_source {
        char *ref;     /* rewritten "host/path:tag" or "host/path@digest" */
        bool insecure; /* registries.conf says plain HTTP / unverified TLS is fine */
        bool mirror;
};
void pull_sources_free(struct pull_source *v, size_t n);
/*
 * Sources for a fully qualified reference (with a tag or digest).  Fails
 * with CPOD_E_DENIED when the matching registry is blocked.
 */
int registries_pull_sources(const struct registries_conf *c, const char *ref, struct pull_source **ret, size_t *ret_n,
                            cpod_error_t *err);

/* Is host[:port] insecure per the configuration (used by login/search)? */
bool registries_insecure(const struct registries_conf *c, const char *host);

/*
 * unqualified-search-registries of the loaded configuration.
 * *ret is a NULL-terminated vector (possibly empty); caller frees.
 */
int registries_search(char ***ret, cpod_error_t *err);

#endif
