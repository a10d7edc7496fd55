/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the `keel` tool's helpers: Intel HEX writer/reader, the
 * option parser, number parsing, DER signature lengths and the key module
 * (types, getpub byte counts, sign/verify and its failure on any change).
 * usage: unit_tool VECTORS_DIR
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexfile.h"
#include "keys.h"
#include "util.h"

static int failures, checks;

__attribute__((format(printf, 2, 3))) static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	checks++;
	if (ok)
		return;
	failures++;
	fprintf(stderr, "FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

static void test_hex_roundtrip(void)
{
	for (int round = 0; round < 200; round++) {
		uint8_t data[3][300];
		struct keel_hex_seg segs[3];
		struct kbuf text = { 0 }, bin = { 0 };
		uint32_t addr = (rnd() % 0x30000) + (round % 2 ? 0xfff0 : 0), base = 0, lo;
		size_t n = 1 + rnd() % 3, i, j;

		for (i = 0; i < n; i++) {
			segs[i].addr = addr;
			segs[i].len = 1 + rnd() % sizeof(data[i]);
			for (j = 0; j < segs[i].len; j++)
				data[i][j] = (uint8_t)rnd();
			segs[i].data = data[i];
			addr += (uint32_t)segs[i].len + rnd() % 40;
		}
		lo = segs[0].addr;
		check(keel_hex_write(&text, segs, n) == 0, "hex write round %d", round);
		check(keel_hex_read(text.data, text.len, &bin, &base, "t") == 0, "hex read round %d: %s",
		      round, keel_lasterr());
		check(base == lo, "hex base 0x%x, want 0x%x", base, lo);
		check(bin.len == segs[n - 1].addr + segs[n - 1].len - lo, "hex length");
		for (i = 0; i < n && bin.len; i++)
			check(memcmp(bin.data + segs[i].addr - lo, segs[i].data, segs[i].len) == 0,
			      "hex segment %zu data", i);
		for (i = 0; i + 1 < n && bin.len; i++)
			for (j = segs[i].addr + segs[i].len; j < segs[i + 1].addr; j++)
				check(bin.data[j - lo] == 0xff, "hex gap byte not 0xff");
		kbuf_free(&text);
		kbuf_free(&bin);
	}
}

static void test_hex_bad(void)
{
	static const char *bad[] = {
		":0100000000FE\n:00000001FF\n",        /* checksum */
		":01000000000\n",                      /* odd length */
		":02000000000000\n",                   /* count says 2, checksum wrong */
		":0100000G00FF\n",                     /* not hex */
		"0100000000FF\n",                      /* no colon */
		":00000001FF\n",                       /* no data */
		":0100000700F8\n",                     /* record type 7 */
	};
	struct kbuf bin = { 0 };
	uint32_t base;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(keel_hex_read((const uint8_t *)bad[i], strlen(bad[i]), &bin, &base, "t") != 0,
		      "bad hex #%zu accepted", i);
	check(keel_hex_read((const uint8_t *)":0100000055AA\n:00000001FF\n", 26, &bin, &base, "t") == 0 &&
	      bin.len == 1 && bin.data[0] == 0x55, "one-byte hex");
	kbuf_free(&bin);
}

static void test_kopt(void)
{
	static const struct kopt o[] = {
		{ "alpha", 'a', 1, 1 }, { "beta", 'b', 0, 2 }, { "pair", 0, 2, 3 }, { NULL, 0, 0, 0 },
	};
	char *argv[] = { "cmd", "x", "--alpha=1", "-a2", "-a", "3", "--pair", "p", "q", "-b",
			 "--", "-b", NULL };
	const char *want[] = { "x", "1", "2", "3", "p", NULL, "-b" };
	int ids[] = { 0, 1, 1, 1, 3, 2, 0 };
	struct kopt_state st;
	int id, k = 0;

	kopt_init(&st, 12, argv);
	while ((id = kopt_next(&st, o)) != KOPT_END && k < 7) {
		const char *got = id == KOPT_POS ? st.pos : st.val[0];

		check(id == ids[k], "kopt #%d id %d, want %d", k, id, ids[k]);
		check((!got && !want[k]) || (got && want[k] && strcmp(got, want[k]) == 0),
		      "kopt #%d value", k);
		if (id == 3)
			check(st.val[1] && strcmp(st.val[1], "q") == 0, "kopt second value");
		k++;
	}
	check(k == 7 && id == KOPT_END, "kopt: %d arguments, then id %d", k, id);
	char *bad1[] = { "cmd", "--gamma", NULL }, *bad2[] = { "cmd", "--alpha", NULL },
	     *bad3[] = { "cmd", "--beta=1", NULL }, *bad4[] = { "cmd", "--pair", "p", NULL };
	char **bads[] = { bad1, bad2, bad3, bad4 };
	int argcs[] = { 2, 2, 2, 3 };

	for (int i = 0; i < 4; i++) {
		kopt_init(&st, argcs[i], bads[i]);
		check(kopt_next(&st, o) == KOPT_ERR, "kopt bad #%d accepted", i);
	}
}

static void test_numbers(void)
{
	static const struct { const char *s; int ok; uint64_t v; } t[] = {
		{ "0", 1, 0 }, { "42", 1, 42 }, { "0x1F", 1, 31 }, { "0b101", 1, 5 }, { "0o17", 1, 15 },
		{ "017", 1, 15 }, { "18446744073709551615", 1, UINT64_MAX },
		{ "18446744073709551616", 0, 0 }, { "", 0, 0 }, { "-1", 0, 0 }, { "+1", 0, 0 },
		{ " 1", 0, 0 }, { "1 ", 0, 0 }, { "0x", 0, 0 }, { "0b2", 0, 0 }, { "0b-1", 0, 0 },
		{ "12a", 0, 0 },
	};
	uint32_t v32;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 0;
		int ok = keel_parse_u64(t[i].s, &v) == 0;

		check(ok == t[i].ok && (!ok || v == t[i].v), "parse_u64('%s')", t[i].s);
	}
	check(keel_parse_u32("0xffffffff", &v32) == 0 && v32 == 0xffffffffu, "u32 max");
	check(keel_parse_u32("0x100000000", &v32) != 0, "u32 overflow accepted");
}

