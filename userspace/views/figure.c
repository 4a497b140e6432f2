// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt translate as a textbook figure: the address cut into its index
 * fields, each step of the walk with its entry's flags in words, and where
 * the walk ended (a physical address, or why not).
 */
#include <stdio.h>
#include <string.h>

#include "views/figure.h"

#define COL_MIN 8

static const struct {
	const char *flag;
	const char *word;
} flag_words[] = {
	{ "P", "present" }, { "RW", "writable" }, { "US", "user" },
	{ "A", "accessed" }, { "D", "dirty" }, { "PS", "huge page" },
	{ "G", "global" }, { "NX", "no-execute" },
};

/* "P RW US A" -> "present, writable, user, accessed", plus what is absent */
static void flags_in_words(struct buf *b, const struct mlpt_step *st)
{
	char copy[MLPT_FLAGS_LEN], *save, *t;
	bool rw = false, us = false, nx = false;
	const char *sep = "";
	size_t i;

	snprintf(copy, sizeof(copy), "%s", st->flags);
	for (t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		rw |= !strcmp(t, "RW");
		us |= !strcmp(t, "US");
		nx |= !strcmp(t, "NX");
		for (i = 0; i < ARRAY_SIZE(flag_words); i++)
			if (!strcmp(t, flag_words[i].flag))
				break;
		if (i < ARRAY_SIZE(flag_words))
			buf_printf(b, "%s%s", sep, flag_words[i].word);
		else if (!strncmp(t, "PK", 2))
			buf_printf(b, "%sprotection key %s", sep, t + 2);
		else
			buf_printf(b, "%s%s", sep, t);
		sep = ", ";
	}
	if (!rw)
		buf_printf(b, "%sread-only", sep);
	if (!us)
		buf_printf(b, ", kernel only");
	if (!nx && st->result == MLPT_RES_LEAF)
		buf_printf(b, ", executable");
}

static unsigned int col_width(unsigned int bits)
{
	return bits + 2 > COL_MIN ? bits + 2 : COL_MIN;
}

/* the address in binary, cut at the level boundaries of @g */
static void fields(struct buf *b, const struct mlpt_report *r,
		   const struct mlpt_geom *g, u64 addr)
{
	char s[72], range[16];
	unsigned int bit, k;
	int i;

	buf_printf(b, "\n%-8s", "field");
	for (i = MLPT_PGD; i <= MLPT_PTE; i++)
		if (g->bits[i])
			buf_printf(b, "%-*s", col_width(g->bits[i]),
				   mlpt_level_name[i]);
	buf_printf(b, "offset\n%-8s", "bits");
	for (i = MLPT_PGD; i <= MLPT_PTE; i++) {
		if (!g->bits[i])
			continue;
		snprintf(range, sizeof(range), "%u..%u",
			 g->lo[i] + g->bits[i] - 1, g->lo[i]);
		buf_printf(b, "%-*s", col_width(g->bits[i]), range);
	}
	buf_printf(b, "%u..0\n%-8s", g->page_shift - 1, "binary");
	for (i = MLPT_PGD; i <= MLPT_PTE + 1; i++) {
		unsigned int lo = i > MLPT_PTE ? 0 : g->lo[i];
		unsigned int bits = i > MLPT_PTE ? g->page_shift : g->bits[i];

		if (!bits)
			continue;
		for (k = 0, bit = lo + bits; bit-- > lo; k++)
			s[k] = addr & BIT_ULL(bit) ? '1' : '0';
		s[k] = '\0';
		buf_printf(b, "%-*s", i > MLPT_PTE ? 0 : col_width(bits), s);
	}
	buf_printf(b, "\n%-8s", "index");
	for (i = MLPT_PGD; i <= MLPT_PTE; i++)
		if (g->bits[i])
			buf_printf(b, "%-*llu", col_width(g->bits[i]),
				   (unsigned long long)((addr >> g->lo[i]) &
				   (BIT_ULL(g->bits[i]) - 1)));
	buf_printf(b, "0x%llx\n", (unsigned long long)(addr &
		   (r->page_size - 1)));
}

