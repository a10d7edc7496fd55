/* SPDX-License-Identifier: Apache-2.0 */
/*
 * P-256 arithmetic shared by ECDSA verify and ECDH: numbers mod p and n,
 * Jacobian point doubling and mixed addition, point decoding.
 *
 * Design (docs/crypto.md "ECDSA P-256"): 8 x 32-bit limbs, schoolbook
 * multiplication and squaring, the Solinas reduction for p (FIPS 186-4
 * D.2.3). On ARMv6-M, where C cannot reach the carry flag or a 64-bit
 * product, small Thumb-1 routines do the product, the square, 256-bit
 * add/sub and the reduction sums; the file-level #if picks them by ISA.
 * Inversion is the binary extended Euclid, which is variable time and
 * therefore only ever sees public values; ECDH inverts its
 * secret-dependent Z by Fermat in its own file.
 */
#include <string.h>

#include "p256_field.h"

const p256_num p256_p = {
	0xffffffff, 0xffffffff, 0xffffffff, 0x00000000,
	0x00000000, 0x00000000, 0x00000001, 0xffffffff,
};

const p256_num p256_n = {
	0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad,
	0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
};

static const p256_num p256_b = {
	0x27d2604b, 0x3bce3c3e, 0xcc53b0f6, 0x651d06b0,
	0x769886bc, 0xb3ebbd55, 0xaa3a93e7, 0x5ac635d8,
};

/* c = a * b and c = a^2, 512 bits. */
static void mul_256(uint32_t c[16], const p256_num a, const p256_num b);
static void sqr_256(uint32_t c[16], const p256_num a);

#if defined(__ARM_ARCH_6M__)
/*
 * ARMv6-M (Cortex-M0) has only MULS (32 x 32 -> 32); C that asks for 64-bit
 * products gets libgcc calls and, with 8 usable registers, constant
 * spilling. So on that ISA alone the product is this routine: product
 * scanning over 16-bit halves (little-endian, so halfword i of a number is
 * at byte 2i), one column at a time, 9 instructions per 16 x 16 product.
 * A column sum stays below 2^37, so its high word is reset per column.
 */
void p256_mul_256_v6m(uint32_t c[16], const uint32_t a[8], const uint32_t b[8]);

__asm__(
"	.section .text.p256_mul_256_v6m,\"ax\",%progbits\n"
"	.syntax unified\n"
"	.thumb\n"
"	.balign 2\n"
"	.global p256_mul_256_v6m\n"
"	.hidden p256_mul_256_v6m\n"
"	.thumb_func\n"
"	.type p256_mul_256_v6m, %function\n"
"p256_mul_256_v6m:\n"
"	push	{r4, r5, r6, r7, lr}\n"
"	mov	r4, r8\n"
"	mov	r5, r9\n"
"	mov	r6, r10\n"
"	mov	r7, r11\n"
"	push	{r4, r5, r6, r7}\n"
"	mov	r8, r0\n"            /* next output halfword */
"	mov	r9, r1\n"            /* first a halfword of the column */
"	mov	r10, r2\n"           /* first b halfword of the column */
"	adds	r3, r1, #2\n"
"	mov	r11, r3\n"           /* end of the column's run over a */
"	movs	r3, #32\n"
"	adds	r3, r3, r1\n"
"	mov	r12, r3\n"           /* end of a */
"	movs	r2, #0\n"            /* column sum, low word */
"	movs	r7, #0\n"
"1:	mov	r0, r9\n"
"	mov	r1, r10\n"
"	mov	r6, r11\n"
"	movs	r3, #0\n"            /* column sum, high word */
"2:	ldrh	r4, [r0]\n"
"	ldrh	r5, [r1]\n"
"	muls	r4, r5, r4\n"
"	adds	r2, r2, r4\n"
"	adcs	r3, r3, r7\n"
"	adds	r0, r0, #2\n"
"	subs	r1, r1, #2\n"
"	cmp	r0, r6\n"
"	bne	2b\n"
"	mov	r4, r8\n"
"	strh	r2, [r4]\n"
"	adds	r4, r4, #2\n"
"	mov	r8, r4\n"
"	lsrs	r2, r2, #16\n"
"	lsls	r3, r3, #16\n"
"	orrs	r2, r2, r3\n"
"	mov	r4, r12\n"
"	cmp	r6, r4\n"
"	beq	3f\n"
"	mov	r4, r10\n"           /* columns 0..14: b start and a end move up */
"	adds	r4, r4, #2\n"
"	mov	r10, r4\n"
"	adds	r6, r6, #2\n"
"	mov	r11, r6\n"
"	b	1b\n"
"3:	mov	r4, r9\n"            /* columns 15..30: a start moves up */
"	adds	r4, r4, #2\n"
"	cmp	r4, r6\n"
"	beq	4f\n"
"	mov	r9, r4\n"
"	b	1b\n"
"4:	mov	r4, r8\n"
"	strh	r2, [r4]\n"
"	pop	{r4, r5, r6, r7}\n"
"	mov	r8, r4\n"
"	mov	r9, r5\n"
"	mov	r10, r6\n"
"	mov	r11, r7\n"
"	pop	{r4, r5, r6, r7, pc}\n"
"	.size p256_mul_256_v6m, .-p256_mul_256_v6m\n"
"	.text\n");

