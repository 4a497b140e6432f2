#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# capture-layout.sh [NAME...]: start real programs on this Debian machine
# and write, for each, the layout mlpt-bench replays: bench/layouts/
# NAME.layout.  Run by hand, as root (pagemap), never by make bench.
# NAME is one of systemd, sshd, python3, java, postgres (which writes
# postgres.layout for the postmaster and pg-backend.layout for a
# backend); none: all of them.  Installs with apt what is missing.
#
# A layout holds, of each VMA, only its address, size, protection,
# private/shared, anonymous/file kind and which of its pages are
# present: nothing else of the process, no paths, no contents.
# One line per VMA, numbers in hex:
#   START SIZE PERMS KIND RUN...
# PERMS as in /proc/<pid>/maps ("r-xp"; s: shared), KIND a (no inode:
# anonymous, the stack, the heap, vdso) or f (a file, shmem included),
# each RUN "OFFSET+COUNT": COUNT present pages from page OFFSET of the
# VMA (pagemap bit 63).  The process is stopped while it is read, so the
# maps and pagemap agree.  [vsyscall] is no VMA of the process and is
# left out.  A VMA mapped by THP makes the capture fail: the replay maps
# 4 KiB pages only.
set -eu
# shellcheck source=SCRIPTDIR/../scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"

layouts=$MLPT_SRC/bench/layouts
port_ssh=22022
port_pg=25432

[ "$(id -u)" = 0 ] || die "capture-layout: run as root (pagemap, users)"

