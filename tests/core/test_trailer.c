/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trailer layout per alignment, encode/decode with erased 0xff and 0x00,
 * torn fields, imgtool's --pad/--confirm trailers, and every row of the
 * swap-type table.
 */
#include <stdlib.h>
#include <string.h>

#include "../../core/trailer.h"
#include "coretest.h"
#include "keel/err.h"

static struct simflash *flash(uint32_t size, uint16_t w, uint8_t ev)
{
	struct simflash_geom g = { 0 };

	g.size = size;
	g.write_size = w;
	g.erased_val = ev;
	g.n_runs = 1;
	g.runs[0].count = size / 4096;
	g.runs[0].size = 4096;
	return simflash_new(&g);
}

static void offsets(void)
{
	/* mcuboot.md 2.1: offsets from the slot end per A, plain and swap-offset. */
	static const struct { uint32_t a, ok, cd, info, size, size_off; } want[] = {
		{ 8, 24, 32, 40, 48, 56 }, { 16, 32, 48, 64, 80, 96 }, { 32, 64, 96, 128, 160, 192 },
		{ 64, 128, 192, 256, 320, 384 }, { 256, 512, 768, 1024, 1280, 1536 },
	};
	struct keel_area a = { NULL, 0, 0x20000, 0 };
	struct simflash *sf = flash(0x20000, 1, 0xff);

	a.dev = simflash_dev(sf);
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct keel_trailer t, to;
		struct keel_trailer_params p = { want[i].a, want[i].a > 32 ? want[i].a : 4, 128, 3, 0, 0 };
		uint32_t S = a.size;

		CT_CHECK(keel_trailer_init(&t, &a, &p) == 0, "init A=%u", want[i].a);
		p.tlv_sizes = 1;
		p.states = 2;
		CT_CHECK(keel_trailer_init(&to, &a, &p) == 0, "init offset A=%u", want[i].a);
		CT_CHECK(t.magic_off == S - 16, "magic A=%u", want[i].a);
		CT_CHECK(t.image_ok_off == S - want[i].ok, "image_ok A=%u: S-%u", want[i].a,
			 S - t.image_ok_off);
		CT_CHECK(t.copy_done_off == S - want[i].cd, "copy_done A=%u", want[i].a);
		CT_CHECK(t.swap_info_off == S - want[i].info, "swap_info A=%u", want[i].a);
		CT_CHECK(t.swap_size_off == S - want[i].size, "swap_size A=%u", want[i].a);
		CT_CHECK(to.swap_size_off == S - want[i].size_off, "offset swap_size A=%u", want[i].a);
		CT_CHECK(to.tlv_sizes_off == S - want[i].size, "tlv sizes A=%u", want[i].a);
	}
	/* Trailer sizes imgtool computes (mcuboot.md 2.1, N = 128, swap-move/scratch). */
	struct { uint32_t w, a, size; } sz[] = { { 4, 8, 1584 }, { 8, 8, 3120 }, { 1, 8, 432 },
						 { 4, 32, 1696 } };
	for (unsigned i = 0; i < 4; i++) {
		struct keel_trailer_params p = { sz[i].a, sz[i].w, 128, 3, 0, 0 };

		CT_CHECK(keel_trailer_size(&p) == sz[i].size, "trailer size W=%u A=%u: %u", sz[i].w,
			 sz[i].a, keel_trailer_size(&p));
	}
	CT_CHECK(keel_trailer_align_ok(8, 16) != 0, "A=8 must be refused for W=16");
	CT_CHECK(keel_trailer_align_ok(32, 64) != 0, "A=32 must be refused for W=64");
	CT_CHECK(keel_trailer_align_ok(64, 64) == 0, "A=W=64 is Keel's extension");
	CT_CHECK(keel_trailer_align_ok(12, 4) != 0, "A=12 refused");
	simflash_free(sf);
}

