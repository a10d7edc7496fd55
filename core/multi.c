/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Multi-image dependencies, MCUboot's current rule: a DEPENDENCY TLV
 * (protected area only) of a pending image is met when the image it names
 * will hold at least that version after this boot (its candidate if that
 * one is being installed or reverted to, else its primary). One unmet dependency holds
 * every upgrade of this boot; reverts go ahead. Requests stay in place, so
 * the upgrade happens once the missing image arrives.
 */
#include "keel/err.h"
#include "swap_priv.h"

static int installing(const struct keel_img_state *st)
{
	return st->pending == KEEL_SWAP_TEST || st->pending == KEEL_SWAP_PERM;
}

/*
 * Version image `id` will run after this boot; NULL if it will have none.
 * A pending revert brings the secondary's (older) image back, so it counts
 * like an install: the primary's version is gone after this boot.
 */
static const struct keel_version *future_version(const struct keel_img_state *st, uint32_t id)
{
	if (installing(&st[id]) || st[id].pending == KEEL_SWAP_REVERT)
		return &st[id].sec.lay.hdr.ver;
	return st[id].pri_ok ? &st[id].pri.lay.hdr.ver : NULL;
}

/* KEEL_R_OK, KEEL_R_DEPENDENCY_BAD or KEEL_R_DEPENDENCY_UNMET for image i. */
static enum keel_reason check_one(const struct keel_boot_config *cfg,
				  const struct keel_port *port, const struct keel_img_state *st,
				  uint32_t i)
{
	for (uint32_t d = 0; d < st[i].sec.n_deps; d++) {
		const struct keel_dependency *dep = &st[i].sec.deps[d];
		const struct keel_version *v;

		if (dep->image_id >= cfg->n_images || dep->image_id == i)
			return KEEL_R_DEPENDENCY_BAD;
		v = future_version(st, dep->image_id);
		if (!v || keel_cfg_version_cmp(cfg, v, &dep->min_ver) < 0) {
			keel_log(port, "image %u: needs image %u >= %u.%u.%u+%u, which will not be "
				 "there -> all upgrades held this boot", i, dep->image_id,
				 dep->min_ver.major, dep->min_ver.minor, dep->min_ver.revision,
				 dep->min_ver.build);
			return KEEL_R_DEPENDENCY_UNMET;
		}
	}
	return KEEL_R_OK;
}

void keel_deps_check(const struct keel_boot_config *cfg, const struct keel_port *port,
		     struct keel_img_state *st, struct keel_boot_result *res)
{
	int hold = 0;

	for (uint32_t i = 0; i < cfg->n_images; i++) {
		enum keel_reason r;

		if (!installing(&st[i]))
			continue;
		r = check_one(cfg, port, st, i);
		if (r == KEEL_R_OK)
			continue;
		res->img[i].refused = r;
		hold = 1;
	}
	for (uint32_t i = 0; hold && i < cfg->n_images; i++) {
		if (!installing(&st[i]))
			continue;
		keel_log(port, "image %u: %s held (dependency)", i,
			 keel_swap_type_str(st[i].pending));
		st[i].pending = KEEL_SWAP_NONE;
	}
}
