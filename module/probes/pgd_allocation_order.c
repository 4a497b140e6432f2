// SPDX-License-Identifier: GPL-2.0
/*
 * x86 replaced the build-time PGD_ALLOCATION_ORDER with
 * pgd_allocation_order(), decided at boot by whether PTI is on.
 */
#include <linux/mm.h>
#include <asm/pgalloc.h>

unsigned int mlpt_probe(void);
unsigned int mlpt_probe(void)
{
	return pgd_allocation_order();
}
