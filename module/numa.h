/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the tables live: how many tables of each level the walk found on
 * each NUMA node.  The counters are nr_node_ids rows of MLPT_NR_LEVELS,
 * indexed [node][level], allocated once per open file (numa.c): with
 * MAX_NUMNODES up to 1024 they cannot live on the stack.
 */
#ifndef MLPT_NUMA_H
#define MLPT_NUMA_H

#include <linux/mm.h>

#include "walk.h"

unsigned long *mlpt_nodes_alloc(void);
void mlpt_nodes_clear(unsigned long *nodes);
bool mlpt_node_reported(const unsigned long *nodes, int nid);

static inline unsigned long *mlpt_node_row(unsigned long *nodes, int nid)
{
	return nodes + (size_t)nid * MLPT_NR_LEVELS;
}

/*
 * Count one table, given the address of any entry in it.  Every table the
 * walk reaches is in the kernel's linear map (a page, or on arm64 with 52
 * bits a pgd from a slab cache), so virt_to_page() finds its page, and
 * the page's node is the table's: one lookup per table, none per entry.
 */
static inline void mlpt_nodes_count(unsigned long *nodes,
				    enum mlpt_level level, const void *entry)
{
	mlpt_node_row(nodes, page_to_nid(virt_to_page(entry)))[level]++;
}

#endif /* MLPT_NUMA_H */
