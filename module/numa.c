// SPDX-License-Identifier: GPL-2.0
/*
 * The per-node table counters of numa.h: their allocation, and which
 * nodes the report has a row for.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "numa.h"

/* nr_node_ids is fixed at boot: one size for the file's whole life. */
static size_t mlpt_nodes_bytes(void)
{
	return (size_t)nr_node_ids * MLPT_NR_LEVELS * sizeof(unsigned long);
}

/**
 * mlpt_nodes_alloc() - counters for every node that can exist
 *
 * Return: zeroed counters for mlpt_nodes_count(), or NULL; kfree() them.
 */
unsigned long *mlpt_nodes_alloc(void)
{
	return kzalloc(mlpt_nodes_bytes(), GFP_KERNEL);
}

void mlpt_nodes_clear(unsigned long *nodes)
{
	memset(nodes, 0, mlpt_nodes_bytes());
}

/**
 * mlpt_node_reported() - whether node @nid has a row in the report
 * @nodes: the counters of a walk
 * @nid: a node id below nr_node_ids
 *
 * Every node with memory has a row, tables or not, so that the rows of
 * one machine are the same in every report.  A node without memory
 * holds no table; should one be counted there all the same (memory
 * offlined between the walk and the report), the node has a row too,
 * so that the rows always add up to the level table.
 *
 * Return: true if the node gets a row.
 */
bool mlpt_node_reported(const unsigned long *nodes, int nid)
{
	const unsigned long *row = nodes + (size_t)nid * MLPT_NR_LEVELS;
	int level;

	if (node_state(nid, N_MEMORY))
		return true;
	for (level = 0; level < MLPT_NR_LEVELS; level++)
		if (row[level])
			return true;
	return false;
}
