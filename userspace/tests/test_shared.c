// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt shared: the object identity of `vmas-objects` rows, the grouping
 * of mappings into objects, today's and the hugetlb figures, and every
 * output checked by a parser.  shared-postmaster.txt and
 * shared-backend.txt are `vmas-objects` reports the module wrote in a
 * guest (6.12, 4-level) for mlpt-shared-segment 10: the postmaster and one
 * backend, each mapping the same 1 GiB shared anonymous segment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/shared.h"
#include "sources/vmas.h"
#include "views/sharedout.h"
#include "tap.h"

/* the level and occupancy tables of a report: pud 1, pmd 1, pte 3 */
#define TAIL \
	"\npid: %d\ncomm: t\npaging-levels: 4\nva-bits: 48\npage-size: 4096\n" \
	"entry-bytes: 8\nentries-per-table: 512\nvmas: 3\nmapped-bytes: 1\n" \
	"va-lowest: 0x0\nva-highest: 0x1\nresident-bytes: 0\n" \
	"walk-pgtables-bytes: 0\nkernel-pgtables-bytes: 0\n" \
	"deposited-tables: 0\nwalk-ns: 1\n" \
	"\nlevel folded tables table-bytes present next leaf nonpresent empty-tables\n" \
	"pgd   0      1      4096        1       1    0    0          0\n" \
	"p4d   1      0      0           0       0    0    0          0\n" \
	"pud   0      1      4096        1       1    0    0          0\n" \
	"pmd   0      1      4096        1       1    0    0          0\n" \
	"pte   0      3      4096        3       0    3    0          0\n" \
	"\noccupancy 0 1 2-7 8-63 64-255 256-511 512\n" \
	"pgd       0 1 0   0    0      0       0\n" \
	"p4d       0 0 0   0    0      0       0\n" \
	"pud       0 1 0   0    0      0       0\n" \
	"pmd       0 1 0   0    0      0       0\n" \
	"pte       0 3 0   0    0      0       0\n"

#define HEAD \
	"mlpt-format: 1\n" \
	"start              end                perms pud pmd pte leaf-bytes dev inode offset name\n"

/*
 * Process 1: /idx (8:1, inode 42) offsets 0-4 MiB at a 2 MiB-aligned
 * address, 2 pte tables; a private mapping of the same file (not shared:
 * left out); anonymous memory (no object).
 * Process 2: /idx offsets 2-6 MiB (overlaps 1's: the same object), and
 * offsets 16-18 MiB (overlaps nothing: another object).
 * Process 3: /idx again at 0-4 MiB but another inode: another object.
 */
static const char proc1[] = HEAD
	"0x00007f0000000000 0x00007f0000400000 rw-s 1 1 2 8192 8:1 42 0x0 /idx\n"
	"0x00007f0000400000 0x00007f0000401000 r--p 0 0 1 4096 8:1 42 0x0 /idx\n"
	"0x00007f0000600000 0x00007f0000601000 rw-p 0 0 0 4096 - - - -\n" TAIL;
static const char proc2[] = HEAD
	"0x00007f1000200000 0x00007f1000600000 rw-s 1 1 2 4096 8:1 42 0x200000 /idx\n"
	"0x00007f1000600000 0x00007f1000800000 rw-s 0 0 1 4096 8:1 42 0x1000000 /idx\n"
	"0x00007f1000800000 0x00007f1000801000 rw-p 0 0 0 0 - - - -\n" TAIL;
static const char proc3[] = HEAD
	"0x00007f2000000000 0x00007f2000400000 rw-s 1 1 2 0 8:1 43 0x0 /idx\n"
	"0x00007f2000400000 0x00007f2000401000 rw-p 0 0 1 0 - - - -\n"
	"0x00007f2000600000 0x00007f2000601000 rw-p 0 0 0 0 - - - -\n" TAIL;

static int add_text(struct mlpt_shared *s, const char *fmt, int pid)
{
	struct mlpt_vmas v;
	struct mlpt_err e;
	char text[4096];
	int ret;

	snprintf(text, sizeof(text), fmt, pid);
	ret = mlpt_vmas_parse(text, strlen(text), "test", &v, &e);
	if (ret) {
		printf("# %s\n", e.why);
		return ret;
	}
	s->read++;
	ret = mlpt_shared_add(s, &v);
	mlpt_vmas_free(&v);
	return ret;
}

static int add_file(struct mlpt_shared *s, const char *path)
{
	struct mlpt_vmas v;
	struct mlpt_err e;
	size_t len;
	char *text = slurp(path, &len);
	int ret = -1;

	if (text)
		ret = mlpt_vmas_parse(text, len, path, &v, &e);
	free(text);
	if (ret)
		return -1;
	s->read++;
	ret = mlpt_shared_add(s, &v);
	mlpt_vmas_free(&v);
	return ret;
}

static const struct mlpt_sobj *find(const struct mlpt_shared *s, u64 inode,
				    u64 first)
{
	size_t i;

	for (i = 0; i < s->nobj; i++)
		if (s->obj[i].map->row.inode == inode &&
		    s->obj[i].first == first)
			return &s->obj[i];
	return NULL;
}

