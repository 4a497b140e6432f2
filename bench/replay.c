// SPDX-License-Identifier: GPL-2.0
/*
 * Replaying a captured layout (replay.h): read it, place it, map it.
 *
 * A table of level L covers the span of one entry of the level above:
 * a pte table 2 MiB, a pmd table 1 GiB, a pud table 512 GiB, a p4d table
 * 256 TiB.  Moving the VMAs under one pgd entry together by a multiple of
 * the span of a pgd entry (512 GiB on 4-level, 256 TiB on 5-level) keeps
 * every index below the pgd, so the layout needs exactly the tables it
 * needed where it was captured, as long as it shares no pgd entry with
 * another mapping of the child or with another of its groups; the number
 * of tables of each level is then the number of spans of that level that
 * hold a present page.  A layout captured on 4-level paging sits in one
 * pgd entry of 5-level paging, moved to the next; on 4-level a JVM's
 * heap under 32 GiB and its stack near 128 TiB take the first and the
 * last pgd entry, which no single offset can move, so each group of the
 * layout moves by its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "replay.h"

/* Bit of the address that a table of level l stops at, 0: none. */
static const int table_shift[MLPT_NR_LEVELS] = {
	[MLPT_P4D] = 48, [MLPT_PUD] = 39, [MLPT_PMD] = 30, [MLPT_PTE] = 21,
};

static int parse_prot(const char *perms, struct replay_vma *v)
{
	if (strlen(perms) != 4 || !strchr("ps", perms[3]))
		return -1;
	v->prot = (perms[0] == 'r' ? PROT_READ : 0) |
		  (perms[1] == 'w' ? PROT_WRITE : 0) |
		  (perms[2] == 'x' ? PROT_EXEC : 0);
	v->shared = perms[3] == 's';
	return 0;
}

/* "OFFSET+COUNT", in pages of hex, inside a VMA of @pages pages. */
static int parse_run(const char *word, unsigned long pages,
		     struct replay_run *run)
{
	char *end;

	run->page = strtoul(word, &end, 16);
	if (*end != '+')
		return -1;
	run->count = strtoul(end + 1, &end, 16);
	if (*end || !run->count || run->page + run->count > pages)
		return -1;
	return 0;
}

/* Room for element @n of the array at @p, @cap elements now: 0 or -1. */
static int grow(void *p, int *cap, int n, size_t size)
{
	void **array = p, *bigger;

	if (n < *cap)
		return 0;
	bigger = realloc(*array, (size_t)(*cap * 2 + 64) * size);
	if (!bigger)
		return -1;
	*array = bigger;
	*cap = *cap * 2 + 64;
	return 0;
}

/* One line: START SIZE PERMS KIND RUN... */
static int parse_vma(char *line, struct replay *r)
{
	struct replay_vma *v;
	char *save, *word[4], *end;
	int i;

	if (grow(&r->vma, &r->vma_cap, r->nvmas, sizeof(*r->vma)))
		return -1;
	v = &r->vma[r->nvmas];
	memset(v, 0, sizeof(*v));

	for (i = 0; i < 4; i++) {
		word[i] = strtok_r(i ? NULL : line, " \t\n", &save);
		if (!word[i])
			return -1;
	}
	v->start = strtoul(word[0], &end, 16);
	if (*end || v->start % MLPT_PAGE)
		return -1;
	v->size = strtoul(word[1], &end, 16);
	if (*end || !v->size || v->size % MLPT_PAGE)
		return -1;
	if (parse_prot(word[2], v) || strlen(word[3]) != 1 ||
	    !strchr("af", word[3][0]))
		return -1;
	if (r->nvmas) {
		const struct replay_vma *prev = v - 1;

		if (prev->start + prev->size > v->start)
			return -1;
		/* Alike neighbours, anonymous: they would merge. */
		v->dontdump = prev->start + prev->size == v->start &&
			      prev->prot == v->prot && !prev->shared &&
			      !v->shared && !prev->dontdump;
	}
	v->first_run = r->nruns;
	for (v->nruns = 0; (end = strtok_r(NULL, " \t\n", &save)); v->nruns++) {
		struct replay_run *run;

		if (grow(&r->run, &r->run_cap, r->nruns, sizeof(*r->run)))
			return -1;
		run = &r->run[r->nruns];
		if (parse_run(end, v->size / MLPT_PAGE, run) ||
		    (v->nruns && run->page <= run[-1].page + run[-1].count))
			return -1;
		r->pages += run->count;
		r->nruns++;
	}
	r->nvmas++;
	return 0;
}

