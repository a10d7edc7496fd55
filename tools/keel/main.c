/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `keel`: MCUboot-compatible image tool (imgtool's commands and options).
 * This file only dispatches; each command lives in its own cmd_*.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "keel.h"
#include "util.h"

struct command {
	const char *name;
	int (*handler)(int argc, char **argv);
	const char *summary;
	const char *help;
};

static const struct command commands[] = {
	{ "keygen", cmd_keygen, "generate a key pair (PKCS#8 PEM)",
	  "usage: keel keygen -k FILE -t TYPE [-p|--password]\n"
	  "\n"
	  "Generates a private key and writes it as PKCS#8 PEM (as imgtool does).\n"
	  "  -k, --key FILE       output file (written atomically, mode 0600)\n"
	  "  -t, --type TYPE      ecdsa-p256, ecdsa-p384, ed25519, rsa-2048, rsa-3072, x25519\n"
	  "  -p, --password       encrypt the key (AES-256-CBC, PBKDF2); the password is\n"
	  "                       read from KEEL_PASSWORD or asked twice on the terminal\n" },
	{ "getpub", cmd_getpub, "print the public key (C array, Rust, PEM or raw DER)",
	  "usage: keel getpub -k KEY [-e lang-c|lang-rust|pem|raw] [-l c|rust] [-o FILE]\n"
	  "                   [--name-suffix S] [-p|--password]\n"
	  "\n"
	  "Prints the public key bytes keel-boot embeds (imgtool getpub): SPKI DER for\n"
	  "ECDSA/Ed25519/X25519, PKCS#1 RSAPublicKey DER for RSA.\n"
	  "  -k, --key KEY        private or public key, PEM or DER\n"
	  "  -e, --encoding ENC   lang-c (default), lang-rust, pem (SPKI PEM) or raw (DER bytes)\n"
	  "  -l, --lang LANG      c or rust (same as -e lang-c / lang-rust)\n"
	  "  -o, --output FILE    write to FILE instead of stdout\n"
	  "  --name-suffix S      append S to the C/Rust identifier\n"
	  "  -p, --password       the key is encrypted (KEEL_PASSWORD or terminal)\n" },
	{ "getpubhash", cmd_getpubhash, "print the SHA-256 of the public key bytes",
	  "usage: keel getpubhash -k KEY [-e lang-c|raw] [-o FILE] [--sha 256|384|512]\n"
	  "\n"
	  "Prints the hash of the getpub bytes (the KEYHASH a SHA-256 image carries).\n"
	  "  -k, --key KEY        private or public key\n"
	  "  -e, --encoding ENC   lang-c (default) or raw (hash bytes)\n"
	  "  -o, --output FILE    write to FILE instead of stdout\n"
	  "  --sha ALG            256 (default, as imgtool), 384 or 512 (Keel extension)\n"
	  "  -p, --password       the key is encrypted\n" },
	{ "getpriv", cmd_getpriv, "print the private key as a C array (device key for -E)",
	  "usage: keel getpriv -k KEY [--minimal] [-f pkcs8|openssl] [-o FILE]\n"
	  "\n"
	  "Prints the private key DER as `enc_priv_key[]` for building into keel-boot\n"
	  "(the key that unwraps encrypted images).\n"
	  "  -k, --key KEY        private key (ecdsa-p256, x25519, rsa-2048, ...)\n"
	  "  --minimal            drop the optional public key from an EC key\n"
	  "  -f, --format F       pkcs8 (default) or openssl (SEC1 / PKCS#1)\n"
	  "  -o, --output FILE    write to FILE instead of stdout\n"
	  "  -p, --password       the key is encrypted\n" },
	{ "keyinfo", cmd_keyinfo, "print a key's type and whether it is private",
	  "usage: keel keyinfo -k KEY [--require private|public] [-p|--password]\n"
	  "\n"
	  "Prints the key type (ecdsa-p256, ...) and `private` or `public`.\n"
	  "  --require KIND       fail unless the key is of that kind\n" },
	{ "sign", cmd_sign, "add header and TLVs to an image, sign (and encrypt) it",
	  "usage: keel sign [OPTIONS] INFILE OUTFILE\n"
	  "\n"
	  "Makes an MCUboot image from INFILE (.bin, or Intel HEX by suffix). OUTFILE\n"
	  "ending in .hex is written as Intel HEX.\n"
	  "  -k, --key KEY                signing key (no key: hash only)\n"
	  "  -v, --version V              maj.min.rev+build (default 0.0.0+0)\n"
	  "  -H, --header-size N          header size (>= 32; default 32)\n"
	  "  --pad-header                 prepend N erased bytes for the header\n"
	  "  -S, --slot-size N            slot size (required for --pad)\n"
	  "  --align N                    flash write size: 1, 2, 4, 8, 16, 32 (default 1)\n"
	  "  --max-align N                trailer alignment: 8, 16, 32 (default max(8, align))\n"
	  "  -M, --max-sectors N          sectors for the swap status size check (default 128)\n"
	  "  --pad                        pad to the slot size and add the trailer magic\n"
	  "  --confirm                    --pad and set image_ok (permanent upgrade)\n"
	  "  --test                       same as --pad\n"
	  "  --overwrite-only             overwrite-only trailer (size check, no image_ok)\n"
	  "  -R, --erased-val 0|0xff      erased flash value (default 0xff)\n"
	  "  -e, --endian little|big      header/TLV byte order (default little)\n"
	  "  -s, --security-counter N|auto  add SEC_CNT (auto = version maj<<24|min<<16|rev)\n"
	  "  -d, --dependencies D         \"(img,maj.min.rev+build)[,(img,ver)...]\"\n"
	  "  --boot-record SW_TYPE        add the CBOR measured-boot record (<= 12 chars)\n"
	  "  --custom-tlv TAG VALUE       protected TLV, TAG 0xa0..0xfffe, VALUE 0x-hex or text\n"
	  "  --vid ID, --cid ID           UUID_VID / UUID_CID (UUID or name for UUIDv5)\n"
	  "  --public-key-format hash|full  KEYHASH (default) or the whole PUBKEY\n"
	  "  --sha auto|256|384|512       image hash (auto: 384 for P-384, else 256)\n"
	  "  --pure                       Ed25519 over the whole image (SIG_PURE)\n"
	  "  --pad-sig                    zero-pad ECDSA signatures (P-256 to 72 bytes)\n"
	  "  -E, --encrypt PUBKEY         encrypt: ecdsa-p256 (ECIES-P256), x25519\n"
	  "                               (ECIES-X25519) or rsa-2048 (RSA-OAEP) public key\n"
	  "  --encrypt-keylen 128|256     AES key length (default 128)\n"
	  "  --hmac-sha auto|256|512      ECIES-X25519 HKDF/HMAC hash (default 256)\n"
	  "  -c, --clear                  with -E: set the encrypted flag and key TLV but\n"
	  "                               leave the payload in clear\n"
	  "  --save-enctlv                size the trailer for the saved ENC TLV\n"
	  "  -L, --load-addr ADDR         RAM load address (sets RAM_LOAD)\n"
	  "  -F, --rom-fixed ADDR         flash address the image is linked for (ROM_FIXED)\n"
	  "  -x, --hex-addr ADDR          base address of a .hex output\n"
	  "  --non-bootable               mark the image non-bootable\n"
	  "  --vector-to-sign payload|digest  write the bytes to sign to OUTFILE instead\n"
	  "  --fix-sig FILE               insert a signature made elsewhere (base64 or raw)\n"
	  "  --fix-sig-pubkey KEY         the public key of --fix-sig\n"
	  "  --sig-out FILE               also write the signature (base64) to FILE\n"
	  "  -p, --password               the signing key is encrypted\n" },
	{ "verify", cmd_verify, "check an image's hash, key hash and signature",
	  "usage: keel verify -k KEY [--enc-key PRIVKEY] [--sha auto|256|384|512] IMAGE\n"
	  "\n"
	  "Checks the image hash, the key hash and the signature; names what failed.\n"
	  "  -k, --key KEY        the signing key (private or public)\n"
	  "  --enc-key PRIVKEY    device key to decrypt an encrypted payload for the hash\n"
	  "  --sha ALG            the image hash the bootloader expects (default auto)\n"
	  "Exit status: 0 valid, 1 a check failed, 2 usage, 3 encrypted and not decrypted.\n" },
	{ "dumpinfo", cmd_dumpinfo, "print an image's header, TLVs and trailer",
	  "usage: keel dumpinfo [--json | -f human|json] [-o FILE] IMAGE\n"
	  "\n"
	  "Prints the header, protected and unprotected TLVs and the trailer.\n"
	  "  --json, -f json      JSON instead of imgtool's human layout\n"
	  "  -o, --outfile FILE   write to FILE instead of stdout\n"
	  "  -s, --silent         accepted and ignored, as imgtool\n" },
	{ "esp", cmd_esp, "Espressif ESP32-C3 formats (esptool/espsecure/espefuse)",
	  "usage: keel esp SUBCOMMAND [OPTIONS]\n"
	  "\n"
	  "ESP32-C3 image, Secure Boot V2, flash encryption, eFuse and flash files\n"
	  "(esptool / espsecure / espefuse option names). See docs/esp32c3.md.\n"
	  "  image ELF -o BIN     elf2image: [--flash-mode qio|qout|dio|dout]\n"
	  "                       [--flash-freq 80m|40m|26m|20m] [--flash-size 1MB..16MB]\n"
	  "                       [--min-rev-full N] [--max-rev-full N] [--dont-append-digest]\n"
	  "                       [--pad-to-size SIZE] [--use-segments] [--secure-pad-v2]\n"
	  "                       [--elf-sha256-offset OFF]\n"
	  "  info BIN             image-info: headers, segments, checksum, hash, descriptor\n"
	  "  sign -k KEY [-k KEY..] [--append] IN -o OUT\n"
	  "                       Secure Boot V2 signature sector (RSA-3072-PSS)\n"
	  "  verify -k KEY IN     check the signature blocks with KEY (private or public)\n"
	  "  digest -k KEY -o FILE  the 32-byte public key digest for eFuse\n"
	  "  sig-info IN          signature-info-v2: valid blocks and their key digests\n"
	  "  encrypt|decrypt -k KEY --address ADDR IN -o OUT\n"
	  "                       XTS-AES flash encryption (32-byte key file = K1 || K2)\n"
	  "  app ELF -o BIN [-H N]  MCUboot-style app payload: load header + regions\n"
	  "                       (then keel sign -H N --pad-header BIN ...);\n"
	  "                       --set FIELD=VALUE overwrites a header word (test images)\n"
	  "  app-info FILE [-H N]  print and check the load header of a payload or signed app\n"
	  "  efuse FILE summary | create | burn FIELD VALUE [FIELD VALUE..]\n"
	  "       FILE burn-efuse FIELD VALUE | burn-key BLOCK PURPOSE KEYFILE\n"
	  "       FILE burn-key BLOCK_KEYn KEYFILE PURPOSE [--no-write-protect] [--no-read-protect]\n"
	  "       FILE burn-key-digest BLOCK_KEYn RSA3072.pem SECURE_BOOT_DIGESTn\n"
	  "                       the emulator's 1024-byte eFuse file, espefuse field names\n"
	  "  flash-image -o flash.bin [--size 2MB|4MB|8MB|16MB] OFFSET=FILE...\n"
	  "                       a flash file for the emulator (erased 0xFF)\n" },
	{ "serial", cmd_serial, "SMP (mcumgr) client for serial recovery",
	  "usage: keel serial -p PORT [OPTIONS] COMMAND [ARGS]\n"
	  "\n"
	  "Talks SMP over a console link to keel-boot's serial recovery (or any\n"
	  "MCUboot / mcumgr device).\n"
	  "  -p, --port PORT      /dev/ttyX, unix:PATH or tcp:HOST:PORT\n"
	  "  -b, --baud N         baud rate for a tty (default 115200)\n"
	  "  -m, --mtu N          device receive buffer in bytes (default: ask MCUmgr\n"
	  "                       params, else 512)\n"
	  "  -t, --timeout MS     per-request timeout (default 3000; 30000 for erases)\n"
	  "  -r, --retries N      resends after a timeout (default 3)\n"
	  "  -l, --line-length N  longest line sent, LF included (default 127)\n"
	  "  --smp-v2             send SMP version 2 headers\n"
	  "  -v, --verbose        report retries and stray packets\n"
	  "Commands:\n"
	  "  list                 images with version, hash and state flags\n"
	  "  upload IMAGE [-n|--image N] [--resume] [--reconnects N]\n"
	  "                       upload with progress and rate; --resume continues where\n"
	  "                       the device stopped; link losses are reconnected\n"
	  "  erase [-s|--slot N]  erase a slot\n"
	  "  test HASH            mark the image with this hash for a test boot\n"
	  "  confirm [HASH]       make it permanent / confirm the running image\n"
	  "  reset                reboot the device\n"
	  "  echo TEXT            echo test\n"
	  "  params               the device's buffer size and count\n"
	  "  info                 bootloader name and mode\n" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage: keel COMMAND [OPTIONS]   (keel COMMAND --help for details)\n\n"
		   "Keel's image tool: MCUboot-compatible signing, as imgtool.\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
}

static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return argc == 2 && strcmp(argv[1], "-h") == 0;
}

char *keel_get_password(const char *prompt, int confirm)
{
	const char *env = getenv("KEEL_PASSWORD");
	char a[256], b[256];
	struct termios old, quiet;
	FILE *tty;
	int echo_off;

	if (env)
		return strdup(env);
	tty = fopen("/dev/tty", "r+");
	if (!tty) {
		keel_seterr("a password is needed but there is no terminal; set KEEL_PASSWORD");
		return NULL;
	}
	echo_off = tcgetattr(fileno(tty), &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	a[0] = b[0] = '\0';
	fprintf(tty, "%s: ", prompt);
	fflush(tty);
	if (!fgets(a, sizeof(a), tty))
		a[0] = '\0';
	fprintf(tty, "\n");
	if (confirm) {
		fprintf(tty, "Repeat for confirmation: ");
		fflush(tty);
		if (!fgets(b, sizeof(b), tty))
			b[0] = '\0';
		fprintf(tty, "\n");
	}
	if (echo_off)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fclose(tty);
	a[strcspn(a, "\r\n")] = '\0';
	b[strcspn(b, "\r\n")] = '\0';
	if (confirm && strcmp(a, b) != 0) {
		keel_seterr("the passwords do not match");
		return NULL;
	}
	if (!a[0]) {
		keel_seterr("empty password");
		return NULL;
	}
	return strdup(a);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			for (size_t i = 0; i < NCOMMANDS; i++)
				if (strcmp(commands[i].name, argv[2]) == 0) {
					fputs(commands[i].help, stdout);
					return 0;
				}
		}
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("keel 0.1 (imgtool 2.x compatible)\n");
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];

		if (strcmp(c->name, argv[1]) != 0 && !(strcmp(argv[1], "create") == 0 &&
							 strcmp(c->name, "sign") == 0))
			continue;
		if (wants_help(argc - 1, argv + 1)) {
			fputs(c->help, stdout);
			return 0;
		}
		return c->handler(argc - 1, argv + 1);
	}
	return keel_fail(argv[1], "unknown command (try keel --help)");
}
