// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt simulate in text, JSON and CSV: one row per design, its parameters
 * spelled out, its tables per level and its bytes.
 */
#include <stdio.h>
#include <string.h>

#include "models/geom.h"
#include "views/csv.h"
#include "views/json.h"
#include "views/simout.h"

/* "10+10 +12", "2+9+9 +12": index bits per level, then the offset */
static const char *bits_str(char *dst, size_t len, const struct mlpt_design *d)
{
	size_t off = 0;
	unsigned int i;

	dst[0] = '\0';
	for (i = 0; i < d->levels && d->kind == MLPT_RADIX; i++)
		off += snprintf(dst + off, len - off, "%s%u", i ? "+" : "",
				d->bits[i]);
	snprintf(dst + off, len - off, "%s+%u", off ? " " : "", d->page_shift);
	return dst;
}

/* what the table counts and sizes are: "1+2 x 4 KiB", "1 x 32 B + 1 x ..." */
static void params(struct buf *b, const struct mlpt_design *d,
		   const struct mlpt_pages *p)
{
	char n1[NUM_LEN], n2[NUM_LEN];
	unsigned int i;

	switch (d->kind) {
	case MLPT_RADIX:
		buf_printf(b, "%u levels, tables of", d->levels);
		for (i = 0; i < d->levels; i++)
			buf_printf(b, "%s %llu", i ? " /" : "",
				   (unsigned long long)BIT_ULL(d->bits[i]));
		buf_printf(b, " entries");
		break;
	case MLPT_LINEAR:
		buf_printf(b, "one entry per page of 2^%u bytes", d->va_bits);
		break;
	case MLPT_SEGMENTED:
		buf_printf(b, "one linear table per VMA, %zu VMAs", p->nr_vma);
		break;
	case MLPT_INVERTED:
		buf_printf(b, "one entry per frame of %s RAM (%s pages)",
			   fmt_human(n1, p->mem_total),
			   fmt_human(n2, BIT_ULL(d->page_shift)));
		break;
	}
}

static void tables_str(struct buf *b, const struct mlpt_design *d,
		       const struct mlpt_sim *s)
{
	unsigned int i;

	if (d->kind != MLPT_RADIX) {
		buf_printf(b, "%llu entries", (unsigned long long)s->entries);
		return;
	}
	for (i = 0; i < d->levels; i++)
		buf_printf(b, "%s%llu", i ? "+" : "",
			   (unsigned long long)s->tables[i]);
}

static void text(struct buf *b, const struct mlpt_out *o,
		 const struct mlpt_pages *p, const struct mlpt_sim *s)
{
	char n1[NUM_LEN], bits[48];
	size_t i, col;

	if (p->pid)
		buf_printf(b, "pid %d (%s): ", p->pid, p->comm);
	else
		buf_printf(b, "%s: ", p->comm);
	buf_printf(b, "%zu present 4 KiB pages", p->n);
	if (p->n)
		buf_printf(b, " from 0x%llx to 0x%llx (%u-bit addresses)",
			   (unsigned long long)p->addr[0],
			   (unsigned long long)p->addr[p->n - 1] + 4095,
			   mlpt_pages_bits(p));
	buf_printf(b,
		   "\nthe same pages under each design (a page of a bigger size is used when\nany 4 KiB of it is; table sizes are the hardware's: entries x entry bytes)\n\n");
	buf_printf(b, "%-22s %3s %-15s %5s  %-24s %10s\n", "design", "VA",
		   "bits", "entry", "tables per level, top first", "bytes");
	for (i = 0; i < MLPT_NR_DESIGNS; i++) {
		const struct mlpt_design *d = &mlpt_designs[i];

		buf_printf(b, "%-22s ", d->name);
		if (d->va_bits)
			buf_printf(b, "%3u ", d->va_bits);
		else
			buf_printf(b, "%3s ", "-");
		buf_printf(b, "%-15s %3u B  ", bits_str(bits, sizeof(bits), d),
			   d->entry_bytes);
		if (s[i].why) {
			if (d->va_bits)
				buf_printf(b, "n/a: needs %u-bit VA\n",
					   s[i].need_bits);
			else
				buf_printf(b, "n/a: %s\n", s[i].why);
			continue;
		}
		col = b->len;
		tables_str(b, d, &s[i]);
		buf_printf(b, "%*s %10s\n", (int)(24 - (b->len - col)) > 0 ?
			   (int)(24 - (b->len - col)) : 0, "",
			   fmt_size(n1, s[i].bytes, o->bytes));
	}
	buf_printf(b, "\nparameters\n");
	for (i = 0; i < MLPT_NR_DESIGNS; i++) {
		buf_printf(b, "  %-22s ", mlpt_designs[i].name);
		params(b, &mlpt_designs[i], p);
		buf_printf(b, "\n");
	}
	buf_printf(b,
		   "VA: the design's virtual address size (\"-\": any); bits: index bits per level\n+ page offset bits; inverted: %u-byte entries (tag, frame, flags and hash\nchain, as PowerPC's hashed page table)\n",
		   MLPT_INVERTED_ENTRY);
}

