/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Serial recovery: request dispatch, the OS group (echo, reset, params,
 * bootloader info) and the console loop. The image group is in
 * recovery_img.c.
 */
#include <string.h>

#include "keel/err.h"
#include "recovery_priv.h"

#define MAX_ECHO 256
#define RESET_DELAY_MS 250

void keel_recovery_init(struct keel_recovery *r, const struct keel_recovery_config *cfg)
{
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	keel_smp_rx_init(&r->rx, r->rxbuf, sizeof(r->rxbuf));
}

void smp_reply_error(struct smp_exchange *x, enum keel_mgmt_err mgmt, int img)
{
	keel_cbor_enc_init(&x->out, x->out_buf, x->out_cap);
	keel_cbor_put_map_indef(&x->out);
	if (x->req.version >= 1 && img) {
		keel_cbor_put_str(&x->out, "err");
		keel_cbor_put_map_indef(&x->out);
		keel_cbor_put_str(&x->out, "group");
		keel_cbor_put_uint(&x->out, x->req.group);
		keel_cbor_put_str(&x->out, "rc");
		keel_cbor_put_uint(&x->out, (uint64_t)img);
		keel_cbor_put_break(&x->out);
	} else {
		keel_cbor_put_str(&x->out, "rc");
		keel_cbor_put_uint(&x->out, mgmt);
	}
	keel_cbor_put_break(&x->out);
}

static void reply_rc0(struct smp_exchange *x)
{
	keel_cbor_put_map_indef(&x->out);
	keel_cbor_put_str(&x->out, "rc");
	keel_cbor_put_uint(&x->out, 0);
	keel_cbor_put_break(&x->out);
}

static void os_echo(struct smp_exchange *x)
{
	struct keel_cbor_str d = { 0 };
	struct keel_cbor_field f[] = { { "d", KEEL_CBOR_WANT_TSTR, &d, 0 } };
	struct keel_cbor_dec dec;

	keel_cbor_dec_init(&dec, x->body, x->body_len);
	if (keel_cbor_decode_map(&dec, f, 1) || !f[0].found) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, 0);
		return;
	}
	if (d.len > MAX_ECHO) {
		smp_reply_error(x, KEEL_MGMT_ENOMEM, 0);
		return;
	}
	keel_cbor_put_map_indef(&x->out);
	keel_cbor_put_str(&x->out, "r");
	keel_cbor_put_tstr(&x->out, (const char *)d.ptr, d.len);
	keel_cbor_put_break(&x->out);
}

static void os_reset(struct smp_exchange *x)
{
	x->r->reset_requested = 1;
	reply_rc0(x);
}

static void os_params(struct smp_exchange *x)
{
	keel_cbor_put_map_indef(&x->out);
	keel_cbor_put_str(&x->out, "buf_size");
	keel_cbor_put_uint(&x->out, KEEL_RECOVERY_BUF);
	keel_cbor_put_str(&x->out, "buf_count");
	keel_cbor_put_uint(&x->out, 1);
	keel_cbor_put_break(&x->out);
}

/* MCUboot's enum mcuboot_mode numbers, as Zephyr's bootloader info reports them. */
static int mode_number(enum keel_strategy s)
{
	switch (s) {
	case KEEL_STRATEGY_SWAP_SCRATCH: return 1;
	case KEEL_STRATEGY_OVERWRITE_ONLY: return 2;
	case KEEL_STRATEGY_SWAP_MOVE: return 3;
	case KEEL_STRATEGY_SWAP_OFFSET: return 9;
	default: return -1;
	}
}

static void os_bootloader_info(struct smp_exchange *x)
{
	const struct keel_boot_config *b = x->r->cfg->boot;
	struct keel_cbor_str q = { 0 };
	struct keel_cbor_field f[] = { { "query", KEEL_CBOR_WANT_TSTR, &q, 0 } };
	struct keel_cbor_dec dec;

	keel_cbor_dec_init(&dec, x->body, x->body_len);
	if (x->body_len && keel_cbor_decode_map(&dec, f, 1)) {
		smp_reply_error(x, KEEL_MGMT_EINVAL, 0);
		return;
	}
	keel_cbor_put_map_indef(&x->out);
	if (!f[0].found) {
		keel_cbor_put_str(&x->out, "bootloader");
		keel_cbor_put_str(&x->out, "Keel");
	} else if (q.len == 4 && !memcmp(q.ptr, "mode", 4)) {
		keel_cbor_put_str(&x->out, "mode");
		keel_cbor_put_int(&x->out, mode_number(b->strategy));
		keel_cbor_put_str(&x->out, "no-downgrade");
		keel_cbor_put_bool(&x->out, (b->flags & (KEEL_BOOT_DOWNGRADE_VERSION |
							 KEEL_BOOT_DOWNGRADE_SEC_CNT)) != 0);
	} else {
		smp_reply_error(x, KEEL_MGMT_ENOTSUP, 0);
		return;
	}
	keel_cbor_put_break(&x->out);
}