/*
 * Squaring: per column, the products a_i a_j with i < j once (the two
 * pointers run towards each other), doubled, plus a_i^2 when they meet,
 * plus the carry from the column before. About half the products of
 * p256_mul_256_v6m.
 */
void p256_sqr_256_v6m(uint32_t c[16], const uint32_t a[8]);

__asm__(
"	.section .text.p256_sqr_256_v6m,\"ax\",%progbits\n"
"	.syntax unified\n"
"	.thumb\n"
"	.balign 2\n"
"	.global p256_sqr_256_v6m\n"
"	.hidden p256_sqr_256_v6m\n"
"	.thumb_func\n"
"	.type p256_sqr_256_v6m, %function\n"
"p256_sqr_256_v6m:\n"
"	push	{r4, r5, r6, r7, lr}\n"
"	mov	r4, r8\n"
"	mov	r5, r9\n"
"	mov	r6, r10\n"
"	mov	r7, r11\n"
"	push	{r4, r5, r6, r7}\n"
"	mov	r8, r0\n"            /* next output halfword */
"	mov	r9, r1\n"            /* low pointer's start */
"	mov	r10, r1\n"           /* high pointer's start */
"	movs	r3, #30\n"
"	adds	r3, r3, r1\n"
"	mov	r11, r3\n"           /* a + 30: last halfword */
"	adds	r3, r3, #2\n"
"	mov	r12, r3\n"           /* a + 32: end */
"	movs	r6, #0\n"            /* carry into the column */
"	movs	r7, #0\n"
"1:	mov	r0, r9\n"
"	mov	r1, r10\n"
"	movs	r2, #0\n"
"	movs	r3, #0\n"
"	b	3f\n"
"2:	ldrh	r4, [r0]\n"
"	ldrh	r5, [r1]\n"
"	muls	r4, r5, r4\n"
"	adds	r2, r2, r4\n"
"	adcs	r3, r3, r7\n"
"	adds	r0, r0, #2\n"
"	subs	r1, r1, #2\n"
"3:	cmp	r0, r1\n"
"	blo	2b\n"
"	adds	r2, r2, r2\n"
"	adcs	r3, r3, r3\n"
"	cmp	r0, r1\n"
"	bne	4f\n"
"	ldrh	r4, [r0]\n"
"	muls	r4, r4, r4\n"
"	adds	r2, r2, r4\n"
"	adcs	r3, r3, r7\n"
"4:	adds	r2, r2, r6\n"
"	adcs	r3, r3, r7\n"
"	mov	r4, r8\n"
"	strh	r2, [r4]\n"
"	adds	r4, r4, #2\n"
"	mov	r8, r4\n"
"	lsrs	r6, r2, #16\n"
"	lsls	r3, r3, #16\n"
"	orrs	r6, r6, r3\n"
"	mov	r4, r10\n"
"	cmp	r4, r11\n"
"	beq	5f\n"
"	adds	r4, r4, #2\n"        /* columns 0..14: high start moves up */
"	mov	r10, r4\n"
"	b	1b\n"
"5:	mov	r4, r9\n"            /* columns 15..30: low start moves up */
"	adds	r4, r4, #2\n"
"	cmp	r4, r12\n"
"	beq	6f\n"
"	mov	r9, r4\n"
"	b	1b\n"
"6:	mov	r4, r8\n"
"	strh	r6, [r4]\n"
"	pop	{r4, r5, r6, r7}\n"
"	mov	r8, r4\n"
"	mov	r9, r5\n"
"	mov	r10, r6\n"
"	mov	r11, r7\n"
"	pop	{r4, r5, r6, r7, pc}\n"
"	.size p256_sqr_256_v6m, .-p256_sqr_256_v6m\n"
"	.text\n");

