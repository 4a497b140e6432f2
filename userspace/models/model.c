// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table size models.  Every function is pure; tests/test_model.c checks
 * each against figures worked out by hand.
 */
#include "models/model.h"

const char *const mlpt_cmp_key[MLPT_NR_CMP] = {
	[MLPT_CMP_TREE] = "tree",
	[MLPT_CMP_VMPTE] = "vmpte",
	[MLPT_CMP_LINEAR] = "linear",
	[MLPT_CMP_LINEAR_USER] = "linear_user",
	[MLPT_CMP_BOUNDS] = "linear_bounds",
	[MLPT_CMP_PER_VMA] = "segmented_vma",
	[MLPT_CMP_SEGMENTS] = "segmented_classic",
	[MLPT_CMP_LINEAR_2M] = "linear_2m",
	[MLPT_CMP_LINEAR_1G] = "linear_1g",
	[MLPT_CMP_RESIDENT] = "resident",
	[MLPT_CMP_32BIT] = "twolevel_32bit",
	[MLPT_CMP_CEILING] = "ceiling",
	[MLPT_CMP_CEILING_2M] = "ceiling_2m",
	[MLPT_CMP_CEILING_1G] = "ceiling_1g",
};

const char *const mlpt_cmp_label[MLPT_NR_CMP] = {
	[MLPT_CMP_TREE] = "actual multi-level tree (all levels)",
	[MLPT_CMP_VMPTE] = "kernel VmPTE figure",
	[MLPT_CMP_LINEAR] = "linear table, whole address space",
	[MLPT_CMP_LINEAR_USER] = "linear table, user half",
	[MLPT_CMP_BOUNDS] = "linear table + bounds (to va-highest)",
	[MLPT_CMP_PER_VMA] = "paged segmentation, one table per VMA",
	[MLPT_CMP_SEGMENTS] = "paged segmentation, code/heap/stack",
	[MLPT_CMP_LINEAR_2M] = "linear table, 2 MiB pages",
	[MLPT_CMP_LINEAR_1G] = "linear table, 1 GiB pages",
	[MLPT_CMP_RESIDENT] = "lower bound: 1 entry per resident page",
	[MLPT_CMP_32BIT] = "32-bit two-level (1024 x 4-byte entries)",
	[MLPT_CMP_CEILING] = "ceiling: every page of every VMA touched",
	[MLPT_CMP_CEILING_2M] = "ceiling with 2 MiB pages where they fit",
	[MLPT_CMP_CEILING_1G] = "ceiling with 1 GiB and 2 MiB pages",
};

static u64 mul_sat(u64 a, u64 b)
{
	u64 r;

	return __builtin_mul_overflow(a, b, &r) ? U64_MAX : r;
}

static u64 add_sat(u64 a, u64 b)
{
	u64 r;

	return __builtin_add_overflow(a, b, &r) ? U64_MAX : r;
}

u64 mlpt_tree_bytes(const struct mlpt_report *r)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < MLPT_LEVELS; i++)
		if (!r->level[i].folded)
			sum = add_sat(sum, mul_sat(r->level[i].tables,
						   r->level[i].table_bytes));
	return sum;
}

u64 mlpt_linear_bytes(unsigned int va_bits, u64 page_size, u64 entry_bytes)
{
	unsigned int page_shift = mlpt_log2(page_size);

	if (va_bits <= page_shift)
		return entry_bytes;
	if (va_bits - page_shift >= 64)
		return U64_MAX;
	return mul_sat(BIT_ULL(va_bits - page_shift), entry_bytes);
}

u64 mlpt_span_bytes(u64 span, u64 page_size, u64 entry_bytes)
{
	u64 pages = span / page_size + (span % page_size != 0);

	return mul_sat(pages, entry_bytes);
}

u64 mlpt_per_vma_bytes(const struct mlpt_vma *v, size_t n, u64 page_size,
		       u64 entry_bytes)
{
	u64 sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum = add_sat(sum, mlpt_span_bytes(v[i].end - v[i].start,
						   page_size, entry_bytes));
	return sum;
}

/* cover v[first, end) with one range; an empty range when first >= end */
static void cover(const struct mlpt_vma *v, size_t first, size_t end,
		  struct mlpt_range *r)
{
	r->start = 0;
	r->end = 0;
	if (first >= end)
		return;
	r->start = v[first].start;
	r->end = v[end - 1].end;
}

/*
 * The classic three segments: code (the program image, below the heap),
 * heap ([heap]) and stack ([stack] and the mmap area that grows down towards
 * it).  Without a [heap] the largest gap between VMAs separates the image
 * from the mmap area.  @v is sorted by address.
 */
void mlpt_segments(const struct mlpt_vma *v, size_t n,
		   struct mlpt_range seg[MLPT_NR_SEG])
{
	size_t i, heap = n, gap_at = 0, code_end, stack_start;
	u64 gap = 0;

	for (i = 0; i < n; i++) {
		if (v[i].heap)
			heap = i;
		if (i && v[i].start - v[i - 1].end > gap) {
			gap = v[i].start - v[i - 1].end;
			gap_at = i;
		}
	}
	if (heap < n) {
		code_end = heap;
		stack_start = heap + 1;
	} else {
		code_end = gap_at ? gap_at : n;
		stack_start = code_end;
	}
	cover(v, 0, code_end, &seg[MLPT_SEG_CODE]);
	cover(v, heap, heap < n ? heap + 1 : heap, &seg[MLPT_SEG_HEAP]);
	cover(v, stack_start, n, &seg[MLPT_SEG_STACK]);
}

