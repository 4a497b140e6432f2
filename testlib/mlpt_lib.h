/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the mlpt selftests, the labs and the benchmark: parse
 * /proc/mlpt/<pid> (format 1) into a struct, predict what a set of freshly
 * touched pages must add to it, read VmPTE and pagemap, and run a stopped
 * child whose page tables change only when the test tells it to.
 */
#ifndef MLPT_LIB_H
#define MLPT_LIB_H

#include <stdbool.h>
#include <sys/types.h>

#define MLPT_DIR	"/proc/mlpt"
#define MLPT_REPORT_MAX	(64 * 1024)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

enum mlpt_level {
	MLPT_PGD,
	MLPT_P4D,
	MLPT_PUD,
	MLPT_PMD,
	MLPT_PTE,
	MLPT_NR_LEVELS
};

enum mlpt_col {
	MLPT_FOLDED,
	MLPT_TABLES,
	MLPT_TABLE_BYTES,
	MLPT_PRESENT,
	MLPT_NEXT,
	MLPT_LEAF,
	MLPT_NONPRESENT,
	MLPT_EMPTY_TABLES,
	MLPT_NR_COLS
};

/* Occupancy buckets: 0, 1, 2-7, 8-63, 64-255, 256-511, 512 entries. */
#define MLPT_NR_BUCKETS 7

/* Rows of the nodes table a test reads: the guest has 2 nodes. */
#define MLPT_MAX_NODES 8

struct mlpt_report {
	long pid;
	char comm[32];
	unsigned long long format;
	unsigned long long paging_levels;
	unsigned long long va_bits;
	unsigned long long page_size;
	unsigned long long entry_bytes;
	unsigned long long entries_per_table;
	unsigned long long entries_per_table_pgd;	/* 0 when absent */
	unsigned long long vmas;
	unsigned long long mapped_bytes;
	unsigned long long va_lowest;
	unsigned long long va_highest;
	unsigned long long resident_bytes;
	unsigned long long walk_pgtables_bytes;
	unsigned long long kernel_pgtables_bytes;
	unsigned long long deposited_tables;
	unsigned long long walk_ns;
	/* Only where the architecture has contiguous ptes; 0 when absent. */
	bool has_contiguous_ptes;
	unsigned long long contiguous_ptes;
	unsigned long long lvl[MLPT_NR_LEVELS][MLPT_NR_COLS];
	unsigned long long occ[MLPT_NR_LEVELS][MLPT_NR_BUCKETS];
	/* The nodes table of the summary, in its order; 0 rows: none. */
	int nr_nodes;
	int node_id[MLPT_MAX_NODES];
	unsigned long long node_tables[MLPT_MAX_NODES][MLPT_NR_LEVELS];
};

extern const char *const mlpt_level_names[MLPT_NR_LEVELS];

/* Bucket index of a table with @n non-empty entries. */
int mlpt_bucket(unsigned long n);

/*
 * Parse a format-1 report; on failure return -1 and leave a one-line
 * reason in @err.
 */
int mlpt_parse(const char *text, struct mlpt_report *r, char *err,
	       size_t errlen);
/* Read a whole file into @buf (NUL-terminated); bytes read or -errno. */
ssize_t mlpt_read_all(int fd, char *buf, size_t size);
/* Open, read and parse /proc/mlpt/<pid>; 0 or -errno (-EINVAL: parse). */
int mlpt_report_pid(pid_t pid, struct mlpt_report *r);
/* Print every field where @want and @got differ; returns their number. */
int mlpt_report_diff(const struct mlpt_report *want,
		     const struct mlpt_report *got);
/*
 * Structural rules every report obeys (a nodes table, when there is one,
 * adds up to the tables of each level); prints and counts violations.
 */
int mlpt_report_invariants(const struct mlpt_report *r);

/* VmPTE of /proc/<pid>/status in KiB, or -1 when the line is missing. */
long long mlpt_vmpte_kb(pid_t pid);
/* Pages in [start, end) that /proc/<pid>/pagemap shows present (bit 63). */
long mlpt_pagemap_present(pid_t pid, unsigned long start, unsigned long end);
/* PFN that /proc/<pid>/pagemap gives for @addr (root only), or -1. */
long long mlpt_pagemap_pfn(pid_t pid, unsigned long addr);
/*
 * The paging levels the machine runs, as the CPU and the kernel say it
 * without the module.  x86-64: 5 when la57 is in the flags of
 * /proc/cpuinfo (the kernel clears it when it runs 4 levels), else 4.
 * arm64: what the kernel's address bits take above the page offset,
 * PAGE_SHIFT - 3 bits a level, rounded up: 52 bits when it logged at
 * boot that it uses them (LPA2), else 48 (47 with 16 KiB pages): 5 or 4
 * levels with 4 KiB pages, 4 or 3 with 16 KiB; root reads the log.
 * riscv64: the satp mode /proc/cpuinfo names, "mmu : sv39", sv48 or
 * sv57: 3, 4 or 5.
 */