/*
 * 256-bit add and subtract with the carry chain in the flags (LDM/STM
 * leave them alone); C cannot express ADCS/SBCS and pays 3-4x for it here.
 */
uint32_t p256_add_v6m(uint32_t r[8], const uint32_t a[8], const uint32_t b[8]);
uint32_t p256_sub_v6m(uint32_t r[8], const uint32_t a[8], const uint32_t b[8]);

#define V6M_STEP(op)                                  \
	"	ldmia	r1!, {r3, r4}\n"                       \
	"	ldmia	r2!, {r5, r6}\n"                       \
	"	" op "	r3, r3, r5\n"                          \
	"	" op "	r4, r4, r6\n"                          \
	"	stmia	r0!, {r3, r4}\n"
#define V6M_FUNC(name, first, rest, tail)             \
	"	.section .text." name ",\"ax\",%progbits\n"   \
	"	.syntax unified\n"                             \
	"	.thumb\n"                                      \
	"	.balign 2\n"                                   \
	"	.global " name "\n"                            \
	"	.hidden " name "\n"                            \
	"	.thumb_func\n"                                 \
	"	.type " name ", %function\n"                   \
	name ":\n"                                         \
	"	push	{r4, r5, r6, lr}\n"                    \
	"	ldmia	r1!, {r3, r4}\n"                       \
	"	ldmia	r2!, {r5, r6}\n"                       \
	"	" first "	r3, r3, r5\n"                      \
	"	" rest "	r4, r4, r6\n"                      \
	"	stmia	r0!, {r3, r4}\n"                       \
	V6M_STEP(rest) V6M_STEP(rest) V6M_STEP(rest)       \
	tail                                               \
	"	pop	{r4, r5, r6, pc}\n"                        \
	"	.size " name ", .-" name "\n"                  \
	"	.text\n"

/* Carry out: 0 + 0 + C. Borrow out: C clear means a borrow. */
__asm__(V6M_FUNC("p256_add_v6m", "adds", "adcs",
		 "	movs	r0, #0\n"
		 "	adcs	r0, r0, r0\n"));
__asm__(V6M_FUNC("p256_sub_v6m", "subs", "sbcs",
		 "	sbcs	r0, r0, r0\n"
		 "	rsbs	r0, r0, #0\n"));

static void mul_256(uint32_t c[16], const p256_num a, const p256_num b)
{
	p256_mul_256_v6m(c, a, b);
}

static void sqr_256(uint32_t c[16], const p256_num a)
{
	p256_sqr_256_v6m(c, a);
}

uint32_t p256_add(p256_num r, const p256_num a, const p256_num b)
{
	return p256_add_v6m(r, a, b);
}

