// SPDX-License-Identifier: GPL-2.0
/*
 * 6.1 keeps the VMAs in a maple tree, read with a VMA iterator; 5.10 in
 * a list linked by vm_next.
 */
#include <linux/mm.h>

struct vm_area_struct *mlpt_probe(struct mm_struct *mm);
struct vm_area_struct *mlpt_probe(struct mm_struct *mm)
{
	VMA_ITERATOR(vmi, mm, 0);

	vma_iter_init(&vmi, mm, 0);
	return vma_next(&vmi);
}
