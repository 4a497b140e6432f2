// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of the mlpt tool: run from userspace/tests/ by
 * "make test".  Prints TAP and ends with "N passed, N failed".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tap.h"

static unsigned int passed, failed, skipped;

static void vresult(bool cond, const char *fmt, va_list ap)
{
	printf("%sok %u - ", cond ? "" : "not ", passed + failed + skipped + 1);
	vprintf(fmt, ap);
	printf("\n");
	if (cond)
		passed++;
	else
		failed++;
}

void tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vresult(cond, fmt, ap);
	va_end(ap);
}

void tap_eq(u64 got, u64 want, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vresult(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		printf("#   got %llu, want %llu\n", (unsigned long long)got,
		       (unsigned long long)want);
}

void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	skipped++;
	printf("ok %u - ", passed + failed + skipped);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
}

int tap_done(void)
{
	printf("1..%u\n", passed + failed + skipped);
	printf("%u passed, %u failed", passed, failed);
	if (skipped)
		printf(", %u skipped", skipped);
	printf("\n");
	return failed ? 1 : 0;
}

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc(n + 1);
	if (s && fread(s, 1, n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(f);
	if (s) {
		s[n] = '\0';
		*len = n;
	}
	return s;
}

int pipe_to(const char *cmd, const char *in, size_t len)
{
	FILE *p = popen(cmd, "w");
	int st;

	if (!p)
		return -1;
	fwrite(in, 1, len, p);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

const char *const fmt_name[] = {
	[MLPT_FMT_TEXT] = "text", [MLPT_FMT_JSON] = "JSON",
	[MLPT_FMT_CSV] = "CSV", [MLPT_FMT_PROM] = "Prometheus",
};

const char *parsed_elsewhere(enum mlpt_fmt fmt, const char *s, size_t len)
{
	static const char *const parser[] = {
		[MLPT_FMT_JSON] = "python3 ./parse-output.py json",
		[MLPT_FMT_CSV] = "python3 ./parse-output.py csv",
		[MLPT_FMT_PROM] = "promtool check metrics >/dev/null 2>&1",
	};
	const char *err = NULL;

	if (fmt == MLPT_FMT_JSON)
		err = json_check(s, len);
	if (fmt == MLPT_FMT_PROM)
		err = prom_check(s, len);
	if (!err && pipe_to(parser[fmt], s, len))
		err = parser[fmt];
	return err;
}

int main(void)
{
	printf("TAP version 13\n");
	test_model();
	test_parse();
	test_output();
	test_cli();
	test_lab();
	test_compat();
	test_shared();
	test_waste();
	test_diff();
	test_paging();
	return tap_done();
}