uint32_t p256_sub(p256_num r, const p256_num a, const p256_num b)
{
	return p256_sub_v6m(r, a, b);
}
#else
/* Operand scanning; compilers map the 64-bit products to UMULL/UMLAL. */
static void mul_256(uint32_t c[16], const p256_num a, const p256_num b)
{
	memset(c, 0, P256_LIMBS * sizeof(c[0]));
	for (int i = 0; i < P256_LIMBS; i++) {
		uint32_t carry = 0;

		for (int j = 0; j < P256_LIMBS; j++) {
			uint64_t v = (uint64_t)a[i] * b[j] + c[i + j] + carry;

			c[i + j] = (uint32_t)v;
			carry = (uint32_t)(v >> 32);
		}
		c[i + P256_LIMBS] = carry;
	}
}

/* The products a_i a_j with i < j once, doubled, plus the squares a_i^2. */
static void sqr_256(uint32_t c[16], const p256_num a)
{
	uint64_t acc = 0;

	memset(c, 0, 16 * sizeof(c[0]));
	for (int i = 0; i < P256_LIMBS - 1; i++) {
		uint32_t carry = 0;

		for (int j = i + 1; j < P256_LIMBS; j++) {
			uint64_t v = (uint64_t)a[i] * a[j] + c[i + j] + carry;

			c[i + j] = (uint32_t)v;
			carry = (uint32_t)(v >> 32);
		}
		c[i + P256_LIMBS] = carry;
	}
	for (int i = 0; i < P256_LIMBS; i++) {
		uint64_t sq = (uint64_t)a[i] * a[i];

		acc += 2 * (uint64_t)c[2 * i] + (uint32_t)sq;
		c[2 * i] = (uint32_t)acc;
		acc >>= 32;
		acc += 2 * (uint64_t)c[2 * i + 1] + (sq >> 32);
		c[2 * i + 1] = (uint32_t)acc;
		acc >>= 32;
	}
}

uint32_t p256_add(p256_num r, const p256_num a, const p256_num b)
{
	uint64_t c = 0;

	for (int i = 0; i < P256_LIMBS; i++) {
		c += (uint64_t)a[i] + b[i];
		r[i] = (uint32_t)c;
		c >>= 32;
	}
	return (uint32_t)c;
}

uint32_t p256_sub(p256_num r, const p256_num a, const p256_num b)
{
	int64_t c = 0;

	for (int i = 0; i < P256_LIMBS; i++) {
		c += (int64_t)a[i] - b[i];
		r[i] = (uint32_t)c;
		c >>= 32;   /* arithmetic: 0 or -1 */
	}
	return (uint32_t)c & 1;
}
#endif

void p256_from_bytes(p256_num r, const uint8_t in[32])
{
	for (int i = 0; i < P256_LIMBS; i++) {
		const uint8_t *q = in + 28 - 4 * i;

		r[i] = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
		       (uint32_t)q[2] << 8 | q[3];
	}
}

void p256_to_bytes(uint8_t out[32], const p256_num a)
{
	for (int i = 0; i < P256_LIMBS; i++) {
		uint8_t *q = out + 28 - 4 * i;

		q[0] = (uint8_t)(a[i] >> 24);
		q[1] = (uint8_t)(a[i] >> 16);
		q[2] = (uint8_t)(a[i] >> 8);
		q[3] = (uint8_t)a[i];
	}
}

uint32_t p256_lt(const p256_num a, const p256_num m)
{
	p256_num t;

	return p256_sub(t, a, m);
}

uint32_t p256_is_zero(const p256_num a)
{
	uint32_t x = 0;

	for (int i = 0; i < P256_LIMBS; i++)
		x |= a[i];
	return ((x | (0u - x)) >> 31) ^ 1;
}