u64 mlpt_windows(const struct mlpt_vma *v, size_t n, unsigned int shift)
{
	u64 count = 0, last = 0, first_w, last_w;
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].end <= v[i].start)
			continue;
		first_w = v[i].start >> shift;
		last_w = (v[i].end - 1) >> shift;
		/* sorted VMAs: only the previous window can be shared */
		if (any && first_w == last)
			first_w++;
		if (last_w >= first_w)
			count += last_w - first_w + 1;
		last = last_w;
		any = true;
	}
	return count;
}

u64 mlpt_twolevel32_bytes(u64 windows)
{
	return (windows + 1) * MLPT32_TABLE_BYTES;
}

static bool fits_32bit(const struct mlpt_report *r)
{
	return mlpt_windows(r->vma, r->nr_vma, MLPT32_WINDOW_SHIFT) <=
	       MLPT32_ENTRIES;
}

/* aligned 2^@shift windows that lie wholly inside one of the VMAs */
static u64 whole_windows(const struct mlpt_vma *v, size_t n, unsigned int shift)
{
	u64 count = 0, first, end;
	size_t i;

	for (i = 0; i < n; i++) {
		first = (v[i].start + BIT_ULL(shift) - 1) >> shift;
		end = v[i].end >> shift;
		if (end > first)
			count += end - first;
	}
	return count;
}

u64 mlpt_ceiling_bytes(const struct mlpt_report *r, const struct mlpt_vma *v,
		       size_t n, unsigned int leaf_shift)
{
	u64 bytes = r->level[MLPT_PGD].table_bytes, tables;
	struct mlpt_geom g;
	unsigned int span;
	int i;

	mlpt_geometry(r, &g);
	for (i = MLPT_PGD + 1; i < MLPT_LEVELS; i++) {
		if (r->level[i].folded)
			continue;
		/* one table of level i maps 2^span bytes: one per window touched */
		span = g.lo[i] + g.bits[i];
		tables = mlpt_windows(v, n, span);
		/* a window that is one leaf page of the level above needs none */
		if (span <= leaf_shift)
			tables -= whole_windows(v, n, span);
		bytes = add_sat(bytes, tables * r->level[i].table_bytes);
	}
	return bytes;
}

const char *mlpt_cmp_why(const struct mlpt_report *r, enum mlpt_cmp_id id)
{
	switch (id) {
	case MLPT_CMP_CEILING:
	case MLPT_CMP_CEILING_2M:
	case MLPT_CMP_CEILING_1G:
	case MLPT_CMP_PER_VMA:
	case MLPT_CMP_SEGMENTS:
		return r->vma ? NULL : "needs the VMAs of a live process";
	case MLPT_CMP_32BIT:
		if (!r->vma)
			return "needs the VMAs of a live process";
		return fits_32bit(r) ? NULL :
		       "needs more than the 1024 4 MiB windows of 4 GiB";
	default:
		return NULL;
	}
}

void mlpt_compare(const struct mlpt_report *r, struct mlpt_cmp c[MLPT_NR_CMP])
{
	struct mlpt_range seg[MLPT_NR_SEG];
	u64 page = r->page_size, entry = r->entry_bytes, sum = 0, windows;
	unsigned int i;

	c[MLPT_CMP_TREE].bytes = mlpt_tree_bytes(r);
	c[MLPT_CMP_VMPTE].bytes = r->kernel_pgtables_bytes;
	c[MLPT_CMP_LINEAR].bytes = mlpt_linear_bytes(r->va_bits, page, entry);
	c[MLPT_CMP_LINEAR_USER].bytes =
		mlpt_linear_bytes(r->va_bits - 1, page, entry);
	c[MLPT_CMP_BOUNDS].bytes = mlpt_span_bytes(r->va_highest, page, entry);
	c[MLPT_CMP_PER_VMA].bytes = mlpt_per_vma_bytes(r->vma, r->nr_vma,
						       page, entry);
	mlpt_segments(r->vma, r->nr_vma, seg);
	for (i = 0; i < MLPT_NR_SEG; i++)
		sum += mlpt_span_bytes(seg[i].end - seg[i].start, page, entry);
	c[MLPT_CMP_SEGMENTS].bytes = sum;
	c[MLPT_CMP_LINEAR_2M].bytes =
		mlpt_linear_bytes(r->va_bits, BIT_ULL(MLPT_SHIFT_2M), entry);
	c[MLPT_CMP_LINEAR_1G].bytes =
		mlpt_linear_bytes(r->va_bits, BIT_ULL(MLPT_SHIFT_1G), entry);
	c[MLPT_CMP_RESIDENT].bytes = mlpt_span_bytes(r->resident_bytes,
						     page, entry);
	windows = mlpt_windows(r->vma, r->nr_vma, MLPT32_WINDOW_SHIFT);
	c[MLPT_CMP_32BIT].bytes = mlpt_twolevel32_bytes(windows);
	c[MLPT_CMP_CEILING].bytes = mlpt_ceiling_bytes(r, r->vma, r->nr_vma, 0);
	c[MLPT_CMP_CEILING_2M].bytes = mlpt_ceiling_bytes(r, r->vma, r->nr_vma,
							  MLPT_SHIFT_2M);
	c[MLPT_CMP_CEILING_1G].bytes = mlpt_ceiling_bytes(r, r->vma, r->nr_vma,
							  MLPT_SHIFT_1G);
	for (i = 0; i < MLPT_NR_CMP; i++) {
		c[i].valid = !mlpt_cmp_why(r, i);
		if (!c[i].valid)
			c[i].bytes = 0;
	}
}

double mlpt_ratio(u64 bytes, u64 tree)
{
	return tree ? (double)bytes / tree : 0;
}
