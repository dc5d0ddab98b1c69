/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper: print the OCI linux.seccomp object cpod generates.
 *
 *   seccomp-gen [--arch ARCH] [--caps LIST|default] [--cap-add LIST]
 *               [--cap-drop LIST] [--privileged] PROFILE
 *
 * LISTs are comma separated; "default" is podman's default capability set.
 * The capabilities go through caps_compute() as containers.conf defaults.
 * Exit 0 and the JSON on stdout, or 1 and the error on stderr.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctr/caps.h"
#include "ctr/seccomp.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"

static const char default_caps[] =
        "CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,NET_BIND_SERVICE,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT";

int main(int argc, char **argv)
{
        static const struct option opts[] = {
                { "arch", required_argument, NULL, 'a' },    { "caps", required_argument, NULL, 'c' },
                { "cap-add", required_argument, NULL, 'A' }, { "cap-drop", required_argument, NULL, 'D' },
                { "privileged", no_argument, NULL, 'p' },    { NULL, 0, NULL, 0 },
        };
        _cleanup_strv_ char **defaults = NULL, **add = NULL, **drop = NULL, **caps = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        const char *arch = NULL;
        bool privileged = false;
        _cleanup_json_ json_t *j = NULL;
        _cleanup_free_ char *out = NULL;
        int c;

        while ((c = getopt_long(argc, argv, "a:c:A:D:p", opts, NULL)) != -1) {
                switch (c) {
                case 'a':
                        arch = optarg;
                        break;
                case 'c':
                        strv_free(defaults);
                        defaults = strv_split(strcmp(optarg, "default") == 0 ? default_caps : optarg, ",");
                        break;
                case 'A':
                        strv_free(add);
                        add = strv_split(optarg, ",");
                        break;
                case 'D':
                        strv_free(drop);
                        drop = strv_split(optarg, ",");
                        break;
                case 'p':
                        privileged = true;
                        break;
                default:
                        fprintf(stderr, "usage: seccomp-gen [--arch A] [--caps L] [--cap-add L] [--cap-drop L] "
                                        "[--privileged] PROFILE\n");
                        return 2;
                }
        }
        if (optind != argc - 1) {
                fprintf(stderr, "seccomp-gen: need exactly one PROFILE\n");
                return 2;
        }
        if (caps_compute(defaults, add, drop, privileged, &caps, &err) < 0 ||
            !(j = seccomp_profile_for(argv[optind], caps, arch, &err))) {
                fprintf(stderr, "Error: %s\n", cpod_error_msg(&err));
                cpod_error_clear(&err);
                return 1;
        }
        out = json_dump_compact(j);
        puts(out);
        return 0;
}