/* r = mask ? a : r, mask all-ones or zero. */
static void select_num(p256_num r, const p256_num a, uint32_t mask)
{
	for (int i = 0; i < P256_LIMBS; i++)
		r[i] ^= (r[i] ^ a[i]) & mask;
}

/*
 * a + b - m is right when the sum carried out or did not go below m. One
 * pass forms both a + b and a + b - m: where the carry chain is in the
 * flags (ARMv6-M) two calls are cheaper; elsewhere the fused loop is.
 */
#if defined(__ARM_ARCH_6M__)
void p256_add_mod(p256_num r, const p256_num a, const p256_num b, const p256_num m)
{
	p256_num t;
	uint32_t c = p256_add(r, a, b);
	uint32_t borrow = p256_sub(t, r, m);

	select_num(r, t, 0u - (c | (borrow ^ 1)));
}
#else
void p256_add_mod(p256_num r, const p256_num a, const p256_num b, const p256_num m)
{
	p256_num t;
	uint64_t c = 0;
	int64_t d = 0;

	for (int i = 0; i < P256_LIMBS; i++) {
		c += (uint64_t)a[i] + b[i];
		d += (int64_t)(uint32_t)c - m[i];
		r[i] = (uint32_t)c;
		t[i] = (uint32_t)d;
		c >>= 32;
		d >>= 32;
	}
	/* d is now the borrow of the low 256 bits (0 or -1). */
	select_num(r, t, 0u - ((uint32_t)c | (((uint32_t)d & 1) ^ 1)));
}
#endif

void p256_sub_mod(p256_num r, const p256_num a, const p256_num b, const p256_num m)
{
	p256_num t;
	uint32_t mask = 0u - p256_sub(r, a, b);

	for (int i = 0; i < P256_LIMBS; i++)
		t[i] = m[i] & mask;
	p256_add(r, r, t);
}

/*
 * r + top * 2^256 mod p, as r + top * (2^256 - p) with
 * 2^256 - p = 2^224 - 2^192 - 2^96 + 1; returns the new top word.
 */
static int32_t fold(p256_num r, int32_t top)
{
	int64_t acc = (int64_t)r[0] + top;

	r[0] = (uint32_t)acc;
	acc = (acc >> 32) + r[1];
	r[1] = (uint32_t)acc;
	acc = (acc >> 32) + r[2];
	r[2] = (uint32_t)acc;
	acc = (acc >> 32) + r[3] - top;
	r[3] = (uint32_t)acc;
	acc = (acc >> 32) + r[4];
	r[4] = (uint32_t)acc;
	acc = (acc >> 32) + r[5];
	r[5] = (uint32_t)acc;
	acc = (acc >> 32) + r[6] - top;
	r[6] = (uint32_t)acc;
	acc = (acc >> 32) + r[7] + top;
	r[7] = (uint32_t)acc;
	return (int32_t)(acc >> 32);
}

/*
 * Solinas reduction (FIPS 186-4 D.2.3): with the product as words c0..c15,
 * the result is T + 2 S1 + 2 S2 + S3 + S4 - D1 - D2 - D3 - D4.
 * reduce_words() sums that per output word into r and returns the signed
 * top word: written out in C, or table-driven on ARMv6-M, where the
 * written-out C is about 300 bytes bigger (6% faster, but the code-size
 * target has no room for it).
 * The signed sum lies in (-4 * 2^256, 6 * 2^256). One
 * fold leaves a top word in {-1, 0, 1}; a second fold cannot carry again
 * (the part below 2^256 is then small, resp. large, enough), and one
 * conditional subtraction brings [0, 2^256) into [0, p).
 */
#if defined(__ARM_ARCH_6M__)
/*
 * Per output word j: c_j plus the high words added, minus those
 * subtracted. Each word is a header byte (count added << 4 | count
 * subtracted, both nonzero) and then the byte offsets of those words from
 * c8, the added ones first.
 */
