// SPDX-License-Identifier: GPL-2.0
/*
 * One pass over the page tables of an address space, counting what each
 * level holds.  Nothing here formats or allocates; see report.c.
 *
 * The rules, and why:
 *  - Only ranges inside VMAs are walked, under mmap_read_lock.  Tables
 *    outside VMAs can be freed while the read lock is held (munmap frees
 *    them after downgrading to it); tables inside VMAs cannot.
 *  - Every entry is read once and classified (empty, table, leaf,
 *    non-present, bad) before anything else; descent uses the value read
 *    and never reads the slot again.
 *  - A pte table can be freed under the read lock on newer kernels
 *    (khugepaged retracting the tables of a file THP, freed after an RCU
 *    grace period), so each pmd entry is read, and the pte table it points
 *    to walked, inside rcu_read_lock().
 *  - The walk never writes an entry.
 *  - The walk yields between tables: cond_resched() always, and it drops
 *    mmap_lock when a writer waits, then carries on from the address it
 *    reached; a pending fatal signal ends it.
 *
 * Two VMAs inside one 2 MiB range share a pte table and the pmd entry that
 * points to it.  Ranges are walked in address order, so a table or an entry
 * met again is always the last one met at its level: remembering, per
 * level, the base of the current table and the end of the last counted
 * entry is enough to count each table and each entry exactly once.
 *
 * The summary walks each maximal run of adjacent VMAs (no gap between
 * them) as one range: every table covering a run lies inside VMAs, so
 * none can be freed under the read lock, and what a VMA is matters only
 * at pmd leaves (see mlpt_leaf_deposits()).  A process with thousands of
 * small VMAs, mostly adjacent (a library's four mappings, a thread stack
 * and its guard page), so costs one descent per run instead of a
 * find_vma() and a descent from the pgd per VMA; the VMAs are stepped
 * through with the VMA iterator (compat.h) only to find where runs end.
 * The `vmas` report walks one VMA at a time to say what each one added.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "numa.h"
#include "walk.h"

const char *const mlpt_level_names[MLPT_NR_LEVELS] = {
	[MLPT_PGD] = "pgd",
	[MLPT_P4D] = "p4d",
	[MLPT_PUD] = "pud",
	[MLPT_PMD] = "pmd",
	[MLPT_PTE] = "pte",
};

struct mlpt_table_cursor {
	unsigned long base;	/* first address the table maps */
	unsigned long nonempty;	/* its non-empty entries counted so far */
	bool open;
};

struct mlpt_walk {
	struct mm_struct *mm;
	/* The VMA of the last pmd leaf; only valid under this lock hold. */
	struct vm_area_struct *leaf_vma;
	struct mlpt_stats *st;
	/* The VMA's occupancy, for a `vmas-occupancy` report; or NULL. */
	struct mlpt_vma_occupancy *occ;
	/* The row each level's entries are counted in: see the table walks. */
	enum mlpt_level row[MLPT_NR_LEVELS];
	struct mlpt_table_cursor table[MLPT_NR_LEVELS];
	/* Entries at addresses below this were counted already. */
	unsigned long counted_end[MLPT_NR_LEVELS];
	/* Stop, drop mmap_lock, resume at the address returned. */
	bool yield;
	/*
	 * Keep mmap_lock when a writer waits: a VMA split, moved or
	 * unmapped while the lock is dropped would leave its row of a
	 * `vmas` report missing, doubled or overlapping the next one, and
	 * the rows would no longer add up to the totals.  A fatal signal
	 * still ends the walk.
	 */
	bool hold_lock;
};

enum mlpt_entry_kind {
	MLPT_ENTRY_NEXT,
	MLPT_ENTRY_LEAF,
	MLPT_ENTRY_NONPRESENT,
};

unsigned int mlpt_occupancy_bucket(unsigned long nonempty)
{
	if (nonempty < 2)
		return nonempty;
	if (nonempty < 8)
		return 2;
	if (nonempty < 64)
		return 3;
	if (nonempty < 256)
		return 4;
	if (nonempty < 512)
		return 5;
	return 6;
}

