// SPDX-License-Identifier: GPL-2.0
/*
 * Format 1 of the report (docs/format.md): key lines, the level table,
 * the occupancy table and, in the summary, the nodes table; and the
 * `vmas`, `vmas-objects`, `vmas-occupancy` and `translate` reports.
 * Column widths follow the header words so that a terminal shows aligned
 * columns; parsers split on white space.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/string.h>

#include "compat.h"
#include "mlpt.h"
#include "numa.h"
#include "translate.h"

#define MLPT_FORMAT 1

static void mlpt_report_format_line(struct mlpt_out *o)
{
	mlpt_out_key(o, "mlpt-format", MLPT_FORMAT);
}

static void mlpt_report_hex_key(struct mlpt_out *o, const char *key,
				unsigned long v)
{
	mlpt_out_str(o, key);
	mlpt_out_mem(o, ": ", 2);
	mlpt_out_hex(o, v);
	mlpt_out_mem(o, "\n", 1);
}

static void mlpt_report_keys(struct mlpt_out *o,
			     const struct mlpt_report_id *id,
			     const struct mlpt_stats *st)
{
	const struct mlpt_level_stats *lv = st->level;
	int level;

	mlpt_out_key(o, "pid", id->pid);
	/* comm is any bytes but NUL: escape what would break the line. */
	mlpt_out_printf(o, "comm: %*pE\n",
			(int)strnlen(id->comm, TASK_COMM_LEN), id->comm);
	mlpt_out_key(o, "paging-levels", st->paging_levels);
	mlpt_out_key(o, "va-bits", st->va_bits);
	mlpt_out_key(o, "page-size", PAGE_SIZE);
	mlpt_out_key(o, "entry-bytes", sizeof(pte_t));
	mlpt_out_key(o, "entries-per-table", lv[MLPT_PTE].fanout);
	for (level = 0; level < MLPT_NR_LEVELS; level++)
		if (!lv[level].folded &&
		    lv[level].fanout != lv[MLPT_PTE].fanout)
			mlpt_out_printf(o, "entries-per-table-%s: %lu\n",
					mlpt_level_names[level],
					lv[level].fanout);
	mlpt_out_key(o, "vmas", st->vmas);
	mlpt_out_key(o, "mapped-bytes", st->mapped_bytes);
	mlpt_report_hex_key(o, "va-lowest", st->va_lowest);
	mlpt_report_hex_key(o, "va-highest", st->va_highest);
	mlpt_out_key(o, "resident-bytes", st->resident_bytes);
	mlpt_out_key(o, "walk-pgtables-bytes", st->walk_pgtables_bytes);
	mlpt_out_key(o, "kernel-pgtables-bytes", st->kernel_pgtables_bytes);
	mlpt_out_key(o, "deposited-tables", st->deposited_tables);
	mlpt_out_key(o, "walk-ns", st->walk_ns);
	/* Only where the architecture has them: a 0 would say "none". */
	if (mlpt_has_contiguous_ptes)
		mlpt_out_key(o, "contiguous-ptes", st->contiguous_ptes);
}

/* Numbers under the words of a header, the last one ending the line. */
static void mlpt_report_row(struct mlpt_out *o, const char *name,
			    unsigned int name_width, const unsigned long *v,
			    const unsigned int *width, int n)
{
	int i;

	mlpt_out_col(o, name, name_width);
	for (i = 0; i < n - 1; i++)
		mlpt_out_u64(o, v[i], width[i]);
	mlpt_out_u64(o, v[n - 1], 0);
	mlpt_out_mem(o, "\n", 1);
}

static void mlpt_report_levels(struct mlpt_out *o,
			       const struct mlpt_stats *st)
{
	/* folded tables table-bytes present next leaf nonpresent */
	static const unsigned int width[] = { 6, 6, 11, 7, 4, 4, 10 };
	int level;

	mlpt_out_str(o,
		     "\nlevel folded tables table-bytes present next leaf nonpresent empty-tables\n");
	for (level = 0; level < MLPT_NR_LEVELS; level++) {
		const struct mlpt_level_stats *ls = &st->level[level];
		unsigned long v[] = {
			ls->folded, ls->tables, ls->table_bytes, ls->present,
			ls->next, ls->leaf, ls->nonpresent, ls->empty_tables,
		};

		mlpt_report_row(o, mlpt_level_names[level], 5, v, width,
				ARRAY_SIZE(v));
	}
}