#define W(i) (((i) - 8) << 2)
static const uint8_t red_terms[] = {
	0x24, W(8), W(9), W(11), W(12), W(13), W(14),
	0x24, W(9), W(10), W(12), W(13), W(14), W(15),
	0x23, W(10), W(11), W(13), W(14), W(15),
	0x53, W(11), W(11), W(12), W(12), W(13), W(15), W(8), W(9),
	0x52, W(12), W(12), W(13), W(13), W(14), W(9), W(10),
	0x52, W(13), W(13), W(14), W(14), W(15), W(10), W(11),
	0x62, W(14), W(14), W(14), W(15), W(15), W(13), W(8), W(9),
	0x44, W(15), W(15), W(15), W(8), W(10), W(11), W(12), W(13),
};
#undef W

int32_t p256_red_v6m(uint32_t r[8], const uint32_t c[16], const uint8_t *terms);

/* The signed accumulator is r2 (low) : r3 (high); r6 points at c8. */
__asm__(
"	.section .text.p256_red_v6m,\"ax\",%progbits\n"
"	.syntax unified\n"
"	.thumb\n"
"	.balign 2\n"
"	.global p256_red_v6m\n"
"	.hidden p256_red_v6m\n"
"	.thumb_func\n"
"	.type p256_red_v6m, %function\n"
"p256_red_v6m:\n"
"	push	{r4, r5, r6, r7, lr}\n"
"	mov	r4, r8\n"
"	push	{r4}\n"
"	mov	r8, r0\n"
"	movs	r6, #32\n"
"	adds	r6, r6, r1\n"
"	mov	r0, r1\n"
"	mov	r1, r2\n"
"	movs	r2, #0\n"
"	movs	r3, #0\n"
"	movs	r7, #0\n"
"1:	ldmia	r0!, {r4}\n"         /* + c_j */
"	adds	r2, r2, r4\n"
"	adcs	r3, r3, r7\n"
"	ldrb	r4, [r1]\n"
"	adds	r1, r1, #1\n"
"	mov	r12, r4\n"
"	lsrs	r4, r4, #4\n"
"2:	ldrb	r5, [r1]\n"          /* the added words */
"	adds	r1, r1, #1\n"
"	ldr	r5, [r6, r5]\n"
"	adds	r2, r2, r5\n"
"	adcs	r3, r3, r7\n"
"	subs	r4, r4, #1\n"
"	bne	2b\n"
"	mov	r4, r12\n"
"	lsls	r4, r4, #28\n"
"	lsrs	r4, r4, #28\n"
"3:	ldrb	r5, [r1]\n"          /* the subtracted words */
"	adds	r1, r1, #1\n"
"	ldr	r5, [r6, r5]\n"
"	subs	r2, r2, r5\n"
"	sbcs	r3, r3, r7\n"
"	subs	r4, r4, #1\n"
"	bne	3b\n"
"	mov	r4, r8\n"
"	stmia	r4!, {r2}\n"
"	mov	r8, r4\n"
"	movs	r2, r3\n"            /* acc >>= 32, arithmetic */
"	asrs	r3, r3, #31\n"
"	cmp	r0, r6\n"
"	bne	1b\n"
"	movs	r0, r2\n"
"	pop	{r4}\n"
"	mov	r8, r4\n"
"	pop	{r4, r5, r6, r7, pc}\n"
"	.size p256_red_v6m, .-p256_red_v6m\n"
"	.text\n");

static int32_t reduce_words(p256_num r, const uint32_t c[16])
{
	return p256_red_v6m(r, c, red_terms);
}
#endif

