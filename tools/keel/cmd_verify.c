/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel verify -k KEY IMAGE [--sha auto|256|384|512] [--enc-key PRIVKEY]`
 *
 * Exit status: 0 = every check passed ("Image was correctly validated",
 * as imgtool prints it); 1 = a check failed, the message names it;
 * 2 = usage error; 3 = the payload is encrypted and no --enc-key was
 * given, so everything but the hash over the plaintext was checked (the
 * output says what). An encrypted key file asks for its password
 * (KEEL_PASSWORD or the terminal).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keel.h"
#include "keys.h"
#include "hexfile.h"
#include "util.h"
#include "verify_core.h"

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

static int report(const char *path, int rc, const struct verify_result *r)
{
	const struct keel_version *v = &r->lay.hdr.ver;

	if (rc < 0)
		return keel_fail("verify", "%s: %s", path, r->msg);
	if (rc == 0) {
		printf("Image was correctly validated\n");
		printf("Image version: %u.%u.%u+%u\n", v->major, v->minor, v->revision, v->build);
		printf("Image digest: ");
		print_hex(r->digest, r->hash_len);
		printf("Checked: %s\n", r->msg);
		return 0;
	}
	printf("Image was NOT fully validated: %s\n", r->msg);
	printf("Image version: %u.%u.%u+%u\n", v->major, v->minor, v->revision, v->build);
	return 3;
}

enum { O_KEY = 1, O_ENC_KEY, O_SHA };
#define USAGE_ERR 2

int cmd_verify(int argc, char **argv)
{
	static const struct kopt opts[] = {
		{ "key", 'k', 1, O_KEY }, { "enc-key", 0, 1, O_ENC_KEY }, { "sha", 0, 1, O_SHA },
		{ NULL, 0, 0, 0 },
	};
	struct kopt_state st;
	int id;
	const char *key_path = NULL, *enc_path = NULL, *img_path = NULL;
	struct keel_key key = { 0 }, enc = { 0 };
	struct verify_opts o = { 0 };
	struct verify_result r;
	struct kbuf img = { 0 };
	int rc = 1;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		switch (id) {
		case O_KEY: key_path = st.val[0]; break;
		case O_ENC_KEY: enc_path = st.val[0]; break;
		case O_SHA:
			if (parse_sha(st.val[0], &o.want_sha)) {
				keel_fail("verify", "--sha must be auto, 256, 384 or 512, not '%s'",
					  st.val[0]);
				return USAGE_ERR;
			}
			break;
		case KOPT_POS:
			if (img_path) {
				keel_fail("verify", "more than one image given ('%s', '%s')", img_path,
					  st.pos);
				return USAGE_ERR;
			}
			img_path = st.pos;
			break;
		default:
			keel_fail_last("verify");
			return USAGE_ERR;
		}
	}
	if (!key_path || !img_path) {
		keel_fail("verify", "no %s given (usage: keel verify -k KEY IMAGE)",
			  key_path ? "image" : "key");
		return USAGE_ERR;
	}

	if (keel_load_key_cli(&key, key_path)) {
		keel_fail_last("verify");
		goto out;
	}
	if (key.type == KEEL_KT_X25519) {
		keel_fail("verify", "%s: an x25519 key cannot sign images; give the signing key",
			  key_path);
		goto out;
	}
	if (enc_path && keel_load_key_cli(&enc, enc_path)) {
		keel_fail_last("verify");
		goto out;
	}
	if (keel_read_image_file(img_path, &img)) {
		keel_fail_last("verify");
		goto out;
	}
	o.key = &key;
	o.enc_key = enc_path ? &enc : NULL;
	rc = report(img_path, verify_image(img.data, img.len, &o, &r), &r);
out:
	keel_key_free(&key);
	keel_key_free(&enc);
	kbuf_free(&img);
	return rc;
}
