/* SPDX-License-Identifier: Apache-2.0 */
/* Every command table, and the root command's list of them. */
#ifndef CPOD_CLI_COMMANDS_H
#define CPOD_CLI_COMMANDS_H

#include "cli/cli.h"

/* cmd-system.c */
extern const struct cli_cmd cmd_version, cmd_info, cmd_help, cmd_completion, cmd_system;

#define ROOT_COMMANDS CMD_LIST(&cmd_completion, &cmd_help, &cmd_info, &cmd_system, &cmd_version)

#endif
