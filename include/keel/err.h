/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one error type of Keel.
 *
 * Every function that can fail returns an int: 0 (KEEL_OK) on success, a
 * negative enum keel_err value on failure, and, where documented, a positive
 * value meaning "success, with a count" (bytes read, entries found).
 * Values follow errno so that a host tool can print strerror-like text and a
 * port can pass driver errors through without translation tables.
 *
 * Why an image was refused is not an error code: validation returns
 * KEEL_EBADIMG and reports a finer enum keel_reason (include/keel/image.h),
 * so logs and tests can name the exact defect.
 */
#ifndef KEEL_ERR_H
#define KEEL_ERR_H

enum keel_err {
	KEEL_OK = 0,
	KEEL_ENOENT = -2,     /* nothing there: empty slot, no such TLV, no key */
	KEEL_EIO = -5,        /* the flash driver or a peripheral reported a failure */
	KEEL_EACCES = -13,    /* signature or MAC did not verify */
	KEEL_EFAULT = -14,    /* read back differs from what was written */
	KEEL_EBUSY = -16,     /* operation refused in the current state */
	KEEL_EINVAL = -22,    /* argument outside the documented contract */
	KEEL_ENOSPC = -28,    /* does not fit: buffer, slot, counter capacity */
	KEEL_ERANGE = -34,    /* offset/length outside an area, or arithmetic overflow */
	KEEL_EBADIMG = -74,   /* malformed image (EBADMSG); see enum keel_reason */
	KEEL_ECORRUPT = -84,  /* persistent state unreadable (EILSEQ): trailer, status */
	KEEL_ENOTSUP = -95,   /* algorithm or feature not built in */
	KEEL_ETIMEDOUT = -110,/* a device did not answer in time */
	KEEL_ESTALE = -116,   /* downgrade refused: version or security counter */
};

/* Short stable name of an error, e.g. "EIO"; "E?" for unknown values. */
const char *keel_strerror(int err);

#endif