tmp=$(mktemp -d)
chmod 0755 "$tmp"
started=()
cgroups=()
cleanup() {
	local pid cg i
	for pid in "${started[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	# 10 s to exit, then SIGKILL.
	for pid in "${started[@]}"; do
		for i in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || continue 2
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	for cg in "${cgroups[@]}"; do
		[ ! -d "$cg" ] || find "$cg" -depth -type d -exec rmdir {} +
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# need PACKAGE...: apt-get install the ones missing, saying so.
need() {
	local pkg missing=()
	for pkg in "$@"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	say "capture-layout: installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

# wait_for WHAT CMD...: until CMD succeeds, 60 s at most.
wait_for() {
	local what=$1 i
	shift
	for i in $(seq 300); do
		! "$@" >/dev/null 2>&1 || return 0
		sleep 0.2
	done
	die "capture-layout: $what did not start"
}

# runs PID START PAGES: the runs of present pages of PAGES pages at START.
runs() {
	dd if="/proc/$1/pagemap" bs=1M iflag=skip_bytes,count_bytes \
		skip=$(($2 >> 12 << 3)) count=$(($3 * 8)) status=none |
		od -An -v -w8 -tx8 |
		awk '{ p = $1 ~ /^[89a-f]/ }
		     p && !r { s = NR - 1; r = 1 }
		     !p && r { printf " %x+%x", s, NR - 1 - s; r = 0 }
		     END { if (r) printf " %x+%x", s, NR - s }'
}

# capture PID NAME WHAT: stop PID, write its layout to NAME.layout.
capture() {
	local pid=$1 out=$layouts/$2.layout what=$3 range perms inode
	local start end n=0 pages=0
	kill -STOP "$pid"
	awk '/^(AnonHugePages|ShmemPmdMapped|FilePmdMapped):/ && $2 > 0 { f = 1 }
	     END { exit f }' "/proc/$pid/smaps" ||
		die "capture-layout: $2 has THP mappings, which the replay does not model"
	{
		echo "# mlpt-bench layout: $what"
		echo "# captured $(date -u +%F) on Linux $(uname -r) $(uname -m) by bench/capture-layout.sh"
		echo "# START SIZE PERMS KIND RUN... (hex; RUN: OFFSET+COUNT present pages)"
		# shellcheck disable=SC2034 # offset and device are read past
		while read -r range perms offset dev inode _; do
			start=$((16#${range%-*}))
			end=$((16#${range#*-}))
			# [vsyscall]: above the top bit, negative here.
			[ "$start" -ge 0 ] || continue
			printf '%x %x %s %s' "$start" $((end - start)) "$perms" \
				"$([ "$inode" = 0 ] && echo a || echo f)"
			runs "$pid" "$start" $(((end - start) / 4096))
			echo
			n=$((n + 1))
		done <"/proc/$pid/maps"
	} >"$out.tmp"
	kill -CONT "$pid"
	mv "$out.tmp" "$out"
	while read -r range; do
		pages=$((pages + 16#${range#+}))
	done < <(grep -v '^#' "$out" | grep -o '+[0-9a-f]*')
	say "capture-layout: $out: $n VMAs, $pages present pages"
}

# start CMD...: run CMD in the background, its pid in $pid.
start() {
	"$@" >"$tmp/log.${#started[@]}" 2>&1 &
	pid=$!
	started+=("$pid")
}

capture_systemd() {
	local home=$tmp/systemd cg
	need systemd util-linux
	# PID 1 of this machine is not systemd: run the same binary as a user
	# manager (systemd --user), which wants /run/systemd/system (here in
	# a mount namespace of its own) and a cgroup delegated to its user.
	mkdir -p "$home"
	chown nobody "$home"
	for cg in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd /sys/fs/cgroup; do
		if [ -w "$cg/cgroup.procs" ] && [ ! -d "$cg/mlpt-capture" ]; then
			mkdir "$cg/mlpt-capture"
			chown -R nobody "$cg/mlpt-capture"
			cgroups+=("$cg/mlpt-capture")
		fi
	done
	# shellcheck disable=SC2016 # expanded by the inner shell
	start unshare -m --propagation private bash -c '
		for cg in "$@"; do echo $$ >"$cg/cgroup.procs"; done
		mkdir -p /run/systemd
		mount -t tmpfs tmpfs /run/systemd
		mkdir /run/systemd/system
		exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
			env HOME="$0" XDG_RUNTIME_DIR="$0" /lib/systemd/systemd --user
	' "$home" "${cgroups[@]}"
	wait_for "systemd --user" test -S "$home/systemd/private"
	capture "$pid" systemd \
		"systemd $(systemctl --version | sed -n '1s/^systemd //p'), the user manager (systemd --user)"
}

capture_sshd() {
	need openssh-server
	mkdir -p /run/sshd
	start /usr/sbin/sshd -D -p "$port_ssh" -o ListenAddress=127.0.0.1 \
		-o PidFile=none
	wait_for sshd sh -c "ss -ltn | grep -q '127.0.0.1:$port_ssh '"
	capture "$pid" sshd "sshd ($(dpkg-query -W -f '${Version}' openssh-server)), listening, no connection"
}

capture_python3() {
	need python3
	start python3 -c '
import asyncio, decimal, email, http.server, json, re, sqlite3, ssl, sys
import time, xml.etree.ElementTree
open(sys.argv[1], "w").close()
time.sleep(3600)
' "$tmp/python.ready"
	wait_for python3 test -e "$tmp/python.ready"
	capture "$pid" python3 "$(python3 --version) importing asyncio, decimal, email, http.server, json, re, sqlite3, ssl, xml, sleeping"
}

capture_java() {
	local java=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
	need openjdk-17-jre-headless
	cat >"$tmp/Sleep.java" <<-'EOF'
	public class Sleep {
		public static void main(String[] args) throws Exception {
			new java.io.File(args[0]).createNewFile();
			Thread.sleep(3600 * 1000);
		}
	}
	EOF
	start "$java" "$tmp/Sleep.java" "$tmp/java.ready"
	wait_for java test -e "$tmp/java.ready"
	capture "$pid" java "OpenJDK 17 ($("$java" -version 2>&1 | sed -n 2p)) running a one-file source program that sleeps, default options"
}

# Run as the user postgres: a command, not a function, so that start
# gets the pid of the program itself.
as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups env LC_ALL=C)

# The backend of session 1, once it sleeps: done with its table.
pg_backend() {
	"${as_postgres[@]}" psql -h "$tmp/pg" -p "$port_pg" -d postgres -Atc \
		"select pid from pg_stat_activity
		 where query like '%from t1 where%' and wait_event = 'PgSleep'" |
		grep .
}

capture_postgres() {
	local bin=/usr/lib/postgresql/15/bin data=$tmp/pg i postmaster
	need postgresql-15 postgresql-client-15
	mkdir -p "$data"
	chown postgres "$data"
	"${as_postgres[@]}" "$bin/initdb" -D "$data/db" -A trust >/dev/null
	start "${as_postgres[@]}" "$bin/postgres" -D "$data/db" -p "$port_pg" \
		-k "$data" -c listen_addresses=
	postmaster=$pid
	wait_for postgres "${as_postgres[@]}" "$bin/pg_isready" -q -h "$data" -p "$port_pg"
	for i in 1 2 3; do
		start "${as_postgres[@]}" psql -h "$data" -p "$port_pg" -d postgres -qc \
			"create temp table t$i as select g, md5(g::text) from generate_series(1, 20000) g;
			 select count(*) from t$i where md5 like 'a%'; select pg_sleep(3600)"
	done
	wait_for "a postgres backend" pg_backend
	capture "$(pg_backend)" pg-backend "a PostgreSQL 15 backend (of 3) that made and scanned a temporary table of 20000 rows, in pg_sleep()"
	capture "$postmaster" postgres \
		"the PostgreSQL 15 postmaster, default configuration, 3 backends connected"
	# Fast shutdown: a smart one waits for the sleeping backends.
	kill -INT "$postmaster"
}

mkdir -p "$layouts"
[ $# -gt 0 ] || set -- systemd sshd python3 java postgres
for name in "$@"; do
	case $name in
	systemd | sshd | python3 | java | postgres) "capture_$name" ;;
	*) die "capture-layout: $name: not one of systemd sshd python3 java postgres" ;;
	esac
done
