// SPDX-License-Identifier: GPL-2.0
/*
 * The parsers of this tree take what a later module may add within
 * format 1 (docs/format.md, Compatibility) and still read every figure
 * they know exactly: a section after the occupancy table whose lines begin
 * with level names, a column of the nodes table and a section after it,
 * vmas columns before the name and in another order, translate rows and
 * keys they do not know.  What is really missing or wrong is still
 * refused.
 */
#include <stdlib.h>
#include <string.h>

#include "sources/parse.h"
#include "sources/translate.h"
#include "sources/vmas.h"
#include "tap.h"

/* the level and occupancy tables of a small 4-level report */
#define TABLES \
	"\nlevel folded tables table-bytes present next leaf nonpresent empty-tables\n" \
	"pgd   0      1      4096        1       1    0    0          0\n" \
	"p4d   1      0      0           0       0    0    0          0\n" \
	"pud   0      1      4096        1       1    0    0          0\n" \
	"pmd   0      1      4096        1       1    0    0          0\n" \
	"pte   0      1      4096        3       0    3    0          0\n" \
	"\noccupancy 0 1 2-7 8-63 64-255 256-511 512\n" \
	"pgd       0 1 0   0    0      0       0\n" \
	"p4d       0 0 0   0    0      0       0\n" \
	"pud       0 1 0   0    0      0       0\n" \
	"pmd       0 1 0   0    0      0       0\n" \
	"pte       0 0 1   0    0      0       0\n"

#define KEYS \
	"paging-levels: 4\nva-bits: 48\npage-size: 4096\nentry-bytes: 8\n" \
	"entries-per-table: 512\nvmas: 2\nmapped-bytes: 12288\n" \
	"va-lowest: 0x400000\nva-highest: 0x403000\nresident-bytes: 12288\n" \
	"walk-pgtables-bytes: 12288\nkernel-pgtables-bytes: 12288\n" \
	"deposited-tables: 0\nwalk-ns: 1000\n"

/* a later section: its rows begin with level names, as a per-node table would */
static const char later[] =
	"mlpt-format: 1\npid: 7\ncomm: later\n" KEYS TABLES
	"\nnuma node0 node1\npgd  1 0\npud  0 1\npte  1 0\n";

static void later_section(void)
{
	struct mlpt_report r;
	struct mlpt_err e;
	int ret = mlpt_parse(later, strlen(later), "later", &r, &e);

	tap_ok(!ret, "parse: a section after the occupancy table is skipped%s%s",
	       ret ? ": " : "", ret ? e.why : "");
	/* the occupancy rows are the table's, not the later section's */
	tap_ok(!ret && r.level[MLPT_PTE].occupancy[2] == 1 &&
	       r.level[MLPT_PGD].occupancy[1] == 1 &&
	       r.level[MLPT_PTE].tables == 1 && r.level[MLPT_PTE].leaf == 3,
	       "parse: the tables' figures stay the module's");
}

/*
 * The nodes table of the 4-level TABLES: a column "cxl" and a section
 * after it that a later module might add; node 2 holds the pte table.
 */
#define NODES(pte0, pte2) \
	"\nnode pgd p4d pud cxl pmd pte\n" \
	"0    1   0   1   7   1   " pte0 "\n" \
	"2    0   0   0   0   0   " pte2 "\n"

static const char nodes_later[] =
	"mlpt-format: 1\npid: 7\ncomm: later\n" KEYS TABLES NODES("0", "1")
	"\nnode-distance 0 2\n0 10 20\n2 20 10\n";

static void nodes_table(void)
{
	static const char *const broken[] = {
		/* the pte tables add up to 2, not 1 */
		"mlpt-format: 1\npid: 7\ncomm: x\n" KEYS TABLES NODES("1", "1"),
		/* a header and no row: cut short */
		"mlpt-format: 1\npid: 7\ncomm: x\n" KEYS TABLES
		"\nnode pgd p4d pud pmd pte\n",
		/* node 2 before node 0 */
		"mlpt-format: 1\npid: 7\ncomm: x\n" KEYS TABLES
		"\nnode pgd p4d pud pmd pte\n2 0 0 0 0 1\n0 1 0 1 1 0\n",
	};
	struct mlpt_report r;
	struct mlpt_err e;
	unsigned int i, refused = 0;
	int ret = mlpt_parse(nodes_later, strlen(nodes_later), "later", &r,
			     &e);

	tap_ok(!ret && r.nr_node == 2 && r.node[0].id == 0 &&
	       r.node[1].id == 2 && r.node[0].tables[MLPT_PMD] == 1 &&
	       !r.node[0].tables[MLPT_PTE] && r.node[1].tables[MLPT_PTE] == 1,
	       "parse: nodes table read by header word, a later section skipped%s%s",
	       ret ? ": " : "", ret ? e.why : "");
	if (!ret)
		mlpt_report_free(&r);
	for (i = 0; i < ARRAY_SIZE(broken); i++)
		refused += mlpt_parse(broken[i], strlen(broken[i]), "x", &r,
				      &e) == MLPT_EXIT_FORMAT && !r.node;
	tap_eq(refused, ARRAY_SIZE(broken),
	       "parse: a nodes table that does not add up, has no row or is out of order is refused");
}

