/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-sim's layout file: a text file of `name = value` lines ('#' starts a
 * comment). docs/keel-sim.md and `keel-sim help config` describe every name;
 * ports/sim/keel-sim.conf.example is a complete example.
 *
 * Sizes and offsets accept decimal, 0x hex, and K/M suffixes (KiB/MiB).
 * Paths are relative to the folder holding the layout file.
 */
#ifndef KEEL_SIMCONF_H
#define KEEL_SIMCONF_H

#include <stdint.h>

#include "simflash.h"

#define SIMCONF_PATH 1024
#define SIMCONF_MAX_KEYS 8

struct simconf_area {
	uint32_t off;
	uint32_t size;
	int set;
};

struct simconf {
	char dir[SIMCONF_PATH];              /* folder of the layout file */
	char path[SIMCONF_PATH];             /* the layout file itself */
	struct simflash_geom geom;
	char flash_file[SIMCONF_PATH];
	char strategy[32];                   /* swap-offset, swap-move, swap-scratch, overwrite */
	unsigned images;                     /* 1 or 2 */
	struct simconf_area primary[2];
	struct simconf_area secondary[2];
	struct simconf_area scratch;
	unsigned n_keys;
	char keys[SIMCONF_MAX_KEYS][SIMCONF_PATH];
	char enc_key[SIMCONF_PATH];          /* device private key, "" if none */
	char nv_file[SIMCONF_PATH];          /* "" = no NV counter */
	uint32_t nv_capacity;
	uint32_t max_align;                  /* trailer alignment; 0 = max(8, write size) */
	int validate_primary;                /* re-verify the primary on every boot */
	int downgrade_version;               /* refuse lower versions */
	int downgrade_sec_cnt;               /* refuse lower security counters */
	int require_sec_cnt;                 /* images without SEC_CNT are refused */
	char console[SIMCONF_PATH];          /* "" = stdout; "pty" or "unix:PATH" */
	uint32_t detect_window_ms;           /* serial recovery listens this long at boot */
	unsigned hash_bits;                  /* image hash TLV: 256 or 512 */
	uint32_t max_sectors;                /* swap status sized for this many sectors; 0 = slot's */
};

/* Reads and checks path; on error prints "keel-sim: FILE:LINE: what" and returns -1. */
int simconf_load(struct simconf *c, const char *path);
/* Fills defaults (called by simconf_load first). */
void simconf_defaults(struct simconf *c);
/* Writes c back as a commented layout file. 0 or -1. */
int simconf_write(const struct simconf *c, const char *path);
/* Absolute path for a value relative to the layout folder (static buffer per call slot). */
const char *simconf_abspath(const struct simconf *c, const char *rel, char *out, unsigned out_len);
/* Parses "123", "0x10", "4K", "1M"; 0 or -1. */
int simconf_parse_size(const char *s, uint32_t *out);
/* Parses runs like "4x16K,1x64K,7x128K" (also "4 x 16K"). 0 or -1 with why set. */
int simconf_parse_runs(const char *s, struct simflash_geom *g, char *why, unsigned why_len);
/* Prints the format description. */
void simconf_help(void);

#endif
