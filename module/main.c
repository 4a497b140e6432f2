// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt: make multi-level page tables visible.
 *
 * Loading creates the empty mount point /proc/mlpt and registers the
 * "mlpt" filesystem; `mount -t mlpt none /proc/mlpt` fills it (fs.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/proc_fs.h>

#include "mlpt.h"

static struct proc_dir_entry *mlpt_mount_point;

static int __init mlpt_init(void)
{
	int err;

	mlpt_mount_point = proc_create_mount_point("mlpt");
	if (!mlpt_mount_point)
		return -ENOMEM;
	err = register_filesystem(&mlpt_fs_type);
	if (err) {
		proc_remove(mlpt_mount_point);
		return err;
	}
	pr_info("version " MLPT_VERSION " loaded\n");
	return 0;
}

static void __exit mlpt_exit(void)
{
	unregister_filesystem(&mlpt_fs_type);
	proc_remove(mlpt_mount_point);
}

module_init(mlpt_init);
module_exit(mlpt_exit);

MODULE_DESCRIPTION("Report the multi-level page tables of any process");
MODULE_AUTHOR("The mlpt developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(MLPT_VERSION);
MODULE_ALIAS_FS("mlpt");