/*
 * dev and inode before pud, leaf-bytes moved before perms: found by
 * header word.  Row 1: 0x400000-0x402000 (2 pages), 1 pud, 1 pmd, 1 pte
 * table, 8192 leaf bytes; row 2 adds no table.
 */
static const char vmas_later[] =
	"mlpt-format: 1\n"
	"start    end      leaf-bytes dev   inode perms pud pmd pte name\n"
	"0x400000 0x402000 8192       08:01 1234  r-xp  1   1   1   /bin/a b\n"
	"0x402000 0x403000 4096       00:00 0     rw-p  0   0   0   -\n"
	"\npid: 7\ncomm: later\n" KEYS TABLES;

static void vmas_columns(void)
{
	static const char *const broken[] = {
		/* no pte column */
		"mlpt-format: 1\nstart end perms pud pmd leaf-bytes name\n",
		/* a column after the name */
		"mlpt-format: 1\nstart end perms pud pmd pte leaf-bytes name inode\n",
	};
	struct mlpt_vmas v;
	struct mlpt_err e;
	int ret, refused = 0;
	size_t i;

	ret = mlpt_vmas_parse(vmas_later, strlen(vmas_later), "later", &v, &e);
	tap_ok(!ret && v.n == 2 && v.row[0].start == 0x400000 &&
	       v.row[0].end == 0x402000 && !strcmp(v.row[0].perms, "r-xp") &&
	       v.row[0].tables[0] == 1 && v.row[0].tables[1] == 1 &&
	       v.row[0].tables[2] == 1 && v.row[0].leaf_bytes == 8192 &&
	       !strcmp(v.row[0].name, "/bin/a b") &&
	       v.row[1].leaf_bytes == 4096 && !strcmp(v.row[1].name, "-"),
	       "vmas: columns found by header word, new ones before the name%s%s",
	       ret ? ": " : "", ret ? e.why : "");
	if (!ret)
		mlpt_vmas_free(&v);
	for (i = 0; i < ARRAY_SIZE(broken); i++)
		refused += mlpt_vmas_parse(broken[i], strlen(broken[i]), "b",
					   &v, &e) == MLPT_EXIT_FORMAT;
	tap_eq(refused, ARRAY_SIZE(broken),
	       "vmas: a missing column or one after the name is refused");
}

/* a row and a key (with spaces) that no module writes yet */
static const char xlate_later[] =
	"mlpt-format: 1\ntranslate: 0x400abc\n"
	"level index entry              flags        result\n"
	"pgd   0     0x0000000001000067 P RW US A    next\n"
	"p4d   0     -                  folded       next\n"
	"pud   0     0x0000000001001067 P RW US A    next\n"
	"pmd   2     0x0000000001002067 P RW US A    next\n"
	"pte   0     0x8000000001003867 P RW US A D NX leaf\n"
	"contig 16 entries from 0x400000\n"
	"table-node: 1 (of 2)\n"
	"offset: 0xabc\npfn: 0x1003\nphysical: 0x1003abc\n";

static void translate_later(void)
{
	struct mlpt_xlate x;
	struct mlpt_err e;
	int ret = mlpt_xlate_parse(xlate_later, strlen(xlate_later), "later",
				   &x, &e);

	tap_ok(!ret && x.steps == 5 && x.leaf && x.offset == 0xabc &&
	       x.pfn == 0x1003 && x.physical == 0x1003abc &&
	       x.step[3].index == 2,
	       "translate: an unknown row and key are skipped%s%s",
	       ret ? ": " : "", ret ? e.why : "");
}

void test_compat(void)
{
	later_section();
	nodes_table();
	vmas_columns();
	translate_later();
}
