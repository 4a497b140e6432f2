// SPDX-License-Identifier: GPL-2.0
/*
 * test_replay: where mlpt-bench would map each committed layout, checked
 * on the host for 4- and 5-level user space, without a guest or the
 * module.  A placement that fails stops `make bench` before anything is
 * timed (a 5-level boot once asked for the 4-level top of user space and
 * found no free pgd entry for any layout), and one that breaks the rules
 * below would replay a layout that needs other tables than the captured
 * one.
 *
 *   test_replay LAYOUT...   TAP, then "N passed, N failed"; exit 1 on a
 *                           failure
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

static int passed, failed;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", passed + failed + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		passed++;
	else
		failed++;
}

/*
 * The rules of a placement, for @levels levels of 4 KiB pages (a pgd
 * entry maps 2^(12 + 9 * (levels - 1)) bytes: 512 GiB with 4 levels,
 * 256 TiB with 5):
 *  - each VMA moves by a whole number of pgd entries, so every index
 *    below the pgd, hence every table it needs, stays as captured;
 *  - VMAs that shared a pgd entry still share one (they move together);
 *  - the VMAs stay in address order without overlapping;
 *  - every VMA lies between 1 MiB (above mmap_min_addr) and the top of
 *    user space.
 */
static void check_layout(const char *path, int levels)
{
	int shift = mlpt_entry_shift(MLPT_PGD, levels), i, err;
	unsigned long top = mlpt_user_top(levels), span = 1UL << shift;
	int moved_whole = 1, kept_together = 1, in_order = 1, inside = 1;
	static struct replay r;

	if (replay_load(path, "layout", &r)) {
		check(0, "%s, %d levels: loads", path, levels);
		return;
	}
	err = replay_place(&r, levels);
	check(!err, "%s, %d levels: placed (%s)", path, levels,
	      err ? strerror(-err) : "0");
	if (err)
		return;
	for (i = 0; i < r.nvmas; i++) {
		const struct replay_vma *v = &r.vma[i], *p = v - 1;

		moved_whole &= (v->at - v->start) % span == 0;
		inside &= v->at >= (1UL << 20) && v->at + v->size <= top;
		if (!i)
			continue;
		in_order &= v->at >= p->at + p->size;
		if (v->start >> shift == (p->start + p->size - 1) >> shift)
			kept_together &= v->at - v->start == p->at - p->start;
	}
	check(moved_whole, "%s, %d levels: each VMA moved by whole pgd entries",
	      path, levels);
	check(kept_together, "%s, %d levels: VMAs of one pgd entry moved together",
	      path, levels);
	check(in_order, "%s, %d levels: VMAs in order, none overlapping", path,
	      levels);
	check(inside, "%s, %d levels: every VMA inside user space", path,
	      levels);
}

int main(int argc, char **argv)
{
	int i, levels;

	for (i = 1; i < argc; i++)
		for (levels = 4; levels <= 5; levels++)
			check_layout(argv[i], levels);
	printf("1..%d\n%d passed, %d failed\n", passed + failed, passed,
	       failed);
	return failed || argc < 2;
}
