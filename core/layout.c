/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Layout rules, checked before keel_boot touches flash: a layout that its
 * strategy cannot swap safely is refused with a one-line reason.
 */
#include "keel/err.h"
#include "swap_priv.h"

static int overlap(const struct keel_area *a, const struct keel_area *b)
{
	if (!a->size || !b->size || a->dev != b->dev)
		return 0;
	return a->off < b->off + b->size && b->off < a->off + a->size;
}

static int check_areas(const struct keel_boot_config *cfg, const char **why)
{
	const struct keel_area *all[2 * KEEL_MAX_IMAGES + 1];
	unsigned n = 0;

	for (uint32_t i = 0; i < cfg->n_images; i++) {
		all[n++] = &cfg->images[i].primary;
		all[n++] = &cfg->images[i].secondary;
	}
	if (cfg->strategy == KEEL_STRATEGY_SWAP_SCRATCH)
		all[n++] = &cfg->scratch;
	for (unsigned i = 0; i < n; i++) {
		if (!all[i]->dev || !all[i]->size || keel_area_sector_count(all[i]) <= 0) {
			*why = "an area is empty or does not start and end on sector bounds";
			return KEEL_EINVAL;
		}
		for (unsigned j = 0; j < i; j++)
			if (overlap(all[i], all[j])) {
				*why = "two areas overlap";
				return KEEL_EINVAL;
			}
	}
	return 0;
}

static int check_globals(const struct keel_boot_config *cfg, const char **why)
{
	uint32_t e = cfg->enc_slot_len;

	if (!keel_strategy(cfg->strategy))
		*why = "unknown strategy";
	else if (cfg->n_images < 1 || cfg->n_images > KEEL_MAX_IMAGES)
		*why = "1 or 2 images supported";
	else if (cfg->hash_alg != KEEL_HASH_SHA256 && cfg->hash_alg != KEEL_HASH_SHA512)
		*why = "image hash must be SHA-256 or SHA-512";
	else if (cfg->strategy == KEEL_STRATEGY_SWAP_SCRATCH && !cfg->scratch.size)
		*why = "swap-scratch needs a scratch area";
	else if (!cfg->keys || !cfg->n_keys)
		*why = "no verification key built in";
	else if (e && e != 16 && e != 32 && (e < 80 || e > 129))
		*why = "enc_slot_len must be 0, 16, 32 or an ENC TLV size";
	else
		return 0;
	return KEEL_EINVAL;
}

static int check_image(const struct keel_boot_config *cfg, uint32_t i, const char **why)
{
	const struct keel_strategy_ops *ops = keel_strategy(cfg->strategy);
	struct keel_swap_ctx c;
	int rc = keel_swap_ctx_init(&c, cfg, NULL, i);
	int np = keel_area_sector_count(&cfg->images[i].primary);
	int ns = keel_area_sector_count(&cfg->images[i].secondary);

	if (rc) {
		*why = "trailer alignment not allowed for the write size, or trailer larger than a slot";
		return KEEL_EINVAL;
	}
	if (cfg->max_sectors && ((uint32_t)np > cfg->max_sectors || (uint32_t)ns > cfg->max_sectors)) {
		*why = "a slot has more sectors than max_sectors";
		return KEEL_EINVAL;
	}
	rc = ops->check(cfg, i, why);
	if (rc)
		return rc;
	if (ops->max_image(&c) < KEEL_IMAGE_HEADER_SIZE + 2 * KEEL_TLV_INFO_SIZE) {
		*why = "slots too small: no room for an image below the trailer";
		return KEEL_EINVAL;
	}
	return 0;
}

int keel_boot_check_layout(const struct keel_boot_config *cfg, const char **why)
{
	int rc;

	*why = "ok";
	if (!cfg) {
		*why = "no configuration";
		return KEEL_EINVAL;
	}
	rc = check_globals(cfg, why);
	if (!rc)
		rc = check_areas(cfg, why);
	for (uint32_t i = 0; !rc && i < cfg->n_images; i++)
		rc = check_image(cfg, i, why);
	return rc;
}

uint32_t keel_boot_max_image_size(const struct keel_boot_config *cfg, uint32_t image)
{
	struct keel_swap_ctx c;
	const char *why;

	if (keel_boot_check_layout(cfg, &why) || keel_swap_ctx_init(&c, cfg, NULL, image))
		return 0;
	return keel_strategy(cfg->strategy)->max_image(&c);
}

uint32_t keel_boot_upload_offset(const struct keel_boot_config *cfg, uint32_t image)
{
	struct keel_swap_ctx c;

	if (keel_swap_ctx_init(&c, cfg, NULL, image))
		return 0;
	return keel_strategy(cfg->strategy)->sec_image_off(&c, KEEL_SWAP_TEST);
}

int keel_cfg_version_cmp(const struct keel_boot_config *cfg, const struct keel_version *a,
			 const struct keel_version *b)
{
	return keel_version_cmp(a, b, (cfg->flags & KEEL_BOOT_VERSION_USE_BUILD) != 0);
}
