// SPDX-License-Identifier: GPL-2.0
/*
 * Format 1 of the report (see SPEC.md, "Report"): key lines, the level
 * table and the occupancy table.  Column widths follow the header words so
 * that a terminal shows aligned columns; parsers split on white space.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/string.h>

#include "mlpt.h"
#include "translate.h"

#define MLPT_FORMAT 1

static void mlpt_report_format_line(struct seq_buf *s)
{
	seq_buf_printf(s, "mlpt-format: %d\n", MLPT_FORMAT);
}

static void mlpt_report_keys(struct seq_buf *s, const struct mlpt_report_id *id,
			     const struct mlpt_stats *st)
{
	const struct mlpt_level_stats *lv = st->level;
	int level;

	seq_buf_printf(s, "pid: %d\n", id->pid);
	/* comm is any bytes but NUL: escape what would break the line. */
	seq_buf_printf(s, "comm: %*pE\n", (int)strnlen(id->comm, TASK_COMM_LEN),
		       id->comm);
	seq_buf_printf(s, "paging-levels: %u\n", st->paging_levels);
	seq_buf_printf(s, "va-bits: %u\n", st->va_bits);
	seq_buf_printf(s, "page-size: %lu\n", PAGE_SIZE);
	seq_buf_printf(s, "entry-bytes: %zu\n", sizeof(pte_t));
	seq_buf_printf(s, "entries-per-table: %lu\n", lv[MLPT_PTE].fanout);
	for (level = 0; level < MLPT_NR_LEVELS; level++)
		if (!lv[level].folded &&
		    lv[level].fanout != lv[MLPT_PTE].fanout)
			seq_buf_printf(s, "entries-per-table-%s: %lu\n",
				       mlpt_level_names[level],
				       lv[level].fanout);
	seq_buf_printf(s, "vmas: %lu\n", st->vmas);
	seq_buf_printf(s, "mapped-bytes: %lu\n", st->mapped_bytes);
	seq_buf_printf(s, "va-lowest: 0x%016lx\n", st->va_lowest);
	seq_buf_printf(s, "va-highest: 0x%016lx\n", st->va_highest);
	seq_buf_printf(s, "resident-bytes: %lu\n", st->resident_bytes);
	seq_buf_printf(s, "walk-pgtables-bytes: %lu\n",
		       st->walk_pgtables_bytes);
	seq_buf_printf(s, "kernel-pgtables-bytes: %lu\n",
		       st->kernel_pgtables_bytes);
	seq_buf_printf(s, "deposited-tables: %lu\n", st->deposited_tables);
	seq_buf_printf(s, "walk-ns: %llu\n", st->walk_ns);
}

static void mlpt_report_levels(struct seq_buf *s, const struct mlpt_stats *st)
{
	int level;

	seq_buf_printf(s,
		       "\nlevel folded tables table-bytes present next leaf nonpresent empty-tables\n");
	for (level = 0; level < MLPT_NR_LEVELS; level++) {
		const struct mlpt_level_stats *ls = &st->level[level];

		seq_buf_printf(s, "%-5s %-6d %-6lu %-11lu %-7lu %-4lu %-4lu %-10lu %lu\n",
			       mlpt_level_names[level], ls->folded, ls->tables,
			       ls->table_bytes, ls->present, ls->next, ls->leaf,
			       ls->nonpresent, ls->empty_tables);
	}
}

static void mlpt_report_occupancy(struct seq_buf *s,
				  const struct mlpt_stats *st)
{
	int level;

	seq_buf_printf(s, "\noccupancy 0 1 2-7 8-63 64-255 256-511 512\n");
	for (level = 0; level < MLPT_NR_LEVELS; level++) {
		const unsigned long *o = st->level[level].occupancy;

		seq_buf_printf(s, "%-9s %-1lu %-1lu %-3lu %-4lu %-6lu %-7lu %lu\n",
			       mlpt_level_names[level], o[0], o[1], o[2], o[3],
			       o[4], o[5], o[6]);
	}
}

/* Everything after the format line: shared by `summary` and `vmas`. */
static void mlpt_report_totals(struct seq_buf *s,
			       const struct mlpt_report_id *id,
			       const struct mlpt_stats *st)
{
	mlpt_report_keys(s, id, st);
	mlpt_report_levels(s, st);
	mlpt_report_occupancy(s, st);
}

/**
 * mlpt_report_summary() - the default report of one address space
 * @s: output; the caller checks seq_buf_has_overflowed()
 * @id: the process the file names
 * @st: what mlpt_walk() counted
 */
void mlpt_report_summary(struct seq_buf *s, const struct mlpt_report_id *id,
			 const struct mlpt_stats *st)
{
	mlpt_report_format_line(s);
	mlpt_report_totals(s, id, st);
}

void mlpt_report_vmas_begin(struct seq_buf *s)
{
	mlpt_report_format_line(s);
	seq_buf_printf(s,
		       "start              end                perms  pud pmd pte  leaf-bytes  name\n");
}