static const struct {
	uint16_t group;
	uint8_t id;
	smp_handler fn;
} handlers[] = {
	{ KEEL_SMP_GROUP_OS, KEEL_SMP_OS_ECHO, os_echo },
	{ KEEL_SMP_GROUP_OS, KEEL_SMP_OS_CONSOLE_ECHO, reply_rc0 },
	{ KEEL_SMP_GROUP_OS, KEEL_SMP_OS_RESET, os_reset },
	{ KEEL_SMP_GROUP_OS, KEEL_SMP_OS_PARAMS, os_params },
	{ KEEL_SMP_GROUP_OS, KEEL_SMP_OS_BOOTLOADER_INFO, os_bootloader_info },
	{ KEEL_SMP_GROUP_IMAGE, KEEL_SMP_IMG_STATE, smp_img_state },
	{ KEEL_SMP_GROUP_IMAGE, KEEL_SMP_IMG_UPLOAD, smp_img_upload },
	{ KEEL_SMP_GROUP_IMAGE, KEEL_SMP_IMG_ERASE, smp_img_erase },
	{ KEEL_SMP_GROUP_IMAGE, KEEL_SMP_IMG_SLOT_INFO, smp_img_slot_info },
};

static void dispatch(struct smp_exchange *x)
{
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (handlers[i].group == x->req.group && handlers[i].id == x->req.id) {
			handlers[i].fn(x);
			return;
		}
	}
	smp_reply_error(x, KEEL_MGMT_ENOTSUP, 0);
}

size_t keel_recovery_handle(struct keel_recovery *r, const uint8_t *req, size_t len,
			    uint8_t *rsp, size_t cap)
{
	struct smp_exchange x;
	struct keel_smp_hdr h;
	int n;

	if (len < KEEL_SMP_HDR_SIZE || cap <= KEEL_SMP_HDR_SIZE)
		return 0;
	keel_smp_hdr_decode(&x.req, req);
	/* Responses sent to us and length fields shorter than the payload are dropped silently. */
	if ((x.req.op != KEEL_SMP_OP_READ && x.req.op != KEEL_SMP_OP_WRITE) ||
	    x.req.len < len - KEEL_SMP_HDR_SIZE)
		return 0;
	x.r = r;
	x.body = req + KEEL_SMP_HDR_SIZE;
	x.body_len = len - KEEL_SMP_HDR_SIZE;
	x.out_buf = rsp + KEEL_SMP_HDR_SIZE;
	x.out_cap = cap - KEEL_SMP_HDR_SIZE;
	keel_cbor_enc_init(&x.out, x.out_buf, x.out_cap);
	r->requests++;
	dispatch(&x);
	n = keel_cbor_enc_finish(&x.out);
	if (n < 0) {
		smp_reply_error(&x, KEEL_MGMT_ENOMEM, 0);
		n = keel_cbor_enc_finish(&x.out);
	}
	h = x.req;
	h.op = (uint8_t)(x.req.op + 1);
	h.flags = 0;
	h.len = (uint16_t)n;
	keel_smp_hdr_encode(&h, rsp);
	return KEEL_SMP_HDR_SIZE + (size_t)n;
}

static void console_out(void *ctx, const void *buf, size_t len)
{
	const struct keel_port *port = ctx;

	port->console_write(buf, len);
}

/* Returns 1 if a packet was completed and answered. */
static int input(struct keel_recovery *r, uint8_t byte)
{
	size_t n = keel_smp_rx_byte(&r->rx, byte), out;

	if (!n)
		return 0;
	out = keel_recovery_handle(r, r->rxbuf, n, r->tx, sizeof(r->tx));
	if (out)
		keel_smp_frame(r->tx, out, KEEL_SMP_LINE_CHARS, console_out, (void *)r->cfg->port);
	return 1;
}

void keel_recovery_input(struct keel_recovery *r, uint8_t byte)
{
	input(r, byte);
}

/* Lets the reply to a reset leave the UART before the reset, as MCUboot's 250 ms do. */
static void settle(const struct keel_port *port)
{
	uint32_t start;

	if (!port->millis)
		return;
	start = port->millis();
	while (port->millis() - start < RESET_DELAY_MS)
		if (port->watchdog_feed)
			port->watchdog_feed();
}

/*
 * Recovery writes images that nothing has verified yet; they may only run
 * if keel_boot() verifies the primary on every boot.
 */
static int config_safe(const struct keel_recovery *r)
{
	static const char msg[] = "keel-boot: serial recovery refused: the boot config does not "
				  "verify the primary on every boot\r\n";

	if (r->cfg->boot->flags & KEEL_BOOT_VALIDATE_PRIMARY)
		return 1;
	r->cfg->port->console_write(msg, sizeof(msg) - 1);
	return 0;
}

int keel_recovery_run(struct keel_recovery *r)
{
	const struct keel_port *port = r->cfg->port;
	uint8_t buf[64];

	if (!config_safe(r))
		return KEEL_EINVAL;

	for (;;) {
		int n = port->console_read(buf, sizeof(buf), 100);

		if (n < 0)
			return n;
		for (int i = 0; i < n; i++)
			input(r, buf[i]);
		if (port->watchdog_feed)
			port->watchdog_feed();
		if (r->reset_requested) {
			settle(port);
			port->reset();
			return 0;
		}
	}
}

int keel_recovery_detect(struct keel_recovery *r, uint32_t window_ms)
{
	const struct keel_port *port = r->cfg->port;
	uint32_t start;
	uint8_t buf[32];

	if (!port->console_read || !port->millis || window_ms == 0 || !config_safe(r))
		return 0;
	start = port->millis();
	while (port->millis() - start < window_ms) {
		int n = port->console_read(buf, sizeof(buf), 10), answered = 0;

		if (n < 0)
			return 0;

		for (int i = 0; i < n; i++)
			answered |= input(r, buf[i]);
		if (answered)
			return 1;
	}
	return 0;
}
