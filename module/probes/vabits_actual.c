// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 decides at boot how many bits of address the MMU translates
 * (52 with LPA2 or LVA, else 48 on a kernel built for 52): vabits_actual.
 */
#include <linux/mm.h>

unsigned long mlpt_probe(void);
unsigned long mlpt_probe(void)
{
	return vabits_actual;
}