static void mlpt_table_close(struct mlpt_walk *w, enum mlpt_level level)
{
	struct mlpt_table_cursor *t = &w->table[level];
	struct mlpt_level_stats *ls = &w->st->level[level];

	if (!t->open)
		return;
	ls->occupancy[mlpt_occupancy_bucket(t->nonempty)]++;
	if (!t->nonempty)
		ls->empty_tables++;
	t->open = false;
}

/*
 * Make the table mapping @base current at @level, counting it if new;
 * @entry is the address of one of its entries, to find its node.
 */
static void mlpt_table_enter(struct mlpt_walk *w, enum mlpt_level level,
			     unsigned long base, const void *entry)
{
	struct mlpt_table_cursor *t = &w->table[level];

	/* Once per table and VMA: a VMA walk enters each of its tables once. */
	if (w->occ)
		mlpt_occupancy_table(w->occ, level, base);
	if (t->open && t->base == base)
		return;
	mlpt_table_close(w, level);
	t->open = true;
	t->base = base;
	t->nonempty = 0;
	w->st->level[level].tables++;
	if (w->st->node_tables)
		mlpt_nodes_count(w->st->node_tables, level, entry);
}

/**
 * mlpt_count_entry() - count one non-empty entry above the pte level
 * @w: the walk
 * @level: the row the entry is counted in
 * @addr: an address the entry maps
 * @size: bytes the entry maps
 * @kind: what the entry is
 *
 * Return: true if the entry was new, false if a previous VMA sharing the
 * table counted it already.
 */
static bool mlpt_count_entry(struct mlpt_walk *w, enum mlpt_level level,
			     unsigned long addr, unsigned long size,
			     enum mlpt_entry_kind kind)
{
	struct mlpt_level_stats *ls = &w->st->level[level];
	unsigned long base = addr & ~(size - 1);

	if (base < w->counted_end[level])
		return false;
	w->counted_end[level] = base + size;
	w->table[level].nonempty++;
	switch (kind) {
	case MLPT_ENTRY_NEXT:
		ls->present++;
		ls->next++;
		break;
	case MLPT_ENTRY_LEAF:
		ls->present++;
		ls->leaf++;
		w->st->resident_bytes += size;
		break;
	case MLPT_ENTRY_NONPRESENT:
		ls->nonpresent++;
		break;
	}
	return true;
}

/*
 * Called after each pte table and at the end of each pmd table, outside
 * RCU: the only places the walk may sleep or give up mmap_lock, so that
 * the cost of holding either is bounded by one pte table and 512 cheap
 * pmd entries.
 */
static bool mlpt_should_yield(struct mlpt_walk *w)
{
	cond_resched();
	if ((!w->hold_lock && mmap_lock_is_contended(w->mm)) ||
	    fatal_signal_pending(current))
		w->yield = true;
	return w->yield;
}

/* Entries of a pte table read and tested together. */
#define MLPT_PTE_GROUP	8

/* Count @nr entries from @ptep, one at a time. */
static __always_inline void mlpt_count_ptes(pte_t *ptep, unsigned long nr,
					    unsigned long *present,
					    unsigned long *nonempty,
					    unsigned long *contiguous)
{
	for (; nr; nr--, ptep++) {
		pte_t pte = ptep_get(ptep);

		*nonempty += !pte_none(pte);
		*present += !!mlpt_pte_present(pte);
		*contiguous += mlpt_pte_contiguous(pte);
	}
}

/*
 * For `vmas-occupancy`: the entries of the pte table outside the VMA's
 * part of it, [@addr, @end), so that the VMA's row can say how full the
 * whole table is and whether it holds anything but the VMA's entries.
 * These entries belong to the neighbouring VMAs or to the gaps between
 * them.  Reading them is safe where walking a gap is not: the table is
 * not freed under us, since it maps part of a VMA (munmap() keeps the
 * tables a remaining VMA uses) and RCU holds it against the rest; an
 * entry of a gap being zapped by a munmap() that downgraded its lock is
 * read as it was or as none, and either is a fair count.
 */
