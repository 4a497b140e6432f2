// SPDX-License-Identifier: GPL-2.0
/* generic_delete_inode() was renamed inode_just_drop() in 6.18. */
#include <linux/fs.h>

const struct super_operations mlpt_probe_sops = {
	.drop_inode = inode_just_drop,
};
