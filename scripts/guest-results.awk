# SPDX-License-Identifier: GPL-2.0
#
# guest-results.awk: turn one guest console log (scripts/guest-init.sh's
# MLPT-* markers around the tests' own kselftest TAP) into result records
#	STATUS<TAB>NAME<TAB>DETAIL
# with STATUS ok, fail or skip, for scripts/check.sh to number and print.
#
#   awk -v levels=5 -v timeout=300 -f guest-results.awk LOG
#
# levels is the paging the boot must run (lib.sh kernel_paging_levels);
# timeout the per-test limit the guest used (busybox timeout kills with
# SIGTERM: exit 143).
# A test's TAP is trusted for what it reports; its exit code and plan
# catch what it cannot report: a crash, a hang, a test that never ran.
# A failure's detail is the diagnostics ("# ..." lines) printed since the
# previous result, less the harness's RUN/OK/FAIL banners.

function emit(status, name, detail) {
	printf "%s\t%s\t%s\n", status, name, detail
}

# The last "key=value" word of the line for key.
function field(key,	i, n, w) {
	n = split($0, w, " ")
	for (i = n; i > 0; i--)
		if (index(w[i], key "=") == 1)
			return substr(w[i], length(key) + 2)
	return ""
}

function test_end(rc, secs,	detail) {
	if (rc >= 128) {
		if (rc == 143 && secs >= timeout)
			detail = "timed out after " secs "s"
		else
			detail = "killed by signal " (rc - 128)
		emit("fail", test ": exit", detail)
	} else if (results == 0) {
		# Exit 0 alone proves nothing ran: only an explicit skip,
		# KSFT_SKIP or TAP's "1..0 # SKIP why", is not a failure.
		if (rc == 4)
			emit("skip", test, "exit 4 (KSFT_SKIP), no TAP output")
		else if (rc == 0 && plan == 0 && skip_all != "")
			emit("skip", test, skip_all)
		else
			emit("fail", test, "exit " rc ", no TAP output")
	} else if (rc != 0 && rc != 4 && failures == 0) {
		emit("fail", test ": exit", "exit " rc " although every reported test passed")
	}
	if (plan > results)
		emit("fail", test ": plan", results " of " plan " planned results reported")
	test = ""
}

{ sub(/\r+$/, "") }

/^MLPT-CHECK / {
	rc = field("rc")
	name = $0
	sub(/^MLPT-CHECK /, "", name)
	sub(/ rc=[0-9]+$/, "", name)
	emit(rc == 0 ? "ok" : "fail", name, "exit " rc)
	next
}

/^MLPT-PAGING / {
	cpu = field("cpuinfo")
	mod = field("mlpt")
	emit(cpu == levels ? "ok" : "fail", "paging: CPU flags show " levels "-level",
	     "the CPU says " cpu "-level (x86-64: la57 flag; arm64: LPA2 boot message)")
	emit(mod == levels ? "ok" : "fail", "paging: /proc/mlpt/self paging-levels is " levels,
	     "module says " mod)
	next
}

/^MLPT-TEST-BEGIN / {
	test = $2
	results = failures = 0
	plan = -1
	skip_all = ""
	notes = ""
	next
}

/^MLPT-TEST-END / {
	test_end(field("rc") + 0, field("secs") + 0)
	next
}

test != "" && /^1\.\.[0-9]+/ {
	plan = substr($1, 4) + 0
	if (match($0, /# *[Ss][Kk][Ii][Pp]/)) {
		skip_all = substr($0, RSTART + RLENGTH)
		sub(/^ +/, "", skip_all)
		if (skip_all == "")
			skip_all = "1..0 # SKIP, no reason given"
	}
	next
}

test != "" && /^# / && !/^# +(RUN|OK|FAIL|SKIP) / && !/^# Starting / {
	notes = notes (notes == "" ? "" : " | ") substr($0, 3)
	next
}

# "ok 3 name # SKIP why" / "not ok 4 - name": the number is the test's
# own and is dropped; the check.sh numbering covers the whole run.
test != "" && /^(not )?ok [0-9]+/ {
	line = $0
	status = "ok"
	if (sub(/^not /, "", line)) {
		status = "fail"
		failures++
	}
	sub(/^ok [0-9]+( - )? */, "", line)
	detail = ""
	if (match(line, / *# */)) {
		detail = substr(line, RSTART + RLENGTH)
		line = substr(line, 1, RSTART - 1)
		if (toupper(substr(detail, 1, 4)) == "SKIP") {
			status = "skip"
			sub(/^[Ss][Kk][Ii][Pp] */, "", detail)
		}
	}
	if (status == "fail" && detail == "")
		detail = notes
	notes = ""
	results++
	emit(status, test ": " line, detail)
	next
}

END {
	if (test != "")
		emit("fail", test, "guest stopped during the test (no MLPT-TEST-END)")
}
