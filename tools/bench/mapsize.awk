# SPDX-License-Identifier: Apache-2.0
# Sums .text* and .rodata* input sections per object of libkeel_crypto.a in a
# GNU ld map file (only the linked part: after "Linker script and memory map").
# Prints "<object> <bytes>" lines and "total <bytes>".
/^Linker script and memory map/ { inmap = 1; next }
!inmap { next }
function hex(s,    v, i, c) {
	v = 0
	s = tolower(s)
	sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1)) - 1
		v = v * 16 + c
	}
	return v
}
function add(sec, size, file,    obj) {
	if (sec !~ /^\.(text|rodata)/ || file !~ /libkeel_crypto\.a\(/)
		return
	obj = file
	sub(/.*libkeel_crypto\.a\(/, "", obj)
	sub(/\.c\.obj\).*/, "", obj)
	sub(/\).*/, "", obj)
	bytes[obj] += hex(size)
	total += hex(size)
}
/^ \.[^ ]+$/ { pending = $1; next }
/^ \.[^ ]+ +0x[0-9a-f]+ +0x[0-9a-f]+ / { add($1, $3, $4); pending = ""; next }
/^ +0x[0-9a-f]+ +0x[0-9a-f]+ / { if (pending != "") add(pending, $2, $3); pending = ""; next }
{ pending = "" }
END {
	for (o in bytes)
		print o, bytes[o]
	print "total", total + 0
}
