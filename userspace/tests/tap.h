/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small TAP producer: "ok N - name" per check, then the plan and the line
 * "N passed, N failed" that the rig reads.
 */
#ifndef MLPT_TAP_H
#define MLPT_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include "base/kstyle.h"
#include "views/view.h"

void tap_ok(bool cond, const char *fmt, ...)
	__printf(2, 3);
void tap_eq(u64 got, u64 want, const char *fmt, ...)
	__printf(3, 4);
void tap_skip(const char *why, const char *fmt, ...)
	__printf(2, 3);
int tap_done(void);

/* read a whole file into a NUL-terminated malloc'd string, NULL on error */
char *slurp(const char *path, size_t *len);
/* run a shell command with @in on stdin; its exit status, -1 if absent */
int pipe_to(const char *cmd, const char *in, size_t len);

/* the strict checkers: NULL if @s is valid, else what is wrong */
const char *json_check(const char *s, size_t len);
const char *prom_check(const char *s, size_t len);
/*
 * NULL if @s, output in @fmt (JSON, CSV or Prometheus), passes the strict
 * checker above for its format and a parser that is not the tool's
 * (python3's json or csv, promtool); else what refused it
 */
const char *parsed_elsewhere(enum mlpt_fmt fmt, const char *s, size_t len);
/* "text", "JSON", "CSV", "Prometheus", for test names */
extern const char *const fmt_name[];

void test_model(void);
void test_parse(void);
void test_output(void);
void test_cli(void);
void test_lab(void);
void test_compat(void);
void test_shared(void);
void test_diff(void);
void test_waste(void);
void test_paging(void);

#endif
