// SPDX-License-Identifier: GPL-2.0
/* Does <linux/pgtable.h> give p4dp_get()? */
#include <linux/pgtable.h>

p4d_t mlpt_probe(p4d_t *p4dp);
p4d_t mlpt_probe(p4d_t *p4dp)
{
	return p4dp_get(p4dp);
}