static void test_der(void)
{
	uint8_t s[80] = { 0x30, 0x44 };

	check(keel_der_sig_len(s, 70) == 70, "DER 70");
	check(keel_der_sig_len(s, 72) == 70, "DER 70 in a padded 72");
	check(keel_der_sig_len(s, 69) == 0, "DER truncated");
	s[0] = 0x31;
	check(keel_der_sig_len(s, 70) == 0, "DER wrong tag");
	s[0] = 0x30;
	s[1] = 0x81;
	s[2] = 0x65;
	check(keel_der_sig_len(s, 80) == 0, "DER long form past the end");
	s[2] = 0x4c;
	check(keel_der_sig_len(s, 80) == 0, "DER non-minimal long form");
}

static void test_keys(const char *dir)
{
	static const struct { const char *file; enum keel_keytype t; size_t der; int priv; } k[] = {
		{ "key-ec-p256.pem", KEEL_KT_ECDSA_P256, 91, 1 },
		{ "key-ec-p384.pem", KEEL_KT_ECDSA_P384, 120, 1 },
		{ "key-ed25519.pem", KEEL_KT_ED25519, 44, 1 },
		{ "key-rsa2048.pem", KEEL_KT_RSA2048, 270, 1 },
		{ "enc-x25519.pem", KEEL_KT_X25519, 44, 1 },
		{ "enc-ec256-pub.pem", KEEL_KT_ECDSA_P256, 91, 0 },
		{ "enc-rsa2048-pub.pem", KEEL_KT_RSA2048, 270, 0 },
	};
	char path[1024];
	uint8_t msg[64], h[64];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		struct keel_key key;
		struct kbuf der = { 0 }, sig = { 0 };
		size_t mlen = k[i].t == KEEL_KT_ECDSA_P384 ? 48 : 32;

		snprintf(path, sizeof(path), "%s/%s", dir, k[i].file);
		if (keel_key_load(&key, path, NULL)) {
			check(0, "load %s: %s", path, keel_lasterr());
			continue;
		}
		check(key.type == k[i].t, "%s: type %s", k[i].file, keel_keytype_name(key.type));
		check(key.has_private == k[i].priv, "%s: private %d", k[i].file, key.has_private);
		check(keel_key_pub_der(&key, &der) == 0 && der.len == k[i].der, "%s: getpub %zu bytes",
		      k[i].file, der.len);
		check(keel_key_pub_hash(&key, KEEL_HASH_SHA512, h) == 64, "%s: SHA-512 key hash",
		      k[i].file);
		if (k[i].priv && k[i].t != KEEL_KT_X25519) {
			check(keel_key_sign(&key, msg, mlen, &sig) == 0, "%s: sign", k[i].file);
			check(keel_key_verify(&key, msg, mlen, sig.data, sig.len) == 0, "%s: verify",
			      k[i].file);
			msg[3] ^= 1;
			check(keel_key_verify(&key, msg, mlen, sig.data, sig.len) != 0,
			      "%s: verify of a changed message passed", k[i].file);
			msg[3] ^= 1;
			sig.data[sig.len - 1] ^= 0x80;
			check(keel_key_verify(&key, msg, mlen, sig.data, sig.len) != 0,
			      "%s: verify of a changed signature passed", k[i].file);
		}
		if (k[i].t == KEEL_KT_X25519)
			check(keel_key_sign(&key, msg, 32, &sig) != 0, "x25519 signed");
		if (!k[i].priv)
			check(keel_key_sign(&key, msg, 32, &sig) != 0, "%s: public key signed", k[i].file);
		kbuf_free(&der);
		kbuf_free(&sig);
		keel_key_free(&key);
	}
	snprintf(path, sizeof(path), "%s/app.bin", dir);
	{
		struct keel_key key;

		check(keel_key_load(&key, path, NULL) != 0 && strstr(keel_lasterr(), "not a PEM or DER"),
		      "random bytes loaded as a key: %s", keel_lasterr());
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: unit_tool VECTORS_DIR\n");
		return 2;
	}
	test_hex_roundtrip();
	test_hex_bad();
	test_kopt();
	test_numbers();
	test_der();
	test_keys(argv[1]);
	printf("unit_tool: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