static void grouping(void)
{
	struct mlpt_shared s = { 0 };
	const struct mlpt_sobj *o;
	int ret;

	ret = add_text(&s, proc1, 101) || add_text(&s, proc2, 102) ||
	      add_text(&s, proc3, 103) || mlpt_shared_group(&s);
	/* 4 shared rows with an object: 101's, 102's two, 103's */
	tap_ok(!ret && s.n == 4 && s.nobj == 3,
	       "shared: private and anonymous rows left out; 4 mappings, 3 objects");
	/* 101 at 0-4 MiB and 102 at 2-6 MiB overlap: one object, 0-6 MiB */
	o = find(&s, 42, 0);
	tap_ok(o && o->n == 2 && o->procs == 2 && o->last == 6 << 20 &&
	       o->map[0].pid == 101 && o->map[1].pid == 102,
	       "shared: overlapping offsets of one inode are one object");
	/* (1 + 1 + 2) tables each x 4096 */
	tap_ok(o && o->tables[0] == 2 && o->tables[1] == 2 &&
	       o->tables[2] == 4 && o->table_bytes == 8 * 4096 &&
	       o->leaf_bytes == 12288,
	       "shared: its tables are the sum of its rows'");
	/*
	 * hugetlb: each mapping covers its 1 GiB slot in part, so one pmd
	 * table each, none shared; the 2 pud tables stay: (2 + 2) x 4096.
	 */
	tap_ok(o && o->huge.pud == 2 && o->huge.pmd_shared == 0 &&
	       o->huge.pmd_own == 2 && o->huge.table_bytes == 4 * 4096,
	       "shared: hugetlb of partial 1 GiB slots: a pmd table per mapping");
	o = find(&s, 42, 16 << 20);
	tap_ok(o && o->n == 1 && o->map->pid == 102 && o->table_bytes == 4096,
	       "shared: disjoint offsets of the same inode are another object");
	o = find(&s, 43, 0);
	tap_ok(o && o->n == 1 && o->map->pid == 103,
	       "shared: another inode is another object");
	tap_ok(s.obj[0].table_bytes >= s.obj[1].table_bytes &&
	       s.obj[1].table_bytes >= s.obj[2].table_bytes,
	       "shared: objects by table bytes, most first");
	mlpt_shared_free(&s);
}

static void captured_segment(struct mlpt_shared *s)
{
	const struct mlpt_sobj *o = NULL;
	size_t i;

	for (i = 0; i < s->nobj; i++)
		if (!strcmp(s->obj[i].map->row.name, "/dev/zero (deleted)"))
			o = &s->obj[i];
	/*
	 * Two processes, each 1 GiB aligned and alone in its 512 GiB slot:
	 * 512 pte + 1 pmd + 1 pud tables each (2 x 514 x 4096 bytes), 1 GiB
	 * of leaves each; as hugetlb the 2 pud tables and one pmd table for
	 * both (the aligned window at offset 0, mapped whole by each).
	 */
	tap_ok(o && o->procs == 2 && o->n == 2 && o->first == 0 &&
	       o->last == 1ULL << 30,
	       "captured: the segment is one object of 2 processes, offsets 0-1 GiB");
	tap_ok(o && o->tables[0] == 2 && o->tables[1] == 2 &&
	       o->tables[2] == 1024 && o->table_bytes == 2 * 514 * 4096 &&
	       o->leaf_bytes == 2ULL << 30,
	       "captured: 2 x (1 pud + 1 pmd + 512 pte) tables = 2 x 514 x 4096 bytes");
	tap_ok(o && o->huge.pud == 2 && o->huge.pmd_shared == 1 &&
	       o->huge.pmd_own == 0 && o->huge.table_bytes == 3 * 4096,
	       "captured: as hugetlb, 2 pud tables and 1 shared pmd table");
}

static bool parses(const struct buf *b, const char *cmd)
{
	return b->s && pipe_to(cmd, b->s, b->len) == 0;
}

static void outputs(const struct mlpt_shared *s)
{
	struct mlpt_out o = { .bytes = true };
	struct buf b = { 0 };
	const char *err;

	o.fmt = MLPT_FMT_JSON;
	mlpt_shared_out(&b, &o, s);
	err = json_check(b.s, b.len);
	tap_ok(!err && parses(&b, "python3 -m json.tool >/dev/null"),
	       "shared --json: strict check and Python's json%s%s",
	       err ? ": " : "", err ? err : "");
	buf_free(&b);
	o.fmt = MLPT_FMT_CSV;
	mlpt_shared_out(&b, &o, s);
	tap_ok(parses(&b, "python3 ./parse-output.py csv") &&
	       b.s && strstr(b.s, "\n0:1,"),
	       "shared --csv: Python's csv reads it, a row per mapping");
	buf_free(&b);
	o.fmt = MLPT_FMT_PROM;
	mlpt_shared_out(&b, &o, s);
	err = prom_check(b.s, b.len);
	tap_ok(!err, "shared --prometheus: strict check%s%s", err ? ": " : "",
	       err ? err : "");
	if (!system("command -v promtool >/dev/null 2>&1"))
		tap_ok(parses(&b, "promtool check metrics >/dev/null 2>&1"),
		       "shared --prometheus: promtool accepts it");
	else
		tap_skip("not installed", "shared --prometheus: promtool");
	buf_free(&b);
	o.fmt = MLPT_FMT_TEXT;
	mlpt_shared_out(&b, &o, s);
	tap_ok(b.s && strstr(b.s, " 4210688 ") && strstr(b.s, " 12288 "),
	       "shared text: the object's 4210688 bytes and hugetlb 12288");
	buf_free(&b);
}

void test_shared(void)
{
	struct mlpt_shared s = { 0 };
	int ret;

	grouping();
	ret = add_file(&s, "shared-postmaster.txt") ||
	      add_file(&s, "shared-backend.txt") || mlpt_shared_group(&s);
	tap_ok(!ret, "captured vmas-objects reports parse and group");
	if (!ret) {
		captured_segment(&s);
		outputs(&s);
	}
	mlpt_shared_free(&s);
}
