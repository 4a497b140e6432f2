// SPDX-License-Identifier: GPL-2.0
/* Does <linux/pgtable.h> give pmdp_get()?  (6.1 has only ptep_get.) */
#include <linux/pgtable.h>

pmd_t mlpt_probe(pmd_t *pmdp);
pmd_t mlpt_probe(pmd_t *pmdp)
{
	return pmdp_get(pmdp);
}