#if !defined(__ARM_ARCH_6M__)
static int32_t reduce_words(p256_num r, const uint32_t c[16])
{
	int64_t acc;

	acc = (int64_t)c[0] + c[8] + c[9] - c[11] - c[12] - c[13] - c[14];
	r[0] = (uint32_t)acc;
	acc >>= 32;
	acc += (int64_t)c[1] + c[9] + c[10] - c[12] - c[13] - c[14] - c[15];
	r[1] = (uint32_t)acc;
	acc >>= 32;
	acc += (int64_t)c[2] + c[10] + c[11] - c[13] - c[14] - c[15];
	r[2] = (uint32_t)acc;
	acc >>= 32;
	acc += (int64_t)c[3] + 2 * ((int64_t)c[11] + c[12]) + c[13] - c[15] - c[8] - c[9];
	r[3] = (uint32_t)acc;
	acc >>= 32;
	acc += (int64_t)c[4] + 2 * ((int64_t)c[12] + c[13]) + c[14] - c[9] - c[10];
	r[4] = (uint32_t)acc;
	acc >>= 32;
	acc += (int64_t)c[5] + 2 * ((int64_t)c[13] + c[14]) + c[15] - c[10] - c[11];
	r[5] = (uint32_t)acc;
	acc >>= 32;
	acc += (int64_t)c[6] + 3 * (int64_t)c[14] + 2 * (int64_t)c[15] + c[13] - c[8] - c[9];
	r[6] = (uint32_t)acc;
	acc >>= 32;
	acc += (int64_t)c[7] + 3 * (int64_t)c[15] + c[8] - c[10] - c[11] - c[12] - c[13];
	r[7] = (uint32_t)acc;
	acc >>= 32;
	return (int32_t)acc;
}
#endif

static void reduce(p256_num r, const uint32_t c[16])
{
	p256_num t;
	uint32_t borrow;

	fold(r, fold(r, reduce_words(r, c)));
	borrow = p256_sub(t, r, p256_p);
	select_num(r, t, borrow - 1);
}

void p256_fe_mul(p256_num r, const p256_num a, const p256_num b)
{
	uint32_t c[16];

	mul_256(c, a, b);
	reduce(r, c);
}

void p256_fe_sqr(p256_num r, const p256_num a)
{
	uint32_t c[16];

	sqr_256(c, a);
	reduce(r, c);
}

static void shr1(p256_num a, uint32_t top)
{
	for (int i = 0; i < P256_LIMBS - 1; i++)
		a[i] = (a[i] >> 1) | (a[i + 1] << 31);
	a[P256_LIMBS - 1] = (a[P256_LIMBS - 1] >> 1) | (top << 31);
}

/* x / 2 mod m (m odd): add m first when x is odd. Variable time. */
static void halve_mod(p256_num x, const p256_num m)
{
	uint32_t c = 0;

	if (x[0] & 1)
		c = p256_add(x, x, m);
	shr1(x, c);
}

static int is_one(const p256_num a)
{
	uint32_t x = a[0] ^ 1;

	for (int i = 1; i < P256_LIMBS; i++)
		x |= a[i];
	return x == 0;
}

/* Invariants: x1 * a == num * u and x2 * a == num * v (mod m). */
int p256_div_var(p256_num r, const p256_num num, const p256_num a, const p256_num m)
{
	p256_num u, v, x1, x2, t;

	if (p256_is_zero(a))
		return -1;
	memcpy(u, a, sizeof(u));
	memcpy(v, m, sizeof(v));
	memcpy(x1, num, sizeof(x1));
	memset(x2, 0, sizeof(x2));
	for (;;) {
		while (!(u[0] & 1)) {
			shr1(u, 0);
			halve_mod(x1, m);
		}
		while (!(v[0] & 1)) {
			shr1(v, 0);
			halve_mod(x2, m);
		}
		if (is_one(u)) {
			memcpy(r, x1, sizeof(x1));
			return 0;
		}
		if (is_one(v)) {
			memcpy(r, x2, sizeof(x2));
			return 0;
		}
		if (!p256_sub(t, u, v)) {
			memcpy(u, t, sizeof(t));
			p256_sub_mod(x1, x1, x2, m);
		} else {
			p256_sub(v, v, u);
			p256_sub_mod(x2, x2, x1, m);
		}
	}
}

