/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: a sequence of SMP requests to keel-boot's serial
 * recovery server on a simulated flash. Whatever arrives, the server never
 * crashes, never breaks the flash rules (simflash counts violations) and
 * never changes a byte outside the two slots, whose neighbours are guard
 * sectors here.
 *
 * Input: repeated [u16 length][packet bytes]; the first byte of each
 * packet is forced to a request op half of the time so the fuzzer reaches
 * the handlers quickly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keel/recovery.h"
#include "simflash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECTOR 1024u
/* guard | primary 8 | secondary 9 | guard */
static const struct simflash_geom geom = {
	.size = 19 * SECTOR, .write_size = 4, .erased_val = 0xff, .n_runs = 1,
	.runs = { { 19, SECTOR } },
};

/* An Ed25519 SubjectPublicKeyInfo; no fuzz input will be signed by it. */
static const uint8_t pub_der[44] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
	0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3,
	0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25,
	0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,
};

static void console(const void *buf, size_t len)
{
	(void)buf;
	(void)len;
}

static void no_reset(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct keel_recovery rec;
	static uint8_t rsp[KEEL_RECOVERY_TX];
	struct simflash *sf = simflash_new(&geom);
	struct keel_pubkey key;
	struct keel_boot_config cfg;
	struct keel_recovery_config rcfg;
	struct keel_port port = { .console_write = console, .reset = no_reset };
	uint8_t *before;

	if (!sf || keel_pubkey_parse(&key, pub_der, sizeof(pub_der)))
		abort();
	memset(&cfg, 0, sizeof(cfg));
	cfg.strategy = KEEL_STRATEGY_SWAP_OFFSET;
	cfg.n_images = 1;
	cfg.images[0].primary = (struct keel_area){ simflash_dev(sf), SECTOR, 8 * SECTOR, 0 };
	cfg.images[0].secondary = (struct keel_area){ simflash_dev(sf), 9 * SECTOR, 9 * SECTOR, 1 };
	cfg.keys = &key;
	cfg.n_keys = 1;
	cfg.hash_alg = KEEL_HASH_SHA256;
	rcfg = (struct keel_recovery_config){ &cfg, &port, 0 };
	keel_recovery_init(&rec, &rcfg);
	before = malloc(geom.size);
	memcpy(before, simflash_mem(sf), geom.size);

	while (size >= 2) {
		size_t n = (size_t)(data[0] | data[1] << 8) % 1100;
		uint8_t pkt[1100];

		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		memcpy(pkt, data, n);
		if (n && (n & 1))
			pkt[0] = (uint8_t)((pkt[0] & ~7u) | (pkt[0] & 1 ? 2 : 0));
		keel_recovery_handle(&rec, pkt, n, rsp, sizeof(rsp));
		data += n;
		size -= n;
	}
	if (simflash_violations(sf))
		abort();
	if (memcmp(before, simflash_mem(sf), SECTOR) ||
	    memcmp(before + 18 * SECTOR, simflash_mem(sf) + 18 * SECTOR, SECTOR))
		abort();
	free(before);
	simflash_free(sf);
	return 0;
}
