// SPDX-License-Identifier: GPL-2.0
/*
 * The VMA list of /proc/<pid>/maps, for the models that need the layout
 * (paged segmentation, the 32-bit reference) and for the pagemap estimate.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/maps.h"
#include "sources/proc.h"

/* the kernel half ([vsyscall]) is not part of the process's mm */
#define KERNEL_HALF BIT_ULL(63)

/* past the field @p is at and the blanks after it */
static const char *next_field(const char *p)
{
	p += strcspn(p, "\n ");
	return p + strspn(p, " ");
}

/*
 * One line, "START-END PERMS OFFSET DEV INODE [NAME]", read by hand: the
 * survey reads every process's maps, and with sscanf() reading them took
 * a third of its instructions (callgrind, mlpt --all --source pagemap, 27
 * processes: mlpt_read_maps 2.89 M of 8.77 M; by hand 0.73 M of 6.61 M).
 */
static int add_vma(struct mlpt_report *r, size_t *cap, const char *line)
{
	unsigned long long start, end;
	const char *name;
	struct mlpt_vma *v;
	char *p;
	int i;

	errno = 0;
	start = strtoull(line, &p, 16);
	if (p == line || *p != '-')
		return -1;
	end = strtoull(p + 1, &p, 16);
	if (errno || *p != ' ' || end <= start)
		return -1;
	name = p + 1;
	for (i = 0; i < 4; i++)		/* perms, offset, dev, inode */
		name = next_field(name);
	if (start >= KERNEL_HALF)
		return 0;
	if (r->nr_vma == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		v = realloc(r->vma, *cap * sizeof(*v));
		if (!v)
			return -1;
		r->vma = v;
	}
	v = &r->vma[r->nr_vma++];
	v->start = start;
	v->end = end;
	v->heap = !strcmp(name, "[heap]\n");
	return 0;
}

int mlpt_read_maps(int pid, struct mlpt_report *r, struct mlpt_err *e)
{
	char path[64], line[4096 + 256], what[32];
	size_t cap = 0;
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	snprintf(what, sizeof(what), "%d", pid);
	f = fopen(path, "re");
	if (!f)
		return mlpt_proc_error(pid, errno, path, e);
	/* an empty list is still a list: never leave r->vma NULL */
	r->vma = malloc(sizeof(*r->vma));
	cap = r->vma ? 1 : 0;
	while (!ret && fgets(line, sizeof(line), f))
		if (add_vma(r, &cap, line))
			ret = mlpt_fail(e, MLPT_EXIT_FAIL, what,
					"%s: cannot read: %s", path, line);
	if (!ret && ferror(f))
		ret = mlpt_proc_error(pid, errno, path, e);
	fclose(f);
	if (!ret && !r->vma)
		ret = mlpt_fail(e, MLPT_EXIT_FAIL, what, "out of memory");
	return ret;
}