static void fe_add(p256_num r, const p256_num a, const p256_num b)
{
	p256_add_mod(r, a, b, p256_p);
}

static void fe_sub(p256_num r, const p256_num a, const p256_num b)
{
	p256_sub_mod(r, a, b, p256_p);
}

/* dbl-2001-b for a = -3, with Z3 = 2 Y Z: 3M + 5S. */
void p256_dbl(struct p256_jac *r, const struct p256_jac *a)
{
	p256_num delta, gamma, beta, alpha, t;

	p256_fe_sqr(delta, a->z);
	p256_fe_sqr(gamma, a->y);
	p256_fe_mul(beta, a->x, gamma);
	fe_sub(t, a->x, delta);
	fe_add(alpha, a->x, delta);
	p256_fe_mul(alpha, alpha, t);
	fe_add(t, alpha, alpha);
	fe_add(alpha, alpha, t);            /* 3 (X - delta)(X + delta) */
	p256_fe_mul(r->z, a->y, a->z);      /* a is not read after this */
	fe_add(r->z, r->z, r->z);
	fe_add(beta, beta, beta);
	fe_add(beta, beta, beta);           /* 4 beta */
	p256_fe_sqr(r->x, alpha);
	fe_add(t, beta, beta);
	fe_sub(r->x, r->x, t);
	fe_sub(t, beta, r->x);
	p256_fe_mul(t, alpha, t);
	p256_fe_sqr(gamma, gamma);
	fe_add(gamma, gamma, gamma);
	fe_add(gamma, gamma, gamma);
	fe_add(gamma, gamma, gamma);        /* 8 gamma^2 */
	fe_sub(r->y, t, gamma);
}

/* Jacobian + affine: 8M + 3S. */
int p256_madd(struct p256_jac *r, const struct p256_jac *a, const struct p256_aff *b)
{
	p256_num z2, u2, s2, h, rr, hh, hhh, v;
	uint32_t hz, rz;

	p256_fe_sqr(z2, a->z);
	p256_fe_mul(u2, b->x, z2);
	p256_fe_mul(s2, a->z, z2);
	p256_fe_mul(s2, s2, b->y);
	fe_sub(h, u2, a->x);
	fe_sub(rr, s2, a->y);
	hz = p256_is_zero(h);
	rz = p256_is_zero(rr);
	p256_fe_sqr(hh, h);
	p256_fe_mul(hhh, h, hh);
	p256_fe_mul(v, a->x, hh);
	p256_fe_mul(u2, a->y, hhh);         /* Y1 H^3 */
	p256_fe_mul(r->z, a->z, h);         /* a is not read after this */
	p256_fe_sqr(r->x, rr);
	fe_sub(r->x, r->x, hhh);
	fe_sub(r->x, r->x, v);
	fe_sub(r->x, r->x, v);
	fe_sub(v, v, r->x);
	p256_fe_mul(v, rr, v);
	fe_sub(r->y, v, u2);
	return (int)(hz * (2 - rz));
}

int p256_point_decode(struct p256_aff *r, const uint8_t in[65])
{
	p256_num lhs, rhs;
	uint32_t diff = 0;

	if (in[0] != 0x04)
		return -1;
	p256_from_bytes(r->x, in + 1);
	p256_from_bytes(r->y, in + 33);
	if (!p256_lt(r->x, p256_p) || !p256_lt(r->y, p256_p))
		return -1;
	p256_fe_sqr(lhs, r->y);
	p256_fe_sqr(rhs, r->x);
	p256_fe_mul(rhs, rhs, r->x);
	fe_sub(rhs, rhs, r->x);
	fe_sub(rhs, rhs, r->x);
	fe_sub(rhs, rhs, r->x);
	fe_add(rhs, rhs, p256_b);           /* x^3 - 3x + b */
	for (int i = 0; i < P256_LIMBS; i++)
		diff |= lhs[i] ^ rhs[i];
	return diff ? -1 : 0;
}
