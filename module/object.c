// SPDX-License-Identifier: GPL-2.0
/*
 * The identity of the object a VMA maps, for the `vmas-objects` report:
 * the device and inode of its file and the file offset of its first page,
 * the triple /proc/<pid>/maps shows.  Mappings of one shared file, shmem
 * segment or memfd in different processes have the same device and inode,
 * so a reader can add up what their page tables cost together.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>

#include "mlpt.h"

/**
 * mlpt_report_vma_object() - the `dev`, `inode` and `offset` columns of a row
 * @o: output
 * @vma: the VMA, under mmap_read_lock (which keeps vm_file alive)
 *
 * A VMA without a file (private anonymous memory, the stack, vdso) maps
 * no object: its vm_pgoff is an address, not an offset, so all three
 * columns are `-`.  A shared anonymous mapping has a file (the shmem
 * file mmap() gives it), so it does have an identity, as in maps.
 */
void mlpt_report_vma_object(struct mlpt_out *o, struct vm_area_struct *vma)
{
	const struct inode *inode;
	char dev[24];

	if (!vma->vm_file) {
		mlpt_out_col(o, "-", 8);
		mlpt_out_col(o, "-", 10);
		mlpt_out_col(o, "-", 18);
		return;
	}
	inode = file_inode(vma->vm_file);
	snprintf(dev, sizeof(dev), "%u:%u", MAJOR(inode->i_sb->s_dev),
		 MINOR(inode->i_sb->s_dev));
	mlpt_out_col(o, dev, 8);
	mlpt_out_u64(o, inode->i_ino, 10);
	mlpt_out_printf(o, "0x%016llx ",
			(unsigned long long)vma->vm_pgoff << PAGE_SHIFT);
}
