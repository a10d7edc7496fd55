/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for the simulator-based suites (power-loss matrix, hostile images,
 * imgtool vectors): a scratch folder, files, and running the built `keel`
 * tool to make keys and signed images.
 */
#ifndef KEEL_PF_TOOL_H
#define KEEL_PF_TOOL_H

#include <stddef.h>
#include <stdint.h>

struct pf_buf {
	uint8_t *data;
	uint32_t len;
};

/* A fresh folder under $TMPDIR (or /tmp), removed by pf_workdir_cleanup. */
const char *pf_workdir(const char *tag);
void pf_workdir_cleanup(void);

/* Path of the built keel tool ($KEEL_BUILD/tools/keel/keel or $KEEL_TOOL). */
const char *pf_keel(void);

/* Runs a shell command; prints it and its output on failure. 0 or -1. */
int pf_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int pf_read(const char *path, struct pf_buf *b);
int pf_write(const char *path, const void *data, size_t len);
void pf_buf_free(struct pf_buf *b);

/* Deterministic payload bytes (seeded), the way the tests make "firmware". */
void pf_fill(uint8_t *p, size_t n, uint64_t seed);

/* $KEEL_SHARED or ../shared next to the source tree. */
const char *pf_shared(void);

#endif
