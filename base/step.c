/*
 * step.c - names and Indonesian labels of the steps (see step.h).
 */
#include <stddef.h>

#include "step.h"

static const struct {
	const char *name, *label;
} steps[] = {
	[STEP_INTAKE] = { "intake", "penerimaan" },
	[STEP_UNPACK] = { "unpack", "pembukaan arsip" },
	[STEP_PROCESS] = { "process", "pemrosesan" },
	[STEP_VALIDATE] = { "validate", "validasi" },
	[STEP_MARK] = { "mark", "tanda visual" },
	[STEP_SIGN] = { "sign", "tanda tangan" },
	[STEP_STORE] = { "store", "penyimpanan" },
	[STEP_DELETION] = { "deletion", "penghapusan" },
};

const char *
step_name(enum step s)
{
	return (size_t)s < sizeof steps / sizeof steps[0] ? steps[s].name : "unknown";
}

const char *
step_label(enum step s)
{
	return (size_t)s < sizeof steps / sizeof steps[0] ? steps[s].label : "tidak diketahui";
}
