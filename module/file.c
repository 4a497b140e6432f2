// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/mlpt/<pid>: open binds the address space, the first read walks it
 * and keeps the report; later reads at any offset return that snapshot.
 * A write of one command ("summary", "vmas", "vmas-objects",
 * "vmas-occupancy", "translate <address>")
 * chooses what the next read from offset 0 walks and reports, as the
 * transaction files of nfsctl do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "mlpt.h"
#include "numa.h"
#include "translate.h"

/*
 * The summary and a translation fit in a page; `vmas` needs a row per
 * VMA: up to the 65530 VMAs vm.max_map_count allows by default, with
 * long path names.
 */
#define MLPT_REPORT_MIN		PAGE_SIZE
#define MLPT_REPORT_MAX		(64UL << 20)
/*
 * A `vmas` row: 72 bytes and the name, a path of some 50 bytes; the
 * columns of `vmas-objects` add 39 bytes, those of `vmas-occupancy` 186.
 */
#define MLPT_VMA_ROW_GUESS	128
#define MLPT_OBJECTS_ROW_GUESS	(MLPT_VMA_ROW_GUESS + 40)
#define MLPT_OCCUPANCY_ROW_GUESS (MLPT_VMA_ROW_GUESS + 192)

/* Longest command: "translate " and a 64-bit address in decimal. */
#define MLPT_COMMAND_MAX	32

enum mlpt_command {
	MLPT_CMD_SUMMARY,
	MLPT_CMD_VMAS,
	MLPT_CMD_VMAS_OBJECTS,
	MLPT_CMD_VMAS_OCCUPANCY,
	MLPT_CMD_TRANSLATE,
};

struct mlpt_file {
	struct mutex lock;		/* serialises walks and the buffer */
	struct mm_struct *mm;		/* from mmgrab() at open */
	struct mlpt_report_id id;
	bool show_phys;			/* the opener had CAP_SYS_ADMIN */
	enum mlpt_command command;
	unsigned long addr;		/* for MLPT_CMD_TRANSLATE */
	bool ready;			/* buf[0..len) is the snapshot */
	size_t len;
	size_t size;
	char *buf;
	unsigned long *node_tables;	/* for the summary (numa.h) */
	union {
		struct mlpt_stats stats;
		struct mlpt_translation translation;
	};
};

static int mlpt_pid_open(struct inode *inode, struct file *file)
{
	struct pid *pid = inode->i_private;
	struct task_struct *task;
	struct mlpt_file *f;
	struct mm_struct *mm;
	int err = -ENOMEM;

	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task)
		return -ESRCH;
	mm = mlpt_bind_mm(task);
	if (IS_ERR(mm)) {
		put_task_struct(task);
		return PTR_ERR(mm);
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		goto out;
	f->buf = kvmalloc(MLPT_REPORT_MIN, GFP_KERNEL);
	f->node_tables = mlpt_nodes_alloc();
	if (!f->buf || !f->node_tables) {
		kvfree(f->buf);
		kfree(f->node_tables);
		kfree(f);
		goto out;
	}
	f->size = MLPT_REPORT_MIN;
	mutex_init(&f->lock);
	f->mm = mm;
	/* The name of the file is the pid in the mount's namespace. */
	f->id.pid = pid_nr_ns(pid, inode->i_sb->s_fs_info);
	get_task_comm(f->id.comm, task);
	/* The opener's credentials decide, not those of a later reader. */
	f->show_phys = file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
	file->private_data = f;
	mm = NULL;
	err = 0;
out:
	if (mm)
		mmdrop(mm);
	put_task_struct(task);
	return err;
}

struct mlpt_vma_printer {
	struct mlpt_vma_visitor visitor;
	struct mlpt_vma_occupancy occupancy;
	struct mlpt_out *o;
	char *path_buf;
	enum mlpt_vma_columns cols;
};

static void mlpt_print_vma(struct mlpt_vma_visitor *v,
			   struct vm_area_struct *vma,
			   const struct mlpt_vma_counts *counts)
{
	struct mlpt_vma_printer *p =
		container_of(v, struct mlpt_vma_printer, visitor);

	mlpt_report_vma_row(p->o, vma, counts, &p->occupancy, p->path_buf,
			    p->cols);
}

static int mlpt_report_vmas(struct mlpt_file *f, struct mlpt_out *o,
			    enum mlpt_vma_columns cols)
{
	struct mlpt_vma_printer p = {
		.visitor.visit = mlpt_print_vma,
		.o = o,
		.cols = cols,
	};
	int err;

	if (cols == MLPT_VMA_OCCUPANCY)
		p.visitor.occupancy = &p.occupancy;
	p.path_buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!p.path_buf)
		return -ENOMEM;
	mlpt_report_vmas_begin(o, cols);
	f->stats.node_tables = NULL;	/* the `vmas` report has no nodes */
	err = mlpt_walk(f->mm, &f->stats, &p.visitor);
	if (!err)
		mlpt_report_vmas_end(o, &f->id, &f->stats, cols);
	kfree(p.path_buf);
	return err;
}

static int mlpt_report(struct mlpt_file *f, struct mlpt_out *o)
{
	int err;

	switch (f->command) {
	case MLPT_CMD_VMAS:
		return mlpt_report_vmas(f, o, MLPT_VMA_COUNTS);
	case MLPT_CMD_VMAS_OBJECTS:
		return mlpt_report_vmas(f, o, MLPT_VMA_OBJECTS);
	case MLPT_CMD_VMAS_OCCUPANCY:
		return mlpt_report_vmas(f, o, MLPT_VMA_OCCUPANCY);
	case MLPT_CMD_TRANSLATE:
		err = mlpt_translate(f->mm, f->addr, &f->translation);
		if (!err)
			mlpt_report_translation(o, &f->translation,
						f->show_phys);
		return err;
	case MLPT_CMD_SUMMARY:
		break;
	}
	f->stats.node_tables = f->node_tables;
	err = mlpt_walk(f->mm, &f->stats, NULL);
	if (!err)
		mlpt_report_summary(o, &f->id, &f->stats);
	return err;
}

