/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels mlpt builds for, in one place.
 *
 * compat-probed.h is written by scripts/probe.sh, which compiles each file
 * in probes/ against the target kernel's headers; MLPT_HAVE_<PROBE> is
 * defined for each probe that compiled.  The rest of the module calls the
 * mlpt_* names below and contains no #if on kernel versions or features.
 */
#ifndef MLPT_COMPAT_H
#define MLPT_COMPAT_H

#include <linux/capability.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/coredump.h>
#include <asm/pgalloc.h>

#include "compat-probed.h"

#ifdef MLPT_HAVE_TASK_EXEC_STATE
#include <linux/sched/exec_state.h>
#endif
#include <linux/swap.h>
#ifdef MLPT_HAVE_PMD_IS_MIGRATION_ENTRY
#include <linux/leafops.h>
#else
#include <linux/swapops.h>
#endif

/*
 * Read one page-table entry exactly once.  Newer kernels give an accessor
 * per level that architectures may override; older ones only ptep_get(),
 * and there READ_ONCE() is what the generic accessor does.
 */
#ifdef MLPT_HAVE_PGDP_GET
#define mlpt_pgdp_get(p)	pgdp_get(p)
#else
#define mlpt_pgdp_get(p)	READ_ONCE(*(p))
#endif

#ifdef MLPT_HAVE_P4DP_GET
#define mlpt_p4dp_get(p)	p4dp_get(p)
#else
#define mlpt_p4dp_get(p)	READ_ONCE(*(p))
#endif

#ifdef MLPT_HAVE_PUDP_GET
#define mlpt_pudp_get(p)	pudp_get(p)
#else
#define mlpt_pudp_get(p)	READ_ONCE(*(p))
#endif

#ifdef MLPT_HAVE_PMDP_GET
#define mlpt_pmdp_get(p)	pmdp_get(p)
#else
#define mlpt_pmdp_get(p)	READ_ONCE(*(p))
#endif

/*
 * pte_present() for the walk's hot loop.  x86's masks the entry with a
 * PFN mask known only at run time (memory encryption) before testing two
 * bits that are flags on every x86-64 kernel: test them directly.
 */
#ifdef CONFIG_X86_64
#define mlpt_pte_present(pte)	\
	(native_pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE))
#else
#define mlpt_pte_present(pte)	pte_present(pte)
#endif

/*
 * Contiguous ptes: a present pte with the architecture's contiguous bit
 * (arm64's PTE_CONT) is one of CONT_PTES entries that map one aligned,
 * physically contiguous block, which the TLB may cache as one entry.
 * The bit means something else in a swap or migration entry, hence the
 * present test.  Where the architecture has no such bit the count is a
 * constant 0, which the compiler removes from the walk's hot loop, and
 * the report leaves the key out (mlpt_has_contiguous_ptes).
 */
#ifdef MLPT_HAVE_PTE_CONT
#define mlpt_has_contiguous_ptes	true
static __always_inline bool mlpt_pte_contiguous(pte_t pte)
{
	return pte_present(pte) && pte_cont(pte);
}
#else
#define mlpt_has_contiguous_ptes	false
static __always_inline bool mlpt_pte_contiguous(pte_t pte)
{
	return false;
}
#endif

/*
 * The bits of a pte, to OR several together in an mlpt_pte_bits_t, and
 * whether the entries whose OR that is are all empty: pte_none() tests
 * the entry under a mask (x86 ignores two bits of the KNL erratum), so it
 * holds for the OR exactly when it holds for each.  x86's native
 * accessors, not the paravirt pte_val() that 5.10 calls out of line.
 * riscv has no pteval_t: its pte_val() is an unsigned long, as wide as
 * the others' pteval_t on 64 bits.
 */
typedef u64 mlpt_pte_bits_t;

#ifdef CONFIG_X86_64
#define mlpt_pte_bits(pte)		native_pte_val(pte)
#define mlpt_pte_bits_none(bits)	pte_none(native_make_pte(bits))
#else
#define mlpt_pte_bits(pte)		pte_val(pte)
#define mlpt_pte_bits_none(bits)	pte_none(__pte(bits))
#endif

static inline void mlpt_inode_init_times(struct inode *inode)
{
#ifdef MLPT_HAVE_SIMPLE_INODE_INIT_TS
	simple_inode_init_ts(inode);
#else
	struct timespec64 now = current_time(inode);

	inode->i_atime = now;
	inode->i_mtime = now;
	inode->i_ctime = now;
#endif
}