static void magic_bytes(void)
{
	static const uint8_t a8[16] = { 0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f,
					0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80 };
	uint8_t m[16];

	keel_trailer_magic(8, m);
	CT_CHECK(memcmp(m, a8, 16) == 0, "A=8 magic");
	keel_trailer_magic(32, m);
	CT_CHECK(m[0] == 0x20 && m[1] == 0 && m[2] == 0x2d && m[15] == 0x8a, "A=32 magic");
	keel_trailer_magic(256, m);
	CT_CHECK(m[0] == 0x00 && m[1] == 0x01 && m[2] == 0x2d, "A=256 magic");
}

/* Writes and decodes every field at every (W, erased) pair; torn flags decode BAD. */
static void roundtrip(void)
{
	static const uint16_t ws[] = { 1, 4, 8, 16, 32, 64, 256 };

	for (unsigned wi = 0; wi < sizeof(ws) / sizeof(ws[0]); wi++)
		for (int e = 0; e < 2; e++) {
			uint8_t ev = e ? 0x00 : 0xff;
			struct simflash *sf = flash(0x8000, ws[wi], ev);
			struct keel_area a = { simflash_dev(sf), 0, 0x8000, 0 };
			struct keel_trailer t;
			struct keel_trailer_state st;
			struct keel_trailer_params p = { keel_trailer_align(0, ws[wi]), ws[wi], 8, 3, 16, 0 };
			uint32_t v;
			int er, rs;

			CT_CHECK(keel_trailer_init(&t, &a, &p) == 0, "init W=%u", ws[wi]);
			CT_CHECK(keel_trailer_read(&t, &st) == 0 && st.magic == KEEL_MAGIC_UNSET &&
				 st.image_ok == KEEL_FLAG_UNSET && st.copy_done == KEEL_FLAG_UNSET &&
				 st.swap_type == 0, "erased trailer W=%u ev=%x", ws[wi], ev);
			CT_CHECK(keel_trailer_write_flag(&t, t.swap_info_off, 0x12) == 0, "swap_info");
			CT_CHECK(keel_trailer_write_flag(&t, t.image_ok_off, 1) == 0, "image_ok");
			CT_CHECK(keel_trailer_write_u32(&t, t.swap_size_off, 0x12345) == 0, "swap_size");
			CT_CHECK(keel_trailer_write_record(&t, 5, 2) == 0, "record");
			CT_CHECK(keel_trailer_write_magic(&t) == 0, "magic");
			CT_CHECK(keel_trailer_read(&t, &st) == 0 && st.magic == KEEL_MAGIC_GOOD &&
				 st.image_ok == KEEL_FLAG_SET && st.copy_done == KEEL_FLAG_UNSET &&
				 st.swap_type == 2 && st.swap_image == 1, "decode W=%u ev=%x", ws[wi], ev);
			CT_CHECK(keel_trailer_read_u32(&t, t.swap_size_off, &v, &er) == 0 && v == 0x12345 &&
				 !er, "swap_size read");
			CT_CHECK(keel_trailer_read_record(&t, 5, 2, &rs) == 0 && rs == 1, "record done");
			CT_CHECK(keel_trailer_read_record(&t, 4, 1, &rs) == 0 && rs == 0, "record erased");
			/* The trial record: erased, complete, torn. */
			CT_CHECK(keel_trailer_read_trial(&t, 8, &rs) == 0 && rs == 0, "trial erased");
			CT_CHECK(keel_trailer_write_trial(&t, 8) == 0, "trial write W=%u", ws[wi]);
			CT_CHECK(keel_trailer_read_trial(&t, 8, &rs) == 0 && rs == 1, "trial complete");
			simflash_mem(sf)[t.status_off + 8 * t.wsize + 3] = ev;
			CT_CHECK(keel_trailer_read_trial(&t, 8, &rs) == 0 && rs == 2, "trial torn");
			/* A torn copy_done: some bits moved, not the value. */
			simflash_mem(sf)[t.copy_done_off] = ev == 0xff ? 0x7f : 0x40;
			simflash_mem(sf)[t.status_off + 6 * t.wsize] = ev == 0xff ? 0xf3 : 0x02;
			CT_CHECK(keel_trailer_read(&t, &st) == 0 && st.copy_done == KEEL_FLAG_BAD,
				 "torn copy_done W=%u", ws[wi]);
			CT_CHECK(keel_trailer_read_record(&t, 6, 1, &rs) == 0 && rs == 2, "torn record");
			/* Half-written magic (#1966) is BAD, never GOOD. */
			simflash_mem(sf)[t.magic_off + 15] ^= 0x01;
			CT_CHECK(keel_trailer_read(&t, &st) == 0 && st.magic == KEEL_MAGIC_BAD,
				 "torn magic W=%u", ws[wi]);
			CT_CHECK(simflash_violations(sf) == 0, "NOR violations W=%u", ws[wi]);
			simflash_free(sf);
		}
}