static void mlpt_walk_pte_rest(struct mlpt_walk *w, pmd_t pmd,
			       unsigned long addr, unsigned long end,
			       unsigned long present, unsigned long nonempty)
{
	unsigned long base = addr & PMD_MASK;
	unsigned long before = 0, after = 0, unused = 0;

	mlpt_count_ptes(pte_offset_kernel(&pmd, base),
			(addr - base) >> PAGE_SHIFT, &unused, &before, &unused);
	if (end - base < PMD_SIZE)
		mlpt_count_ptes(pte_offset_kernel(&pmd, end),
				(base + PMD_SIZE - end) >> PAGE_SHIFT,
				&unused, &after, &unused);
	mlpt_occupancy_pte_table(w->occ, addr, end, present, nonempty,
				 before + after);
}

/*
 * The hot loop: up to 512 entries, none shared with another VMA (VMAs are
 * page aligned), so they are summed locally and added once.  Entries are
 * read in groups of 8 whose OR tells in one test that all 8 are empty,
 * the common case of a sparse table; other groups are counted entry by
 * entry without a branch: a present pte is never pte_none(), so two
 * conditional adds count both kinds and the non-present ones are the
 * difference; contiguous entries (compat.h) are a third add, compiled
 * only where the architecture has them.  Each entry is still read once.
 * The unrolled group keeps the 8 entries in registers; as a plain loop
 * GCC kept them on the stack.
 * Measured with bench/ (6.12 guest, TCG, module against module, --quick):
 * walk of the sparse workload (32844 tables, 1 entry each) 66.0 ms
 * against 109.8 ms one entry at a time, of the dense one (525 full
 * tables) 1.15 ms against 1.68 ms.
 */
static void mlpt_walk_pte_table(struct mlpt_walk *w, pmd_t pmd,
				unsigned long addr, unsigned long end)
{
	struct mlpt_level_stats *ls = &w->st->level[MLPT_PTE];
	pte_t *ptep = pte_offset_kernel(&pmd, addr);
	unsigned long nr = (end - addr) >> PAGE_SHIFT;
	unsigned long present = 0, nonempty = 0, contiguous = 0;

	mlpt_table_enter(w, MLPT_PTE, addr & PMD_MASK, ptep);
	for (; nr >= MLPT_PTE_GROUP; nr -= MLPT_PTE_GROUP,
	     ptep += MLPT_PTE_GROUP) {
		pte_t group[MLPT_PTE_GROUP];
		mlpt_pte_bits_t any = 0;
		int i;

#pragma GCC unroll 8
		for (i = 0; i < MLPT_PTE_GROUP; i++) {
			group[i] = ptep_get(ptep + i);
			any |= mlpt_pte_bits(group[i]);
		}
		if (mlpt_pte_bits_none(any))
			continue;
#pragma GCC unroll 8
		for (i = 0; i < MLPT_PTE_GROUP; i++) {
			nonempty += !pte_none(group[i]);
			present += !!mlpt_pte_present(group[i]);
			contiguous += mlpt_pte_contiguous(group[i]);
		}
	}
	mlpt_count_ptes(ptep, nr, &present, &nonempty, &contiguous);
	if (w->occ)
		mlpt_walk_pte_rest(w, pmd, addr, end, present, nonempty);
	ls->present += present;
	ls->leaf += present;
	ls->nonpresent += nonempty - present;
	w->table[MLPT_PTE].nonempty += nonempty;
	w->st->resident_bytes += present * PAGE_SIZE;
	w->st->contiguous_ptes += contiguous;
}

/*
 * The kernel deposits a pte table behind each huge pmd of an anonymous
 * VMA (THP and the huge zero page) and keeps it while the pmd is a
 * migration entry; mm_pgtables_bytes() counts it.  A huge pmd maps 2 MiB
 * of one VMA, and a run may hold VMAs of both kinds, so the leaf's own VMA
 * decides: looked up here, the one place the walk needs a VMA.  Leaves of
 * one VMA come in a row, so the VMA found last is tried first.
 */
static bool mlpt_leaf_deposits(struct mlpt_walk *w, unsigned long addr)
{
	struct vm_area_struct *vma = w->leaf_vma;

	if (!vma || addr < vma->vm_start || addr >= vma->vm_end) {
		vma = find_vma(w->mm, addr);
		w->leaf_vma = vma;
	}
	return vma && vma_is_anonymous(vma);
}

