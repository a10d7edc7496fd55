/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_calibrate: exactly 2004 instructions counted from the caller's BL to
 * this function's return (BL, 2 setup, 1000 x SUBS+BNE, BX), ARMv6-M only.
 * check_insncount.sh expects the plugin to count exactly that.
 */
	.syntax unified
	.thumb
	.text
	.global bench_calibrate
	.type bench_calibrate, %function
	.thumb_func
bench_calibrate:
	movs	r0, #250
	lsls	r0, r0, #2
1:	subs	r0, r0, #1
	bne	1b
	bx	lr
	.size bench_calibrate, . - bench_calibrate