/* imgtool --pad / --confirm / --max-align 32 slots decode as MCUboot reads them. */
static void imgtool_trailers(void)
{
	static const struct { const char *file; uint32_t a; int ok; } v[] = {
		{ "signed-ec-p256-pad.bin", 8, KEEL_FLAG_UNSET },
		{ "signed-ec-p256-pad-confirm.bin", 8, KEEL_FLAG_SET },
		{ "signed-ec-p256-pad-confirm-maxalign32.bin", 32, KEEL_FLAG_SET },
	};

	for (unsigned i = 0; i < 3; i++) {
		size_t len;
		uint8_t *img = ct_read_file(ct_vector(v[i].file), &len);
		struct simflash *sf = flash(0x20000, 4, 0xff);
		struct keel_area a = { simflash_dev(sf), 0, 0x20000, 0 };
		struct keel_trailer t;
		struct keel_trailer_state st;
		struct keel_trailer_params p = { v[i].a, 4, 128, 3, 0, 0 };
		uint8_t row;

		CT_CHECK(len == 0x20000, "%s: padded to the slot (%zu)", v[i].file, len);
		simflash_program_image(sf, 0, img, (uint32_t)len);
		keel_trailer_init(&t, &a, &p);
		CT_CHECK(keel_trailer_read(&t, &st) == 0 && st.magic == KEEL_MAGIC_GOOD &&
			 (int)st.image_ok == v[i].ok && st.copy_done == KEEL_FLAG_UNSET,
			 "%s: trailer", v[i].file);
		p.align = v[i].a == 8 ? 32 : 8;
		keel_trailer_init(&t, &a, &p);
		CT_CHECK(keel_trailer_read(&t, &st) == 0 && st.magic == KEEL_MAGIC_BAD,
			 "%s: read with the other A must be BAD", v[i].file);
		/* In a secondary slot: TEST for --pad, PERM for --confirm. */
		struct keel_trailer_state pri = { 0 };
		p.align = v[i].a;
		keel_trailer_init(&t, &a, &p);
		keel_trailer_read(&t, &st);
		CT_CHECK(keel_swap_decide(&pri, &st, &row) ==
			 (v[i].ok == KEEL_FLAG_SET ? KEEL_SWAP_PERM : KEEL_SWAP_TEST), "%s: decision",
			 v[i].file);
		/* In a primary (factory image, MCUboot #829): nothing to do. */
		struct keel_trailer_state none = { 0 };
		CT_CHECK(keel_swap_decide(&st, &none, &row) == KEEL_SWAP_NONE && row == 0,
			 "%s: as primary must be NONE", v[i].file);
		simflash_free(sf);
		free(img);
	}
}

static struct keel_trailer_state ts(int magic, int ok, int cd)
{
	struct keel_trailer_state s = { 0 };

	s.magic = (enum keel_magic_state)magic;
	s.image_ok = (enum keel_flag_state)ok;
	s.copy_done = (enum keel_flag_state)cd;
	return s;
}