/*
 * Classify one pmd entry and walk the pte table behind it.  Runs under
 * rcu_read_lock(): see the top of this file.  Returns whether it walked
 * a pte table.
 */
static bool mlpt_walk_pmd_entry(struct mlpt_walk *w, pmd_t *pmdp,
				unsigned long addr, unsigned long next)
{
	enum mlpt_level row = w->row[MLPT_PMD];
	pmd_t pmd = mlpt_pmdp_get(pmdp);

	if (pmd_none(pmd))
		return false;
	if (!pmd_present(pmd)) {
		if (mlpt_count_entry(w, row, addr, PMD_SIZE,
				     MLPT_ENTRY_NONPRESENT) &&
		    mlpt_is_pmd_migration_entry(pmd) &&
		    mlpt_leaf_deposits(w, addr))
			w->st->deposited_tables++;
	} else if (pmd_leaf(pmd)) {
		if (mlpt_count_entry(w, row, addr, PMD_SIZE,
				     MLPT_ENTRY_LEAF) &&
		    mlpt_leaf_deposits(w, addr))
			w->st->deposited_tables++;
	} else if (pmd_bad(pmd)) {
		mlpt_count_entry(w, row, addr, PMD_SIZE,
				 MLPT_ENTRY_NONPRESENT);
	} else {
		mlpt_count_entry(w, row, addr, PMD_SIZE, MLPT_ENTRY_NEXT);
		mlpt_walk_pte_table(w, pmd, addr, next);
		return true;
	}
	return false;
}

/*
 * The table walks below take a pointer to the first entry of their range.
 * An entry that points to a table is read once and the table found from
 * the value read.  When the level below is folded its "table" is the slot
 * itself: the entry is not read here (this level's accessors are trivial
 * then) but handed down by address and read with the folded level's
 * accessors, and what they find is counted in this level's row
 * (w->row[]).  The address, not a copy: arm64 finds the entry of a level
 * folded at run time from the address of the slot (p4d_offset(),
 * pud_offset()).
 *
 * With 4-level paging the p4d is folded so: p4d_offset() hands back the
 * pgd slot (x86-64 without LA57) or the slot of the pgd page that the
 * address indexes (arm64 without LPA2), and the p4d accessors read the
 * real entry, counted in the pgd row.  A caller gives one entry's range
 * at a time: a level folded at build time has an addr_end() that returns
 * its end unchanged, so a longer range would run the loop, and the ones
 * under it, off the end of a table.
 */
static unsigned long mlpt_walk_pmd_table(struct mlpt_walk *w, pmd_t *pmdp,
					 unsigned long addr, unsigned long end)
{
	unsigned long next;

	if (w->row[MLPT_PMD] == MLPT_PMD)
		mlpt_table_enter(w, MLPT_PMD, addr & PUD_MASK, pmdp);
	/*
	 * One RCU section over the empty entries and leaves between pte
	 * tables: entering it and checking whether to yield for each of
	 * them made the walk of 16 pages in a 64 TiB PROT_NONE reservation
	 * cost 0.70-1.07 ms instead of 0.17-0.22 ms (bench/, "reserve",
	 * 6.12 guest under TCG).
	 */
	rcu_read_lock();
	do {
		next = pmd_addr_end(addr, end);
		if (!mlpt_walk_pmd_entry(w, pmdp, addr, next))
			continue;
		rcu_read_unlock();
		if (mlpt_should_yield(w))
			return next;
		rcu_read_lock();
	} while (pmdp++, addr = next, addr != end);
	rcu_read_unlock();
	mlpt_should_yield(w);
	return end;
}

