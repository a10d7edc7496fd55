/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel sign`: imgtool's sign command. The image is built in memory in
 * imgtool's order (header padding, zero padding to 16 when encrypting,
 * header, protected TLVs, hash, key + signature, encryption, unprotected
 * TLVs, slot-size check, trailer padding) and written once, atomically, so
 * any failure leaves no output file.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "enc.h"
#include "hexfile.h"
#include "keel.h"
#include "keel/image.h"
#include "keys.h"
#include "util.h"

#define CMD "sign"
#define MAX_KEYS 8
#define MAX_DEPS 32
#define MAX_CUSTOM 64
#define MAX_SW_TYPE 12
#define MAGIC_SIZE 16u

static const uint8_t magic_a8[MAGIC_SIZE] = {
	0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
	0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80,
};
static const uint8_t magic_tail[MAGIC_SIZE - 2] = {
	0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a,
};

struct custom_tlv {
	uint16_t tag;
	uint8_t *val;
	size_t len;
};

struct sign_cfg {
	const char *key_path[MAX_KEYS];
	int nkeys;
	const char *in, *out;
	struct keel_version ver;
	uint32_t hdr_size;
	int pad_header;
	uint32_t slot_size;
	int slot_set;
	uint32_t align, max_align, max_sectors;
	int pad, confirm, overwrite_only;
	uint8_t erased;
	int big;
	int sec_cnt_mode; /* 0 none, 1 value, 2 auto */
	uint32_t sec_cnt;
	struct keel_dependency deps[MAX_DEPS];
	int ndeps;
	const char *sw_type;
	struct custom_tlv custom[MAX_CUSTOM];
	int ncustom;
	const char *vid, *cid;
	int pubkey_full;
	const char *sha;
	int pure, pad_sig;
	const char *encrypt;
	int keylen, hmac_sha, clear, save_enctlv;
	uint32_t load_addr, rom_fixed, hex_addr;
	int hex_addr_set;
	int non_bootable;
	const char *vector, *fix_sig, *fix_sig_pubkey, *sig_out;
};

enum {
	O_KEY = 1, O_ALIGN, O_MAX_ALIGN, O_VERSION, O_HDR, O_PAD_HDR, O_SLOT, O_PAD, O_PAD_SIG,
	O_CONFIRM, O_TEST, O_OW, O_SECCNT, O_DEPS, O_PKFMT, O_SHA, O_PURE, O_CUSTOM,
	O_CUSTOM_FILE, O_BOOTREC, O_ENC, O_KEYLEN, O_HMAC, O_CLEAR, O_SAVE_ENCTLV, O_ERASED,
	O_LOAD, O_ROM, O_NONBOOT, O_VID, O_CID, O_ENDIAN, O_VECTOR, O_FIXSIG, O_FIXSIG_PUB,
	O_SIGOUT, O_HEXADDR, O_MAXSECT, O_PASSWORD,
};

static const struct kopt sign_opts[] = {
	{ "key", 'k', 1, O_KEY }, { "align", 0, 1, O_ALIGN }, { "max-align", 0, 1, O_MAX_ALIGN },
	{ "version", 'v', 1, O_VERSION }, { "header-size", 'H', 1, O_HDR },
	{ "pad-header", 0, 0, O_PAD_HDR }, { "slot-size", 'S', 1, O_SLOT }, { "pad", 0, 0, O_PAD },
	{ "pad-sig", 0, 0, O_PAD_SIG }, { "confirm", 0, 0, O_CONFIRM }, { "test", 0, 0, O_TEST },
	{ "overwrite-only", 0, 0, O_OW }, { "security-counter", 's', 1, O_SECCNT },
	{ "dependencies", 'd', 1, O_DEPS }, { "public-key-format", 0, 1, O_PKFMT },
	{ "sha", 0, 1, O_SHA }, { "pure", 0, 0, O_PURE }, { "custom-tlv", 0, 2, O_CUSTOM },
	{ "custom-tlv-file", 0, 2, O_CUSTOM_FILE }, { "boot-record", 0, 1, O_BOOTREC },
	{ "encrypt", 'E', 1, O_ENC }, { "encrypt-keylen", 0, 1, O_KEYLEN },
	{ "hmac-sha", 0, 1, O_HMAC }, { "clear", 'c', 0, O_CLEAR },
	{ "save-enctlv", 0, 0, O_SAVE_ENCTLV }, { "erased-val", 'R', 1, O_ERASED },
	{ "load-addr", 'L', 1, O_LOAD }, { "rom-fixed", 'F', 1, O_ROM },
	{ "non-bootable", 0, 0, O_NONBOOT }, { "vid", 0, 1, O_VID }, { "cid", 0, 1, O_CID },
	{ "endian", 'e', 1, O_ENDIAN }, { "vector-to-sign", 0, 1, O_VECTOR },
	{ "fix-sig", 0, 1, O_FIXSIG }, { "fix-sig-pubkey", 0, 1, O_FIXSIG_PUB },
	{ "sig-out", 0, 1, O_SIGOUT }, { "hex-addr", 'x', 1, O_HEXADDR },
	{ "max-sectors", 'M', 1, O_MAXSECT }, { "password", 'p', 0, O_PASSWORD },
	{ NULL, 0, 0, 0 },
};

/* Everything that is freed at the end. */
struct sign_state {
	struct sign_cfg c;
	struct keel_key keys[MAX_KEYS];
	struct keel_key fixpub, enckey;
	int have_fixpub, have_enckey;
	enum keel_hashalg hash;
	struct kbuf input, img, prot, unprot, sig0, fixsig, out;
	uint32_t base_addr;
	int base_set;
};

/* A decimal field of a version: no sign, no leading zeros (imgtool's rule). */
static int dec_field(const char **p, uint64_t max, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	if (!isdigit((unsigned char)*s) || (s[0] == '0' && isdigit((unsigned char)s[1])))
		return -1;
	while (isdigit((unsigned char)*s)) {
		x = x * 10 + (uint64_t)(*s++ - '0');
		if (x > max)
			return -1;
	}
	*v = x;
	*p = s;
	return 0;
}

/* Parses maj[.min[.rev[+build]]] into v; *end is the first unparsed char. */
static int parse_version_prefix(const char *s, struct keel_version *v, const char **end)
{
	uint64_t maj, min = 0, rev = 0, build = 0;

	if (dec_field(&s, 255, &maj))
		return -1;
	if (*s == '.') {
		s++;
		if (dec_field(&s, 255, &min))
			return -1;
		if (*s == '.') {
			s++;
			if (dec_field(&s, 65535, &rev))
				return -1;
			if (*s == '+') {
				s++;
				if (dec_field(&s, UINT32_MAX, &build))
					return -1;
			}
		}
	}
	v->major = (uint8_t)maj;
	v->minor = (uint8_t)min;
	v->revision = (uint16_t)rev;
	v->build = (uint32_t)build;
	*end = s;
	return 0;
}

static int parse_version(const char *s, struct keel_version *v)
{
	const char *end;

	if (parse_version_prefix(s, v, &end) || *end) {
		keel_seterr("bad version '%s': expected maj.min.rev+build with major and minor "
			    "0..255, revision 0..65535, build 0..4294967295 (e.g. 1.2.3+4)", s);
		return -1;
	}
	return 0;
}

static int eq_nocase(const char *a, const char *b)
{
	while (*a && tolower((unsigned char)*a) == tolower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

static const char *skip_ws(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* "(id, ver)[, (id, ver)]..." */
static int parse_deps(const char *s, struct sign_cfg *c)
{
	const char *p = skip_ws(s);
	uint64_t id;

	if (!*p)
		goto bad;
	while (*p) {
		struct keel_dependency *d;

		if (c->ndeps == MAX_DEPS) {
			keel_seterr("more than %d dependencies", MAX_DEPS);
			return -1;
		}
		d = &c->deps[c->ndeps];
		if (*p != '(')
			goto bad;
		p = skip_ws(p + 1);
		if (dec_field(&p, 255, &id))
			goto bad;
		p = skip_ws(p);
		if (*p != ',')
			goto bad;
		p = skip_ws(p + 1);
		if (parse_version_prefix(p, &d->min_ver, &p))
			goto bad;
		p = skip_ws(p);
		if (*p != ')')
			goto bad;
		d->image_id = (uint8_t)id;
		c->ndeps++;
		p = skip_ws(p + 1);
		if (*p == ',')
			p = skip_ws(p + 1);
	}
	return 0;
bad:
	keel_seterr("bad dependency list '%s': expected \"(image_id, maj.min.rev+build)\" "
		    "pairs, e.g. \"(1, 1.2.3+0), (2, 0.1.0)\"", s);
	return -1;
}

static int is_known_tlv(uint32_t tag)
{
	return tag <= 0xffff && keel_tlv_name((uint16_t)tag) != NULL;
}

static int add_custom(struct sign_cfg *c, const char *tagstr, const uint8_t *val, size_t len)
{
	uint64_t tag;
	struct custom_tlv *t;

	if (keel_parse_u64(tagstr, &tag)) {
		keel_seterr("--custom-tlv: bad TLV number '%s'", tagstr);
		return -1;
	}
	if (is_known_tlv((uint32_t)tag) && tag <= 0xffff) {
		keel_seterr("--custom-tlv: 0x%04x conflicts with the predefined %s TLV", (unsigned)tag,
			    keel_tlv_name((uint16_t)tag));
		return -1;
	}
	if (tag < 0xa0 || tag > 0xfffe) {
		keel_seterr("--custom-tlv: TLV number %s is outside the vendor range 0x00a0..0xfffe",
			    tagstr);
		return -1;
	}
	for (int i = 0; i < c->ncustom; i++)
		if (c->custom[i].tag == tag) {
			keel_seterr("--custom-tlv: TLV 0x%04x given twice", (unsigned)tag);
			return -1;
		}
	if (c->ncustom == MAX_CUSTOM) {
		keel_seterr("more than %d custom TLVs", MAX_CUSTOM);
		return -1;
	}
	t = &c->custom[c->ncustom];
	t->val = malloc(len ? len : 1);
	if (!t->val) {
		keel_seterr("out of memory");
		return -1;
	}
	if (len)
		memcpy(t->val, val, len);
	t->len = len;
	t->tag = (uint16_t)tag;
	c->ncustom++;
	return 0;
}

/* imgtool: "0x..." is hex bytes, anything else the UTF-8 text. */
static int add_custom_value(struct sign_cfg *c, const char *tag, const char *value)
{
	uint8_t *bytes = NULL;
	size_t n = 0;
	int rc;

	if (strncmp(value, "0x", 2) == 0 || strncmp(value, "0X", 2) == 0) {
		if (strlen(value + 2) % 2) {
			keel_seterr("--custom-tlv %s: value '%s' has an odd number of hex digits", tag,
				    value);
			return -1;
		}
		if (value[2] && keel_parse_hex(value, &bytes, &n)) {
			keel_seterr("--custom-tlv %s: value '%s' is not hex", tag, value);
			return -1;
		}
	}
	rc = bytes || strncmp(value, "0x", 2) == 0 || strncmp(value, "0X", 2) == 0
		     ? add_custom(c, tag, bytes, n)
		     : add_custom(c, tag, (const uint8_t *)value, strlen(value));
	free(bytes);
	return rc;
}

static int parse_choice_u32(const char *opt, const char *v, const uint32_t *allowed, size_t n,
			    uint32_t *out)
{
	uint32_t x;

	if (keel_parse_u32(v, &x) == 0)
		for (size_t i = 0; i < n; i++)
			if (allowed[i] == x) {
				*out = x;
				return 0;
			}
	keel_seterr("%s: '%s' is not one of the allowed values", opt, v);
	return -1;
}

static int set_u32(const char *opt, const char *v, uint32_t *out)
{
	char why[256];

	if (keel_parse_u32(v, out)) {
		snprintf(why, sizeof(why), "%s", keel_lasterr());
		keel_seterr("%s: %s", opt, why);
		return -1;
	}
	return 0;
}

static int parse_args(struct sign_cfg *c, int argc, char **argv)
{
	static const uint32_t aligns[] = { 1, 2, 4, 8, 16, 32 }, maxaligns[] = { 8, 16, 32 },
			      keylens[] = { 128, 256 };
	struct kopt_state st;
	struct kbuf file = { 0 };
	uint32_t x;
	int id, npos = 0;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, sign_opts)) != KOPT_END) {
		const char *v = st.val[0];

		switch (id) {
		case KOPT_POS:
			if (npos == 0)
				c->in = st.pos;
			else if (npos == 1)
				c->out = st.pos;
			else {
				keel_seterr("unexpected argument '%s' (usage: keel sign [OPTIONS] "
					    "INFILE OUTFILE)", st.pos);
				return -1;
			}
			npos++;
			break;
		case O_KEY:
			if (c->nkeys == MAX_KEYS) {
				keel_seterr("more than %d -k keys", MAX_KEYS);
				return -1;
			}
			c->key_path[c->nkeys++] = v;
			break;
		case O_ALIGN:
			if (parse_choice_u32("--align (1, 2, 4, 8, 16 or 32)", v, aligns, 6, &c->align))
				return -1;
			break;
		case O_MAX_ALIGN:
			if (parse_choice_u32("--max-align (8, 16 or 32)", v, maxaligns, 3, &c->max_align))
				return -1;
			break;
		case O_VERSION:
			if (parse_version(v, &c->ver))
				return -1;
			break;
		case O_HDR:
			if (set_u32("-H/--header-size", v, &c->hdr_size))
				return -1;
			if (c->hdr_size < KEEL_IMAGE_HEADER_SIZE || c->hdr_size > 0xffff) {
				keel_seterr("-H/--header-size %s: must be 32..65535", v);
				return -1;
			}
			break;
		case O_PAD_HDR: c->pad_header = 1; break;
		case O_SLOT:
			if (set_u32("-S/--slot-size", v, &c->slot_size))
				return -1;
			c->slot_set = 1;
			break;
		case O_PAD: case O_TEST: c->pad = 1; break;
		case O_CONFIRM: c->confirm = 1; c->pad = 1; break;
		case O_PAD_SIG: c->pad_sig = 1; break;
		case O_OW: c->overwrite_only = 1; break;
		case O_SECCNT:
			if (eq_nocase(v, "auto")) {
				c->sec_cnt_mode = 2;
			} else {
				if (set_u32("-s/--security-counter", v, &c->sec_cnt))
					return -1;
				c->sec_cnt_mode = 1;
			}
			break;
		case O_DEPS:
			if (parse_deps(v, c))
				return -1;
			break;
		case O_PKFMT:
			if (strcmp(v, "hash") && strcmp(v, "full")) {
				keel_seterr("--public-key-format: '%s' is not hash or full", v);
				return -1;
			}
			c->pubkey_full = strcmp(v, "full") == 0;
			break;
		case O_SHA:
			if (strcmp(v, "auto") && strcmp(v, "256") && strcmp(v, "384") && strcmp(v, "512")) {
				keel_seterr("--sha: '%s' is not auto, 256, 384 or 512", v);
				return -1;
			}
			c->sha = v;
			break;
		case O_PURE: c->pure = 1; break;
		case O_CUSTOM:
			if (add_custom_value(c, v, st.val[1]))
				return -1;
			break;
		case O_CUSTOM_FILE:
			if (keel_read_file(st.val[1], &file)) {
				kbuf_free(&file);
				return -1;
			}
			x = (uint32_t)add_custom(c, v, file.data, file.len);
			kbuf_free(&file);
			if (x)
				return -1;
			break;
		case O_BOOTREC: c->sw_type = v; break;
		case O_ENC: c->encrypt = v; break;
		case O_KEYLEN:
			if (parse_choice_u32("--encrypt-keylen (128 or 256)", v, keylens, 2, &x))
				return -1;
			c->keylen = (int)x;
			break;
		case O_HMAC:
			if (strcmp(v, "auto") == 0 || strcmp(v, "256") == 0)
				c->hmac_sha = 256;
			else if (strcmp(v, "512") == 0)
				c->hmac_sha = 512;
			else {
				keel_seterr("--hmac-sha: '%s' is not auto, 256 or 512", v);
				return -1;
			}
			break;
		case O_CLEAR: c->clear = 1; break;
		case O_SAVE_ENCTLV: c->save_enctlv = 1; break;
		case O_ERASED:
			if (strcmp(v, "0") == 0)
				c->erased = 0;
			else if (strcmp(v, "0xff") == 0 || strcmp(v, "0xFF") == 0)
				c->erased = 0xff;
			else {
				keel_seterr("-R/--erased-val: '%s' is not 0 or 0xff", v);
				return -1;
			}
			break;
		case O_LOAD:
			if (set_u32("-L/--load-addr", v, &c->load_addr))
				return -1;
			break;
		case O_ROM:
			if (set_u32("-F/--rom-fixed", v, &c->rom_fixed))
				return -1;
			break;
		case O_HEXADDR:
			if (set_u32("-x/--hex-addr", v, &c->hex_addr))
				return -1;
			c->hex_addr_set = 1;
			break;
		case O_MAXSECT:
			if (set_u32("-M/--max-sectors", v, &c->max_sectors))
				return -1;
			if (c->max_sectors == 0) {
				keel_seterr("-M/--max-sectors must be at least 1");
				return -1;
			}
			break;
		case O_NONBOOT: c->non_bootable = 1; break;
		case O_VID: c->vid = v; break;
		case O_CID: c->cid = v; break;
		case O_ENDIAN:
			if (strcmp(v, "little") == 0)
				c->big = 0;
			else if (strcmp(v, "big") == 0)
				c->big = 1;
			else {
				keel_seterr("-e/--endian: '%s' is not little or big", v);
				return -1;
			}
			break;
		case O_VECTOR:
			if (strcmp(v, "payload") && strcmp(v, "digest")) {
				keel_seterr("--vector-to-sign: '%s' is not payload or digest", v);
				return -1;
			}
			c->vector = v;
			break;
		case O_FIXSIG: c->fix_sig = v; break;
		case O_FIXSIG_PUB: c->fix_sig_pubkey = v; break;
		case O_SIGOUT: c->sig_out = v; break;
		case O_PASSWORD: break;
		default:
			return -1;
		}
	}
	if (npos != 2) {
		keel_seterr("need INFILE and OUTFILE (usage: keel sign [OPTIONS] INFILE OUTFILE)");
		return -1;
	}
	return 0;
}

/* ---- bytes in the image's byte order ---- */

static int put16e(struct kbuf *b, uint16_t v, int big)
{
	return kbuf_put16(b, v, big);
}

static int put32e(struct kbuf *b, uint32_t v, int big)
{
	return kbuf_put32(b, v, big);
}

/*
 * One TLV entry. imgtool packs the predefined types as two bytes (type,
 * 0) and vendor types as a u16, which differ only in big-endian images.
 */
static int put_tlv(struct kbuf *b, uint16_t tag, const void *val, size_t len, int big)
{
	uint8_t t[2];

	if (len > 0xffff) {
		keel_seterr("TLV 0x%04x value of %zu bytes does not fit a 16-bit length", tag, len);
		return -1;
	}
	if (is_known_tlv(tag)) {
		t[0] = (uint8_t)tag;
		t[1] = 0;
		if (kbuf_append(b, t, 2))
			return -1;
	} else if (put16e(b, tag, big)) {
		return -1;
	}
	return put16e(b, (uint16_t)len, big) || kbuf_append(b, val, len) ? -1 : 0;
}

/* ---- CBOR boot record (PSA SW component, MCUboot's key order) ---- */

static int cbor_head(struct kbuf *b, uint8_t major, size_t n)
{
	uint8_t h[3];

	if (n < 24) {
		h[0] = (uint8_t)(major << 5 | n);
		return kbuf_append(b, h, 1);
	}
	if (n < 256) {
		h[0] = (uint8_t)(major << 5 | 24);
		h[1] = (uint8_t)n;
		return kbuf_append(b, h, 2);
	}
	h[0] = (uint8_t)(major << 5 | 25);
	h[1] = (uint8_t)(n >> 8);
	h[2] = (uint8_t)n;
	return kbuf_append(b, h, 3);
}

static int cbor_text(struct kbuf *b, unsigned key, const char *s)
{
	return cbor_head(b, 0, key) || cbor_head(b, 3, strlen(s)) || kbuf_append(b, s, strlen(s))
		       ? -1 : 0;
}

static int cbor_bytes(struct kbuf *b, unsigned key, const uint8_t *p, size_t n)
{
	return cbor_head(b, 0, key) || cbor_head(b, 2, n) || kbuf_append(b, p, n) ? -1 : 0;
}

/*
 * {1: sw_type, 4: "maj.min.rev", 5: signer id (key hash), 6: "SHA256",
 *  2: zero hash} -- the bootloader fills in key 2, which cannot be known
 *  before the hash over this very record is taken.
 */
static int boot_record(struct kbuf *b, const char *sw_type, const struct keel_version *v,
		       enum keel_hashalg h, const uint8_t *signer, size_t signer_len)
{
	char ver[32];
	uint8_t zero[64] = { 0 };

	snprintf(ver, sizeof(ver), "%u.%u.%u", v->major, v->minor, v->revision);
	return cbor_head(b, 5, 5) || cbor_text(b, 1, sw_type) || cbor_text(b, 4, ver) ||
	       cbor_bytes(b, 5, signer, signer_len) || cbor_text(b, 6, keel_hash_name(h)) ||
	       cbor_bytes(b, 2, zero, keel_hash_len(h)) ? -1 : 0;
}

/* ---- UUIDs for --vid / --cid ---- */

/* A UUID in text (32 hex digits, dashes/braces/urn:uuid: allowed), else -1. */
static int parse_uuid(const char *s, uint8_t out[16])
{
	size_t n = 0;

	if (strncmp(s, "urn:", 4) == 0)
		s += 4;
	if (strncmp(s, "uuid:", 5) == 0)
		s += 5;
	for (; *s; s++) {
		int hi;

		if (*s == '-' || *s == '{' || *s == '}')
			continue;
		if (!isxdigit((unsigned char)*s) || n == 32)
			return -1;
		hi = isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10;
		if (n % 2 == 0)
			out[n / 2] = (uint8_t)(hi << 4);
		else
			out[n / 2] |= (uint8_t)hi;
		n++;
	}
	return n == 32 ? 0 : -1;
}

/* RFC 4122 name-based UUID, version 5 (SHA-1). */
static int uuid5(const uint8_t ns[16], const char *name, uint8_t out[16])
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	uint8_t d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int ok;

	ok = m && EVP_DigestInit_ex(m, EVP_sha1(), NULL) == 1 && EVP_DigestUpdate(m, ns, 16) == 1 &&
	     EVP_DigestUpdate(m, name, strlen(name)) == 1 && EVP_DigestFinal_ex(m, d, &n) == 1;
	EVP_MD_CTX_free(m);
	if (!ok || n < 16) {
		keel_seterr("SHA-1 failed in OpenSSL");
		return -1;
	}
	memcpy(out, d, 16);
	out[6] = (uint8_t)((out[6] & 0x0f) | 0x50);
	out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
	return 0;
}

static int make_uuids(const struct sign_cfg *c, uint8_t vid[16], uint8_t cid[16])
{
	static const uint8_t dns_ns[16] = {
		0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
	};

	if (c->vid && parse_uuid(c->vid, vid) && uuid5(dns_ns, c->vid, vid))
		return -1;
	if (c->cid && parse_uuid(c->cid, cid)) {
		if (!c->vid) {
			keel_seterr("--cid '%s' is a name, which is hashed in the --vid namespace: "
				    "give --vid too (or a UUID)", c->cid);
			return -1;
		}
		if (uuid5(vid, c->cid, cid))
			return -1;
	}
	return 0;
}

/* ---- inputs ---- */

static int load_input(struct sign_state *s)
{
	struct sign_cfg *c = &s->c;
	struct kbuf raw = { 0 }, hdr = { 0 };
	uint32_t base = 0;
	int rc = -1;

	if (keel_read_file(c->in, &raw))
		goto out;
	if (keel_has_suffix(c->in, ".hex")) {
		if (keel_hex_read(raw.data, raw.len, &s->input, &base, c->in))
			goto out;
		s->base_addr = base;
		s->base_set = 1;
	} else {
		struct kbuf t = s->input;

		s->input = raw;
		raw = t;
	}
	if (c->pad_header) {
		/* imgtool moves a hex file's base down by the header, when it is not 0. */
		if (s->base_set && s->base_addr) {
			if (s->base_addr < c->hdr_size) {
				keel_seterr("%s: starts at 0x%x, below the %u-byte header --pad-header "
					    "adds", c->in, s->base_addr, c->hdr_size);
				goto out;
			}
			s->base_addr -= c->hdr_size;
		}
		if (kbuf_fill(&hdr, c->erased, c->hdr_size) ||
		    kbuf_append(&hdr, s->input.data, s->input.len))
			goto out;
		kbuf_free(&s->input);
		s->input = hdr;
		hdr.data = NULL;
	} else {
		if (s->input.len < c->hdr_size) {
			keel_seterr("%s: %zu bytes, shorter than the -H %u header; use --pad-header",
				    c->in, s->input.len, c->hdr_size);
			goto out;
		}
		for (uint32_t i = 0; i < c->hdr_size; i++)
			if (s->input.data[i]) {
				keel_seterr("%s: the first %u bytes (-H) must be zero to hold the header, "
					    "but byte %u is 0x%02x; use --pad-header to prepend one",
					    c->in, c->hdr_size, i, s->input.data[i]);
				goto out;
			}
	}
	rc = 0;
out:
	kbuf_free(&raw);
	kbuf_free(&hdr);
	return rc;
}

static int b64_decode(const uint8_t *in, size_t len, struct kbuf *out, const char *what)
{
	struct kbuf clean = { 0 };
	int n, pad = 0, rc = -1;

	for (size_t i = 0; i < len; i++)
		if (!isspace(in[i]) && kbuf_append(&clean, in + i, 1))
			goto out;
	if (clean.len == 0 || clean.len % 4 || clean.len > (1u << 20)) {
		keel_seterr("%s: not base64", what);
		goto out;
	}
	pad = (clean.data[clean.len - 1] == '=') + (clean.data[clean.len - 2] == '=');
	if (kbuf_reserve(out, clean.len))
		goto out;
	n = EVP_DecodeBlock(out->data, clean.data, (int)clean.len);
	if (n < pad) {
		keel_seterr("%s: not base64", what);
		goto out;
	}
	out->len = (size_t)(n - pad);
	rc = 0;
out:
	kbuf_free(&clean);
	return rc;
}

static int load_keys(struct sign_state *s)
{
	struct sign_cfg *c = &s->c;
	struct kbuf f = { 0 };

	for (int i = 0; i < c->nkeys; i++) {
		if (keel_load_key_cli(&s->keys[i], c->key_path[i]))
			return -1;
		if (s->keys[i].type == KEEL_KT_X25519) {
			keel_seterr("-k %s: an x25519 key cannot sign images (it is an encryption "
				    "key, for -E)", c->key_path[i]);
			return -1;
		}
		if (keel_key_require_private(&s->keys[i], c->key_path[i]))
			return -1;
	}
	if (c->fix_sig_pubkey) {
		if (keel_load_key_cli(&s->fixpub, c->fix_sig_pubkey))
			return -1;
		s->have_fixpub = 1;
		if (s->fixpub.type == KEEL_KT_X25519) {
			keel_seterr("--fix-sig-pubkey %s: an x25519 key cannot verify signatures",
				    c->fix_sig_pubkey);
			return -1;
		}
	}
	if (c->fix_sig) {
		int rc = keel_read_file(c->fix_sig, &f) || b64_decode(f.data, f.len, &s->fixsig, c->fix_sig);

		kbuf_free(&f);
		if (rc)
			return -1;
	}
	if (c->encrypt) {
		if (keel_load_key_cli(&s->enckey, c->encrypt))
			return -1;
		s->have_enckey = 1;
	}
	return 0;
}

/* ---- option combinations, as imgtool allows them ---- */

static int choose_hash(struct sign_state *s)
{
	const struct sign_cfg *c = &s->c;
	const struct keel_key *k = c->nkeys ? &s->keys[0] : s->have_fixpub ? &s->fixpub : NULL;
	const char *allowed;
	char want[4];

	if (c->pure) {
		if (!k || k->type != KEEL_KT_ED25519) {
			keel_seterr("--pure needs an ed25519 signing key%s%s", k ? ", not " : "",
				    k ? keel_keytype_name(k->type) : "");
			return -1;
		}
		s->hash = KEEL_HASH_SHA512; /* pure always uses SHA-512, --sha is ignored */
		return 0;
	}
	if (!k) {
		s->hash = strcmp(c->sha, "512") == 0 ? KEEL_HASH_SHA512 :
			  strcmp(c->sha, "384") == 0 ? KEEL_HASH_SHA384 : KEEL_HASH_SHA256;
		return 0;
	}
	switch (k->type) {
	case KEEL_KT_ECDSA_P384: allowed = "384"; break;
	case KEEL_KT_ED25519: allowed = "256 512"; break;
	default: allowed = "256"; break;
	}
	if (strcmp(c->sha, "auto") == 0) {
		memcpy(want, allowed, 3);
		want[3] = '\0';
	} else if (strstr(allowed, c->sha)) {
		snprintf(want, sizeof(want), "%s", c->sha);
	} else {
		keel_seterr("a %s key can not be used with --sha %s (allowed: %s)",
			    keel_keytype_name(k->type), c->sha, allowed);
		return -1;
	}
	s->hash = strcmp(want, "512") == 0 ? KEEL_HASH_SHA512 :
		  strcmp(want, "384") == 0 ? KEEL_HASH_SHA384 : KEEL_HASH_SHA256;
	return 0;
}

static int check_encryption(const struct sign_state *s)
{
	const struct sign_cfg *c = &s->c;
	enum keel_keytype e = s->enckey.type, k;

	if (!s->have_enckey)
		return 0;
	if (e != KEEL_KT_ECDSA_P256 && e != KEEL_KT_X25519 && e != KEEL_KT_RSA2048) {
		keel_seterr("-E %s: a %s key cannot encrypt images (ecdsa-p256 for ECIES-P256, "
			    "x25519 for ECIES-X25519, rsa-2048 for RSA-OAEP)", c->encrypt,
			    keel_keytype_name(e));
		return -1;
	}
	if (c->nkeys) {
		k = s->keys[0].type;
		/* imgtool ties the key-transport family to an ECDSA or RSA signing key. */
		if ((k == KEEL_KT_ECDSA_P256 && e != KEEL_KT_ECDSA_P256) ||
		    k == KEEL_KT_ECDSA_P384 ||
		    ((k == KEEL_KT_RSA2048 || k == KEEL_KT_RSA3072) && e != KEEL_KT_RSA2048)) {
			keel_seterr("-E %s: signing and encryption must use the same type of key "
				    "(signing key is %s, encryption key %s)", c->encrypt,
				    keel_keytype_name(k), keel_keytype_name(e));
			return -1;
		}
	}
	if (c->hmac_sha == 512 && e != KEEL_KT_X25519) {
		keel_seterr("--hmac-sha 512 is only defined for ECIES-X25519 (-E with an x25519 key)");
		return -1;
	}
	return 0;
}

/* Combinations that need no file: checked before anything is read. */
static int check_flags(const struct sign_cfg *c)
{
	if (c->load_addr && c->rom_fixed) {
		keel_seterr("-L/--load-addr and -F/--rom-fixed cannot be used together");
		return -1;
	}
	if (c->pad && !c->slot_set) {
		keel_seterr("--pad/--confirm need the slot size (-S)");
		return -1;
	}
	if (c->sw_type && strlen(c->sw_type) > MAX_SW_TYPE) {
		keel_seterr("--boot-record '%s' is too long (%zu characters; at most %d)", c->sw_type,
			    strlen(c->sw_type), MAX_SW_TYPE);
		return -1;
	}
	if (c->fix_sig && c->nkeys) {
		keel_seterr("-k and --fix-sig cannot be used together (sign with a key or insert "
			    "a signature)");
		return -1;
	}
	if (c->fix_sig && !c->fix_sig_pubkey) {
		keel_seterr("--fix-sig needs --fix-sig-pubkey (the key that made the signature)");
		return -1;
	}
	return 0;
}

static int check_options(struct sign_state *s)
{
	struct sign_cfg *c = &s->c;

	if (c->pad_sig && c->nkeys && s->keys[0].type != KEEL_KT_ECDSA_P256 &&
	    s->keys[0].type != KEEL_KT_ECDSA_P384)
		c->pad_sig = 0; /* imgtool ignores it for keys without ECDSA padding */
	if (c->sec_cnt_mode == 2) {
		uint64_t v = ((uint64_t)c->ver.major << 24) + ((uint64_t)c->ver.minor << 16) +
			     c->ver.revision;

		if (v > UINT32_MAX) {
			keel_seterr("-s auto: version %u.%u.%u gives a security counter above 32 bits",
				    c->ver.major, c->ver.minor, c->ver.revision);
			return -1;
		}
		c->sec_cnt = (uint32_t)v;
	}
	if (!c->max_align)
		c->max_align = c->align > 8 ? c->align : 8;
	return check_encryption(s) || choose_hash(s);
}

/* ---- building ---- */

static uint64_t align_up(uint64_t n, uint64_t a)
{
	return (n + a - 1) / a * a;
}

/* imgtool's trailer size, used for the slot check and the padding. */
static uint64_t trailer_size(const struct sign_cfg *c, int enc, size_t enctlv_len)
{
	uint64_t a = c->max_align, m = align_up(MAGIC_SIZE, a), t;

	if (c->overwrite_only)
		return 2 * a + m;
	t = (uint64_t)c->max_sectors * 3 * c->align;
	if (enc)
		t += 2 * align_up(c->save_enctlv ? enctlv_len : 16, a);
	return t + 4 * a + m;
}

/* What a key signs: see keel_key_sign (digest, or the region for pure Ed25519). */
static int sign_input(const struct sign_state *s, const struct keel_key *k, const uint8_t *region,
		      size_t rlen, const uint8_t *digest, uint8_t *buf, const uint8_t **msg,
		      size_t *len)
{
	int n;

	switch (k->type) {
	case KEEL_KT_ED25519:
		*msg = s->c.pure ? region : digest;
		*len = s->c.pure ? rlen : keel_hash_len(s->hash);
		return 0;
	case KEEL_KT_ECDSA_P384:
		n = keel_hash(KEEL_HASH_SHA384, region, rlen, buf);
		break;
	default:
		n = keel_hash(KEEL_HASH_SHA256, region, rlen, buf);
		break;
	}
	if (n < 0)
		return -1;
	*msg = buf;
	*len = (size_t)n;
	return 0;
}

static int add_key_tlv(struct sign_state *s, const struct keel_key *k)
{
	struct kbuf der = { 0 };
	uint8_t h[64];
	int rc;

	if (s->c.pubkey_full) {
		rc = keel_key_pub_der(k, &der) ||
		     put_tlv(&s->unprot, KEEL_TLV_PUBKEY, der.data, der.len, s->c.big);
	} else {
		rc = keel_key_pub_hash(k, s->hash, h) < 0 ||
		     put_tlv(&s->unprot, KEEL_TLV_KEYHASH, h, keel_hash_len(s->hash), s->c.big);
	}
	kbuf_free(&der);
	return rc ? -1 : 0;
}

static int build_protected(struct sign_state *s)
{
	struct sign_cfg *c = &s->c;
	struct kbuf br = { 0 }, e = { 0 };
	uint8_t signer[64] = { 0 }, vid[16], cid[16];
	size_t signer_len = 32;
	const struct keel_key *k = c->nkeys ? &s->keys[0] : s->have_fixpub ? &s->fixpub : NULL;
	int rc = -1;

	if (make_uuids(c, vid, cid))
		return -1;
	if (c->sec_cnt_mode) {
		if (put32e(&e, c->sec_cnt, c->big) || put_tlv(&s->prot, KEEL_TLV_SEC_CNT, e.data, 4, c->big))
			goto out;
	}
	if (c->sw_type) {
		if (k) {
			int n = keel_key_pub_hash(k, s->hash, signer);

			if (n < 0)
				goto out;
			signer_len = (size_t)n;
		}
		if (boot_record(&br, c->sw_type, &c->ver, s->hash, signer, signer_len) ||
		    put_tlv(&s->prot, KEEL_TLV_BOOT_RECORD, br.data, br.len, c->big))
			goto out;
	}
	for (int i = 0; i < c->ndeps; i++) {
		const struct keel_dependency *d = &c->deps[i];
		uint8_t v[12] = { d->image_id, 0, 0, 0, d->min_ver.major, d->min_ver.minor };

		e.len = 0;
		if (kbuf_append(&e, v, 6) || put16e(&e, d->min_ver.revision, c->big) ||
		    put32e(&e, d->min_ver.build, c->big) ||
		    put_tlv(&s->prot, KEEL_TLV_DEPENDENCY, e.data, 12, c->big))
			goto out;
	}
	if (c->vid && put_tlv(&s->prot, KEEL_TLV_UUID_VID, vid, 16, c->big))
		goto out;
	if (c->cid && put_tlv(&s->prot, KEEL_TLV_UUID_CID, cid, 16, c->big))
		goto out;
	for (int i = 0; i < c->ncustom; i++)
		if (put_tlv(&s->prot, c->custom[i].tag, c->custom[i].val, c->custom[i].len, c->big))
			goto out;
	if (s->prot.len && s->prot.len + KEEL_TLV_INFO_SIZE > 0xffff) {
		keel_seterr("protected TLV area of %zu bytes exceeds 65535",
			    s->prot.len + KEEL_TLV_INFO_SIZE);
		goto out;
	}
	rc = 0;
out:
	kbuf_free(&br);
	kbuf_free(&e);
	return rc;
}

static int write_header(struct sign_state *s, uint16_t prot_size)
{
	struct sign_cfg *c = &s->c;
	struct kbuf h = { 0 };
	uint32_t flags = 0;
	size_t img_size = s->img.len - c->hdr_size;
	int rc;

	if (s->have_enckey)
		flags |= c->keylen == 256 ? KEEL_IMAGE_F_ENCRYPTED_AES256 : KEEL_IMAGE_F_ENCRYPTED_AES128;
	if (c->load_addr)
		flags |= KEEL_IMAGE_F_RAM_LOAD;
	if (c->rom_fixed)
		flags |= KEEL_IMAGE_F_ROM_FIXED;
	if (c->non_bootable)
		flags |= KEEL_IMAGE_F_NON_BOOTABLE;
	if (img_size > UINT32_MAX - c->hdr_size - prot_size) {
		keel_seterr("image of %zu bytes is too large for the 32-bit header fields", img_size);
		return -1;
	}
	rc = put32e(&h, KEEL_IMAGE_MAGIC, c->big) ||
	     put32e(&h, c->rom_fixed ? c->rom_fixed : c->load_addr, c->big) ||
	     put16e(&h, (uint16_t)c->hdr_size, c->big) || put16e(&h, prot_size, c->big) ||
	     put32e(&h, (uint32_t)img_size, c->big) || put32e(&h, flags, c->big) ||
	     kbuf_append(&h, &c->ver.major, 1) || kbuf_append(&h, &c->ver.minor, 1) ||
	     put16e(&h, c->ver.revision, c->big) || put32e(&h, c->ver.build, c->big) ||
	     put32e(&h, 0, c->big);
	if (!rc)
		memcpy(s->img.data, h.data, KEEL_IMAGE_HEADER_SIZE);
	kbuf_free(&h);
	return rc ? -1 : 0;
}

static int area(struct kbuf *dst, uint16_t magic, const struct kbuf *entries, int big)
{
	size_t tot = entries->len + KEEL_TLV_INFO_SIZE;

	if (tot > 0xffff) {
		keel_seterr("TLV area of %zu bytes exceeds 65535", tot);
		return -1;
	}
	return put16e(dst, magic, big) || put16e(dst, (uint16_t)tot, big) ||
	       kbuf_append(dst, entries->data, entries->len) ? -1 : 0;
}

static int add_signatures(struct sign_state *s, const uint8_t *region, size_t rlen,
			  const uint8_t *digest)
{
	struct sign_cfg *c = &s->c;
	struct kbuf sig = { 0 };
	uint8_t buf[64];
	const uint8_t *msg;
	size_t len;
	int rc = -1;

	if (c->fix_sig) {
		if (sign_input(s, &s->fixpub, region, rlen, digest, buf, &msg, &len))
			goto out;
		if (keel_key_verify(&s->fixpub, msg, len, s->fixsig.data, s->fixsig.len)) {
			keel_seterr("--fix-sig %s: the signature does not verify with %s over this "
				    "image", c->fix_sig, c->fix_sig_pubkey);
			goto out;
		}
		if (add_key_tlv(s, &s->fixpub) ||
		    put_tlv(&s->unprot, keel_keytype_sig_tlv(s->fixpub.type), s->fixsig.data,
			    s->fixsig.len, c->big) ||
		    kbuf_append(&s->sig0, s->fixsig.data, s->fixsig.len))
			goto out;
		rc = 0;
		goto out;
	}
	for (int i = 0; i < c->nkeys; i++) {
		const struct keel_key *k = &s->keys[i];
		size_t padto = k->type == KEEL_KT_ECDSA_P256 ? 72 : k->type == KEEL_KT_ECDSA_P384 ? 103 : 0;

		sig.len = 0;
		if (sign_input(s, k, region, rlen, digest, buf, &msg, &len) ||
		    keel_key_sign(k, msg, len, &sig))
			goto out;
		if (c->pad_sig && padto > sig.len && kbuf_fill(&sig, 0, padto - sig.len))
			goto out;
		if (add_key_tlv(s, k) ||
		    put_tlv(&s->unprot, keel_keytype_sig_tlv(k->type), sig.data, sig.len, c->big))
			goto out;
		if (i == 0 && kbuf_append(&s->sig0, sig.data, sig.len))
			goto out;
	}
	rc = 0;
out:
	kbuf_free(&sig);
	return rc;
}

/* Returns 1 when the image is done and only the vector must be written (out holds it). */
static int build_image(struct sign_state *s, size_t *enctlv_len)
{
	struct sign_cfg *c = &s->c;
	struct kbuf protarea = { 0 }, enctlv = { 0 }, hashed = { 0 };
	uint8_t digest[64], aeskey[32];
	size_t keylen = (size_t)c->keylen / 8, payload_len;
	uint16_t enc_tlv = 0;
	uint8_t one = 1;
	int rc = -1;

	if (build_protected(s))
		goto out;
	s->img = s->input;
	memset(&s->input, 0, sizeof(s->input));
	/* Encrypted payloads are padded with zeros to whole AES blocks (hashed as plaintext). */
	if (s->have_enckey && s->img.len % 16 && kbuf_fill(&s->img, 0, 16 - s->img.len % 16))
		goto out;
	payload_len = s->img.len;
	if (s->prot.len && area(&protarea, KEEL_TLV_PROT_MAGIC, &s->prot, c->big))
		goto out;
	if (write_header(s, (uint16_t)protarea.len))
		goto out;
	if (kbuf_append(&hashed, s->img.data, s->img.len) ||
	    kbuf_append(&hashed, protarea.data, protarea.len))
		goto out;
	if (keel_hash(s->hash, hashed.data, hashed.len, digest) < 0 ||
	    put_tlv(&s->unprot, keel_hash_tlv(s->hash), digest, keel_hash_len(s->hash), c->big))
		goto out;
	if (c->pure && put_tlv(&s->unprot, KEEL_TLV_SIG_PURE, &one, 1, c->big))
		goto out;
	if (c->vector) {
		s->out.len = 0;
		rc = strcmp(c->vector, "digest") == 0
			     ? kbuf_append(&s->out, digest, keel_hash_len(s->hash))
			     : kbuf_append(&s->out, hashed.data, hashed.len);
		rc = rc ? -1 : 1;
		goto out;
	}
	if (add_signatures(s, hashed.data, hashed.len, digest))
		goto out;
	if (s->have_enckey) {
		if (keel_random(aeskey, keylen) ||
		    keel_wrap_key(&s->enckey, c->hmac_sha, aeskey, keylen, &enctlv, &enc_tlv) ||
		    put_tlv(&s->unprot, enc_tlv, enctlv.data, enctlv.len, c->big))
			goto out;
		*enctlv_len = enctlv.len;
		if (!c->clear && keel_aes_ctr(aeskey, keylen, s->img.data + c->hdr_size,
					      payload_len - c->hdr_size))
			goto out;
	}
	if (kbuf_append(&s->img, protarea.data, protarea.len) ||
	    area(&s->img, KEEL_TLV_INFO_MAGIC, &s->unprot, c->big))
		goto out;
	rc = 0;
out:
	OPENSSL_cleanse(aeskey, sizeof(aeskey));
	kbuf_free(&protarea);
	kbuf_free(&enctlv);
	kbuf_free(&hashed);
	return rc;
}

static void trailer_magic(const struct sign_cfg *c, uint8_t m[MAGIC_SIZE])
{
	if (c->max_align == 8) {
		memcpy(m, magic_a8, MAGIC_SIZE);
		return;
	}
	m[c->big ? 1 : 0] = (uint8_t)c->max_align;
	m[c->big ? 0 : 1] = (uint8_t)(c->max_align >> 8);
	memcpy(m + 2, magic_tail, sizeof(magic_tail));
}

static int check_slot(struct sign_state *s, uint64_t tsize)
{
	const struct sign_cfg *c = &s->c;

	if (c->slot_set && (uint64_t)s->img.len + tsize > c->slot_size) {
		keel_seterr("image size (0x%zx) + trailer (0x%llx) exceeds the slot size (-S) 0x%x",
			    s->img.len, (unsigned long long)tsize, c->slot_size);
		return -1;
	}
	return 0;
}

static int make_output(struct sign_state *s, uint64_t tsize)
{
	struct sign_cfg *c = &s->c;
	uint64_t a = c->max_align, m = align_up(MAGIC_SIZE, a);
	uint8_t magic[MAGIC_SIZE], flag[32];
	struct keel_hex_seg segs[3];
	size_t n = 0, img_len = s->img.len;

	trailer_magic(c, magic);
	if (!keel_has_suffix(c->out, ".hex")) {
		s->out = s->img;
		memset(&s->img, 0, sizeof(s->img));
		if (!c->pad)
			return 0;
		if (kbuf_fill(&s->out, c->erased, c->slot_size - img_len - MAGIC_SIZE) ||
		    kbuf_append(&s->out, magic, MAGIC_SIZE))
			return -1;
		if (c->confirm && !c->overwrite_only)
			s->out.data[c->slot_size - m - a] = 0x01;
		return 0;
	}
	if (c->hex_addr_set) {
		s->base_addr = c->hex_addr;
		s->base_set = 1;
	}
	if (!s->base_set) {
		keel_seterr("%s: a .hex output needs an address: give -x/--hex-addr (the input "
			    "was binary)", c->out);
		return -1;
	}
	segs[n++] = (struct keel_hex_seg){ s->base_addr, s->img.data, img_len };
	if (c->pad) {
		(void)tsize;
		if (c->confirm && !c->overwrite_only) {
			memset(flag, c->erased, sizeof(flag));
			flag[0] = 0x01;
			segs[n++] = (struct keel_hex_seg){ s->base_addr + c->slot_size - (uint32_t)(m + a),
							   flag, (size_t)a };
		}
		segs[n++] = (struct keel_hex_seg){ s->base_addr + c->slot_size - MAGIC_SIZE, magic,
						   MAGIC_SIZE };
	}
	s->out.len = 0;
	return keel_hex_write(&s->out, segs, n);
}

static int write_sig_out(const struct sign_state *s)
{
	struct kbuf b64 = { 0 };
	int n, rc;

	if (!s->sig0.len) {
		keel_seterr("--sig-out: no signature was made (no -k key)");
		return -1;
	}
	if (kbuf_reserve(&b64, 4 * ((s->sig0.len + 2) / 3) + 1))
		return -1;
	n = EVP_EncodeBlock(b64.data, s->sig0.data, (int)s->sig0.len);
	b64.len = (size_t)n;
	rc = keel_write_file(s->c.sig_out, b64.data, b64.len, 0644);
	kbuf_free(&b64);
	return rc;
}

static void free_state(struct sign_state *s)
{
	for (int i = 0; i < MAX_KEYS; i++)
		keel_key_free(&s->keys[i]);
	keel_key_free(&s->fixpub);
	keel_key_free(&s->enckey);
	for (int i = 0; i < s->c.ncustom; i++)
		free(s->c.custom[i].val);
	kbuf_free(&s->input);
	kbuf_free(&s->img);
	kbuf_free(&s->prot);
	kbuf_free(&s->unprot);
	kbuf_free(&s->sig0);
	kbuf_free(&s->fixsig);
	kbuf_free(&s->out);
}

int cmd_sign(int argc, char **argv)
{
	struct sign_state *s = calloc(1, sizeof(*s));
	size_t enctlv_len = 0;
	uint64_t tsize;
	int rc;

	if (!s)
		return keel_fail(CMD, "out of memory");
	s->c.hdr_size = KEEL_IMAGE_HEADER_SIZE;
	s->c.align = 1;
	s->c.max_sectors = 128;
	s->c.erased = 0xff;
	s->c.sha = "auto";
	s->c.keylen = 128;
	s->c.hmac_sha = 256;
	rc = parse_args(&s->c, argc, argv) || check_flags(&s->c) || load_keys(s) || check_options(s) || load_input(s);
	if (!rc) {
		rc = build_image(s, &enctlv_len);
		if (rc == 1) {
			rc = keel_write_file(s->c.out, s->out.data, s->out.len, 0644);
			goto done;
		}
	}
	if (!rc) {
		tsize = trailer_size(&s->c, s->have_enckey, enctlv_len);
		rc = check_slot(s, tsize) || make_output(s, tsize) ||
		     keel_write_file(s->c.out, s->out.data, s->out.len, 0644);
		if (!rc && s->c.sig_out && write_sig_out(s)) {
			remove(s->c.out);
			rc = -1;
		}
	}
done:
	free_state(s);
	free(s);
	return rc ? keel_fail_last(CMD) : 0;
}
