/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of mlpt.ko call in one another.
 */
#ifndef MLPT_H
#define MLPT_H

#include <linux/fs.h>
#include <linux/sched.h>

#include "out.h"
#include "walk.h"

/* The filesystem type behind /proc/mlpt (fs.c). */
extern struct file_system_type mlpt_fs_type;

/* The /proc/mlpt/<pid> file (file.c); its inode's i_private is the pid. */
extern const struct file_operations mlpt_pid_fops;

/* access.c */
struct mm_struct *mlpt_bind_mm(struct task_struct *task);

/* object.c */
void mlpt_report_vma_object(struct mlpt_out *o, struct vm_area_struct *vma);

/* occupancy.c */
void mlpt_report_occupancy_header(struct mlpt_out *o);
void mlpt_report_vma_occupancy(struct mlpt_out *o, struct vm_area_struct *vma,
			       const struct mlpt_vma_counts *c,
			       const struct mlpt_vma_occupancy *oc);

/* report.c */
struct mlpt_report_id {
	pid_t pid;
	char comm[TASK_COMM_LEN];
};

struct mlpt_translation;

/* The columns of a `vmas` report, after the counts and before the name. */
enum mlpt_vma_columns {
	MLPT_VMA_COUNTS,	/* `vmas` */
	MLPT_VMA_OBJECTS,	/* `vmas-objects` */
	MLPT_VMA_OCCUPANCY,	/* `vmas-occupancy` */
};

void mlpt_report_summary(struct mlpt_out *o, const struct mlpt_report_id *id,
			 const struct mlpt_stats *st);
void mlpt_report_vmas_begin(struct mlpt_out *o, enum mlpt_vma_columns cols);
void mlpt_report_vma_row(struct mlpt_out *o, struct vm_area_struct *vma,
			 const struct mlpt_vma_counts *c,
			 const struct mlpt_vma_occupancy *oc, char *path_buf,
			 enum mlpt_vma_columns cols);
void mlpt_report_vmas_end(struct mlpt_out *o, const struct mlpt_report_id *id,
			  const struct mlpt_stats *st,
			  enum mlpt_vma_columns cols);
void mlpt_report_translation(struct mlpt_out *o,
			     const struct mlpt_translation *t, bool show_phys);

#endif /* MLPT_H */
