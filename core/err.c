/* SPDX-License-Identifier: Apache-2.0 */
#include "keel/err.h"

const char *keel_strerror(int err)
{
	switch (err) {
	case KEEL_OK: return "OK";
	case KEEL_ENOENT: return "ENOENT";
	case KEEL_EIO: return "EIO";
	case KEEL_EACCES: return "EACCES";
	case KEEL_EFAULT: return "EFAULT";
	case KEEL_EBUSY: return "EBUSY";
	case KEEL_EINVAL: return "EINVAL";
	case KEEL_ENOSPC: return "ENOSPC";
	case KEEL_ERANGE: return "ERANGE";
	case KEEL_EBADIMG: return "EBADIMG";
	case KEEL_ECORRUPT: return "ECORRUPT";
	case KEEL_ENOTSUP: return "ENOTSUP";
	case KEEL_ETIMEDOUT: return "ETIMEDOUT";
	case KEEL_ESTALE: return "ESTALE";
	default: return "E?";
	}
}
