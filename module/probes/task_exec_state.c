// SPDX-License-Identifier: GPL-2.0
/*
 * 7.2 moved dumpability and its user namespace from the mm_struct to
 * task_struct.exec_state.
 */
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/exec_state.h>

int mlpt_probe(struct task_struct *task);
int mlpt_probe(struct task_struct *task)
{
	return rcu_dereference(task->exec_state)->dumpable == TASK_DUMPABLE_OWNER;
}
