/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TLS material for a registry, per containers-certs.d(5): in the first of
 * the certs.d roots that has a directory named "host[:port]", or in the
 * --cert-dir directory when one is given:
 *   *.crt            CA certificates trusted in addition to the system's
 *   NAME.cert + NAME.key   a client certificate and its key (both or neither)
 * Roots: $CPOD_CERTS_D (colon-separated, replaces the defaults: a test and
 * packaging hook), else ~/.config/containers/certs.d (rootless only),
 * /etc/containers/certs.d, /etc/docker/certs.d.
 */
#ifndef CPOD_IMAGE_DOCKER_CERTS_H
#define CPOD_IMAGE_DOCKER_CERTS_H

#include <cpod/error.h>

struct tls_files {
        char **ca_files;   /* NULL-terminated, maybe empty */
        char *client_cert; /* or NULL */
        char *client_key;
        char *dir; /* the directory used, or NULL */
};
void tls_files_clear(struct tls_files *t);

/* cert_dir: --cert-dir or NULL.  A missing directory is no error; a half client pair is. */
int tls_files_for(const char *host, const char *cert_dir, struct tls_files *ret, cpod_error_t *err);

#endif
