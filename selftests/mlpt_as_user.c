// SPDX-License-Identifier: GPL-2.0
/*
 * mlpt-as-user UID CMD [ARGS...]: run CMD as UID (group UID, no
 * supplementary groups), as a user without privileges would.  The guest's
 * busybox has no su that works without a password database, and its
 * setpriv cannot change ids.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long uid;

	if (argc < 3) {
		fprintf(stderr, "usage: mlpt-as-user UID CMD [ARGS...]\n");
		return 2;
	}
	uid = strtol(argv[1], &end, 10);
	if (*end || uid <= 0) {
		fprintf(stderr, "mlpt-as-user: %s: not a user id above 0\n",
			argv[1]);
		return 2;
	}
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
		perror("mlpt-as-user: dropping privileges");
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "mlpt-as-user: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
