/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a board gives keel-boot besides flash: console, recovery trigger,
 * reset, watchdog, NV counters and time. A port fills one struct keel_port
 * and passes it to keel_boot() together with its layout (boot.h). Nothing
 * else of the board is visible to the core.
 *
 * Mandatory: console_write, reset. Optional (NULL = absent): the rest, with
 * the documented meaning of absence.
 */
#ifndef KEEL_PORT_H
#define KEEL_PORT_H

#include <stdint.h>
#include <stddef.h>

/*
 * Monotonic NV counters for rollback protection, one per image. On real
 * parts these are eFuses or OTP words, hence "advance" and "capacity":
 * a counter can only grow and only up to a limit.
 */
struct keel_nv_counter_ops {
	/* Largest value the counter can hold (e.g. 16 for a 16-bit thermometer eFuse). */
	uint32_t (*capacity)(void *ctx, uint32_t image);
	int (*read)(void *ctx, uint32_t image, uint32_t *value);
	/* Makes the counter >= value; never lowers it. KEEL_ENOSPC past capacity. */
	int (*advance)(void *ctx, uint32_t image, uint32_t value);
	void *ctx;
};

struct keel_port {
	/* Console (boot log and serial recovery). */
	void (*console_write)(const void *buf, size_t len);
	/*
	 * Reads up to len bytes, waiting at most timeout_ms for the first.
	 * Returns bytes read (0 on timeout) or a negative keel_err.
	 * NULL: no serial recovery on this board.
	 */
	int (*console_read)(void *buf, size_t len, uint32_t timeout_ms);

	/* Recovery trigger (button, strap, retained flag). NULL: never held. */
	int (*recovery_requested)(void);
	/* How long serial recovery listens for a first frame when the trigger
	 * is not held but recovery is configured; 0 for no wait. */
	uint32_t detect_window_ms;

	/* Milliseconds since an arbitrary start; NULL if the board has no timer. */
	uint32_t (*millis)(void);

	/* Feed the watchdog; called inside every copy, erase and hash loop. */
	void (*watchdog_feed)(void);

	/* Does not return. */
	void (*reset)(void);

	/* NULL: no security counter on this board (images with SEC_CNT boot
	 * without a rollback check only if the build allows it). */
	const struct keel_nv_counter_ops *nv_counter;
};

#endif
