/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel esp flash-image -o flash.bin [--size 4MB] OFFSET=FILE...`: a whole
 * flash file for the ESP32-C3 emulator (espqemu accepts exactly 2, 4, 8 or
 * 16 MiB), erased to 0xFF, with each FILE placed at its OFFSET. Parts that
 * overlap or run past the end are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp.h"

struct part {
	uint64_t off;
	const char *path;
	struct kbuf data;
};

enum { O_OUT = 1, O_SIZE };

int esp_cmd_flash(int argc, char **argv)
{
	static const struct kopt opts[] = {
		{ "output", 'o', 1, O_OUT }, { "size", 's', 1, O_SIZE },
		{ "flash-size", 0, 1, O_SIZE }, { NULL, 0, 0, 0 },
	};
	struct kopt_state st;
	struct part *parts = NULL;
	size_t np = 0;
	const char *outp = NULL;
	uint64_t size = 4u << 20;
	uint8_t *img = NULL;
	int id, rc = 1;

	kopt_init(&st, argc, argv);
	while ((id = kopt_next(&st, opts)) != KOPT_END) {
		if (id == KOPT_ERR) {
			rc = esp_usage("flash-image", "%s", keel_lasterr());
			goto out;
		}
		if (id == O_OUT)
			outp = st.val[0];
		if (id == O_SIZE) {
			if (esp_parse_size(st.val[0], &size) ||
			    (size != 2u << 20 && size != 4u << 20 && size != 8u << 20 && size != 16u << 20)) {
				rc = esp_usage("flash-image", "bad --size '%s' (the emulator takes 2MB, 4MB, "
					       "8MB or 16MB)", st.val[0]);
				goto out;
			}
		}
		if (id == KOPT_POS) {
			const char *eq = strchr(st.pos, '=');
			char num[32];
			struct part *nv;

			if (!eq || eq == st.pos || (size_t)(eq - st.pos) >= sizeof(num) || !eq[1]) {
				rc = esp_usage("flash-image", "bad part '%s' (OFFSET=FILE, e.g. 0x10000=app.bin)",
					       st.pos);
				goto out;
			}
			memcpy(num, st.pos, (size_t)(eq - st.pos));
			num[eq - st.pos] = '\0';
			nv = realloc(parts, (np + 1) * sizeof(*parts));
			if (!nv) {
				rc = keel_fail("esp", "flash-image: out of memory");
				goto out;
			}
			parts = nv;
			memset(&parts[np], 0, sizeof(parts[np]));
			parts[np].path = eq + 1;
			if (keel_parse_u64(num, &parts[np].off)) {
				rc = esp_usage("flash-image", "bad offset '%s' in '%s'", num, st.pos);
				goto out;
			}
			np++;
		}
	}
	if (!outp || !np) {
		rc = esp_usage("flash-image", "usage: keel esp flash-image -o flash.bin [--size 4MB] OFFSET=FILE...");
		goto out;
	}
	for (size_t i = 0; i < np; i++) {
		if (keel_read_file(parts[i].path, &parts[i].data)) {
			keel_fail("esp", "flash-image: %s", keel_lasterr());
			goto out;
		}
		if (parts[i].off > size || parts[i].data.len > size - parts[i].off) {
			keel_fail("esp", "flash-image: %s (0x%zx bytes at 0x%llx) runs past the end of "
				  "the 0x%llx-byte flash", parts[i].path, parts[i].data.len,
				  (unsigned long long)parts[i].off, (unsigned long long)size);
			goto out;
		}
		for (size_t j = 0; j < i; j++) {
			uint64_t a0 = parts[i].off, a1 = a0 + parts[i].data.len;
			uint64_t b0 = parts[j].off, b1 = b0 + parts[j].data.len;

			if (a0 < b1 && b0 < a1) {
				keel_fail("esp", "flash-image: %s [0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx)",
					  parts[i].path, (unsigned long long)a0, (unsigned long long)a1,
					  parts[j].path, (unsigned long long)b0, (unsigned long long)b1);
				goto out;
			}
		}
	}
	img = malloc((size_t)size);
	if (!img) {
		keel_fail("esp", "flash-image: out of memory");
		goto out;
	}
	memset(img, 0xFF, (size_t)size);
	for (size_t i = 0; i < np; i++)
		if (parts[i].data.len)
			memcpy(img + parts[i].off, parts[i].data.data, parts[i].data.len);
	if (keel_write_file(outp, img, (size_t)size, 0644)) {
		keel_fail("esp", "flash-image: %s", keel_lasterr());
		goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < np; i++)
		kbuf_free(&parts[i].data);
	free(parts);
	free(img);
	return rc;
}