int mlpt_levels(void);
/*
 * The geometry the page size gives (sysconf(_SC_PAGESIZE)): a table is a
 * page of 8-byte entries, 512 with 4 KiB pages, 2048 with 16 KiB (arm64's
 * -16k kernels), and each level indexes log2 of that many address bits
 * above the one below it: PAGE_SHIFT - 3, 9 or 11.
 */
unsigned long mlpt_page(void);
unsigned int mlpt_page_shift(void);
unsigned long mlpt_table_entries(void);
/*
 * Bytes one entry of level @l maps where @l is a level of its own: a page
 * (pte), 2 MiB (pmd), 1 GiB (pud), 512 GiB (p4d) and 256 TiB (a 5-level
 * pgd) with 4 KiB pages; 16 KiB, 32 MiB, 64 GiB, 128 TiB (2^47) and 2^58
 * with 16 KiB pages, whose trees have no p4d level.
 */
unsigned long mlpt_span(enum mlpt_level l);
#define MLPT_PAGE	mlpt_span(MLPT_PTE)
#define MLPT_PMD_SIZE	mlpt_span(MLPT_PMD)
#define MLPT_PUD_SIZE	mlpt_span(MLPT_PUD)
#define MLPT_P4D_SIZE	mlpt_span(MLPT_P4D)
#define MLPT_PGD5_SIZE	mlpt_span(MLPT_PGD)
/* Whether level @l is folded with @levels: p4d below 5, pud below 4. */
bool mlpt_level_folded(int l, int levels);
/*
 * The lowest address bit of level @l's entry index with @levels: 48, 39,
 * 30, 21, 12 from pgd to pte (4 KiB pages; 58, 47, 36, 25, 14 with
 * 16 KiB), but the pgd's entries are those of the highest level not
 * folded below it (39 with 4 levels, 30 with 3; 47 and 36 with 16 KiB).
 */
int mlpt_entry_shift(int l, int levels);
/*
 * Bits of address the tree translates: x86-64 48 or 57, arm64 48 or 52
 * (47 or 52 with 16 KiB pages), riscv64 39, 48 or 57.
 */
unsigned int mlpt_va_bits(int levels);
/*
 * Entries of the pgd: 2^(va-bits - its entry shift), a whole table but on
 * arm64 with 52 bits: 16 with 4 KiB pages (bits 48-51), 32 with 16 KiB
 * (bits 47-51).
 */
unsigned long mlpt_pgd_entries(int levels);
/*
 * One past the highest user address (the kernel's limit for a 64-bit
 * process): x86-64 the lower half less a guard page, 2^47 - 4096 or
 * 2^56 - 4096; arm64 all that the tree translates, 2^48 or 2^52; riscv64
 * the lower half, 2^38, 2^47 or 2^56.
 */
unsigned long mlpt_user_top(int levels);
/*
 * Bytes of the pgd this kernel allocates: x86-64 one page, or two; arm64
 * its entries from a slab cache with 52 bits (16 or 32: 128 or 256
 * bytes), else one page (4 or 16 KiB); riscv64 a page.
 */
unsigned long mlpt_pgd_table_bytes(void);
/* Split @line in place at blanks into at most MLPT_MAX_FIELDS words. */
#define MLPT_MAX_FIELDS 40
int mlpt_split(char *line, char **field);
/* True when /proc/<pid>/cmdline holds @arg: the pid has exec'd into it. */
bool mlpt_cmdline_has(pid_t pid, const char *arg);
/* Row of node @nid in the nodes table of @r, or -1. */
int mlpt_node_row(const struct mlpt_report *r, int nid);
/* Integer from a /proc or /sys file, or -1. */
long long mlpt_read_ll(const char *path);
/* 1 if /boot/config-<release> sets @option =y, 0 if not, or -errno */
int mlpt_kernel_config(const char *option);

/*
 * Bytes of a slot: a 512 GiB pgd entry with 4 levels (a p4d entry with
 * 5), with 3 levels 8 GiB, 8 pgd entries of 1 GiB (riscv64 Sv39's user
 * space is 256 GiB).  16 KiB pages: a 128 TiB pgd entry with 4 levels,
 * 8 pgd entries of 64 GiB (512 GiB) with 3.  What a test maps at the
 * first few pud spans (1 GiB, 64 GiB) of a slot has every table below
 * the pgd (the 5-level first p4d table) to itself.
 */
unsigned long mlpt_slot_size(void);
/*
 * Bytes of the big PROT_NONE reservation of the scale tests: 64 TiB, or
 * in riscv64 Sv39 64 GiB (a quarter of its user space), or with 16 KiB
 * pages and 4 levels one 128 TiB slot: a whole number of slots always.
 */