static unsigned long mlpt_walk_pud_table(struct mlpt_walk *w, pud_t *pudp,
					 unsigned long addr, unsigned long end)
{
	enum mlpt_level row = w->row[MLPT_PUD];
	unsigned long next;
	pud_t pud;

	if (row == MLPT_PUD)
		mlpt_table_enter(w, MLPT_PUD, addr & P4D_MASK, pudp);
	do {
		next = pud_addr_end(addr, end);
		if (w->st->level[MLPT_PMD].folded) {
			addr = mlpt_walk_pmd_table(w, pmd_offset(pudp, addr),
						   addr, next);
			if (w->yield)
				return addr;
			continue;
		}
		pud = mlpt_pudp_get(pudp);
		if (pud_none(pud))
			continue;
		if (!pud_present(pud) || (!pud_leaf(pud) && pud_bad(pud))) {
			mlpt_count_entry(w, row, addr, PUD_SIZE,
					 MLPT_ENTRY_NONPRESENT);
			continue;
		}
		if (pud_leaf(pud)) {
			mlpt_count_entry(w, row, addr, PUD_SIZE,
					 MLPT_ENTRY_LEAF);
			continue;
		}
		mlpt_count_entry(w, row, addr, PUD_SIZE, MLPT_ENTRY_NEXT);
		addr = mlpt_walk_pmd_table(w, pmd_offset(&pud, addr), addr,
					   next);
		if (w->yield)
			return addr;
	} while (pudp++, addr = next, addr != end);
	return end;
}

static unsigned long mlpt_walk_p4d_table(struct mlpt_walk *w, p4d_t *p4dp,
					 unsigned long addr, unsigned long end)
{
	enum mlpt_level row = w->row[MLPT_P4D];
	unsigned long next;
	p4d_t p4d;

	if (row == MLPT_P4D)
		mlpt_table_enter(w, MLPT_P4D, addr & PGDIR_MASK, p4dp);
	do {
		next = p4d_addr_end(addr, end);
		if (w->st->level[MLPT_PUD].folded) {
			addr = mlpt_walk_pud_table(w, pud_offset(p4dp, addr),
						   addr, next);
			if (w->yield)
				return addr;
			continue;
		}
		p4d = mlpt_p4dp_get(p4dp);
		if (p4d_none(p4d))
			continue;
		if (!p4d_present(p4d) || p4d_bad(p4d)) {
			mlpt_count_entry(w, row, addr, P4D_SIZE,
					 MLPT_ENTRY_NONPRESENT);
			continue;
		}
		mlpt_count_entry(w, row, addr, P4D_SIZE, MLPT_ENTRY_NEXT);
		addr = mlpt_walk_pud_table(w, pud_offset(&p4d, addr), addr,
					   next);
		if (w->yield)
			return addr;
	} while (p4dp++, addr = next, addr != end);
	return end;
}

/* One pgd entry of a 5-level tree, and the p4d table behind it. */
static unsigned long mlpt_walk_pgd_entry(struct mlpt_walk *w, pgd_t *pgdp,
					 unsigned long addr, unsigned long end)
{
	pgd_t pgd = mlpt_pgdp_get(pgdp);

	if (pgd_none(pgd))
		return end;
	if (!pgd_present(pgd) || pgd_bad(pgd)) {
		mlpt_count_entry(w, MLPT_PGD, addr, PGDIR_SIZE,
				 MLPT_ENTRY_NONPRESENT);
		return end;
	}
	mlpt_count_entry(w, MLPT_PGD, addr, PGDIR_SIZE, MLPT_ENTRY_NEXT);
	return mlpt_walk_p4d_table(w, p4d_offset(&pgd, addr), addr, end);
}

static unsigned long mlpt_walk_range(struct mlpt_walk *w, unsigned long addr,
				     unsigned long end)
{
	bool folded = w->st->level[MLPT_P4D].folded;
	pgd_t *pgdp = pgd_offset(w->mm, addr);
	unsigned long next;

	do {
		next = pgd_addr_end(addr, end);
		if (folded)
			addr = mlpt_walk_p4d_table(w, p4d_offset(pgdp, addr),
						   addr, next);
		else
			addr = mlpt_walk_pgd_entry(w, pgdp, addr, next);
		if (w->yield)
			return addr;
	} while (pgdp++, addr = next, addr != end);
	return end;
}

