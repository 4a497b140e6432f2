// SPDX-License-Identifier: GPL-2.0
/* Does <linux/pgtable.h> give pgdp_get()? */
#include <linux/pgtable.h>

pgd_t mlpt_probe(pgd_t *pgdp);
pgd_t mlpt_probe(pgd_t *pgdp)
{
	return pgdp_get(pgdp);
}