unsigned long mlpt_reservation_size(void);
/*
 * Lowest address >= 16 TiB (32 GiB in Sv39; 256 TiB with 16 KiB pages
 * and 4 levels) from which @nslots slots hold no mapping of this process,
 * so that their tables below the pgd (and the pgd or 5-level p4d entries
 * that lead to them) belong to the test alone.
 */
unsigned long mlpt_free_slots(int nslots);

/*
 * What a test maps: @npages pages at @addr, each touched, or with
 * @leaf_level MLPT_PMD one pmd leaf (2 MiB; 32 MiB with 16 KiB pages;
 * @deposit: the kernel keeps a pte table behind it, as for THP and the
 * huge zero page, not hugetlb).
 */
struct mlpt_touch {
	unsigned long addr;
	unsigned long npages;
	enum mlpt_level leaf_level;
	bool deposit;
};

/*
 * Expected report after the @n touches of @t were added to an address
 * space that gave @before, given that every touch lies in a slot
 * nothing else used (see mlpt_free_slots()), that each touch is its own
 * VMA, and that the 5-level p4d table for addresses below 2^48 is the only
 * p4d table of @before.  Counts and occupancy buckets are derived level by
 * level; pgd/p4d tables that already existed move between buckets.
 */
void mlpt_expect_touch(const struct mlpt_report *before,
		       const struct mlpt_touch *t, int n,
		       struct mlpt_report *want);

/*
 * Map one touch at exactly t->addr (MAP_FIXED_NOREPLACE, plus @flags such
 * as MAP_HUGETLB), apply madvise(@advice) unless it is -1, then touch each
 * page (a pmd leaf: its first byte) by writing, or by reading when
 * @read_only.  Returns 0 or -errno, as a child step does.
 */
int mlpt_map_touch(const struct mlpt_touch *t, int flags, int advice,
		   bool read_only);
/* Size of the mapping of one touch. */
unsigned long mlpt_touch_size(const struct mlpt_touch *t);

/*
 * The demo workload: a sparse region (one written page per pmd span over
 * 32 of them, 64 MiB: 32 pages, 32 pte tables) at @base and a dense one
 * (1024 pages all written, 4 MiB: 2 full pte tables) at @base + a pud
 * span (1 GiB), both MADV_NOHUGEPAGE; with 16 KiB pages 1 GiB and 16 MiB
 * (half a pte table) at @base + 64 GiB.  @base must be pmd-aligned and
 * free (0: find a slot).  Returns 0 or -errno.
 */
#define MLPT_SPARSE_BYTES	(32 * MLPT_PMD_SIZE)
#define MLPT_DENSE_BYTES	(1024 * MLPT_PAGE)

struct mlpt_workload {
	unsigned long sparse;
	unsigned long dense;
};

int mlpt_workload_map(unsigned long base, struct mlpt_workload *w);

/*
 * A child forked from the test that does nothing on its own: it faults in
 * everything it has (mlockall), then runs step(arg, k) only when
 * mlpt_child_step(c, k) asks and sleeps in read() otherwise, so two
 * reports of it differ exactly by what the step did.
 */
typedef int (*mlpt_step_fn)(void *arg, int step);

struct mlpt_child {
	pid_t pid;
	int cmd_fd;
	int ack_fd;
};

/* 0 or -errno. */
int mlpt_child_start(struct mlpt_child *c, mlpt_step_fn fn, void *arg);
/* The step's return value (0 or -errno), or -EPIPE when the child died. */
int mlpt_child_step(struct mlpt_child *c, int step);
void mlpt_child_stop(struct mlpt_child *c);

/*
 * Run step 1 of @c, which maps and touches the @n touches of @t, and check
 * the report of @c after it: exactly @before plus @t (mlpt_expect_touch()),
 * with @tables[level] new tables as the caller worked them out (none for
 * a level folded in the paging mode in force), the
 * invariants, and VmPTE equal to kernel-pgtables-bytes (the child sleeps).
 * 0, or -1 after a "# " line on stderr saying what differs.
 */
int mlpt_check_step(struct mlpt_child *c, const struct mlpt_report *before,
		    const struct mlpt_touch *t, int n,
		    const unsigned long tables[MLPT_NR_LEVELS],
		    struct mlpt_report *after);

/* Drop to @uid entirely (no capabilities left); 0 or errno. */
int mlpt_become(uid_t uid);
/*
 * A child that sleeps as @uid (0: stays root) until killed, and dies with
 * its parent.  Changing euid resets the dumpable flag, so it is set again
 * as asked: docs/format.md lets the same uid read only a dumpable
 * target.
 * Returns its pid, or -1.
 */
pid_t mlpt_spawn_sleeper(uid_t uid, int dumpable);
/* SIGKILL and wait for @pid. */
void mlpt_reap(pid_t pid);

#endif /* MLPT_LIB_H */