static void mlpt_report_occupancy(struct mlpt_out *o,
				  const struct mlpt_stats *st)
{
	/* 0 1 2-7 8-63 64-255 256-511 */
	static const unsigned int width[] = { 1, 1, 3, 4, 6, 7 };
	int level;

	mlpt_out_str(o, "\noccupancy 0 1 2-7 8-63 64-255 256-511 512\n");
	for (level = 0; level < MLPT_NR_LEVELS; level++)
		mlpt_report_row(o, mlpt_level_names[level], 9,
				st->level[level].occupancy, width,
				MLPT_NR_BUCKETS);
}

/*
 * The tables of each level on each node, one row per node (see
 * mlpt_node_reported()).  Rows begin with the node's number, never with
 * a level name: format-1 parsers read any later line that begins with one
 * as an occupancy row (docs/format.md, Compatibility).
 */
static void mlpt_report_nodes(struct mlpt_out *o,
			      const struct mlpt_stats *st)
{
	/* pgd p4d pud pmd */
	static const unsigned int width[] = { 3, 3, 3, 3 };
	char nid_str[12];
	int nid;

	mlpt_out_str(o, "\nnode pgd p4d pud pmd pte\n");
	for (nid = 0; nid < nr_node_ids; nid++) {
		if (!mlpt_node_reported(st->node_tables, nid))
			continue;
		snprintf(nid_str, sizeof(nid_str), "%d", nid);
		mlpt_report_row(o, nid_str, 4,
				mlpt_node_row(st->node_tables, nid), width,
				MLPT_NR_LEVELS);
	}
}

/* Everything after the format line: shared by `summary` and `vmas`. */
static void mlpt_report_totals(struct mlpt_out *o,
			       const struct mlpt_report_id *id,
			       const struct mlpt_stats *st)
{
	mlpt_report_keys(o, id, st);
	mlpt_report_levels(o, st);
	mlpt_report_occupancy(o, st);
}

/**
 * mlpt_report_summary() - the default report of one address space
 * @o: output; the caller checks mlpt_out_overflowed()
 * @id: the process the file names
 * @st: what mlpt_walk() counted, with the tables per node
 */
void mlpt_report_summary(struct mlpt_out *o, const struct mlpt_report_id *id,
			 const struct mlpt_stats *st)
{
	mlpt_report_format_line(o);
	mlpt_report_totals(o, id, st);
	mlpt_report_nodes(o, st);
}

/*
 * `vmas-objects` and `vmas-occupancy` are `vmas` with more columns before
 * the name: mlpt 1.0 checks the `vmas` header word for word, so they need
 * commands of their own (docs/format.md, Compatibility).
 */
void mlpt_report_vmas_begin(struct mlpt_out *o, enum mlpt_vma_columns cols)
{
	mlpt_report_format_line(o);
	mlpt_out_str(o, "start              end                perms  pud pmd pte  leaf-bytes  ");
	if (cols == MLPT_VMA_OBJECTS)
		mlpt_out_str(o, "dev      inode      offset             ");
	if (cols == MLPT_VMA_OCCUPANCY)
		mlpt_report_occupancy_header(o);
	mlpt_out_str(o, "name\n");
}

/* Names as /proc/<pid>/maps gives them; "-" for an anonymous mapping. */
static void mlpt_report_vma_name(struct mlpt_out *o,
				 struct vm_area_struct *vma, char *path_buf)
{
	struct mm_struct *mm = vma->vm_mm;
	const char *name = NULL;

	if (vma->vm_file) {
		name = d_path(&vma->vm_file->f_path, path_buf, PATH_MAX);
		if (IS_ERR(name))
			name = "?";
	} else if (vma->vm_ops && vma->vm_ops->name) {
		name = vma->vm_ops->name(vma);
	} else if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk) {
		name = "[heap]";
	} else if (vma->vm_start <= mm->start_stack &&
		   vma->vm_end >= mm->start_stack) {
		name = "[stack]";
	}
	if (!name)
		name = "-";
	/* The name ends the line: escape only what would end it early. */
	mlpt_out_escaped(o, name);
	mlpt_out_mem(o, "\n", 1);
}

/**
 * mlpt_report_vma_row() - one row of the `vmas` report
 * @o: output
 * @vma: the VMA, under mmap_read_lock
 * @c: the tables it reached first, and the bytes its leaves map
 * @oc: its occupancy, for `vmas-occupancy`
 * @path_buf: PATH_MAX bytes of scratch for the file name
 * @cols: which columns follow the counts
 */
void mlpt_report_vma_row(struct mlpt_out *o, struct vm_area_struct *vma,
			 const struct mlpt_vma_counts *c,
			 const struct mlpt_vma_occupancy *oc, char *path_buf,
			 enum mlpt_vma_columns cols)
{
	unsigned long flags = vma->vm_flags;
	char perms[] = {
		flags & VM_READ ? 'r' : '-',
		flags & VM_WRITE ? 'w' : '-',
		flags & VM_EXEC ? 'x' : '-',
		flags & VM_MAYSHARE ? 's' : 'p',
		'\0'
	};