/* bytes one entry of @level maps: 4 KiB at pte, 2 MiB at pmd, ... */
static u64 entry_span(const struct mlpt_geom *g, int level)
{
	return BIT_ULL(g->lo[level]);
}

static void step_text(struct buf *b, const struct mlpt_geom *g,
		      const struct mlpt_step *st, unsigned int n)
{
	char n1[NUM_LEN];
	int next;

	buf_printf(b, "\nstep %u: %s[%llu]", n, mlpt_level_name[st->level],
		   (unsigned long long)st->index);
	if (st->folded) {
		buf_printf(b,
			   " folded: %u-level paging has no %s table; the walk goes straight on\n",
			   MLPT_LEVELS - 1, mlpt_level_name[st->level]);
		return;
	}
	if (st->hidden)
		buf_printf(b, " = (entry hidden)  %s\n        ", st->flags);
	else
		buf_printf(b, " = 0x%016llx  %s\n        ",
			   (unsigned long long)st->entry, st->flags);
	switch (st->result) {
	case MLPT_RES_NONE:
		buf_printf(b,
			   "empty: nothing is mapped here (never touched, or freed); the walk\n        stops and an access would page-fault\n");
		return;
	case MLPT_RES_NONPRESENT:
		buf_printf(b,
			   "not present but not empty: a swap, migration or marker entry; the walk\n        stops, and an access faults for the kernel to bring the page back\n");
		return;
	default:
		break;
	}
	flags_in_words(b, st);
	if (st->result == MLPT_RES_LEAF) {
		buf_printf(b, ": maps one %s page\n",
			   fmt_human(n1, entry_span(g, st->level)));
		return;
	}
	for (next = st->level + 1; next < MLPT_PTE && !g->bits[next]; next++)
		;
	buf_printf(b, ": points to a %s table\n", mlpt_level_name[next]);
}

static void result(struct buf *b, const struct mlpt_geom *g,
		   const struct mlpt_xlate *x)
{
	const struct mlpt_step *last = &x->step[x->steps - 1];
	char n1[NUM_LEN];

	if (!x->leaf) {
		buf_printf(b, "\nno physical address: the walk stopped at %s (%s)\n",
			   mlpt_level_name[last->level],
			   last->result == MLPT_RES_NONE ? "none" : "nonpresent");
		return;
	}
	if (last->level != MLPT_PTE)
		buf_printf(b, "\na %s leaf at %s: the bits below %u are all offset into it\n",
			   fmt_human(n1, entry_span(g, last->level)),
			   mlpt_level_name[last->level], g->lo[last->level]);
	if (x->phys_hidden) {
		buf_printf(b,
			   "\nphysical: hidden (frame numbers are shown only to CAP_SYS_ADMIN: run as\nroot); offset 0x%llx\n",
			   (unsigned long long)x->offset);
		return;
	}
	buf_printf(b, "\nphysical: pfn 0x%llx x %llu + offset 0x%llx = 0x%016llx\n",
		   (unsigned long long)x->pfn,
		   (unsigned long long)BIT_ULL(g->page_shift),
		   (unsigned long long)x->offset,
		   (unsigned long long)x->physical);
}

void mlpt_xlate_text(struct buf *b, const struct mlpt_report *r,
		     const struct mlpt_xlate *x)
{
	struct mlpt_geom g;
	char n1[NUM_LEN];
	unsigned int i;

	mlpt_geometry(r, &g);
	buf_printf(b,
		   "translate 0x%016llx, pid %d (%s): %u-level paging, %u-bit addresses,\n%s pages, %u index bits per level\n",
		   (unsigned long long)x->addr, r->pid, r->comm,
		   r->paging_levels, r->va_bits, fmt_human(n1, r->page_size),
		   g.bits[MLPT_PTE]);
	fields(b, r, &g, x->addr);
	if (!x->in_vma) {
		buf_printf(b,
			   "\nnot walked: 0x%llx is in no VMA of pid %d (an access there is a\nsegmentation fault, and tables outside VMAs may be freed at any time)\n",
			   (unsigned long long)x->addr, r->pid);
		return;
	}
	for (i = 0; i < x->steps; i++)
		step_text(b, &g, &x->step[i], i + 1);
	result(b, &g, x);
}
