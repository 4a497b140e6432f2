// SPDX-License-Identifier: GPL-2.0
/* 6.3 changed inode_operations.permission to take a struct mnt_idmap. */
#include <linux/fs.h>

static int mlpt_probe_permission(struct mnt_idmap *idmap, struct inode *inode,
				 int mask)
{
	return 0;
}

const struct inode_operations mlpt_probe_iops = {
	.permission = mlpt_probe_permission,
};
