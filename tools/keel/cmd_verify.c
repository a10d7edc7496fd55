/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel verify -k KEY IMAGE [--sha auto|256|384|512] [--enc-key PRIVKEY]`
 *
 * Exit status: 0 = every check passed ("Image was correctly validated",
 * as imgtool prints it); 1 = a check failed, the message names it;
 * 2 = the payload is encrypted and no --enc-key was given, so everything
 * but the hash over the plaintext was checked (the output says what).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel.h"
#include "keys.h"
#include "util.h"
#include "verify_core.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: keel verify -k KEY IMAGE [--sha auto|256|384|512] [--enc-key PRIVKEY]\n"
		"\n"
		"Checks an image's header and TLV structure, its hash TLV (over header,\n"
		"payload and protected TLVs), that KEYHASH (or PUBKEY) names KEY, and the\n"
		"signature. KEY may be the private or the public key (PEM or DER).\n"
		"\n"
		"  -k, --key KEY         signing key the image must carry\n"
		"      --sha ALG         expect this image hash (default: what the image has)\n"
		"      --enc-key KEY     device private key of an encrypted image: the\n"
		"                        payload is decrypted and the hash checked\n"
		"      --password PASS   password of an encrypted PEM key\n"
		"  -h, --help            this text\n"
		"\n"
		"Exit status: 0 valid; 1 invalid (the message says which check failed);\n"
		"2 encrypted image without --enc-key: the signature over the stored hash\n"
		"was checked, the hash itself could not be.\n");
}

static int parse_sha(const char *s, int *out)
{
	if (!strcmp(s, "auto"))
		*out = 0;
	else if (!strcmp(s, "256") || !strcmp(s, "384") || !strcmp(s, "512"))
		*out = atoi(s);
	else
		return -1;
	return 0;
}

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static int report(const char *path, int rc, const struct verify_result *r,
		  const uint8_t *img)
{
	const struct keel_version *v = &r->lay.hdr.ver;

	if (rc < 0)
		return keel_fail("verify", "%s: %s", path, r->msg);
	if (rc == 0) {
		printf("Image was correctly validated\n");
		printf("Image version: %u.%u.%u+%u\n", v->major, v->minor, v->revision, v->build);
		printf("Image digest: ");
		print_hex(r->digest, r->hash_len);
		printf("Checked: %s\n", r->msg + strlen("checked: "));
		return 0;
	}
	printf("Image was NOT fully validated: %s\n", r->msg);
	printf("Image version: %u.%u.%u+%u\n", v->major, v->minor, v->revision, v->build);
	return 2;
}

int cmd_verify(int argc, char **argv)
{
	const char *key_path = NULL, *enc_path = NULL, *img_path = NULL, *password = NULL;
	struct keel_key key = { 0 }, enc = { 0 };
	struct verify_opts o = { 0 };
	struct verify_result r;
	struct kbuf img = { 0 };
	int rc = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		const char *sha = NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "-k") || !strcmp(a, "--key"))
			slot = &key_path;
		else if (!strcmp(a, "--enc-key"))
			slot = &enc_path;
		else if (!strcmp(a, "--password"))
			slot = &password;
		else if (!strcmp(a, "--sha"))
			slot = &sha;
		if (slot) {
			if (i + 1 >= argc)
				return keel_fail("verify", "option %s needs a value", a);
			*slot = argv[++i];
			if (sha && parse_sha(sha, &o.want_sha))
				return keel_fail("verify", "--sha must be auto, 256, 384 or 512, not "
						 "'%s'", sha);
			continue;
		}
		if (a[0] == '-' && a[1])
			return keel_fail("verify", "unknown option '%s' (see keel verify --help)", a);
		if (img_path)
			return keel_fail("verify", "more than one image given ('%s', '%s')", img_path,
					 a);
		img_path = a;
	}
	if (!key_path)
		return keel_fail("verify", "no key given (-k KEY)");
	if (!img_path)
		return keel_fail("verify", "no image given (usage: keel verify -k KEY IMAGE)");

	if (keel_key_load(&key, key_path, password)) {
		keel_fail_last("verify");
		goto out;
	}
	if (key.type == KEEL_KT_X25519) {
		keel_fail("verify", "%s: an x25519 key cannot sign images; give the signing key",
			  key_path);
		goto out;
	}
	if (enc_path && keel_key_load(&enc, enc_path, password)) {
		keel_fail_last("verify");
		goto out;
	}
	if (keel_read_file(img_path, &img)) {
		keel_fail_last("verify");
		goto out;
	}
	o.key = &key;
	o.enc_key = enc_path ? &enc : NULL;
	rc = report(img_path, verify_image(img.data, img.len, &o, &r), &r, img.data);
out:
	keel_key_free(&key);
	keel_key_free(&enc);
	kbuf_free(&img);
	return rc;
}
