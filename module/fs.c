// SPDX-License-Identifier: GPL-2.0
/*
 * The mlpt filesystem mounted on /proc/mlpt: a root directory with
 * "version", "self" and one file per process of the mounter's pid
 * namespace.  Each mount gets its own superblock holding that namespace,
 * so a mount made inside a new pid namespace sees that namespace's pids.
 *
 * Per-process inodes are made at lookup and kept, as /proc keeps its pid
 * dentries, while the process lives: a pid dentry is revalidated against
 * the live process (the pid number may be reused) and deleted when it is
 * unused and its process is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/cred.h>
#include <linux/fs_context.h>
#include <linux/namei.h>
#include <linux/pid_namespace.h>
#include <linux/slab.h>

#include "compat.h"
#include "mlpt.h"

#define MLPT_SUPER_MAGIC	0x6d6c7074	/* "mlpt" */

/* Inode numbers and readdir positions: fixed entries, then pid + 3. */
enum {
	MLPT_INO_ROOT = 1,
	MLPT_INO_SELF = 2,
	MLPT_INO_VERSION = 3,
	MLPT_PID_BASE = 3,
};

static const char mlpt_version_line[] =
	"mlpt " MLPT_VERSION " format 1\n";

static struct pid_namespace *mlpt_sb_pid_ns(struct super_block *sb)
{
	return sb->s_fs_info;
}

static struct inode *mlpt_new_inode(struct super_block *sb, unsigned long ino,
				    umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = ino;
	inode->i_mode = mode;
	mlpt_inode_init_times(inode);
	return inode;
}

/* ---- version ---------------------------------------------------------- */

static ssize_t mlpt_version_read(struct file *file, char __user *buf,
				 size_t count, loff_t *ppos)
{
	return simple_read_from_buffer(buf, count, ppos, mlpt_version_line,
				       sizeof(mlpt_version_line) - 1);
}

static const struct file_operations mlpt_version_fops = {
	.read = mlpt_version_read,
	.llseek = default_llseek,
};

/* ---- self ------------------------------------------------------------- */

/* As /proc/self: the reader's own pid, as the mount's namespace sees it. */
static const char *mlpt_self_get_link(struct dentry *dentry,
				      struct inode *inode,
				      struct delayed_call *done)
{
	pid_t tgid = task_tgid_nr_ns(current, mlpt_sb_pid_ns(inode->i_sb));
	char *name;

	if (!tgid)
		return ERR_PTR(-ENOENT);
	/* RCU path walk (no dentry) must not sleep. */
	name = kmalloc(12, dentry ? GFP_KERNEL : GFP_ATOMIC);
	if (!name)
		return dentry ? ERR_PTR(-ENOMEM) : ERR_PTR(-ECHILD);
	snprintf(name, 12, "%d", tgid);
	set_delayed_call(done, kfree_link, name);
	return name;
}

static const struct inode_operations mlpt_self_iops = {
	.get_link = mlpt_self_get_link,
};

/* ---- per-process files ------------------------------------------------ */

/* Threads share the leader's file; kernel threads have none. */
static bool mlpt_has_user_mm(struct task_struct *task)
{
	return task && !(task->flags & PF_KTHREAD) && READ_ONCE(task->mm);
}

/*
 * A canonical decimal pid: "1".."2147483647" without sign, leading zero or
 * white space, so that every pid has exactly one name.
 */
static int mlpt_parse_pid(const struct qstr *name)
{
	u64 nr = 0;
	unsigned int i;

	if (!name->len || name->len > 10 || name->name[0] == '0')
		return -ENOENT;
	for (i = 0; i < name->len; i++) {
		if (!isdigit(name->name[i]))
			return -ENOENT;
		nr = nr * 10 + (name->name[i] - '0');
	}
	return nr > INT_MAX ? -ENOENT : (int)nr;
}

/* Owned by the target's effective ids, as /proc/<pid> files are. */
static void mlpt_pid_inode_update(struct inode *inode, struct task_struct *task)
{
	const struct cred *cred;

	rcu_read_lock();
	cred = __task_cred(task);
	inode->i_uid = cred->euid;
	inode->i_gid = cred->egid;
	rcu_read_unlock();
}

/*
 * The mode (0600, owned by the target) is what ls shows; who may open is
 * decided by mlpt_bind_mm() at open, which also lets in readers that have
 * CAP_SYS_PTRACE over the target without owning it.
 */
