// SPDX-License-Identifier: GPL-2.0
/* Does <linux/pgtable.h> give pudp_get()? */
#include <linux/pgtable.h>

pud_t mlpt_probe(pud_t *pudp);
pud_t mlpt_probe(pud_t *pudp)
{
	return pudp_get(pudp);
}
