/* SPDX-License-Identifier: Apache-2.0 */
#include "image/registries.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/toml.h"
#include "util/xalloc.h"

static int read_search(const char *path, char ***search, cpod_error_t *err)
{
        _cleanup_json_ json_t *doc = cpod_toml_parse_file(path, err);
        json_t *v, *e;
        size_t i;

        if (!doc)
                return -EINVAL;
        v = json_object_get(doc, "unqualified-search-registries");
        if (!v)
                return 0;
        if (!json_is_array(v))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "%s: unqualified-search-registries must be an array of strings", path);
        *search = strv_free(*search);
        *search = xnew0(char *, 1);
        json_array_foreach (v, i, e)
                if (json_is_string(e))
                        strv_add(search, json_string_value(e));
        return 0;
}

static int cmpstr(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int registries_search(char ***ret, cpod_error_t *err)
{
        const char *env = getenv("CONTAINERS_REGISTRIES_CONF");
        const char *main_conf = env && *env ? env : "/etc/containers/registries.conf";
        _cleanup_strv_ char **search = xnew0(char *, 1), **dropins = NULL;
        DIR *d;
        struct dirent *de;

        if (path_exists(main_conf) && read_search(main_conf, &search, err) < 0)
                return -EINVAL;
        d = opendir("/etc/containers/registries.conf.d");
        while (d && (de = readdir(d))) {
                size_t l = strlen(de->d_name);
                if (de->d_name[0] != '.' && l > 5 && strcmp(de->d_name + l - 5, ".conf") == 0)
                        strv_take(&dropins, path_join("/etc/containers/registries.conf.d", de->d_name));
        }
        if (d)
                closedir(d);
        if (dropins)
                qsort(dropins, strv_length(dropins), sizeof(char *), cmpstr);
        for (size_t i = 0; dropins && dropins[i]; i++)
                if (read_search(dropins[i], &search, err) < 0)
                        return -EINVAL;
        *ret = TAKE_PTR(search);
        return 0;
}