static int mlpt_pid_permission(MLPT_PERMISSION_PARAMS)
{
	return mask & MAY_EXEC ? -EACCES : 0;
}

static const struct inode_operations mlpt_pid_iops = {
	.permission = mlpt_pid_permission,
};

static struct dentry *mlpt_pid_lookup(struct inode *dir, struct dentry *dentry,
				      int nr)
{
	struct pid_namespace *ns = mlpt_sb_pid_ns(dir->i_sb);
	struct task_struct *task;
	struct inode *inode;
	struct pid *pid;

	inode = mlpt_new_inode(dir->i_sb, MLPT_PID_BASE + nr, S_IFREG | 0600);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	rcu_read_lock();
	pid = find_pid_ns(nr, ns);
	task = pid ? pid_task(pid, PIDTYPE_TGID) : NULL;
	if (!mlpt_has_user_mm(task)) {
		rcu_read_unlock();
		iput(inode);
		return ERR_PTR(-ENOENT);
	}
	inode->i_private = get_pid(pid);
	mlpt_pid_inode_update(inode, task);
	rcu_read_unlock();
	inode->i_op = &mlpt_pid_iops;
	inode->i_fop = &mlpt_pid_fops;
	return d_splice_alias(inode, dentry);
}

/* Is the process a pid inode was made for still one with a file here? */
static bool mlpt_pid_inode_alive(struct inode *inode)
{
	bool alive;

	rcu_read_lock();
	alive = mlpt_has_user_mm(pid_task(inode->i_private, PIDTYPE_TGID));
	rcu_read_unlock();
	return alive;
}

/*
 * Keep a pid dentry only while its process lives: the number may belong
 * to another process next time.  Follows the owner's ids, which exec and
 * setuid() change, as /proc does.  Safe in an RCU path walk (nothing here
 * sleeps, and the inode is read with d_inode_rcu()), so a path walk of
 * /proc/mlpt/<pid> stays lockless.
 */
static int mlpt_d_revalidate(MLPT_D_REVALIDATE_PARAMS)
{
	struct inode *inode;
	struct task_struct *task;
	int valid = 1;

	rcu_read_lock();
	inode = d_inode_rcu(dentry);
	if (inode && inode->i_private) {
		task = pid_task(inode->i_private, PIDTYPE_TGID);
		valid = mlpt_has_user_mm(task);
		if (valid)
			mlpt_pid_inode_update(inode, task);
	}
	rcu_read_unlock();
	return valid;
}

/*
 * An unused pid dentry stays in the dcache while its process lives, so
 * that the next open of the same file (a second read, a survey repeated
 * by --watch) finds it instead of making a dentry and an inode and
 * tearing both down again at close.  Measured with open + read + close
 * of /proc/mlpt/<pid> for a process of 10 VMAs (6.12 guest under TCG,
 * medians of 100 rounds, this module against the one that deleted every
 * unused dentry): open 31 -> 18 us, close 15 -> 6 us, the whole read
 * 81 -> 59 us; /proc/<pid>/smaps_rollup of the same process took 52-57
 * us.  A dead process's dentry goes at its next lookup (revalidation
 * fails) or when the dcache is shrunk.
 */
static int mlpt_d_delete(const struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);

	return inode && inode->i_private && !mlpt_pid_inode_alive(inode);
}

static const struct dentry_operations mlpt_dops = {
	.d_revalidate = mlpt_d_revalidate,
	.d_delete = mlpt_d_delete,
};

/* ---- root directory --------------------------------------------------- */

static struct dentry *mlpt_root_lookup(struct inode *dir, struct dentry *dentry,
				       unsigned int flags)
{
	struct inode *inode;
	int nr;

	if (!strcmp(dentry->d_name.name, "self")) {
		inode = mlpt_new_inode(dir->i_sb, MLPT_INO_SELF,
				       S_IFLNK | 0777);
		if (!inode)
			return ERR_PTR(-ENOMEM);
		inode->i_op = &mlpt_self_iops;
		return d_splice_alias(inode, dentry);
	}
	if (!strcmp(dentry->d_name.name, "version")) {
		inode = mlpt_new_inode(dir->i_sb, MLPT_INO_VERSION,
				       S_IFREG | 0444);
		if (!inode)
			return ERR_PTR(-ENOMEM);
		inode->i_fop = &mlpt_version_fops;
		return d_splice_alias(inode, dentry);
	}
	nr = mlpt_parse_pid(&dentry->d_name);
	if (nr < 0)
		return ERR_PTR(nr);
	return mlpt_pid_lookup(dir, dentry, nr);
}

