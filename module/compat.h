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

#include <linux/fs.h>
#include <linux/pgtable.h>
#include <asm/pgalloc.h>

#include "compat-probed.h"

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

/* struct mlpt_idmap: the first argument of inode_operations.permission. */
#ifdef MLPT_HAVE_PERMISSION_MNT_IDMAP
#define mlpt_idmap mnt_idmap
#else
#define mlpt_idmap user_namespace
#endif

/*
 * Bytes of one pgd as allocated.  x86 allocates two pages when built with
 * page-table isolation (the second is the user copy), active or not.
 */
#ifdef PGD_ALLOCATION_ORDER
#define MLPT_PGD_TABLE_BYTES	(PAGE_SIZE << PGD_ALLOCATION_ORDER)
#else
#define MLPT_PGD_TABLE_BYTES	(PTRS_PER_PGD * sizeof(pgd_t))
#endif

#endif /* MLPT_COMPAT_H */