static void json(struct buf *b, const struct mlpt_pages *p,
		 const struct mlpt_sim *s)
{
	char bits[48];
	size_t i;
	unsigned int k;

	buf_printf(b, "{\"mlpt_version\": \"%s\", \"pid\": %d, \"comm\": ",
		   MLPT_VERSION, p->pid);
	mlpt_json_str(b, p->comm);
	buf_printf(b,
		   ", \"pages\": %zu, \"page_bytes\": 4096, \"mem_total\": %llu,\n  \"designs\": [",
		   p->n, (unsigned long long)p->mem_total);
	for (i = 0; i < MLPT_NR_DESIGNS; i++) {
		const struct mlpt_design *d = &mlpt_designs[i];

		buf_printf(b,
			   "%s\n    {\"design\": \"%s\", \"name\": \"%s\", \"va_bits\": %u, \"bits\": \"%s\", \"page_bytes\": %llu, \"entry_bytes\": %u, \"tables\": [",
			   i ? "," : "", d->key, d->name, d->va_bits,
			   bits_str(bits, sizeof(bits), d),
			   (unsigned long long)BIT_ULL(d->page_shift),
			   d->entry_bytes);
		for (k = 0; d->kind == MLPT_RADIX && k < d->levels; k++)
			buf_printf(b, "%s%llu", k ? ", " : "",
				   (unsigned long long)s[i].tables[k]);
		if (s[i].why)
			buf_printf(b, "], \"bytes\": null, \"why\": \"%s\", \"need_bits\": %u}",
				   s[i].why, s[i].need_bits);
		else
			buf_printf(b, "], \"bytes\": %llu}",
				   (unsigned long long)s[i].bytes);
	}
	buf_printf(b, "]}\n");
}

static void csv(struct buf *b, const struct mlpt_pages *p,
		const struct mlpt_sim *s)
{
	size_t i;

	buf_printf(b, "pid,design,va_bits,page_bytes,entry_bytes,tables,bytes,why\n");
	for (i = 0; i < MLPT_NR_DESIGNS; i++) {
		const struct mlpt_design *d = &mlpt_designs[i];

		buf_printf(b, "%d,%s,%u,%llu,%u,", p->pid, d->key, d->va_bits,
			   (unsigned long long)BIT_ULL(d->page_shift),
			   d->entry_bytes);
		if (s[i].why) {
			buf_printf(b, ",,%s\n", s[i].why);
			continue;
		}
		tables_str(b, d, &s[i]);
		buf_printf(b, ",%llu,\n", (unsigned long long)s[i].bytes);
	}
}

void mlpt_simulate_out(struct buf *b, const struct mlpt_out *o,
		       const struct mlpt_pages *p)
{
	struct mlpt_sim s[MLPT_NR_DESIGNS];
	size_t i;

	for (i = 0; i < MLPT_NR_DESIGNS; i++)
		mlpt_simulate(&mlpt_designs[i], p, &s[i]);
	if (o->fmt == MLPT_FMT_JSON)
		json(b, p, s);
	else if (o->fmt == MLPT_FMT_CSV)
		csv(b, p, s);
	else
		text(b, o, p, s);
}
