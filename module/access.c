// SPDX-License-Identifier: GPL-2.0
/*
 * Who may open /proc/mlpt/<pid>, and binding the file to the address space
 * it was opened for.
 *
 * The rule is the one for /proc/<pid>/smaps (PTRACE_MODE_READ_FSCREDS):
 * the reader has the target's uids and gids and the target is dumpable,
 * or the reader has CAP_SYS_PTRACE over the target's user namespace.
 * ptrace_may_access() and mm_access() would say exactly that but are not
 * exported, so the rule is spelled out here, without the LSM hook they
 * also consult (security_ptrace_access_check() is not exported either).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>

#include "compat.h"
#include "mlpt.h"

static bool mlpt_same_ids(const struct cred *cred, const struct cred *tcred)
{
	return uid_eq(cred->fsuid, tcred->euid) &&
	       uid_eq(cred->fsuid, tcred->suid) &&
	       uid_eq(cred->fsuid, tcred->uid) &&
	       gid_eq(cred->fsgid, tcred->egid) &&
	       gid_eq(cred->fsgid, tcred->sgid) &&
	       gid_eq(cred->fsgid, tcred->gid);
}

static bool mlpt_may_read(struct task_struct *task, struct mm_struct *mm)
{
	const struct cred *tcred;
	bool allowed;

	if (same_thread_group(task, current))
		return true;
	rcu_read_lock();
	tcred = __task_cred(task);
	allowed = mlpt_same_ids(current_cred(), tcred) ||
		  ns_capable_noaudit(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!allowed)
		return false;
	/* A setuid program's memory stays private even from its own uid. */
	return mlpt_dumpable_or_ptrace_capable(task, mm);
}

/**
 * mlpt_bind_mm() - check access to @task and take its address space
 * @task: the target, referenced by the caller
 *
 * exec_update_lock is held across the check and the grab so that an exec
 * in between (a setuid one, say) cannot hand the caller the new, more
 * privileged address space after the old one passed the check.  The mm is
 * pinned with mmgrab(), not mmget(): an open file must not keep the memory
 * of a process that has exited alive, only the mm_struct.
 *
 * Return: the mm, to be released with mmdrop(); ERR_PTR(-ENOENT) for a
 * task without a user address space (kernel thread, exited),
 * ERR_PTR(-EACCES) when the rule says no, ERR_PTR(-EINTR) on a fatal
 * signal.
 */
struct mm_struct *mlpt_bind_mm(struct task_struct *task)
{
	struct mm_struct *mm;

	if (down_read_killable(&task->signal->exec_update_lock))
		return ERR_PTR(-EINTR);
	task_lock(task);
	mm = task->flags & PF_KTHREAD ? NULL : task->mm;
	if (mm)
		mmgrab(mm);
	task_unlock(task);
	if (!mm) {
		mm = ERR_PTR(-ENOENT);
	} else if (!mlpt_may_read(task, mm)) {
		mmdrop(mm);
		mm = ERR_PTR(-EACCES);
	}
	up_read(&task->signal->exec_update_lock);
	return mm;
}