/* Geometry of the tree in force now: folding is a run-time fact. */
static void mlpt_describe_levels(struct mlpt_walk *w)
{
	struct mlpt_stats *st = w->st;
	struct mlpt_geometry g;
	int level;

	mlpt_geometry(w->mm, &g);
	for (level = 0; level < MLPT_NR_LEVELS; level++) {
		st->level[level].folded = g.folded[level];
		st->level[level].fanout = g.fanout[level];
		st->level[level].table_bytes = g.table_bytes[level];
		w->row[level] = g.folded[level] ? w->row[level - 1] : level;
	}
	st->paging_levels = g.paging_levels;
	st->va_bits = g.va_bits;
}

/* Totals when a VMA starts; what it added is the difference at its end. */
static void mlpt_vma_counts_take(const struct mlpt_stats *st,
				 struct mlpt_vma_counts *c)
{
	int level;

	for (level = 0; level < MLPT_NR_LEVELS; level++)
		c->tables[level] = st->level[level].tables;
	c->leaf_bytes = st->resident_bytes;
	c->huge_pmds = st->level[MLPT_PMD].leaf;
	c->deposited_tables = st->deposited_tables;
}

static void mlpt_vma_visit(struct mlpt_vma_visitor *visitor,
			   struct vm_area_struct *vma,
			   const struct mlpt_stats *st,
			   const struct mlpt_vma_counts *at_start)
{
	struct mlpt_vma_counts added;
	int level;

	mlpt_vma_counts_take(st, &added);
	for (level = 0; level < MLPT_NR_LEVELS; level++)
		added.tables[level] -= at_start->tables[level];
	added.leaf_bytes -= at_start->leaf_bytes;
	added.huge_pmds -= at_start->huge_pmds;
	added.deposited_tables -= at_start->deposited_tables;
	visitor->visit(visitor, vma, &added);
}

/*
 * A VMA is counted once, when the walk first reaches it.  VMAs starting
 * below the end of the last one counted were counted before the lock was
 * dropped: the one the walk stopped in, or the rest of its run.
 */
static void mlpt_count_vma(struct mlpt_stats *st, struct vm_area_struct *vma)
{
	if (st->vmas && vma->vm_start < st->va_highest)
		return;
	if (!st->vmas)
		st->va_lowest = vma->vm_start;
	st->vmas++;
	st->mapped_bytes += vma->vm_end - vma->vm_start;
	st->va_highest = vma->vm_end;
}

/*
 * What mm_pgtables_bytes() adds up for the same tables: pte tables, pmd
 * and pud tables unless folded (mm_inc_nr_pmds() and mm_inc_nr_puds()
 * skip those, and a level folded at run time has no tables of its own),
 * plus deposited tables; no architecture accounts the pgd or p4d.  A
 * folded row counts no tables, so the sum needs no test of its own.
 */
static unsigned long mlpt_accounted_bytes(const struct mlpt_stats *st)
{
	const struct mlpt_level_stats *lv = st->level;

	return lv[MLPT_PTE].tables * lv[MLPT_PTE].table_bytes +
	       lv[MLPT_PMD].tables * lv[MLPT_PMD].table_bytes +
	       lv[MLPT_PUD].tables * lv[MLPT_PUD].table_bytes +
	       st->deposited_tables * lv[MLPT_PTE].table_bytes;
}

/*
 * Count the VMAs of the run that begins with *@vma and return its end;
 * leave in *@vma the first VMA after the run, or NULL.
 */
static unsigned long mlpt_run_extend(struct mlpt_stats *st,
				     struct mlpt_vma_iter *vmi,
				     struct vm_area_struct **vma)
{
	struct vm_area_struct *v = *vma;
	unsigned long end;

	do {
		mlpt_count_vma(st, v);
		end = v->vm_end;
		v = mlpt_vma_next(vmi);
	} while (v && v->vm_start == end);
	*vma = v;
	return end;
}

/*
 * The summary: one range per run of adjacent VMAs.  When the walk stops
 * to let a writer in, the VMAs may change while the lock is dropped, so
 * the run is found again from the address reached, never carried over:
 * the walk descends again from the pgd, only through tables that cover
 * VMAs under the new lock hold, and every table and entry below that
 * address was counted (the cursors and counted_end carry over, so one
 * met again is not counted twice).
 *
 * Return: 0 with the lock held, or -EINTR without it.
 */
