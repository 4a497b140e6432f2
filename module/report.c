// SPDX-License-Identifier: GPL-2.0
/*
 * Format 1 of the report (see SPEC.md, "Report"): key lines, the level
 * table and the occupancy table.  Column widths follow the header words so
 * that a terminal shows aligned columns; parsers split on white space.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/string.h>

#include "mlpt.h"

#define MLPT_FORMAT 1

static void mlpt_report_keys(struct seq_buf *s, const struct mlpt_report_id *id,
			     const struct mlpt_stats *st)
{
	const struct mlpt_level_stats *lv = st->level;
	int level;

	seq_buf_printf(s, "mlpt-format: %d\n", MLPT_FORMAT);
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

/**
 * mlpt_report_format() - the default report of one address space
 * @s: output; the caller checks seq_buf_has_overflowed()
 * @id: the process the file names
 * @st: what mlpt_walk() counted
 */
void mlpt_report_format(struct seq_buf *s, const struct mlpt_report_id *id,
			const struct mlpt_stats *st)
{
	mlpt_report_keys(s, id, st);
	mlpt_report_levels(s, st);
	mlpt_report_occupancy(s, st);
}