/* Every row, every combination: the table must match a direct reading of docs/design.md. */
static void table(void)
{
	unsigned counts[5] = { 0 };

	for (int pm = 0; pm < 3; pm++)
	for (int sm = 0; sm < 3; sm++)
	for (int po = 0; po < 3; po++)
	for (int so = 0; so < 3; so++)
	for (int pc = 0; pc < 3; pc++)
	for (int sc = 0; sc < 3; sc++) {
		struct keel_trailer_state p = ts(pm, po, pc), s = ts(sm, so, sc);
		enum keel_swap_type want = KEEL_SWAP_NONE, got;
		uint8_t row, want_row = 0;

		if (sm == KEEL_MAGIC_GOOD && so == KEEL_FLAG_UNSET && sc == KEEL_FLAG_SET)
			want = KEEL_SWAP_REVERT, want_row = 1;
		else if (sm == KEEL_MAGIC_GOOD && so == KEEL_FLAG_UNSET)
			want = KEEL_SWAP_TEST, want_row = 2;
		else if (sm == KEEL_MAGIC_GOOD && so == KEEL_FLAG_SET)
			want = KEEL_SWAP_PERM, want_row = 3;
		else if (pm == KEEL_MAGIC_GOOD && po == KEEL_FLAG_UNSET && pc != KEEL_FLAG_UNSET)
			want = KEEL_SWAP_REVERT, want_row = 4;
		got = keel_swap_decide(&p, &s, &row);
		CT_CHECK(got == want && row == want_row,
			 "table pm=%d sm=%d po=%d so=%d pc=%d sc=%d: got %d row %u", pm, sm, po, so,
			 pc, sc, got, row);
		counts[row]++;
	}
	for (int r = 1; r <= 4; r++)
		CT_CHECK(counts[r] > 0, "row %d never matched", r);
	printf("decision table: 729 combinations, rows I..IV matched %u/%u/%u/%u, none %u\n",
	       counts[1], counts[2], counts[3], counts[4], counts[0]);
}

/* The resume table against a direct reading of docs/design.md 3.1. */
static void resume_table(void)
{
	static const uint8_t recs[3] = { KEEL_REC_NONE, KEEL_REC_SOME, KEEL_REC_GAP };
	unsigned n = 0;

	for (int m = 0; m < 3; m++)
	for (int cd = 0; cd < 3; cd++)
	for (int v = 0; v < 2; v++)
	for (int ri = 0; ri < 3; ri++) {
		enum keel_resume_action want, got;
		uint8_t row, want_row;

		if (m != KEEL_MAGIC_GOOD)
			want = KEEL_RESUME_DECIDE, want_row = 1;
		else if (cd != KEEL_FLAG_UNSET)
			want = KEEL_RESUME_DECIDE, want_row = 2;
		else if (!v)
			want = KEEL_RESUME_DECIDE, want_row = 3;
		else if (recs[ri] == KEEL_REC_GAP)
			want = KEEL_RESUME_CORRUPT, want_row = 4;
		else if (recs[ri] == KEEL_REC_NONE)
			want = KEEL_RESUME_REDECIDE, want_row = 5;
		else
			want = KEEL_RESUME_CONTINUE, want_row = 6;
		got = keel_resume_decide((enum keel_magic_state)m, (enum keel_flag_state)cd, v,
					 v ? recs[ri] : 0, &row);
		CT_CHECK(got == want && row == want_row, "resume m=%d cd=%d v=%d rec=%u: %d row %u",
			 m, cd, v, recs[ri], got, row);
		n++;
	}
	printf("resume table: %u combinations\n", n);
}

int main(void)
{
	offsets();
	magic_bytes();
	roundtrip();
	imgtool_trailers();
	table();
	resume_table();
	if (ct_failures) {
		printf("test_trailer: %d failures\n", ct_failures);
		return 1;
	}
	printf("test_trailer: ok\n");
	return 0;
}
