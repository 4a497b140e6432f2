// SPDX-License-Identifier: GPL-2.0
/* The softleaf rework (6.19) renamed is_pmd_migration_entry(). */
#include <linux/swap.h>
#include <linux/leafops.h>

bool mlpt_probe(pmd_t pmd);
bool mlpt_probe(pmd_t pmd)
{
	return pmd_is_migration_entry(pmd);
}
