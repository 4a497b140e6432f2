// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table designs and what one set of present pages costs in each.
 * Pure functions; tests/test_geom.c checks each design against figures
 * worked out by hand.
 */
#include "models/geom.h"
#include "models/model.h"

/*
 * Index bits per level, top first; with the page offset they add up to the
 * VA size.  x86 PAE: 2 + 9 + 9 + 12 = 32 (the PDPT has 4 entries); arm64
 * with 52-bit VA (LPA2) and 4 KiB granule 4 + 9 x 4 + 12 (the top table
 * has 16 entries, 128 bytes, as arm64's pgd_alloc() allocates it);
 * with 48-bit VA: 4 KiB granule 9 x 4 + 12, 16 KiB granule 1 + 11 x 3 + 14
 * (the top table has 2 entries), 64 KiB granule 6 + 13 x 2 + 16 (the top
 * table has 64 entries); the 16 KiB granule as Debian's arm64-16k kernel
 * runs it: 52 bits (LPA2) 5 + 11 x 3 + 14 (a top table of 32 entries,
 * 256 bytes), 47 bits without LPA2 11 x 3 + 14 (3 levels);
 * RISC-V Sv39/48/57: 9 per level + 12.
 */
const struct mlpt_design mlpt_designs[MLPT_NR_DESIGNS] = {
	{ "x86_32", "x86 32-bit 2-level", MLPT_RADIX, 32, 12, 4, 2,
	  { 10, 10 } },
	{ "x86_pae", "x86 PAE 3-level", MLPT_RADIX, 32, 12, 8, 3,
	  { 2, 9, 9 } },
	{ "x86_64_4", "x86-64 4-level", MLPT_RADIX, 48, 12, 8, 4,
	  { 9, 9, 9, 9 } },
	{ "x86_64_5", "x86-64 5-level", MLPT_RADIX, 57, 12, 8, 5,
	  { 9, 9, 9, 9, 9 } },
	{ "arm64_4k", "arm64 4 KiB granule", MLPT_RADIX, 48, 12, 8, 4,
	  { 9, 9, 9, 9 } },
	{ "arm64_4k_52", "arm64 4 KiB, 52-bit", MLPT_RADIX, 52, 12, 8, 5,
	  { 4, 9, 9, 9, 9 } },
	{ "arm64_16k", "arm64 16 KiB granule", MLPT_RADIX, 48, 14, 8, 4,
	  { 1, 11, 11, 11 } },
	{ "arm64_16k_47", "arm64 16 KiB, 47-bit", MLPT_RADIX, 47, 14, 8, 3,
	  { 11, 11, 11 } },
	{ "arm64_16k_52", "arm64 16 KiB, 52-bit", MLPT_RADIX, 52, 14, 8, 4,
	  { 5, 11, 11, 11 } },
	{ "arm64_64k", "arm64 64 KiB granule", MLPT_RADIX, 48, 16, 8, 3,
	  { 6, 13, 13 } },
	{ "sv39", "RISC-V Sv39", MLPT_RADIX, 39, 12, 8, 3, { 9, 9, 9 } },
	{ "sv48", "RISC-V Sv48", MLPT_RADIX, 48, 12, 8, 4, { 9, 9, 9, 9 } },
	{ "sv57", "RISC-V Sv57", MLPT_RADIX, 57, 12, 8, 5,
	  { 9, 9, 9, 9, 9 } },
	{ "linear_32", "linear, 32-bit", MLPT_LINEAR, 32, 12, 4, 1, { 0 } },
	{ "linear_48", "linear, 48-bit", MLPT_LINEAR, 48, 12, 8, 1, { 0 } },
	{ "segmented", "paged segmentation", MLPT_SEGMENTED, 0, 12, 8, 1,
	  { 0 } },
	{ "inverted", "inverted (hashed)", MLPT_INVERTED, 0, 12,
	  MLPT_INVERTED_ENTRY, 1, { 0 } },
};

u64 mlpt_distinct(const u64 *addr, size_t n, unsigned int shift)
{
	u64 count = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (!i || addr[i] >> shift != addr[i - 1] >> shift)
			count++;
	return count;
}

u64 mlpt_design_table_bytes(const struct mlpt_design *d, unsigned int lvl)
{
	return BIT_ULL(d->bits[lvl]) * d->entry_bytes;
}

unsigned int mlpt_pages_bits(const struct mlpt_pages *p)
{
	u64 top = p->n ? p->addr[p->n - 1] | (BIT_ULL(12) - 1) : 0;

	return top ? mlpt_log2(top) + 1 : 0;
}

/* one table at the top; below, one per distinct slice a table maps */
static void radix(const struct mlpt_design *d, const struct mlpt_pages *p,
		  struct mlpt_sim *s)
{
	unsigned int shift = d->page_shift, lvl;

	for (lvl = d->levels; lvl-- > 0;) {
		shift += d->bits[lvl];
		s->tables[lvl] = lvl ? mlpt_distinct(p->addr, p->n, shift) : 1;
		s->bytes += s->tables[lvl] * mlpt_design_table_bytes(d, lvl);
	}
}

void mlpt_simulate(const struct mlpt_design *d, const struct mlpt_pages *p,
		   struct mlpt_sim *s)
{
	*s = (struct mlpt_sim){ .need_bits = mlpt_pages_bits(p) };
	if (d->va_bits && s->need_bits > d->va_bits) {
		s->why = "address above the VA size";
		return;
	}
	switch (d->kind) {
	case MLPT_RADIX:
		radix(d, p, s);
		break;
	case MLPT_LINEAR:
		s->entries = BIT_ULL(d->va_bits - d->page_shift);
		s->bytes = s->entries * d->entry_bytes;
		break;
	case MLPT_SEGMENTED:
		if (!p->vma) {
			s->why = "needs the VMA list";
			return;
		}
		s->tables[0] = p->nr_vma;
		s->bytes = mlpt_per_vma_bytes(p->vma, p->nr_vma,
					      BIT_ULL(d->page_shift),
					      d->entry_bytes);
		s->entries = s->bytes / d->entry_bytes;
		break;
	case MLPT_INVERTED:
		if (!p->mem_total) {
			s->why = "needs the size of physical memory";
			return;
		}
		s->entries = p->mem_total >> d->page_shift;
		s->bytes = s->entries * d->entry_bytes;
		break;
	}
}
