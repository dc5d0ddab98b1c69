/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/transports.h"
#include "util/cleanup.h"
#include "util/xalloc.h"

/* Detect the layout of an opened path. */
static int open_detected(struct fileset *fs, const char *path, const char *ref, struct image_source **ret,
                         cpod_error_t *err)
{
        _cleanup_free_ char *desc = NULL;

        if (fileset_has(fs, "oci-layout") && fileset_has(fs, "index.json")) {
                desc = xasprintf("oci-archive:%s", path);
                return oci_source_new(fs, desc, ref, ret, err);
        }
        if (fileset_has(fs, "manifest.json") && fileset_has(fs, "version")) {
                desc = xasprintf("dir:%s", path);
                return dir_source_new(fs, desc, ret, err);
        }
        if (fileset_has(fs, "manifest.json")) {
                desc = xasprintf("docker-archive:%s", path);
                return docker_archive_source_new(fs, desc, ref, ret, err);
        }
        fileset_free(fs);
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                              "payload does not match any of the supported image formats: %s is neither an OCI "
                              "layout or archive, a docker archive, nor a dir: directory",
                              path);
}

/* "PATH:REF" for archives: the REF follows the last ':' only when PATH itself exists without it. */
static void split_ref(const char *rest, char **path, char **ref)
{
        const char *colon = strrchr(rest, ':');

        if (colon && access(rest, F_OK) != 0) {
                *path = xstrndup(rest, (size_t)(colon - rest));
                *ref = xstrdup(colon + 1);
        } else {
                *path = xstrdup(rest);
                *ref = NULL;
        }
}

int local_source_open(const char *spec, const char *tmpdir, struct image_source **ret, cpod_error_t *err)
{
        static const char *const prefixes[] = { "oci:", "oci-archive:", "docker-archive:", "dir:" };
        _cleanup_free_ char *path = NULL, *ref = NULL;
        struct fileset *fs;
        const char *rest = spec;

        for (size_t i = 0; i < 4; i++)
                if (strncmp(spec, prefixes[i], strlen(prefixes[i])) == 0) {
                        rest = spec + strlen(prefixes[i]);
                        break;
                }
        if (strncmp(spec, "dir:", 4) == 0)
                path = xstrdup(rest);
        else
                split_ref(rest, &path, &ref);
        if (fileset_open_path(path, tmpdir, &fs, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        return open_detected(fs, path, ref, ret, err);
}
