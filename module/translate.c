// SPDX-License-Identifier: GPL-2.0
/*
 * Walk one address the way the MMU does, recording every step.
 *
 * The same rules as walk.c hold: only an address inside a VMA is walked,
 * under mmap_read_lock, the pte table under RCU, each entry read once and
 * classified before it is followed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/rcupdate.h>

#include "compat.h"
#include "translate.h"

/*
 * Record the entry that @level's accessors read in the step of its row
 * (the level itself, or the nearest one above it that is not folded),
 * and the folded levels between them as folded steps when the walk goes
 * on below.  Returns whether it does.
 */
static bool mlpt_step_set(struct mlpt_translation *t, enum mlpt_level level,
			  u64 entry, enum mlpt_step_result result)
{
	const struct mlpt_geometry *g = &t->geom;
	enum mlpt_level row = level;
	struct mlpt_step *s;

	while (g->folded[row])
		row--;
	s = &t->step[row];
	s->index = (t->addr >> g->shift[row]) & (g->fanout[row] - 1);
	s->entry = entry;
	s->result = result;
	t->steps = row + 1;
	if (result != MLPT_STEP_NEXT)
		return false;
	while (row < level)
		t->step[++row].result = MLPT_STEP_FOLDED;
	t->steps = level + 1;
	return true;
}

static void mlpt_leaf_set(struct mlpt_translation *t, unsigned long bytes,
			  unsigned long pfn)
{
	t->leaf_bytes = bytes;
	t->pfn = pfn;
}

static void mlpt_translate_pte(struct mlpt_translation *t, pmd_t pmd)
{
	pte_t pte = ptep_get(pte_offset_kernel(&pmd, t->addr));

	if (pte_none(pte)) {
		mlpt_step_set(t, MLPT_PTE, pte_val(pte), MLPT_STEP_NONE);
	} else if (!pte_present(pte)) {
		mlpt_step_set(t, MLPT_PTE, pte_val(pte), MLPT_STEP_NONPRESENT);
	} else {
		mlpt_step_set(t, MLPT_PTE, pte_val(pte), MLPT_STEP_LEAF);
		mlpt_leaf_set(t, PAGE_SIZE, pte_pfn(pte));
	}
}

/*
 * Each function reads the entry at @p, a slot of its level's table (see
 * walk.c for the folded levels, whose slots are handed down unread).
 * pte tables can be freed under mmap_read_lock: see walk.c.
 */
static void mlpt_translate_pmd(struct mlpt_translation *t, pmd_t *pmdp)
{
	pmd_t pmd;

	rcu_read_lock();
	pmd = mlpt_pmdp_get(pmdp);
	if (pmd_none(pmd)) {
		mlpt_step_set(t, MLPT_PMD, pmd_val(pmd), MLPT_STEP_NONE);
	} else if (!pmd_present(pmd)) {
		mlpt_step_set(t, MLPT_PMD, pmd_val(pmd), MLPT_STEP_NONPRESENT);
	} else if (pmd_leaf(pmd)) {
		mlpt_step_set(t, MLPT_PMD, pmd_val(pmd), MLPT_STEP_LEAF);
		mlpt_leaf_set(t, PMD_SIZE, pmd_pfn(pmd));
	} else if (pmd_bad(pmd)) {
		mlpt_step_set(t, MLPT_PMD, pmd_val(pmd), MLPT_STEP_NONPRESENT);
	} else if (mlpt_step_set(t, MLPT_PMD, pmd_val(pmd), MLPT_STEP_NEXT)) {
		mlpt_translate_pte(t, pmd);
	}
	rcu_read_unlock();
}

static void mlpt_translate_pud(struct mlpt_translation *t, pud_t *pudp)
{
	pud_t pud;

	if (t->geom.folded[MLPT_PMD]) {
		mlpt_translate_pmd(t, pmd_offset(pudp, t->addr));
		return;
	}
	pud = mlpt_pudp_get(pudp);
	if (pud_none(pud)) {
		mlpt_step_set(t, MLPT_PUD, pud_val(pud), MLPT_STEP_NONE);
	} else if (!pud_present(pud)) {
		mlpt_step_set(t, MLPT_PUD, pud_val(pud), MLPT_STEP_NONPRESENT);
	} else if (pud_leaf(pud)) {
		mlpt_step_set(t, MLPT_PUD, pud_val(pud), MLPT_STEP_LEAF);
		mlpt_leaf_set(t, PUD_SIZE, pud_pfn(pud));
	} else if (pud_bad(pud)) {
		mlpt_step_set(t, MLPT_PUD, pud_val(pud), MLPT_STEP_NONPRESENT);
	} else if (mlpt_step_set(t, MLPT_PUD, pud_val(pud), MLPT_STEP_NEXT)) {
		mlpt_translate_pmd(t, pmd_offset(&pud, t->addr));
	}
}

static void mlpt_translate_p4d(struct mlpt_translation *t, p4d_t *p4dp)
{
	p4d_t p4d;

	if (t->geom.folded[MLPT_PUD]) {
		mlpt_translate_pud(t, pud_offset(p4dp, t->addr));
		return;
	}
	p4d = mlpt_p4dp_get(p4dp);
	if (p4d_none(p4d))
		mlpt_step_set(t, MLPT_P4D, p4d_val(p4d), MLPT_STEP_NONE);
	else if (!p4d_present(p4d) || p4d_bad(p4d))
		mlpt_step_set(t, MLPT_P4D, p4d_val(p4d), MLPT_STEP_NONPRESENT);
	else if (mlpt_step_set(t, MLPT_P4D, p4d_val(p4d), MLPT_STEP_NEXT))
		mlpt_translate_pud(t, pud_offset(&p4d, t->addr));
}

static void mlpt_translate_walk(struct mm_struct *mm,
				struct mlpt_translation *t)
{
	pgd_t *pgdp = pgd_offset(mm, t->addr);
	pgd_t pgd;

	mlpt_geometry(mm, &t->geom);
	if (t->geom.folded[MLPT_P4D]) {
		mlpt_translate_p4d(t, p4d_offset(pgdp, t->addr));
		return;
	}
	pgd = mlpt_pgdp_get(pgdp);
	if (pgd_none(pgd))
		mlpt_step_set(t, MLPT_PGD, pgd_val(pgd), MLPT_STEP_NONE);
	else if (!pgd_present(pgd) || pgd_bad(pgd))
		mlpt_step_set(t, MLPT_PGD, pgd_val(pgd), MLPT_STEP_NONPRESENT);
	else if (mlpt_step_set(t, MLPT_PGD, pgd_val(pgd), MLPT_STEP_NEXT))
		mlpt_translate_p4d(t, p4d_offset(&pgd, t->addr));
}

/**
 * mlpt_translate() - walk the page tables for one user address
 * @mm: the address space; the caller holds a reference from mmget()
 * @addr: a user address below MLPT_USER_ADDR_END
 * @t: filled in; t->in_vma is false when no VMA covers @addr, and then
 *     nothing was read (tables outside VMAs may be freed under the lock)
 *
 * Return: 0, or -EINTR on a fatal signal.
 */
int mlpt_translate(struct mm_struct *mm, unsigned long addr,
		   struct mlpt_translation *t)
{
	struct vm_area_struct *vma;

	memset(t, 0, sizeof(*t));
	t->addr = addr;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	vma = find_vma(mm, addr);
	t->in_vma = vma && vma->vm_start <= addr;
	if (t->in_vma)
		mlpt_translate_walk(mm, t);
	mmap_read_unlock(mm);
	return 0;
}