/*
 * The parameter list of inode_operations.permission, naming inode and
 * mask: a struct mnt_idmap * first since 6.3, a struct user_namespace *
 * in 5.12-6.2, nothing before.
 */
#if defined(MLPT_HAVE_PERMISSION_MNT_IDMAP)
#define MLPT_PERMISSION_PARAMS \
	struct mnt_idmap *idmap, struct inode *inode, int mask
#elif defined(MLPT_HAVE_PERMISSION_USER_NS)
#define MLPT_PERMISSION_PARAMS \
	struct user_namespace *userns, struct inode *inode, int mask
#else
#define MLPT_PERMISSION_PARAMS struct inode *inode, int mask
#endif

/*
 * The parameter list of dentry_operations.d_revalidate, naming dentry and
 * flags: 6.14 added the parent directory and the name in front.
 */
#ifdef MLPT_HAVE_D_REVALIDATE_DIR
#define MLPT_D_REVALIDATE_PARAMS \
	struct inode *dir, const struct qstr *name, \
	struct dentry *dentry, unsigned int flags
#else
#define MLPT_D_REVALIDATE_PARAMS \
	struct dentry *dentry, unsigned int flags
#endif

/* super_operations.drop_inode that always drops: renamed in 6.18. */
#ifdef MLPT_HAVE_INODE_JUST_DROP
#define mlpt_drop_inode_always	inode_just_drop
#else
#define mlpt_drop_inode_always	generic_delete_inode
#endif

/* The dentry operations of every dentry of @sb: an accessor since 6.17. */
static inline void mlpt_set_default_d_op(struct super_block *sb,
					 const struct dentry_operations *ops)
{
#ifdef MLPT_HAVE_SET_DEFAULT_D_OP
	set_default_d_op(sb, ops);
#else
	sb->s_d_op = ops;
#endif
}

/*
 * Whether the owner of @task may read its memory (it is dumpable, not a
 * setuid program's), or the caller has CAP_SYS_PTRACE in the user
 * namespace that owns it.  That state moved from the mm to the task's
 * exec_state in 7.2.
 */
static inline bool mlpt_dumpable_or_ptrace_capable(struct task_struct *task,
						   struct mm_struct *mm)
{
#ifdef MLPT_HAVE_TASK_EXEC_STATE
	const struct task_exec_state *es;
	bool ok;

