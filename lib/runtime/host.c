/* SPDX-License-Identifier: Apache-2.0 */
#include <linux/magic.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "runtime/runtime-internal.h"
#include "util/fileutil.h"

enum cpod_cgroup_mode host_cgroup_mode(void)
{
        struct statfs fs;

        if (statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
                return CPOD_CGROUP_V2;
        if (statfs("/sys/fs/cgroup/unified", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
                return CPOD_CGROUP_HYBRID;
        return CPOD_CGROUP_V1;
}

bool host_has_systemd(void)
{
        struct stat st;

        /* The check sd_booted() does. */
        return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

char *host_boot_id(void)
{
        return read_line_file("/proc/sys/kernel/random/boot_id");
}
