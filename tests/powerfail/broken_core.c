/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A deliberately broken keel-boot for the test of the test: linked with
 * -Wl,--wrap=keel_trailer_write_record, it silently skips writing swap
 * status record 1 (and reports success), as a core with one status write
 * missing would. The power-loss matrix must catch it.
 */
#include <stdint.h>

struct keel_trailer;   /* opaque here: core/trailer.h */

int __real_keel_trailer_write_record(const struct keel_trailer *t, uint32_t index, uint8_t value);
int __wrap_keel_trailer_write_record(const struct keel_trailer *t, uint32_t index, uint8_t value);

int __wrap_keel_trailer_write_record(const struct keel_trailer *t, uint32_t index, uint8_t value)
{
	if (index == 1)
		return 0;
	return __real_keel_trailer_write_record(t, index, value);
}
