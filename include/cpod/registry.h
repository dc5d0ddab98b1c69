/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Registries: pulling images (docker://), the --pull policies of run and
 * create, login/logout, and search.
 *
 * Configuration read: registries.conf(5) with its drop-ins (short names,
 * aliases, mirrors, insecure and blocked registries), auth.json(5) in
 * podman's search order, certs.d(5).  See lib/image/registries.h and
 * lib/image/docker/ for the details.
 */
#ifndef CPOD_REGISTRY_H
#define CPOD_REGISTRY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpod/error.h>
#include <cpod/runtime.h>

/* How to reach registries (podman's --authfile, --creds, --cert-dir, --tls-verify, --retry, --retry-delay). */
struct cpod_registry_opts {
        const char *authfile;   /* NULL: $REGISTRY_AUTH_FILE, then the default search order */
        const char *creds;      /* "USER[:PASSWORD]", or NULL */
        const char *cert_dir;   /* NULL: certs.d */
        int tls_verify;         /* -1: registries.conf decides, 0: false, 1: true */
        int retry;              /* -1: default (3) */
        int64_t retry_delay_ms; /* -1: 2 s doubling */
};
/* clang-format off */
#define CPOD_REGISTRY_OPTS_INIT { NULL, NULL, NULL, -1, -1, -1 }
/* clang-format on */

enum cpod_pull_event_kind {
        CPOD_PULL_EV_RESOLVED,         /* text: "Resolved \"x\" as an alias (FILE)" and the like */
        CPOD_PULL_EV_TRYING,           /* text: the reference being pulled */
        CPOD_PULL_EV_SIGNATURES,       /* getting image source signatures */
        CPOD_PULL_EV_BLOB,             /* text: layer digest; index; total; skipped when already stored */
        CPOD_PULL_EV_BLOB_PROGRESS,    /* text: digest; index; current of total bytes (from worker threads) */
        CPOD_PULL_EV_CONFIG,           /* text: config digest */
        CPOD_PULL_EV_MANIFEST,         /* writing manifest to image destination */
        CPOD_PULL_EV_STORING,          /* storing signatures */
        CPOD_PULL_EV_SIGNATURES_CHECK, /* the source had signatures: checking if the destination supports them */
        CPOD_PULL_EV_LIST_COPYING,     /* manifest push: index = how many instances are copied */
        CPOD_PULL_EV_LIST_IMAGE,       /* text: the instance's digest; index (1-based) of total */
        CPOD_PULL_EV_LIST_MANIFEST,    /* writing the list */
        CPOD_PULL_EV_LIST_STORING,     /* storing the list's signatures */
        CPOD_PULL_EV_SIGNING,          /* push --sign-by: signing the manifest (GPG simple signing) */
};

struct cpod_pull_event {
        enum cpod_pull_event_kind kind;
        const char *text;
        int index;
        int64_t current, total;
        bool skipped;
};

/* Called from the pulling thread and, for BLOB_PROGRESS, from layer threads at once. */
typedef void (*cpod_pull_event_fn)(void *ud, const struct cpod_pull_event *ev);

struct cpod_pull_opts {
        struct cpod_registry_opts reg;
        const char *os, *arch, *variant; /* platform (NULL: this host) */
        bool all_tags;
        cpod_pull_event_fn event;
        void *event_ud;
        /*
         * Short-name mode "enforcing" with several search registries: ask the
         * user.  Returns the chosen index, or < 0 to abort.  NULL: no terminal,
         * which makes an ambiguous short name an error.
         */
        int (*choose)(void *ud, const char *name, char *const *candidates);
};

/*
 * Pull NAME ("[docker://]ref", a short name resolved through
 * registries.conf) into storage.  *ret_ids: JSON array of the image IDs
 * (several with all_tags).  Nothing unverified becomes visible; on error
 * the store keeps only complete, verified layers it may already share.
 */
CPOD_PUBLIC int cpod_image_pull(struct cpod_runtime *rt, const char *name, const struct cpod_pull_opts *o,
                                json_t **ret_ids, cpod_error_t *err);

enum cpod_pull_policy { CPOD_PULL_MISSING, CPOD_PULL_ALWAYS, CPOD_PULL_NEVER, CPOD_PULL_NEWER };
/* "always", "missing", "never", "newer" (also podman's "true"/"false" spellings). */
CPOD_PUBLIC int cpod_pull_policy_parse(const char *s, enum cpod_pull_policy *ret, cpod_error_t *err);

/*
 * Make NAME available locally per policy and return its ID: missing pulls
 * when not stored, always pulls, never only looks up, newer pulls when the
 * registry's manifest digest differs from the stored one (and keeps the
 * stored image when the registry cannot be reached).
 */
CPOD_PUBLIC int cpod_image_ensure(struct cpod_runtime *rt, const char *name, enum cpod_pull_policy policy,
                                  const struct cpod_pull_opts *o, char ret_id[65], cpod_error_t *err);

struct cpod_push_opts {
        struct cpod_registry_opts reg;
        const char *format;       /* "oci", "v2s2" ("v2s1" is refused); NULL: the type the image was stored with */
        const char *compression;  /* "gzip" (NULL) or "zstd" (OCI only) */
        const char *sign_by;      /* GPG key to sign with (simple signing, lookaside storage), or NULL */
        bool remove_signatures;   /* the store keeps no signatures: nothing to copy either way */
        cpod_pull_event_fn event; /* progress, as pull's (blob, config, manifest, signatures) */
        void *event_ud;
};
/*
 * Push NAME from the store to DEST: "[docker://]host/repo[:tag]" (layers
 * compressed, blobs the registry has skipped, then the manifest),
 * "dir:PATH", "oci:PATH[:REF]", "oci-archive:PATH[:REF]" or
 * "docker-archive:PATH[:REF]" (written as save writes them).  DEST NULL: NAME.
 * ret_digest receives the manifest digest (registry pushes; "" otherwise).
 */
CPOD_PUBLIC int cpod_image_push(struct cpod_runtime *rt, const char *name, const char *dest,
                                const struct cpod_push_opts *o, char ret_digest[72], cpod_error_t *err);

struct cpod_login_opts {
        struct cpod_registry_opts reg;
        const char *username, *password;
};
/*
 * Verify the credentials against REGISTRY ("host[:port][/namespace...]")
 * and store them in the auth file (0600, written atomically).
 */
CPOD_PUBLIC int cpod_registry_login(const char *registry, const struct cpod_login_opts *o, cpod_error_t *err);
/* The user name stored for REGISTRY; error "not logged into REGISTRY" when none. */
CPOD_PUBLIC int cpod_registry_get_login(const char *registry, const char *authfile, char **ret_user, cpod_error_t *err);
/* Remove REGISTRY's credentials (all when registry is NULL) from the auth file. */
CPOD_PUBLIC int cpod_registry_logout(const char *registry, const char *authfile, cpod_error_t *err);

struct cpod_search_opts {
        struct cpod_registry_opts reg;
        int limit;      /* <= 0: default (25 per registry) */
        bool list_tags; /* list the tags of one repository */
};
/*
 * Search registries that serve /v2/_catalog.  TERM is "host/[prefix]" or a
 * word searched in every unqualified-search registry.  *ret: JSON array of
 * {"Index","Name","Description","Stars","Official","Automated","Tag"}, or with
 * list_tags {"Name","Tags":[...]} objects.
 */
CPOD_PUBLIC int cpod_registry_search(const char *term, const struct cpod_search_opts *o, json_t **ret,
                                     cpod_error_t *err);

#endif