	rcu_read_lock();
	es = rcu_dereference(task->exec_state);
	ok = es->dumpable == TASK_DUMPABLE_OWNER ||
	     ns_capable_noaudit(es->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	return ok;
#else
	return get_dumpable(mm) == SUID_DUMP_USER ||
	       ns_capable_noaudit(mm->user_ns, CAP_SYS_PTRACE);
#endif
}

/* Whether a non-present pmd is a THP migration entry. */
#ifdef MLPT_HAVE_PMD_IS_MIGRATION_ENTRY
#define mlpt_is_pmd_migration_entry(pmd)	pmd_is_migration_entry(pmd)
#else
#define mlpt_is_pmd_migration_entry(pmd)	is_pmd_migration_entry(pmd)
#endif

/* The first pid >= @nr in @ns; call under rcu_read_lock(). */
static inline struct pid *mlpt_find_ge_pid(int nr, struct pid_namespace *ns)
{
#ifdef MLPT_HAVE_EXPORT_FIND_GE_PID
	return find_ge_pid(nr, ns);
#else
	/* Not exported before 5.11: this is all it does. */
	return idr_get_next(&ns->idr, &nr);
#endif
}

/*
 * The VMAs of an mm in address order, from the one containing or
 * following an address, under mmap_read_lock.  Since 6.1 they live in a
 * maple tree, and the VMA iterator steps to the next one from where it
 * stands instead of descending the tree again as find_vma() does; before,
 * they were a list linked by vm_next.  Either way the position is only
 * good while the lock is held: set it again after dropping the lock.
 * vma_find() is not used: its limit is inclusive in 6.1 and exclusive
 * in later kernels (6.12 and 7.x among them).
 */
#ifdef MLPT_HAVE_VMA_ITERATOR
struct mlpt_vma_iter {
	struct vma_iterator vmi;
};

static inline void mlpt_vma_iter_set(struct mlpt_vma_iter *it,
				     struct mm_struct *mm, unsigned long addr)
{
	vma_iter_init(&it->vmi, mm, addr);
}

static inline struct vm_area_struct *mlpt_vma_next(struct mlpt_vma_iter *it)
{
	return vma_next(&it->vmi);
}
#else
struct mlpt_vma_iter {
	struct mm_struct *mm;
	unsigned long addr;
	struct vm_area_struct *vma;
};

static inline void mlpt_vma_iter_set(struct mlpt_vma_iter *it,
				     struct mm_struct *mm, unsigned long addr)
{
	it->mm = mm;
	it->addr = addr;
	it->vma = NULL;
}

static inline struct vm_area_struct *mlpt_vma_next(struct mlpt_vma_iter *it)
{
	it->vma = it->vma ? it->vma->vm_next : find_vma(it->mm, it->addr);
	return it->vma;
}
#endif

/*
 * Whether the paging mode in force for @mm skips a level: the kernel's own
 * answer, which __pud_alloc() and __pmd_alloc() follow when they allocate
 * and account tables.  Folded at build time (PTRS_PER_<level> == 1, the
 * generic pgtable-nop4d.h, -nopud.h, -nopmd.h), or at run time where the
 * architecture overrides these: x86-64 without LA57
 * (pgtable_l5_enabled()), arm64 built for 52 bits on a CPU without LPA2
 * (pgtable_l5_enabled() and pgtable_l4_enabled(), from vabits_actual),
 * riscv64 in Sv48 (p4d) and Sv39 (p4d and pud: the variables
 * pgtable_l5_enabled and pgtable_l4_enabled, set at boot from satp).
 */
#define mlpt_p4d_folded(mm)	mm_p4d_folded(mm)
#define mlpt_pud_folded(mm)	mm_pud_folded(mm)
#define mlpt_pmd_folded(mm)	mm_pmd_folded(mm)

/*
 * Bits of virtual address the tree in force translates.  arm64 decides it
 * at boot and keeps PGDIR_SHIFT and PTRS_PER_PGD at the values built for
 * (52 bits); x86-64 and the others change PGDIR_SHIFT or PTRS_PER_PGD at
 * boot instead, so the pgd's reach is the answer there (riscv64: a
 * PGDIR_SHIFT of 48, 39 or 30 by satp mode, 512 entries: 57, 48, 39).
 */
#ifdef MLPT_HAVE_VABITS_ACTUAL
#define mlpt_va_bits()		((unsigned int)vabits_actual)
#else
#define mlpt_va_bits()		(PGDIR_SHIFT + ilog2(PTRS_PER_PGD))
#endif

/*
 * Bytes of one pgd of @mm as allocated.  x86 allocates two pages when
 * built with page-table isolation (the second is the user copy), active
 * or not.  arm64 (arch/arm64/mm/pgd.c, pgdir_is_page_size()) allocates a
 * page when PGD_SIZE is one or when the level under the pgd is folded at
 * run time (the pgd then holds that level's entries, a page of them);
 * else PGD_SIZE bytes from a slab cache, 128 with 4 KiB pages and 52 bits.
 */
static inline unsigned long mlpt_pgd_table_bytes(struct mm_struct *mm)
{
#if defined(MLPT_HAVE_PGD_ALLOCATION_ORDER)
	return PAGE_SIZE << pgd_allocation_order();
#elif defined(PGD_ALLOCATION_ORDER)
	return PAGE_SIZE << PGD_ALLOCATION_ORDER;
#elif defined(CONFIG_ARM64)
	bool p4d_real = PTRS_PER_P4D > 1, pud_real = PTRS_PER_PUD > 1;

	if (PGD_SIZE == PAGE_SIZE)
		return PAGE_SIZE;
	if (p4d_real ? mm_p4d_folded(mm) : pud_real && mm_pud_folded(mm))
		return PAGE_SIZE;
	return PGD_SIZE;
#else
	return PTRS_PER_PGD * sizeof(pgd_t);
#endif
}

/*
 * One past the highest user address of a 64-bit process in the paging
 * mode in force.  x86-64's TASK_SIZE_MAX follows LA57 at boot (and stops
 * a page short of the half); arm64's is what the kernel was built for
 * (2^52), TASK_SIZE_64 what it booted with (2^vabits_actual).  riscv64
 * has no TASK_SIZE_MAX of its own (the generic one is TASK_SIZE, which
 * asks whether current is a compat task); TASK_SIZE_64 is the lower half
 * of the mode in force: 2^56, 2^47 or 2^38.
 */
#if defined(CONFIG_ARM64) || defined(CONFIG_RISCV)
#define MLPT_USER_ADDR_END	TASK_SIZE_64
#else
#define MLPT_USER_ADDR_END	TASK_SIZE_MAX
#endif

#endif /* MLPT_COMPAT_H */
