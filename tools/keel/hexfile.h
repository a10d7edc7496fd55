/* SPDX-License-Identifier: Apache-2.0 */
/* Intel HEX input and output for `keel sign` (imgtool reads/writes .hex). */
#ifndef KEEL_TOOL_HEXFILE_H
#define KEEL_TOOL_HEXFILE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * Parses Intel HEX text into one contiguous image from the lowest to the
 * highest address, gaps filled with 0xff; *base = the lowest address.
 * Checks every record's checksum. what names the file in errors.
 */
int keel_hex_read(const uint8_t *text, size_t len, struct kbuf *bin, uint32_t *base,
		  const char *what);

/* Reads an image file: raw binary, or Intel HEX (by the .hex suffix) flattened. */
int keel_read_image_file(const char *path, struct kbuf *out);

struct keel_hex_seg {
	uint32_t addr;
	const uint8_t *data;
	size_t len;
};

/* Appends the segments (ascending, non-overlapping) as Intel HEX text. */
int keel_hex_write(struct kbuf *out, const struct keel_hex_seg *segs, size_t nsegs);

#endif
