/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `keel` host tool: one handler per command, dispatched by main.c.
 *
 * Contract for every handler:
 *  - argv[0] is the command name ("sign"), argv[1..argc-1] its arguments;
 *  - returns the process exit status: 0 success, 1 failure (after printing
 *    exactly one line "keel: <cmd>: <what is wrong>" on stderr, see util.h),
 *    2 for a usage error (also one line);
 *  - never leaves a partial output file (write with keel_write_file());
 *  - `keel CMD --help` / `-h` is answered by main.c from the command table,
 *    so handlers need not look for --help themselves.
 */
#ifndef KEEL_TOOL_KEEL_H
#define KEEL_TOOL_KEEL_H

int cmd_keygen(int argc, char **argv);
int cmd_getpub(int argc, char **argv);
int cmd_getpubhash(int argc, char **argv);
int cmd_getpriv(int argc, char **argv);
int cmd_keyinfo(int argc, char **argv);
int cmd_sign(int argc, char **argv);
/* Provided by tools/keel/cmd_verify.c and cmd_dumpinfo.c. */
int cmd_verify(int argc, char **argv);
int cmd_dumpinfo(int argc, char **argv);
/* tools/keel/cmd_serial.c: the SMP client. */
int cmd_serial(int argc, char **argv);
/* tools/keel/esp_main.c: Espressif ESP32-C3 formats (keel esp SUBCOMMAND). */
int cmd_esp(int argc, char **argv);

/* The password for a key: KEEL_PASSWORD if set, else asked on the terminal. */
char *keel_get_password(const char *prompt, int confirm);

struct keel_key;
/* Loads a key file; asks for the password (keel_get_password) only if it is encrypted. */
int keel_load_key_cli(struct keel_key *k, const char *path);

#endif
