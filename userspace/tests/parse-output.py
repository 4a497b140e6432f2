#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse mlpt's machine output on stdin with Python's own parsers.

  parse-output.py json           one JSON document
  parse-output.py json-lines N   JSON Lines: at least N documents, each
                                 with a "time" key
  parse-output.py csv            one CSV table, every row as wide as the
                                 header
  parse-output.py csv-watch N    the same with a first column "time", the
                                 header once, rows of at least N refreshes

Exits 0 when the input parses and holds what the mode says; otherwise
says why on stderr and exits 1.  The C tests pipe the tool's output here
so that an independent parser, not the tool's own code, judges it.
"""
import csv
import json
import sys


def fail(why):
    sys.stderr.write("parse-output: %s\n" % why)
    sys.exit(1)


def table(text):
    rows = list(csv.reader(text.splitlines(keepends=True), strict=True))
    if not rows:
        fail("no CSV header")
    for i, row in enumerate(rows[1:], 2):
        if len(row) != len(rows[0]):
            fail("record %d has %d fields, the header %d"
                 % (i, len(row), len(rows[0])))
    return rows


def main():
    text = sys.stdin.read()
    mode = sys.argv[1]
    want = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    if mode == "json":
        json.loads(text)
    elif mode == "json-lines":
        lines = text.split("\n")
        if lines[-1] != "":
            fail("the last line is not ended")
        docs = [json.loads(line) for line in lines[:-1]]
        if len(docs) < want:
            fail("%d documents, want at least %d" % (len(docs), want))
        if not all(isinstance(d, dict) and "time" in d for d in docs):
            fail("a document without \"time\"")
    elif mode == "csv":
        table(text)
    elif mode == "csv-watch":
        rows = table(text)
        if rows[0][0] != "time":
            fail("the first column is %r, not time" % rows[0][0])
        if any(row == rows[0] for row in rows[1:]):
            fail("the header repeats")
        times = {row[0] for row in rows[1:]}
        if len(times) < want:
            fail("%d refreshes, want at least %d" % (len(times), want))
    else:
        fail("unknown mode %s" % mode)


if __name__ == "__main__":
    try:
        main()
    except (ValueError, csv.Error) as err:
        fail(str(err))
