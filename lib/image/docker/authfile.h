/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Registry credentials in containers-auth.json(5) files.
 *
 * Lookup order (podman's): the --authfile flag or $REGISTRY_AUTH_FILE, and
 * then nothing else; otherwise ${XDG_RUNTIME_DIR}/containers/auth.json
 * (/run/containers/UID/auth.json without XDG_RUNTIME_DIR), then
 * ${XDG_CONFIG_HOME:-~/.config}/containers/auth.json, then
 * ${DOCKER_CONFIG:-~/.docker}/config.json, then ~/.dockercfg (legacy format,
 * no "auths" wrapper).  The first file holding a matching key wins.
 *
 * Keys are "host[:port]" or "host[:port]/namespace[/repo]"; for
 * "host/ns/repo" the keys "host/ns/repo", "host/ns", "host" are tried, most
 * specific first.  Docker-style keys ("https://index.docker.io/v1/") are
 * normalised to their host, and index.docker.io to docker.io.
 * Credential helpers (credHelpers, credsStore) are not supported.
 */
#ifndef CPOD_IMAGE_DOCKER_AUTHFILE_H
#define CPOD_IMAGE_DOCKER_AUTHFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <cpod/error.h>

struct cred {
        char *user, *pass;
        char *identity_token; /* OAuth2 refresh token, or NULL */
};
void cred_clear(struct cred *c);

/* Files to read, in order (NULL-terminated; caller frees).  flag: --authfile or NULL. */
char **authfile_read_paths(const char *flag);
/* The file login/logout write (flag, $REGISTRY_AUTH_FILE, or the runtime-dir file).  Caller frees. */
char *authfile_write_path(const char *flag);

/*
 * Credentials for a registry host and repository path ("library/busybox",
 * or NULL for the host alone).  Returns 1 and fills *ret when found, 0 when
 * there are none, < 0 when a file exists but cannot be read or parsed.
 * *ret_origin (may be NULL) gets the file's path.
 */
int authfile_lookup(const char *flag, const char *host, const char *repo, struct cred *ret, char **ret_origin,
                    cpod_error_t *err);
/* Same, in one given file (no search). */
int authfile_lookup_in(const char *path, bool legacy, const char *host, const char *repo, struct cred *ret,
                       cpod_error_t *err);

/* Normalise a login/logout argument ("https://host/v1/" -> "host", "index.docker.io" -> "docker.io"); caller frees. */
char *authfile_normalize_key(const char *key);

/* Store user:pass under key (0600, written atomically, other entries kept). */
int authfile_store(const char *path, const char *key, const char *user, const char *pass, cpod_error_t *err);
/* Remove key: 0, or -ENOENT (err set) when the file has no such key. */
int authfile_remove(const char *path, const char *key, cpod_error_t *err);
/* Remove every entry of the file. */
int authfile_remove_all(const char *path, cpod_error_t *err);

/* base64 of "user:pass" and back (RFC 4648 with padding).  Caller frees. */
char *base64_encode(const void *data, size_t len);
int base64_decode(const char *s, char **ret, size_t *ret_len);

#endif