/*
 * Positions 0 and 1 are "." and "..", 2 "self", 3 "version", and pid N
 * is at N + 3, so a listing resumed at any position goes on in pid order.
 */
static int mlpt_root_iterate(struct file *file, struct dir_context *ctx)
{
	struct pid_namespace *ns = mlpt_sb_pid_ns(file_inode(file)->i_sb);
	char name[12];

	if (!dir_emit_dots(file, ctx))
		return 0;
	if (ctx->pos == MLPT_INO_SELF) {
		if (!dir_emit(ctx, "self", 4, MLPT_INO_SELF, DT_LNK))
			return 0;
		ctx->pos++;
	}
	if (ctx->pos == MLPT_INO_VERSION) {
		if (!dir_emit(ctx, "version", 7, MLPT_INO_VERSION, DT_REG))
			return 0;
		ctx->pos++;
	}
	for (;;) {
		struct pid *pid;
		bool listed;
		int nr;

		rcu_read_lock();
		pid = mlpt_find_ge_pid(ctx->pos - MLPT_PID_BASE, ns);
		if (!pid) {
			rcu_read_unlock();
			return 0;
		}
		nr = pid_nr_ns(pid, ns);
		listed = mlpt_has_user_mm(pid_task(pid, PIDTYPE_TGID));
		rcu_read_unlock();
		ctx->pos = MLPT_PID_BASE + nr;
		if (listed && !dir_emit(ctx, name, snprintf(name, sizeof(name),
							    "%d", nr),
					MLPT_PID_BASE + nr, DT_REG))
			return 0;
		ctx->pos++;
	}
}

static const struct inode_operations mlpt_root_iops = {
	.lookup = mlpt_root_lookup,
};

static const struct file_operations mlpt_root_fops = {
	.read = generic_read_dir,
	.iterate_shared = mlpt_root_iterate,
	.llseek = generic_file_llseek,
};

/* ---- superblock ------------------------------------------------------- */

static void mlpt_evict_inode(struct inode *inode)
{
	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	put_pid(inode->i_private);
}

static const struct super_operations mlpt_sops = {
	.statfs = simple_statfs,
	.drop_inode = mlpt_drop_inode_always,
	.evict_inode = mlpt_evict_inode,
};

static int mlpt_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct inode *root;

	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = MLPT_SUPER_MAGIC;
	sb->s_op = &mlpt_sops;
	mlpt_set_default_d_op(sb, &mlpt_dops);
	sb->s_time_gran = 1;
	sb->s_fs_info = fc->fs_private;
	fc->fs_private = NULL;

	root = mlpt_new_inode(sb, MLPT_INO_ROOT, S_IFDIR | 0555);
	if (!root)
		return -ENOMEM;
	root->i_op = &mlpt_root_iops;
	root->i_fop = &mlpt_root_fops;
	set_nlink(root, 2);
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static int mlpt_get_tree(struct fs_context *fc)
{
	return get_tree_nodev(fc, mlpt_fill_super);
}

static void mlpt_free_fc(struct fs_context *fc)
{
	if (fc->fs_private)
		put_pid_ns(fc->fs_private);
}

static const struct fs_context_operations mlpt_context_ops = {
	.get_tree = mlpt_get_tree,
	.free = mlpt_free_fc,
};

/* The pid namespace of the mounter names the processes of this mount. */
static int mlpt_init_fs_context(struct fs_context *fc)
{
	fc->fs_private = get_pid_ns(task_active_pid_ns(current));
	fc->ops = &mlpt_context_ops;
	return 0;
}

static void mlpt_kill_sb(struct super_block *sb)
{
	struct pid_namespace *ns = mlpt_sb_pid_ns(sb);

	kill_anon_super(sb);
	if (ns)
		put_pid_ns(ns);
}

struct file_system_type mlpt_fs_type = {
	.owner = THIS_MODULE,
	.name = "mlpt",
	.init_fs_context = mlpt_init_fs_context,
	.kill_sb = mlpt_kill_sb,
};
