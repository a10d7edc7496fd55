/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel esp encrypt|decrypt`: ESP32-C3 flash encryption as the hardware
 * (and espsecure encrypt-flash-data --aes-xts) does it, espressif.md §3:
 * XTS-AES over 128-byte data units aligned in flash, tweak = the unit's
 * flash address as a little-endian u32 followed by zeros, and each unit
 * byte-reversed before and after the standard XTS transform.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "esp.h"

#define UNIT 128u

static int xts_unit(EVP_CIPHER_CTX *c, int enc, uint32_t unit_addr, uint8_t buf[UNIT])
{
	uint8_t iv[16] = { 0 }, tmp[UNIT];
	int outl = 0;

	esp_put32(iv, unit_addr);
	for (unsigned i = 0; i < UNIT; i++)
		tmp[i] = buf[UNIT - 1 - i];
	if (EVP_CipherInit_ex(c, NULL, NULL, NULL, iv, enc) != 1 ||
	    EVP_CipherUpdate(c, buf, &outl, tmp, UNIT) != 1 || outl != (int)UNIT) {
		keel_seterr("XTS-AES failed in OpenSSL");
		return -1;
	}
	for (unsigned i = 0; i < UNIT / 2; i++) {
		uint8_t t = buf[i];

		buf[i] = buf[UNIT - 1 - i];
		buf[UNIT - 1 - i] = t;
	}
	OPENSSL_cleanse(tmp, sizeof(tmp));
	return 0;
}

/* Transforms data (len bytes meant for flash address addr) in place. */
static int esp_xts(const uint8_t *key, size_t keylen, int enc, uint32_t addr, uint8_t *data,
		   size_t len)
{
	const EVP_CIPHER *ci = keylen == 32 ? EVP_aes_128_xts() : EVP_aes_256_xts();
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t buf[UNIT];
	size_t done = 0;
	int rc = -1;

	if (!c || EVP_CipherInit_ex(c, ci, NULL, key, NULL, enc) != 1) {
		keel_seterr("OpenSSL refused the XTS key (are both halves equal?)");
		goto out;
	}
	while (done < len) {
		uint64_t a = (uint64_t)addr + done;
		uint32_t ua = (uint32_t)(a & ~(uint64_t)(UNIT - 1));
		size_t in_unit = (size_t)(a - ua), n = UNIT - in_unit;

		if (n > len - done)
			n = len - done;
		/* A partial unit is padded with zeros; XTS is per block, so the slice is exact. */
		memset(buf, 0, sizeof(buf));
		memcpy(buf + in_unit, data + done, n);
		if (xts_unit(c, enc, ua, buf))
			goto out;
		memcpy(data + done, buf + in_unit, n);
		done += n;
	}
	rc = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	EVP_CIPHER_CTX_free(c);
	return rc;
}

enum { O_KEY = 1, O_ADDR, O_OUT, O_AESXTS };

int esp_cmd_crypt(int argc, char **argv, int enc)
{
	static const struct kopt opts[] = {
		{ "keyfile", 'k', 1, O_KEY }, { "key", 0, 1, O_KEY }, { "address", 'a', 1, O_ADDR },
		{ "output", 'o', 1, O_OUT }, { "aes-xts", 'x', 0, O_AESXTS }, { NULL, 0, 0, 0 },
	};
	const char *sub = enc ? "encrypt" : "decrypt";
	const char *keyp = NULL, *in = NULL, *outp = NULL, *addrs = NULL;
	struct kopt_state st;
	struct kbuf key = { 0 }, b = { 0 };
	uint64_t addr;
	int id, rc = 1;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		switch (id) {
		case KOPT_ERR: return esp_usage(sub, "%s", keel_lasterr());
		case KOPT_POS:
			if (in)
				return esp_usage(sub, "more than one input ('%s')", st.pos);
			in = st.pos;
			break;
		case O_KEY: keyp = st.val[0]; break;
		case O_ADDR: addrs = st.val[0]; break;
		case O_OUT: outp = st.val[0]; break;
		default: break;
		}
	}
	if (!in || !keyp || !outp || !addrs)
		return esp_usage(sub, "usage: keel esp %s -k KEY --address ADDR IN -o OUT", sub);
	if (keel_parse_u64(addrs, &addr) || addr > 0xFFFFFFFFu)
		return esp_usage(sub, "bad --address '%s'", addrs);
	if (addr % 16)
		return keel_fail("esp", "%s: starting flash address 0x%llx must be a multiple of 16",
				 sub, (unsigned long long)addr);
	if (keel_read_file(keyp, &key))
		return keel_fail("esp", "%s: %s", sub, keel_lasterr());
	if (key.len != 32 && key.len != 64) {
		keel_fail("esp", "%s: %s: key file is %zu bytes; XTS-AES-128 needs 32 (K1 data key "
			  "then K2 tweak key), XTS-AES-256 64", sub, keyp, key.len);
		goto out;
	}
	if (keel_read_file(in, &b)) {
		keel_fail("esp", "%s: %s", sub, keel_lasterr());
		goto out;
	}
	if (b.len == 0 || b.len % 16) {
		keel_fail("esp", "%s: %s: length %zu is not a non-zero multiple of 16", sub, in, b.len);
		goto out;
	}
	if (addr + b.len > 0x100000000ull) {
		keel_fail("esp", "%s: %s: data runs past the 4 GiB address space", sub, in);
		goto out;
	}
	if (esp_xts(key.data, key.len, enc, (uint32_t)addr, b.data, b.len) ||
	    keel_write_file(outp, b.data, b.len, 0644)) {
		keel_fail("esp", "%s: %s", sub, keel_lasterr());
		goto out;
	}
	rc = 0;
out:
	if (key.data)
		OPENSSL_cleanse(key.data, key.len);
	kbuf_free(&key);
	kbuf_free(&b);
	return rc;
}
