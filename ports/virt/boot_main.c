/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keel-boot on rv32 virt: executes in place from CFI bank 0, runs
 * keel_boot() over the slots on bank 1 and starts the verified primary in
 * place; serial recovery on the UART when the request word is set or
 * nothing is bootable (docs/virt.md).
 */
#include "keel/err.h"
#include "keel/recovery.h"
#include "virt.h"
#include "virt_port.h"

static struct keel_recovery rec;
static struct keel_recovery_config rcfg;

/* Reached once keel_boot() has decided; the benchmark's stop marker. */
void virt_boot_done(uint32_t entry);
__attribute__((noinline)) void virt_boot_done(uint32_t entry)
{
	__asm__ volatile("" : : "r"(entry) : "memory");
}

__attribute__((noreturn)) static void recovery(const struct keel_boot_config *cfg, const char *why)
{
	virt_puts("keel-boot: entering serial recovery (");
	virt_puts(why);
	virt_puts(")\r\n");
	rcfg.boot = cfg;
	rcfg.port = &virt_port;
	keel_recovery_init(&rec, &rcfg);
	keel_recovery_run(&rec);
	virt_reset();
}

int main(void)
{
	const struct keel_boot_config *cfg;
	struct keel_boot_result res;
	uint32_t entry;
	int rc;

	virt_puts("keel-boot: rv32 virt, ");
	virt_puts(virt_layout.name);
	virt_puts(", slots on CFI bank 1\r\n");
	cfg = virt_boot_config();
	if (virt_port.recovery_requested())
		recovery(cfg, "requested");
	rc = keel_boot(cfg, &virt_port, &res);
	if (rc == KEEL_ENOENT)
		recovery(cfg, "no bootable image");
	if (rc) {
		virt_puts("keel-boot: cannot boot: ");
		virt_puts(keel_strerror(rc));
		virt_puts("\r\n");
		recovery(cfg, "boot failed");
	}
	entry = VIRT_BANK1 + res.img[0].area->off + res.img[0].payload_off;
	virt_puts("keel-boot: starting the primary\r\n");
	virt_boot_done(entry);
	virt_start(entry);
}