static int mlpt_walk_runs(struct mlpt_walk *w)
{
	struct mm_struct *mm = w->mm;
	struct vm_area_struct *vma;
	struct mlpt_vma_iter vmi;
	unsigned long addr = 0, end;

	mlpt_vma_iter_set(&vmi, mm, 0);
	vma = mlpt_vma_next(&vmi);
	while (vma) {
		addr = max(addr, vma->vm_start);
		end = mlpt_run_extend(w->st, &vmi, &vma);
		addr = mlpt_walk_range(w, addr, end);
		if (!w->yield)
			continue;
		w->yield = false;
		w->leaf_vma = NULL;
		mmap_read_unlock(mm);
		cond_resched();
		/*
		 * mmap_read_lock_killable() succeeds without looking at
		 * signals when the lock is free: test for the fatal signal
		 * that may have stopped the walk first.
		 */
		if (fatal_signal_pending(current) ||
		    mmap_read_lock_killable(mm))
			return -EINTR;
		mlpt_vma_iter_set(&vmi, mm, addr);
		vma = mlpt_vma_next(&vmi);
	}
	return 0;
}

/*
 * The `vmas` report: each VMA walked on its own, so that what it added
 * (the tables it reached first) is its row.  The lock is kept throughout
 * (see hold_lock), so only a fatal signal stops the walk.
 *
 * Return: 0 with the lock held, or -EINTR without it.
 */
static int mlpt_walk_vmas(struct mlpt_walk *w,
			  struct mlpt_vma_visitor *visitor)
{
	unsigned long floor = FIRST_USER_ADDRESS;
	struct vm_area_struct *vma, *next;
	struct mlpt_vma_counts at_start;
	struct mlpt_vma_iter vmi;

	mlpt_vma_iter_set(&vmi, w->mm, 0);
	for (vma = mlpt_vma_next(&vmi); vma; vma = next) {
		/* The next VMA bounds what munmap() of this one frees. */
		next = mlpt_vma_next(&vmi);
		if (w->occ)
			mlpt_occupancy_begin(w->occ, floor,
					     next ? next->vm_start :
						    USER_PGTABLES_CEILING);
		mlpt_count_vma(w->st, vma);
		mlpt_vma_counts_take(w->st, &at_start);
		w->leaf_vma = vma;
		mlpt_walk_range(w, vma->vm_start, vma->vm_end);
		if (w->yield) {
			mmap_read_unlock(w->mm);
			return -EINTR;
		}
		mlpt_vma_visit(visitor, vma, w->st, &at_start);
		floor = vma->vm_end;
	}
	return 0;
}

/**
 * mlpt_walk() - count the page tables of an address space
 * @mm: the address space; the caller holds a reference from mmget()
 * @st: filled in
 * @visitor: if not NULL, told what each VMA added, in address order
 *
 * Cost is proportional to the tables present, not to the size of the
 * VMAs: empty entries are skipped at the highest level they occur.
 *
 * Return: 0, or -EINTR if a fatal signal interrupted the walk.
 */
int mlpt_walk(struct mm_struct *mm, struct mlpt_stats *st,
	      struct mlpt_vma_visitor *visitor)
{
	struct mlpt_walk w = {
		.mm = mm,
		.st = st,
		.occ = visitor ? visitor->occupancy : NULL,
		.hold_lock = !!visitor,
	};
	unsigned long *node_tables = st->node_tables;
	u64 start = ktime_get_ns();
	int level, err;

	memset(st, 0, sizeof(*st));
	st->node_tables = node_tables;
	if (node_tables)
		mlpt_nodes_clear(node_tables);
	mlpt_describe_levels(&w);
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	mlpt_table_enter(&w, MLPT_PGD, 0, mm->pgd);
	err = visitor ? mlpt_walk_vmas(&w, visitor) : mlpt_walk_runs(&w);
	if (err)
		return err;
	st->kernel_pgtables_bytes = mm_pgtables_bytes(mm);
	mmap_read_unlock(mm);

	for (level = 0; level < MLPT_NR_LEVELS; level++)
		mlpt_table_close(&w, level);
	st->walk_pgtables_bytes = mlpt_accounted_bytes(st);
	st->walk_ns = ktime_get_ns() - start;
	return 0;
}
