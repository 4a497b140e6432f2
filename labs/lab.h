/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every lab shares: a fresh 512 GiB slot to work in, the tables a
 * step added, and the "measured vs predicted" lines with their verdict.
 */
#ifndef MLPT_LAB_H
#define MLPT_LAB_H

#include <stdbool.h>
#include <sys/types.h>

#include "mlpt_lib.h"

#define LAB_KIB 1024UL
#define LAB_MIB (1024 * LAB_KIB)

/*
 * Exit codes: mlpt lab NAME runs the lab in its place, so a lab that
 * cannot run uses mlpt's codes (mlpt(1), EXIT STATUS); 1 is also what a
 * disagreement gives, which prints its table where a failure prints none.
 */
#define LAB_EXIT_DIFFER 1	/* a measured figure is not the predicted one */
#define LAB_EXIT_FAIL 1		/* could not run: mmap, fork, a file ... */
#define LAB_EXIT_NOMOD 5	/* could not run: no /proc/mlpt */

/*
 * Exit 5 without the module, else start the lab's output with its title
 * and the question it answers.
 */
void lab_begin(const char *name, const char *question);
/* more of the lab's output (written by lab_end(), after the checks) */
void lab_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* one figure: measured next to predicted; a mismatch fails the lab */
void lab_check(const char *what, long long measured, long long predicted);
/* a figure worked out only (no measurement): printed, never checked */
void lab_note(const char *what, long long value, const char *unit);
/* write the output; exit status: 0 when every check agreed, else 1 */
int lab_end(void);
/* give up: the experiment could not run; nothing on stdout, exit 1 */
void lab_fail(const char *what, int err) __attribute__((noreturn));

/* /proc/mlpt/<pid>, or lab_fail() */
void lab_report(pid_t pid, struct mlpt_report *r);
/* anonymous, not huge unless @advice says so; mapped at @addr, written */
void lab_touch(unsigned long addr, unsigned long bytes, unsigned long step,
	       int advice, int flags);
/*
 * Whether the running kernel was built with @option=y, from
 * /boot/config-$(uname -r); lab_fail() when that cannot be read, since
 * the prediction depends on it.
 */
bool lab_kernel_config(const char *option);
/* tables of @level in @b minus those in @a */
long long lab_delta(const struct mlpt_report *a, const struct mlpt_report *b,
		    enum mlpt_level level, enum mlpt_col col);

#endif
