// SPDX-License-Identifier: GPL-2.0
/*
 * --explain: the same numbers, with the arithmetic written out the way a
 * teacher would on a board.  Every figure comes from model.c.
 */
#include "views/explain.h"

static unsigned long long ull(u64 v)
{
	return v;
}

/* "1 table", "2 tables": the word that goes with @n */
static const char *noun(u64 n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void geometry(struct buf *b, const struct mlpt_report *r,
		     const struct mlpt_geom *g)
{
	unsigned int entry_shift = mlpt_log2(r->entry_bytes);
	unsigned int level_bits = g->page_shift - entry_shift;
	unsigned int pgd_bits = g->bits[MLPT_PGD];
	char n1[NUM_LEN], n2[NUM_LEN];
	int i;

	buf_printf(b, "1. A page is %llu bytes = 2^%u, so the low %u bits of an address are\n"
		   "   the offset inside the page; the other %u - %u = %u bits number the page.\n",
		   ull(r->page_size), g->page_shift, g->page_shift, r->va_bits,
		   g->page_shift, r->va_bits - g->page_shift);
	buf_printf(b, "2. A table is one page: %llu bytes / %llu bytes per entry = %llu = 2^%u\n"
		   "   entries, so each level uses %u bits of the page number.  A table the\n"
		   "   size of a page is allocated, freed and found like any other page.\n",
		   ull(r->page_size), ull(r->entry_bytes),
		   ull(r->page_size >> entry_shift),
		   g->page_shift - entry_shift, g->page_shift - entry_shift);
	if (pgd_bits == level_bits)
		buf_printf(b, "3. %u bits / %u bits per level = %u levels (%u-level paging):\n",
			   r->va_bits - g->page_shift, level_bits,
			   r->paging_levels, r->paging_levels);
	else	/* arm64 52-bit: the top level takes what is left over */
		buf_printf(b, "3. %u bits / %u bits per level = %u levels and %u bits left over,\n"
			   "   which a smaller top level indexes: %u-level paging, a pgd of\n"
			   "   2^%u = %llu entries x %llu bytes = %llu bytes:\n",
			   r->va_bits - g->page_shift, level_bits,
			   r->paging_levels - 1, pgd_bits, r->paging_levels,
			   pgd_bits, ull(r->level[MLPT_PGD].entries),
			   ull(r->entry_bytes),
			   ull(r->level[MLPT_PGD].entries * r->entry_bytes));
	for (i = MLPT_PGD; i <= MLPT_PTE; i++) {
		if (r->level[i].folded) {
			buf_printf(b, "     %-12s %s  folded: the hardware skips it\n",
				   "", mlpt_level_name[i]);
			continue;
		}
		buf_printf(b, "     bits %2u..%-2u %s index, one entry covers 2^%u = %s\n",
			   g->lo[i] + g->bits[i] - 1, g->lo[i],
			   mlpt_level_name[i], g->lo[i],
			   fmt_human(n1, BIT_ULL(g->lo[i])));
	}
	buf_printf(b, "     bits %2u..0  offset in the page\n", g->page_shift - 1);
	if (r->level[MLPT_PGD].table_bytes > r->page_size)
		buf_printf(b,
			   "   The pgd here is %s: with page-table isolation the kernel keeps a\n"
			   "   second copy for user mode next to it.\n",
			   fmt_human(n2, r->level[MLPT_PGD].table_bytes));
}

/* under the pte line, where the report has "contiguous-ptes" */
static const char *const contiguous_note =
	"        %llu of the present %s the contiguous bit: each is one\n"
	"        of a range of entries that map one aligned, physically\n"
	"        contiguous block, which the TLB may cache as one entry.\n";

static void level_line(struct buf *b, const struct mlpt_report *r,
		       const struct mlpt_geom *g, int i)
{
	const struct mlpt_level_stats *l = &r->level[i];
	unsigned int span = g->lo[i] + g->bits[i];
	char n1[NUM_LEN], n2[NUM_LEN], n3[NUM_LEN];

	if (i == MLPT_PTE) {
		buf_printf(b, "   pte: %llu present %s map pages, %llu more %s\n"
			   "        swapped or migrating.\n",
			   ull(l->leaf), noun(l->leaf, "entry", "entries"),
			   ull(l->nonpresent), noun(l->nonpresent, "is", "are"));
		if (r->contiguous_known)
			buf_printf(b, contiguous_note,
				   ull(r->contiguous_ptes),
				   noun(r->contiguous_ptes, "ones carries", "ones carry"));
	} else {
		buf_printf(b, "   %s: %llu %s to tables below",
			   mlpt_level_name[i], ull(l->next),
			   noun(l->next, "entry points", "entries point"));
	}
	/* huge pages: only pmd and pud entries can map memory directly */
	if (i == MLPT_PMD || i == MLPT_PUD)
		buf_printf(b, ", %llu %s %s pages directly", ull(l->leaf),
			   noun(l->leaf, "maps", "map"),
			   fmt_human(n1, BIT_ULL(g->lo[i])));
	if (i != MLPT_PTE)
		buf_printf(b, ".\n");
	buf_printf(b, "        One %s table covers %llu x %s = %s; ",
		   mlpt_level_name[i], ull(l->entries),
		   fmt_human(n1, BIT_ULL(g->lo[i])),
		   fmt_human(n2, span < 64 ? BIT_ULL(span) : 0));
	if (r->vma && span < 64) {
		u64 w = mlpt_windows(r->vma, r->nr_vma, span);

		buf_printf(b, "the VMAs touch %llu\n        %s of that size, and ",
			   ull(w), noun(w, "window", "windows"));
	}
	buf_printf(b, "the entries fall in %llu of them:\n        %llu %s x %llu bytes = %s",
		   ull(l->tables), ull(l->tables),
		   noun(l->tables, "table", "tables"), ull(l->table_bytes),
		   fmt_human(n3, l->tables * l->table_bytes));
	if (l->empty_tables)
		buf_printf(b, " (%llu of them empty, kept by the kernel)",
			   ull(l->empty_tables));
	buf_printf(b, ".\n");
}

static void tree(struct buf *b, const struct mlpt_view *v,
		 const struct mlpt_geom *g)
{
	const struct mlpt_report *r = v->r;
	const char *plus = "";
	char n1[NUM_LEN];
	int i;

	buf_printf(b, "4. Tables each level needed, from the bottom up (a table exists only\n"
		   "   where something below it was touched):\n");
	for (i = MLPT_PTE; i >= MLPT_PGD; i--)
		if (!r->level[i].folded)
			level_line(b, r, g, i);
	buf_printf(b, "   Tree: ");
	for (i = MLPT_PGD; i <= MLPT_PTE; i++) {
		if (r->level[i].folded)
			continue;
		buf_printf(b, "%s%llu x %llu", plus, ull(r->level[i].tables),
			   ull(r->level[i].table_bytes));
		plus = " + ";
	}
	buf_printf(b, " = %llu bytes = %s.\n",
		   ull(v->cmp[MLPT_CMP_TREE].bytes),
		   fmt_human(n1, v->cmp[MLPT_CMP_TREE].bytes));
	buf_printf(b,
		   "   VmPTE counts pte + pmd + pud tables + deposited: (%llu + %llu + %llu + %llu)\n"
		   "   x %llu = %llu; the kernel says %llu.\n",
		   ull(r->level[MLPT_PTE].tables),
		   ull(r->level[MLPT_PMD].tables),
		   ull(r->level[MLPT_PUD].tables), ull(r->deposited_tables),
		   ull(r->page_size), ull(r->walk_pgtables_bytes),
		   ull(r->kernel_pgtables_bytes));
}

/* on a line of its own: "= N bytes = size, x ratio the tree." */
static void result(struct buf *b, const struct mlpt_view *v,
		   enum mlpt_cmp_id id)
{
	u64 bytes = v->cmp[id].bytes, tree = v->cmp[MLPT_CMP_TREE].bytes;
	char n1[NUM_LEN], n2[NUM_LEN];

	buf_printf(b, "\n      = %llu bytes = %s", ull(bytes), fmt_human(n1, bytes));
	if (tree)
		buf_printf(b, ", %s the tree",
			   fmt_ratio(n2, mlpt_ratio(bytes, tree)));
	buf_printf(b, ".\n");
}

static void linear(struct buf *b, const struct mlpt_view *v, const char *what,
		   unsigned int va_bits, unsigned int page_shift,
		   enum mlpt_cmp_id id)
{
	const struct mlpt_report *r = v->r;

	buf_printf(b, "   %s: 2^%u / 2^%u = 2^%u entries x %llu bytes", what,
		   va_bits, page_shift, va_bits - page_shift,
		   ull(r->entry_bytes));
	result(b, v, id);
}

static void segments(struct buf *b, const struct mlpt_view *v)
{
	static const char *const name[MLPT_NR_SEG] = {
		"code", "heap", "stack"
	};
	const struct mlpt_report *r = v->r;
	struct mlpt_range seg[MLPT_NR_SEG];
	u64 pages = 0;
	size_t i;

	for (i = 0; i < r->nr_vma; i++)
		pages += (r->vma[i].end - r->vma[i].start) / r->page_size;
	buf_printf(b, "   One table per VMA: the %zu %s %llu %s x %llu bytes",
		   r->nr_vma, noun(r->nr_vma, "VMA holds", "VMAs hold"),
		   ull(pages), noun(pages, "page", "pages"),
		   ull(r->entry_bytes));
	result(b, v, MLPT_CMP_PER_VMA);
	mlpt_segments(r->vma, r->nr_vma, seg);
	buf_printf(b,
		   "   One table per classic segment, each from its lowest to its highest\n   address:");
	for (pages = 0, i = 0; i < MLPT_NR_SEG; i++) {
		u64 n = mlpt_span_bytes(seg[i].end - seg[i].start,
					     r->page_size, 1);

		buf_printf(b, " %s %llu %s%s", name[i], ull(n),
			   noun(n, "page", "pages"),
			   i + 1 < MLPT_NR_SEG ? "," : ";");
		pages += n;
	}
	buf_printf(b, "\n   %llu %s x %llu bytes", ull(pages),
		   noun(pages, "page", "pages"), ull(r->entry_bytes));
	result(b, v, MLPT_CMP_SEGMENTS);
}

static void textbook32(struct buf *b, const struct mlpt_view *v)
{
	const struct mlpt_report *r = v->r;
	u64 w = mlpt_windows(r->vma, r->nr_vma, MLPT32_WINDOW_SHIFT);

	buf_printf(b,
		   "   32-bit, the textbook: 2^32 / 2^12 = 2^20 pages x %d bytes = 4 MiB as one\n"
		   "   linear table; as two levels a leaf table of %d x %d bytes maps %d x 4 KiB\n"
		   "   = 4 MiB, and the VMAs touch %llu such 4 MiB %s:",
		   MLPT32_ENTRY_BYTES, MLPT32_ENTRIES, MLPT32_ENTRY_BYTES,
		   MLPT32_ENTRIES, ull(w), noun(w, "window", "windows"));
	if (!v->cmp[MLPT_CMP_32BIT].valid) {
		buf_printf(b, " more than %d,\n   so the process does not fit in 4 GiB.\n",
			   MLPT32_ENTRIES);
		return;
	}
	buf_printf(b, "\n   %llu leaf %s + 1 directory = %llu x %d", ull(w),
		   noun(w, "table", "tables"), ull(w + 1), MLPT32_TABLE_BYTES);
	result(b, v, MLPT_CMP_32BIT);
}

static void models(struct buf *b, const struct mlpt_view *v,
		   const struct mlpt_geom *g)
{
	const struct mlpt_report *r = v->r;

	buf_printf(b, "5. The same process with other designs (one entry per page, no tree):\n");
	linear(b, v, "Linear, whole space", r->va_bits, g->page_shift,
	       MLPT_CMP_LINEAR);
	linear(b, v, "Linear, user half", r->va_bits - 1, g->page_shift,
	       MLPT_CMP_LINEAR_USER);
	buf_printf(b, "   Linear with a bounds register at va-highest 0x%llx:\n"
		   "   0x%llx / %llu = %llu %s x %llu bytes",
		   ull(r->va_highest), ull(r->va_highest), ull(r->page_size),
		   ull(r->va_highest / r->page_size),
		   noun(r->va_highest / r->page_size, "entry", "entries"),
		   ull(r->entry_bytes));
	result(b, v, MLPT_CMP_BOUNDS);
	if (r->vma)
		segments(b, v);
	linear(b, v, "Linear, 2 MiB pages", r->va_bits, MLPT_SHIFT_2M,
	       MLPT_CMP_LINEAR_2M);
	linear(b, v, "Linear, 1 GiB pages", r->va_bits, MLPT_SHIFT_1G,
	       MLPT_CMP_LINEAR_1G);
	buf_printf(b,
		   "   Lower bound, one entry per resident page: %llu / %llu = %llu %s x %llu bytes",
		   ull(r->resident_bytes), ull(r->page_size),
		   ull(r->resident_bytes / r->page_size),
		   noun(r->resident_bytes / r->page_size, "page", "pages"),
		   ull(r->entry_bytes));
	result(b, v, MLPT_CMP_RESIDENT);
	if (r->vma)
		textbook32(b, v);
}

void mlpt_explain(struct buf *b, const struct mlpt_view *v)
{
	struct mlpt_geom g;

	mlpt_geometry(v->r, &g);
	buf_printf(b, "\nHow the page tables of pid %d (%s) add up\n\n",
		   v->r->pid, v->r->comm);
	geometry(b, v->r, &g);
	tree(b, v, &g);
	models(b, v, &g);
}
