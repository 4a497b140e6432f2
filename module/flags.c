// SPDX-License-Identifier: GPL-2.0
/*
 * Each architecture's names for the bits of a page-table entry, as its
 * manual calls them, for the `translate` report (docs/format.md).
 */
#include <linux/kernel.h>
#include <linux/mm.h>

#include "translate.h"

struct mlpt_bit_name {
	u64 bit;
	const char *name;
};

/* Append the name of each bit of @names set in @e to @buf at @len. */
static size_t mlpt_add_names(char *buf, size_t size, size_t len, u64 e,
			     const struct mlpt_bit_name *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i].bit && (e & names[i].bit))
			len += scnprintf(buf + len, size - len, "%s%s",
					 len ? " " : "", names[i].name);
	return len;
}

#if defined(CONFIG_X86_64)

/*
 * Protection keys live in bits 59-62 of leaf entries and mean something
 * only when the OS enabled them.
 */
size_t mlpt_entry_flags(char *buf, size_t size, u64 e, enum mlpt_level level,
			bool leaf)
{
	static const struct mlpt_bit_name names[] = {
		{ _PAGE_PRESENT, "P" }, { _PAGE_RW, "RW" }, { _PAGE_USER, "US" },
		{ _PAGE_ACCESSED, "A" }, { _PAGE_DIRTY, "D" },
		{ _PAGE_PSE, "PS" }, { _PAGE_GLOBAL, "G" }, { _PAGE_NX, "NX" },
	};
	size_t len = mlpt_add_names(buf, size, 0, e, names,
				    ARRAY_SIZE(names));

	if (leaf && cpu_feature_enabled(X86_FEATURE_OSPKE))
		len += scnprintf(buf + len, size - len, "%sPK%llu",
				 len ? " " : "",
				 (e & _PAGE_PKEY_MASK) >> _PAGE_BIT_PKEY_BIT0);
	return len;
}

#elif defined(CONFIG_ARM64)

/*
 * VMSAv8-64 descriptors.  Bit 1 tells a table from a block above the last
 * level and marks a page at the last.  A table descriptor's attributes
 * are the hierarchical ones in bits 59-60; a block's or page's are AF,
 * AP[2:1] (shown as AP=<AP[2]><AP[1]> on a valid entry), nG, DBM (Linux's write bit),
 * the contiguous hint and the execute-never bits.  An invalid entry (a
 * swap or migration entry) is named as a page, for what its bits are.
 */
size_t mlpt_entry_flags(char *buf, size_t size, u64 e, enum mlpt_level level,
			bool leaf)
{
	static const struct mlpt_bit_name table[] = {
		{ BIT_ULL(59), "PXNTable" }, { BIT_ULL(60), "UXNTable" },
	};
	static const struct mlpt_bit_name block[] = {
		{ PTE_AF, "AF" },
	};
	static const struct mlpt_bit_name attrs[] = {
		{ PTE_NG, "nG" }, { PTE_DBM, "DBM" }, { PTE_CONT, "CONT" },
		{ PTE_PXN, "PXN" }, { PTE_UXN, "UXN" },
	};
	bool valid = e & PTE_VALID;
	bool bit1 = e & PTE_TABLE_BIT;
	size_t len = 0;

	if (valid)
		len = scnprintf(buf, size, "V");
	if (valid && level != MLPT_PTE && bit1) {
		len += scnprintf(buf + len, size - len, " TABLE");
		return mlpt_add_names(buf, size, len, e, table,
				      ARRAY_SIZE(table));
	}
	if (valid)
		len += scnprintf(buf + len, size - len, " %s",
				 level == MLPT_PTE ? (bit1 ? "PAGE" : "RES") :
						     "BLOCK");
	len = mlpt_add_names(buf, size, len, e, block, ARRAY_SIZE(block));
	if (valid)
		len += scnprintf(buf + len, size - len, " AP=%d%d",
				 !!(e & PTE_RDONLY), !!(e & PTE_USER));
	return mlpt_add_names(buf, size, len, e, attrs, ARRAY_SIZE(attrs));
}

#elif defined(CONFIG_RISCV) && defined(CONFIG_64BIT)

/*
 * Sv39/Sv48/Sv57 entries, the same at every level: V, then R W X (all
 * clear in an entry that points to the next table), U G A D.  Above them
 * two extensions own bits the privileged spec fixes whatever the kernel
 * does with them: Svnapot's N (bit 63, a pte in a naturally aligned
 * power-of-two range, 64 KiB for Linux's hugetlb) and Svpbmt's PBMT
 * (bits 61-62: 1 non-cacheable, 2 I/O, 3 reserved), named here by bit
 * rather than by kernel macros that older kernels lack.  An invalid entry
 * (swap, migration, PROT_NONE) is named for the bits it has: Linux keeps
 * PROT_NONE pages in entries with V clear and G set.
 */
size_t mlpt_entry_flags(char *buf, size_t size, u64 e, enum mlpt_level level,
			bool leaf)
{
	static const struct mlpt_bit_name names[] = {
		{ _PAGE_PRESENT, "V" }, { _PAGE_READ, "R" },
		{ _PAGE_WRITE, "W" }, { _PAGE_EXEC, "X" },
		{ _PAGE_USER, "U" }, { _PAGE_GLOBAL, "G" },
		{ _PAGE_ACCESSED, "A" }, { _PAGE_DIRTY, "D" },
		{ BIT_ULL(63), "N" },
	};
	static const char *const pbmt[] = { NULL, "NC", "IO", "3" };
	size_t len = mlpt_add_names(buf, size, 0, e, names,
				    ARRAY_SIZE(names));
	unsigned int mt = (e >> 61) & 3;

	if (mt)
		len += scnprintf(buf + len, size - len, "%sPBMT=%s",
				 len ? " " : "", pbmt[mt]);
	return len;
}

#else
#error "mlpt: no entry flag names for this architecture (docs/architectures.md)"
#endif