	mlpt_out_hex(o, vma->vm_start);
	mlpt_out_mem(o, " ", 1);
	mlpt_out_hex(o, vma->vm_end);
	mlpt_out_mem(o, " ", 1);
	mlpt_out_col(o, perms, 6);
	mlpt_out_u64(o, c->tables[MLPT_PUD], 3);
	mlpt_out_u64(o, c->tables[MLPT_PMD], 3);
	mlpt_out_u64(o, c->tables[MLPT_PTE], 4);
	mlpt_out_u64(o, c->leaf_bytes, 11);
	if (cols == MLPT_VMA_OBJECTS)
		mlpt_report_vma_object(o, vma);
	if (cols == MLPT_VMA_OCCUPANCY)
		mlpt_report_vma_occupancy(o, vma, c, oc);
	mlpt_report_vma_name(o, vma, path_buf);
}

/*
 * `vmas-occupancy` says, besides the summary's keys, whether this kernel
 * frees the pte tables MADV_DONTNEED empties: what its rows' pte-reclaim
 * column is worth depends on it.
 */
void mlpt_report_vmas_end(struct mlpt_out *o, const struct mlpt_report_id *id,
			  const struct mlpt_stats *st,
			  enum mlpt_vma_columns cols)
{
	mlpt_out_mem(o, "\n", 1);
	if (cols == MLPT_VMA_OCCUPANCY)
		mlpt_out_str(o, IS_ENABLED(CONFIG_PT_RECLAIM) ?
			     "pt-reclaim: yes\n" : "pt-reclaim: no\n");
	mlpt_report_totals(o, id, st);
}

/* The architecture's names for the bits set in an entry (flags.c). */
static void mlpt_report_flags(struct mlpt_out *o, u64 e,
			      enum mlpt_level level, bool leaf)
{
	char flags[64];

	if (!mlpt_entry_flags(flags, sizeof(flags), e, level, leaf))
		strscpy(flags, "-", sizeof(flags));
	mlpt_out_col(o, flags, 12);
}

static const char *const mlpt_step_results[] = {
	[MLPT_STEP_NEXT] = "next",
	[MLPT_STEP_LEAF] = "leaf",
	[MLPT_STEP_NONE] = "none",
	[MLPT_STEP_NONPRESENT] = "nonpresent",
	[MLPT_STEP_FOLDED] = "next",
};

/**
 * mlpt_report_translation() - the `translate` report
 * @o: output
 * @t: the steps mlpt_translate() recorded
 * @show_phys: whether the opener may see entries and physical addresses
 */
void mlpt_report_translation(struct mlpt_out *o,
			     const struct mlpt_translation *t, bool show_phys)
{
	unsigned int i;

	mlpt_report_format_line(o);
	mlpt_report_hex_key(o, "translate", t->addr);
	if (!t->in_vma) {
		/* Tables outside VMAs may be freed under us: not read. */
		mlpt_out_str(o, "vma: none\n");
		return;
	}
	mlpt_out_str(o, "level index entry              flags        result\n");
	for (i = 0; i < t->steps; i++) {
		const struct mlpt_step *st = &t->step[i];

		mlpt_out_col(o, mlpt_level_names[i], 5);
		mlpt_out_u64(o, st->index, 5);
		if (st->result == MLPT_STEP_FOLDED) {
			mlpt_out_col(o, "-", 18);
			mlpt_out_col(o, "folded", 12);
		} else {
			if (show_phys)
				mlpt_out_printf(o, "0x%016llx ", st->entry);
			else
				mlpt_out_col(o, "hidden", 18);
			mlpt_report_flags(o, st->entry, i,
					  st->result == MLPT_STEP_LEAF);
		}
		mlpt_out_str(o, mlpt_step_results[st->result]);
		mlpt_out_mem(o, "\n", 1);
	}
	if (t->step[t->steps - 1].result != MLPT_STEP_LEAF)
		return;
	mlpt_out_printf(o, "offset: 0x%lx\n", t->addr & (t->leaf_bytes - 1));
	if (show_phys)
		mlpt_out_printf(o, "pfn: 0x%lx\nphysical: 0x%016lx\n", t->pfn,
				(t->pfn << PAGE_SHIFT) +
				(t->addr & (t->leaf_bytes - 1)));
	else
		mlpt_out_str(o, "pfn: hidden\nphysical: hidden\n");
}
