/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: arbitrary bytes on the console line. The receiver must
 * never read or write outside its buffers, and every packet it completes
 * must be no larger than the buffer and carry a header whose length field
 * the request path can check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keel/cbor.h"
#include "keel/smp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t buf[256];
	struct keel_smp_rx rx;

	keel_smp_rx_init(&rx, buf, sizeof(buf));
	for (size_t i = 0; i < size; i++) {
		size_t n = keel_smp_rx_byte(&rx, data[i]);

		if (n > sizeof(buf))
			abort();
		if (n >= KEEL_SMP_HDR_SIZE) {
			struct keel_smp_hdr h;
			struct keel_cbor_dec d;

			keel_smp_hdr_decode(&h, buf);
			keel_cbor_dec_init(&d, buf + KEEL_SMP_HDR_SIZE, n - KEEL_SMP_HDR_SIZE);
			keel_cbor_skip(&d);
		}
	}
	return 0;
}