/* Make the snapshot buffer hold @size bytes, up to MLPT_REPORT_MAX. */
static int mlpt_reserve(struct mlpt_file *f, size_t size)
{
	char *bigger;

	size = min(roundup_pow_of_two(size), MLPT_REPORT_MAX);
	if (size <= f->size)
		return 0;
	bigger = kvmalloc(size, GFP_KERNEL);
	if (!bigger)
		return -ENOMEM;
	kvfree(f->buf);
	f->buf = bigger;
	f->size = size;
	return 0;
}

/* Bytes a row of the report takes, or 0 if it has no rows. */
static size_t mlpt_row_guess(enum mlpt_command command)
{
	switch (command) {
	case MLPT_CMD_VMAS:
		return MLPT_VMA_ROW_GUESS;
	case MLPT_CMD_VMAS_OBJECTS:
		return MLPT_OBJECTS_ROW_GUESS;
	case MLPT_CMD_VMAS_OCCUPANCY:
		return MLPT_OCCUPANCY_ROW_GUESS;
	default:
		return 0;
	}
}

/*
 * Walk and format into the snapshot, with a bigger buffer and a new walk
 * when it did not fit.  Each walk costs as much as the report, so a
 * `vmas` report starts with room for a row per VMA, and a report that
 * did not fit gets at once what the writer counted it needed, with a
 * quarter more for VMAs added before the next walk.  Growing by doubling
 * from one page walked a process of 4,200 VMAs eight times: 290-670 ms
 * for one `vmas` report, 16-65 ms now, where /proc/<pid>/smaps of the
 * same process took 68-240 ms (fastest of 9 reads in three boots of a
 * 6.12 guest under TCG, on a busy host).  Called with f->lock held and a
 * reference from mmget_not_zero().
 */
static int mlpt_fill(struct mlpt_file *f)
{
	struct mlpt_out o;
	int err = 0;

	if (mlpt_row_guess(f->command))
		err = mlpt_reserve(f, (size_t)READ_ONCE(f->mm->map_count) *
				      mlpt_row_guess(f->command) + PAGE_SIZE);
	while (!err) {
		mlpt_out_init(&o, f->buf, f->size);
		err = mlpt_report(f, &o);
		if (err || !mlpt_out_overflowed(&o))
			break;
		if (f->size >= MLPT_REPORT_MAX)
			return -EFBIG;
		err = mlpt_reserve(f, o.len + o.len / 4);
	}
	if (err)
		return err;
	f->len = o.len;
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
		ret = simple_read_from_buffer(buf, count, ppos, f->buf, f->len);
	mutex_unlock(&f->lock);
	/* The last reference tears the address space down: take no lock. */
	if (mm_held)
		mmput(f->mm);
	return ret;
}

/* "0x" and 1-16 hex digits, or 1-20 decimal digits; nothing else. */
static int mlpt_parse_address(const char *arg, unsigned long *addr)
{
	bool hex = arg[0] == '0' && arg[1] == 'x';
	const char *digits = hex ? arg + 2 : arg;
	size_t i, len = strlen(digits);

	if (!len || len > (hex ? 16 : 20))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (hex ? !isxdigit(digits[i]) : !isdigit(digits[i]))
			return -EINVAL;
	if (kstrtoul(digits, hex ? 16 : 10, addr))
		return -EINVAL;
	/* Only user addresses have page tables of the process's own. */
	return *addr < MLPT_USER_ADDR_END ? 0 : -EINVAL;
}

static ssize_t mlpt_pid_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct mlpt_file *f = file->private_data;
	enum mlpt_command command;
	char line[MLPT_COMMAND_MAX];
	unsigned long addr = 0;
	size_t len = count;

	if (!count)
		return 0;
	if (count >= sizeof(line))
		return -EINVAL;
	if (copy_from_user(line, ubuf, count))
		return -EFAULT;
	if (line[len - 1] == '\n')
		len--;
	line[len] = '\0';
	/* A NUL inside the line would hide what follows it. */
	if (strlen(line) != len)
		return -EINVAL;

	if (!strcmp(line, "summary"))
		command = MLPT_CMD_SUMMARY;
	else if (!strcmp(line, "vmas"))
		command = MLPT_CMD_VMAS;
	else if (!strcmp(line, "vmas-objects"))
		command = MLPT_CMD_VMAS_OBJECTS;
	else if (!strcmp(line, "vmas-occupancy"))
		command = MLPT_CMD_VMAS_OCCUPANCY;
	else if (str_has_prefix(line, "translate ") &&
		 !mlpt_parse_address(line + strlen("translate "), &addr))
		command = MLPT_CMD_TRANSLATE;
	else
		return -EINVAL;

	if (mutex_lock_killable(&f->lock))
		return -EINTR;
	f->command = command;
	f->addr = addr;
	f->ready = false;
	mutex_unlock(&f->lock);
	/* The offset stays: the answer is read from offset 0. */
	return count;
}

static int mlpt_pid_release(struct inode *inode, struct file *file)
{
	struct mlpt_file *f = file->private_data;

	mmdrop(f->mm);
	kvfree(f->buf);
	kfree(f->node_tables);
	kfree(f);
	return 0;
}

const struct file_operations mlpt_pid_fops = {
	.owner = THIS_MODULE,
	.open = mlpt_pid_open,
	.read = mlpt_pid_read,
	.write = mlpt_pid_write,
	.llseek = default_llseek,
	.release = mlpt_pid_release,
};