/* Names as /proc/<pid>/maps gives them; "-" for an anonymous mapping. */
static void mlpt_report_vma_name(struct seq_buf *s, struct vm_area_struct *vma,
				 char *path_buf)
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
	seq_buf_printf(s, "%*pEs\n", (int)strlen(name), name);
}

/**
 * mlpt_report_vma_row() - one row of the `vmas` report
 * @s: output
 * @vma: the VMA, under mmap_read_lock
 * @c: the tables it reached first, and the bytes its leaves map
 * @path_buf: PATH_MAX bytes of scratch for the file name
 */
void mlpt_report_vma_row(struct seq_buf *s, struct vm_area_struct *vma,
			 const struct mlpt_vma_counts *c, char *path_buf)
{
	unsigned long flags = vma->vm_flags;

	seq_buf_printf(s, "0x%016lx 0x%016lx %c%c%c%c   %-3lu %-3lu %-4lu %-11lu ",
		       vma->vm_start, vma->vm_end,
		       flags & VM_READ ? 'r' : '-',
		       flags & VM_WRITE ? 'w' : '-',
		       flags & VM_EXEC ? 'x' : '-',
		       flags & VM_MAYSHARE ? 's' : 'p',
		       c->tables[MLPT_PUD], c->tables[MLPT_PMD],
		       c->tables[MLPT_PTE], c->leaf_bytes);
	mlpt_report_vma_name(s, vma, path_buf);
}

void mlpt_report_vmas_end(struct seq_buf *s, const struct mlpt_report_id *id,
			  const struct mlpt_stats *st)
{
	seq_buf_printf(s, "\n");
	mlpt_report_totals(s, id, st);
}

/*
 * x86 entry bits by their manual names.  Protection keys live in bits
 * 59-62 of leaf entries and mean something only when the OS enabled them.
 */
static void mlpt_report_flags(struct seq_buf *s, u64 e, bool leaf)
{
	static const struct {
		u64 bit;
		const char *name;
	} names[] = {
		{ _PAGE_PRESENT, "P" }, { _PAGE_RW, "RW" }, { _PAGE_USER, "US" },
		{ _PAGE_ACCESSED, "A" }, { _PAGE_DIRTY, "D" },
		{ _PAGE_PSE, "PS" }, { _PAGE_GLOBAL, "G" }, { _PAGE_NX, "NX" },
	};
	char flags[40];
	size_t len = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].bit && (e & names[i].bit))
			len += scnprintf(flags + len, sizeof(flags) - len,
					 "%s%s", len ? " " : "", names[i].name);
	if (leaf && cpu_feature_enabled(X86_FEATURE_OSPKE))
		len += scnprintf(flags + len, sizeof(flags) - len, "%sPK%llu",
				 len ? " " : "",
				 (e & _PAGE_PKEY_MASK) >> _PAGE_BIT_PKEY_BIT0);
	seq_buf_printf(s, "%-12s ", len ? flags : "-");
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
 * @s: output
 * @t: the steps mlpt_translate() recorded
 * @show_phys: whether the opener may see entries and physical addresses
 */
void mlpt_report_translation(struct seq_buf *s,
			     const struct mlpt_translation *t, bool show_phys)
{
	unsigned int i;

	mlpt_report_format_line(s);
	seq_buf_printf(s, "translate: 0x%016lx\n", t->addr);
	if (!t->in_vma) {
		/* Tables outside VMAs may be freed under us: not read. */
		seq_buf_printf(s, "vma: none\n");
		return;
	}
	seq_buf_printf(s, "level index entry              flags        result\n");
	for (i = 0; i < t->steps; i++) {
		const struct mlpt_step *st = &t->step[i];

		seq_buf_printf(s, "%-5s %-5u ", mlpt_level_names[i], st->index);
		if (st->result == MLPT_STEP_FOLDED)
			seq_buf_printf(s, "%-18s %-12s ", "-", "folded");
		else if (show_phys)
			seq_buf_printf(s, "0x%016llx ", st->entry);
		else
			seq_buf_printf(s, "%-18s ", "hidden");
		if (st->result != MLPT_STEP_FOLDED)
			mlpt_report_flags(s, st->entry,
					  st->result == MLPT_STEP_LEAF);
		seq_buf_printf(s, "%s\n", mlpt_step_results[st->result]);
	}
	if (t->step[t->steps - 1].result != MLPT_STEP_LEAF)
		return;
	seq_buf_printf(s, "offset: 0x%lx\n", t->addr & (t->leaf_bytes - 1));
	if (show_phys)
		seq_buf_printf(s, "pfn: 0x%lx\nphysical: 0x%016lx\n", t->pfn,
			       (t->pfn << PAGE_SHIFT) +
			       (t->addr & (t->leaf_bytes - 1)));
	else
		seq_buf_printf(s, "pfn: hidden\nphysical: hidden\n");
}
