// SPDX-License-Identifier: GPL-2.0
/*
 * Does the architecture have contiguous ptes, pte_cont()?  arm64 does
 * (PTE_CONT: 16 entries mapping one aligned 64 KiB block with 4 KiB
 * pages); x86-64 does not.
 */
#include <linux/pgtable.h>

bool mlpt_probe(pte_t pte);
bool mlpt_probe(pte_t pte)
{
	return pte_cont(pte);
}
