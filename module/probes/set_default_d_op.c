// SPDX-License-Identifier: GPL-2.0
/* super_block.s_d_op became private to set_default_d_op() in 6.17. */
#include <linux/dcache.h>
#include <linux/fs.h>

void mlpt_probe(struct super_block *sb, const struct dentry_operations *ops);
void mlpt_probe(struct super_block *sb, const struct dentry_operations *ops)
{
	set_default_d_op(sb, ops);
}