int replay_load(const char *path, const char *name, struct replay *r)
{
	static const char head[] = "# mlpt-bench layout: ";
	FILE *f = fopen(path, "re");
	size_t cap = 0;
	char *line = NULL, *q;
	int n = 0, err = 0;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	if (!f) {
		fprintf(stderr, "mlpt-bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (!err && getline(&line, &cap, f) > 0) {
		n++;
		if (!strncmp(line, head, sizeof(head) - 1) && !r->what[0])
			snprintf(r->what, sizeof(r->what), "%s",
				 line + sizeof(head) - 1);
		else if (line[0] != '#')
			err = parse_vma(line, r);
	}
	free(line);
	fclose(f);
	/* It goes into JSON and SVG strings as it is. */
	for (q = r->what; *q; q++)
		if (*q == '\n' || *q == '"' || *q == '\\' || *q == '<' ||
		    *q == '&')
			*q = *q == '\n' ? 0 : '\'';
	if (err || !r->nvmas) {
		fprintf(stderr, "mlpt-bench: %s:%d: not a layout line\n", path,
			n);
		return -1;
	}
	return 0;
}

/* Of each level, the spans holding a present page: the tables. */
static void count_tables(struct replay *r, int paging_levels)
{
	unsigned long last[MLPT_NR_LEVELS];
	int i, k, l;

	memset(r->tables, 0, sizeof(r->tables));
	/* No span of a user address: the first run starts new ones. */
	memset(last, 0xff, sizeof(last));
	for (i = 0; i < r->nvmas; i++) {
		const struct replay_vma *v = &r->vma[i];
		const struct replay_run *run = &r->run[v->first_run];

		for (k = 0; k < v->nruns; k++, run++) {
			unsigned long a = v->start + run->page * MLPT_PAGE;
			unsigned long z = a + run->count * MLPT_PAGE - 1;

			for (l = MLPT_P4D; l < MLPT_NR_LEVELS; l++) {
				int s = table_shift[l];

				if (l == MLPT_P4D && paging_levels < 5)
					continue;
				/* Runs only go up: a span seen before is the last. */
				r->tables[l] += (z >> s) - (a >> s) + 1 -
						(a >> s == last[l]);
				last[l] = z >> s;
			}
		}
	}
}

/* Mark the pgd entries that a mapping of this process uses. */
static int used_slots(bool *taken, unsigned long nslots, int shift)
{
	FILE *f = fopen("/proc/self/maps", "re");
	unsigned long s, e, slot;
	char line[512];

	if (!f)
		return -errno;
	memset(taken, 0, nslots);
	while (fgets(line, sizeof(line), f))
		/* [vsyscall] is no VMA: its address is not a user one. */
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && !(s >> 63))
			for (slot = s >> shift; slot <= (e - 1) >> shift &&
			     slot < nslots; slot++)
				taken[slot] = true;
	fclose(f);
	return 0;
}

/*
 * Whether pgd entries [lo, hi] moved by @k are free and keep the VMAs
 * @v[0..n) in user space, above mmap_min_addr.
 */
static bool fits(const struct replay_vma *v, int n, long lo, long hi,
		 long k, const bool *taken, unsigned long nslots,
		 int shift, unsigned long top)
{
	long slot;

	if (lo + k < 0 || hi + k >= (long)nslots ||
	    v[0].start + (k << shift) < (1UL << 20) ||
	    v[n - 1].start + v[n - 1].size + (k << shift) > top)
		return false;
	for (slot = lo + k; slot <= hi + k; slot++)
		if (taken[slot])
			return false;
	return true;
}

int replay_place(struct replay *r, int paging_levels)
{
	static bool taken[512];
	int shift = mlpt_entry_shift(MLPT_PGD, paging_levels), i, j, err;
	unsigned long top = mlpt_user_top(paging_levels);
	unsigned long nslots = ((top - 1) >> shift) + 1;
	long lo, hi, d, k = 0;

	count_tables(r, paging_levels);
	err = used_slots(taken, nslots, shift);
	if (err)
		return err;
	/* Groups of VMAs that share a pgd entry move together. */
	for (i = 0; i < r->nvmas; i = j) {
		struct replay_vma *v = &r->vma[i];

		lo = v->start >> shift;
		hi = (v->start + v->size - 1) >> shift;
		for (j = i + 1; j < r->nvmas && (long)(r->vma[j].start >> shift) <= hi; j++)
			if ((long)((r->vma[j].start + r->vma[j].size - 1) >> shift) > hi)
				hi = (r->vma[j].start + r->vma[j].size - 1) >> shift;
		/* The nearest free entries, up first. */
		for (d = 0; d < (long)nslots; d++) {
			k = d;
			if (fits(v, j - i, lo, hi, k, taken, nslots, shift, top))
				break;
			k = -d;
			if (fits(v, j - i, lo, hi, k, taken, nslots, shift, top))
				break;
		}
		if (d == (long)nslots)
			return -ENOSPC;
		memset(taken + lo + k, 1, hi - lo + 1);
		for (; v < r->vma + j; v++)
			v->at = v->start + (k << shift);
	}
	return 0;
}

static int map_vma(const struct replay *r, const struct replay_vma *v)
{
	int flags = (v->shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS |
		    MAP_FIXED_NOREPLACE | MAP_NORESERVE;
	int prot = v->nruns ? PROT_READ | PROT_WRITE : v->prot;
	char *p = (char *)v->at;
	const struct replay_run *run = &r->run[v->first_run];
	unsigned long page;
	int k;
	void *q = mmap(p, v->size, prot, flags, -1, 0);

	if (q == MAP_FAILED)
		return -errno;
	if (q != p)
		return -EEXIST;
	/* THP is "always": the capture had no THP (capture-layout.sh). */
	if (madvise(p, v->size, MADV_NOHUGEPAGE) ||
	    (v->dontdump && madvise(p, v->size, MADV_DONTDUMP)))
		return -errno;
	for (k = 0; k < v->nruns; k++, run++)
		for (page = run->page; page < run->page + run->count; page++)
			/* Each store done: relaxed atomics are not dropped. */
			__atomic_store_n(p + page * MLPT_PAGE, 1,
					 __ATOMIC_RELAXED);
	if (prot != v->prot && mprotect(p, v->size, v->prot))
		return -errno;
	return 0;
}

int replay_map(const struct replay *r)
{
	int i, err;

	for (i = 0; i < r->nvmas; i++) {
		err = map_vma(r, &r->vma[i]);
		if (err)
			return err;
	}
	return 0;
}
