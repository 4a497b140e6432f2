// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/mlpt/<pid>: open binds the address space, the first read walks it
 * and keeps the report, later reads at any offset return that snapshot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "mlpt.h"

/* The report is a few dozen short lines; one page always holds it. */
#define MLPT_REPORT_SIZE PAGE_SIZE

struct mlpt_file {
	struct mutex lock;		/* serialises the walk and the buffer */
	struct mm_struct *mm;		/* from mmgrab() at open */
	struct mlpt_report_id id;
	bool ready;			/* report[0..len) is the snapshot */
	size_t len;
	struct mlpt_stats stats;
	char report[MLPT_REPORT_SIZE];
};

static int mlpt_pid_open(struct inode *inode, struct file *file)
{
	struct pid *pid = inode->i_private;
	struct task_struct *task;
	struct mlpt_file *f;
	struct mm_struct *mm;

	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task)
		return -ESRCH;
	mm = mlpt_bind_mm(task);
	if (IS_ERR(mm)) {
		put_task_struct(task);
		return PTR_ERR(mm);
	}
	f = kvzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		mmdrop(mm);
		put_task_struct(task);
		return -ENOMEM;
	}
	mutex_init(&f->lock);
	f->mm = mm;
	/* The name of the file is the pid in the mount's namespace. */
	f->id.pid = pid_nr_ns(pid, inode->i_sb->s_fs_info);
	get_task_comm(f->id.comm, task);
	put_task_struct(task);
	file->private_data = f;
	return 0;
}

/*
 * Walk and format into the snapshot.  Called with f->lock held and a
 * reference from mmget_not_zero().
 */
static int mlpt_fill(struct mlpt_file *f)
{
	struct seq_buf s;
	int err;

	err = mlpt_walk(f->mm, &f->stats);
	if (err)
		return err;
	seq_buf_init(&s, f->report, sizeof(f->report));
	mlpt_report_format(&s, &f->id, &f->stats);
	if (WARN_ON_ONCE(seq_buf_has_overflowed(&s)))
		return -EOVERFLOW;
	f->len = seq_buf_used(&s);
	f->ready = true;
	return 0;
}

static ssize_t mlpt_pid_read(struct file *file, char __user *buf, size_t count,
			     loff_t *ppos)
{
	struct mlpt_file *f = file->private_data;
	bool mm_held = false;
	ssize_t ret = 0;

	if (mutex_lock_killable(&f->lock))
		return -EINTR;
	if (!f->ready) {
		mm_held = mmget_not_zero(f->mm);
		if (mm_held) {
			ret = mlpt_fill(f);
		} else {
			/* Exited, or exec replaced it: empty, not foreign. */
			f->len = 0;
			f->ready = true;
		}
	}
	if (!ret)
		ret = simple_read_from_buffer(buf, count, ppos, f->report,
					      f->len);
	mutex_unlock(&f->lock);
	/* The last reference tears the address space down: take no lock. */
	if (mm_held)
		mmput(f->mm);
	return ret;
}

static int mlpt_pid_release(struct inode *inode, struct file *file)
{
	struct mlpt_file *f = file->private_data;

	mmdrop(f->mm);
	kvfree(f);
	return 0;
}

const struct file_operations mlpt_pid_fops = {
	.owner = THIS_MODULE,
	.open = mlpt_pid_open,
	.read = mlpt_pid_read,
	.llseek = default_llseek,
	.release = mlpt_pid_release,
};
