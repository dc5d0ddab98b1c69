/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The "file" driver: each secret's data in <path>/<ID>, mode 0600, in a
 * 0700 directory (podman's file driver keeps one JSON file of all secrets;
 * one file each lets a container start read only its own).  The data is
 * stored unencrypted, as podman's is: the directory's mode is the
 * protection.  IDs come from records that could have been edited, so only
 * an ID of hex digits ever becomes a path.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "secret/secret.h"

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

static bool id_ok(const char *id)
{
        return id && strlen(id) == CPOD_SECRET_ID_LEN && strspn(id, "0123456789abcdef") == CPOD_SECRET_ID_LEN;
}

static int data_path(const json_t *opts, const char *id, char **ret, cpod_error_t *err)
{
        const char *dir = json_get_str(opts, "path");

        if (!dir || dir[0] != '/')
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "secret %s: the file driver has no \"path\"",
                                      id ? id : "");
        if (!id_ok(id))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid secret ID \"%s\"", id ? id : "");
        *ret = xasprintf("%s/%s", dir, id);
        return 0;
}

static json_t *file_default_opts(const char *dir)
{
        return json_pack("{s:o}", "path", json_string_take(path_join(dir, "filedriver")));
}

static int file_store(const json_t *opts, const char *id, const void *data, size_t len, cpod_error_t *err)
{
        _cleanup_free_ char *path = NULL;
        int r;

        if ((r = data_path(opts, id, &path, err)) < 0 || (r = mkdir_p(json_get_str(opts, "path"), 0700, err)) < 0)
                return r;
        return write_file_atomic(path, data, len, 0600, err);
}

static int file_lookup(const json_t *opts, const char *id, char **ret, size_t *ret_len, cpod_error_t *err)
{
        _cleanup_free_ char *path = NULL;
        int r;

        if ((r = data_path(opts, id, &path, err)) < 0)
                return r;
        if ((r = read_file(path, ret, ret_len, CPOD_SECRET_MAX_SIZE, err)) < 0)
                return cpod_error_wrap(err, "reading the data of secret %s", id);
        return 0;
}

static int file_delete(const json_t *opts, const char *id, cpod_error_t *err)
{
        _cleanup_free_ char *path = NULL;
        int r;

        if ((r = data_path(opts, id, &path, err)) < 0)
                return r;
        if (unlink(path) < 0 && errno != ENOENT)
                return cpod_error_sys(err, errno, "removing the data of secret %s", id);
        return 0;
}

static void file_gc(const json_t *opts, const json_t *records)
{
        const char *dir = json_get_str(opts, "path");
        DIR *d = dir ? opendir(dir) : NULL;
        struct dirent *e;

        if (!d)
                return;
        while ((e = readdir(d)))
                if (id_ok(e->d_name) && !json_object_get(records, e->d_name))
                        (void)unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
}

const struct secret_driver secret_driver_file = {
        .name = "file",
        .default_opts = file_default_opts,
        .store = file_store,
        .lookup = file_lookup,
        .delete = file_delete,
        .gc = file_gc,
};
