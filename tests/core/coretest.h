/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Support for the core's unit tests: images signed with OpenSSL (host test
 * code only; the boot path runs on Keel's crypto), a simulated flash
 * (ports/sim/simflash, the same fault models as the simulator), a test
 * port, and a boot runner that survives power cuts by longjmp.
 */
#ifndef KEEL_CORETEST_H
#define KEEL_CORETEST_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include "keel/boot.h"
#include "keel/bootctl.h"
#include "simflash.h"

extern int ct_failures;
#define CT_CHECK(cond, ...)                                                          \
	do {                                                                         \
		if (!(cond)) {                                                       \
			ct_failures++;                                               \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);        \
			fprintf(stderr, __VA_ARGS__);                                \
			fputc('\n', stderr);                                         \
		}                                                                    \
	} while (0)

/* Path under $KEEL_SHARED/vectors/imgtool; exits with a message if unset. */
const char *ct_vector(const char *name);
/* Reads a whole file; exits on error. */
uint8_t *ct_read_file(const char *path, size_t *len);

/* A signing key loaded from PEM, plus the DER blob keel-boot embeds. */
struct ct_key {
	void *pkey;                   /* EVP_PKEY */
	uint8_t der[600];
	size_t der_len;
	struct keel_pubkey pub;
};
void ct_key_load(struct ct_key *k, const char *pem_path);
/* Private scalar of an encryption key (P-256 or X25519). */
void ct_enc_priv(const char *pem_path, uint8_t out[32]);

/* What to put in a test image. */
struct ct_image_opts {
	uint8_t major, minor;
	uint16_t rev;
	uint32_t build;
	uint32_t payload_len;
	uint32_t seed;                /* payload bytes are a function of seed */
	int sec_cnt;                  /* -1: no SEC_CNT TLV */
	uint32_t flags;               /* ih_flags */
	uint32_t load_addr;
	int n_deps;
	uint8_t dep_id[2];
	uint8_t dep_ver[2][3];
};
/* Builds a signed image (Ed25519 or ECDSA key); returns its length. */
uint32_t ct_build_image(uint8_t *out, uint32_t cap, const struct ct_image_opts *o,
			const struct ct_key *key);

/* ------------------------------------------------------------ environment */

struct ct_geom {
	const char *name;
	uint32_t sector;              /* uniform sector size, or 0 for the mixed map */
	uint16_t write_size;
	uint8_t erased;
	uint32_t pri_sectors;         /* uniform only */
};

struct ct_env {
	struct simflash *sf;
	struct keel_boot_config cfg;
	struct keel_port port;
	struct ct_key *key;
	char log[16384];
	size_t log_len;
	jmp_buf jb;
	int jb_armed;
	/* Armed after the first cut, `second.at_op` ops into the recovery. */
	struct simflash_fault second;
};

/* Lays out flash for a strategy on a geometry; 1 image (or 2 with images=2). */
void ct_env_init(struct ct_env *e, enum keel_strategy s, const struct ct_geom *g, int images,
		 struct ct_key *key);
void ct_env_free(struct ct_env *e);

/* The currently running test env (the console callback writes its log). */
extern struct ct_env *ct_cur;
extern uint32_t ct_nv[2];
extern uint32_t ct_nv_capacity;
extern uint64_t ct_feeds;

/* Writes an image as a flash programmer would (outside the op count). */
void ct_put(struct ct_env *e, const struct keel_area *a, uint32_t off, const uint8_t *img,
	    uint32_t len);
struct keel_bootctl ct_ctl(struct ct_env *e, uint32_t image);

/*
 * Runs keel_boot; returns its result, or 1 if power was cut during it
 * (the flash is powered on again and disarmed).
 */
int ct_boot(struct ct_env *e, struct keel_boot_result *res);
/* Boots until a boot completes; returns keel_boot's return value. */
int ct_boot_done(struct ct_env *e, struct keel_boot_result *res);

/* 1 if [0, len) of the area equals img. */
int ct_holds(struct ct_env *e, const struct keel_area *a, uint32_t off, const uint8_t *img,
	     uint32_t len);

#endif
