// SPDX-License-Identifier: GPL-2.0
/*
 * 5.12 added a struct user_namespace * first argument to
 * inode_operations.permission (6.3 made it a struct mnt_idmap *).
 */
#include <linux/fs.h>

static int mlpt_probe_permission(struct user_namespace *ns,
				 struct inode *inode, int mask)
{
	return 0;
}

const struct inode_operations mlpt_probe_iops = {
	.permission = mlpt_probe_permission,
};
