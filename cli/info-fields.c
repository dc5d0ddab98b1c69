/* SPDX-License-Identifier: Apache-2.0 */
/*
 * podman's `info --format` templates see Go struct fields ({{.Host.Arch}},
 * {{.Store.GraphRoot}}), not the JSON keys of `info --format json`.  This
 * renames keys recursively to the Go names: the first letter upper-cased,
 * plus the fields whose Go name differs more.
 */
#include <ctype.h>
#include <string.h>

#include "cli/info-fields.h"
#include "util/xalloc.h"

static const char *const renames[][2] = {
        { "ociRuntime", "OCIRuntime" },
        { "cgroupVersion", "CgroupsVersion" },
        { "cpus", "CPUs" },
        { "idMappings", "IDMappings" },
        { "os", "OS" },
        { "seccompEnabled", "SECCOMPEnabled" },
        { "seccompProfilePath", "SECCOMPProfilePath" },
        { "selinuxEnabled", "SELinuxEnabled" },
        { "apparmorEnabled", "AppArmorEnabled" },
        { "capabilities", "DefaultCapabilities" },
        { "graphRootAllocated", "GraphRootAllocated" },
        { "imageCopyTmpDir", "ImageCopyTmpDir" },
};

static char *go_name(const char *key)
{
        char *s;

        for (size_t i = 0; i < sizeof(renames) / sizeof(renames[0]); i++)
                if (strcmp(key, renames[i][0]) == 0)
                        return xstrdup(renames[i][1]);
        s = xstrdup(key);
        s[0] = (char)toupper((unsigned char)s[0]);
        return s;
}

json_t *info_go_fields(json_t *j)
{
        const char *k;
        json_t *v, *o;
        size_t i;

        if (json_is_array(j)) {
                o = json_array();
                json_array_foreach(j, i, v)
                        json_array_append_new(o, info_go_fields(v));
                return o;
        }
        if (!json_is_object(j))
                return json_incref(j);
        o = json_object();
        json_object_foreach(j, k, v) {
                char *n = go_name(k);
                json_object_set_new(o, n, info_go_fields(v));
                free(n);
        }
        return o;
}
