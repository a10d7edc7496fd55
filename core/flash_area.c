/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition layer: bounds and alignment checks, then one call to the
 * device driver. Nothing here retries or hides a driver error.
 */
#include <string.h>

#include "keel/err.h"
#include "keel/flash.h"

/* [off, off+len) inside the area, without wrapping. */
static int area_span_ok(const struct keel_area *a, uint32_t off, uint32_t len)
{
	return off <= a->size && len <= a->size - off;
}

/* A driver may only return 0 or a negative keel_err; map anything else to EIO. */
static int driver_result(int rc)
{
	return rc > 0 ? KEEL_EIO : rc;
}

int keel_area_read(const struct keel_area *a, uint32_t off, void *buf, uint32_t len)
{
	if (!area_span_ok(a, off, len))
		return KEEL_ERANGE;
	if (len == 0)
		return 0;
	return driver_result(a->dev->ops->read(a->dev, a->off + off, buf, len));
}

int keel_area_write(const struct keel_area *a, uint32_t off, const void *buf, uint32_t len)
{
	uint32_t ws = a->dev->write_size;

	if (!area_span_ok(a, off, len))
		return KEEL_ERANGE;
	if ((a->off + off) % ws || len % ws)
		return KEEL_EINVAL;
	if (len == 0)
		return 0;
	return driver_result(a->dev->ops->prog(a->dev, a->off + off, buf, len));
}

/* Finds the sector holding device offset dev_off. */
static int device_sector_at(const struct keel_flash *dev, uint32_t dev_off,
			    uint32_t *start, uint32_t *size)
{
	uint32_t base = 0;

	for (uint32_t r = 0; r < dev->n_runs; r++) {
		const struct keel_sector_run *run = &dev->runs[r];
		uint64_t run_len = (uint64_t)run->count * run->size;

		if (dev_off < base + run_len) {
			uint32_t idx = (dev_off - base) / run->size;

			*start = base + idx * run->size;
			*size = run->size;
			return 0;
		}
		base += (uint32_t)run_len;
	}
	return KEEL_ERANGE;
}

static int is_sector_boundary(const struct keel_flash *dev, uint32_t dev_off)
{
	uint32_t start, size;

	if (dev_off == dev->size)
		return 1;
	return device_sector_at(dev, dev_off, &start, &size) == 0 && start == dev_off;
}

int keel_area_erase(const struct keel_area *a, uint32_t off, uint32_t len)
{
	if (!area_span_ok(a, off, len))
		return KEEL_ERANGE;
	if (!is_sector_boundary(a->dev, a->off + off) ||
	    !is_sector_boundary(a->dev, a->off + off + len))
		return KEEL_EINVAL;
	if (len == 0)
		return 0;
	return driver_result(a->dev->ops->erase(a->dev, a->off + off, len));
}

uint32_t keel_area_write_size(const struct keel_area *a)
{
	return a->dev->write_size;
}

uint8_t keel_area_erased_val(const struct keel_area *a)
{
	return a->dev->erased_val;
}

int keel_area_sector_at(const struct keel_area *a, uint32_t off, struct keel_sector *out)
{
	uint32_t start, size;
	int rc;

	if (off >= a->size)
		return KEEL_ERANGE;
	if (!is_sector_boundary(a->dev, a->off) ||
	    !is_sector_boundary(a->dev, a->off + a->size))
		return KEEL_EINVAL;
	rc = device_sector_at(a->dev, a->off + off, &start, &size);
	if (rc)
		return rc;
	out->off = start - a->off;
	out->size = size;
	return 0;
}

int keel_area_sector_count(const struct keel_area *a)
{
	struct keel_sector s;
	uint32_t off = 0;
	int n = 0;

	while (off < a->size) {
		int rc = keel_area_sector_at(a, off, &s);

		if (rc)
			return rc;
		off = s.off + s.size;
		n++;
	}
	return n;
}

int keel_area_is_erased(const struct keel_area *a, uint32_t off, uint32_t len)
{
	uint8_t buf[64];
	uint8_t ev = a->dev->erased_val;

	while (len) {
		uint32_t n = len < sizeof(buf) ? len : sizeof(buf);
		int rc = keel_area_read(a, off, buf, n);

		if (rc)
			return rc;
		for (uint32_t i = 0; i < n; i++)
			if (buf[i] != ev)
				return 0;
		off += n;
		len -= n;
	}
	return 1;
}

int keel_area_write_padded(const struct keel_area *a, uint32_t off, const void *buf, uint32_t len)
{
	uint32_t ws = a->dev->write_size;
	uint32_t whole = len - len % ws;
	uint8_t tail[256];
	int rc;

	if (ws > sizeof(tail))
		return KEEL_EINVAL;
	rc = keel_area_write(a, off, buf, whole);
	if (rc || whole == len)
		return rc;
	memset(tail, a->dev->erased_val, ws);
	memcpy(tail, (const uint8_t *)buf + whole, len - whole);
	return keel_area_write(a, off + whole, tail, ws);
}
