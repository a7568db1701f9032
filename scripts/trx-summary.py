#!/usr/bin/env python3
"""Sums up TRX test result files (VSTest's trx logger or xunit's own TRX report).

    trx-summary.py PATH...      PATH: a .trx file, or a folder searched recursively for *.trx

Prints one line per file, the failed tests (with the first line of their message), and as the
very last line `N passed, N failed, N skipped`. Exit code: 0 when every file parsed (whatever
the test outcomes), 2 when a file could not be read or no TRX file was found.
Standard library only.
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

FAILED = {"Failed", "Error", "Timeout", "Aborted"}
SKIPPED = {"NotExecuted", "Inconclusive", "NotRunnable", "Pending", "Disconnected"}


def local(tag):
    return tag.rsplit("}", 1)[-1]


def first_line(text, limit=200):
    for line in (text or "").strip().splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


def summarize(path):
    root = ET.parse(path).getroot()
    results = [e for e in root.iter() if local(e.tag) == "UnitTestResult"]
    counters = next((e for e in root.iter() if local(e.tag) == "Counters"), None)

    def c(name):
        return int(counters.get(name, "0") or 0) if counters is not None else 0

    by_outcome = {}
    for r in results:
        by_outcome[r.get("outcome", "")] = by_outcome.get(r.get("outcome", ""), 0) + 1
    r_passed = by_outcome.get("Passed", 0)
    r_failed = sum(by_outcome.get(o, 0) for o in FAILED)
    r_skipped = sum(by_outcome.get(o, 0) for o in SKIPPED)

    if counters is not None:
        passed = c("passed")
        failed = max(c("failed") + c("error") + c("timeout") + c("aborted"), r_failed)
        # VSTest's xunit adapter reports skips as NotExecuted results but leaves
        # Counters/@notExecuted at 0; xunit's own TRX report fills both.
        skipped = max(c("notExecuted"), r_skipped)
    else:
        passed, failed, skipped = r_passed, r_failed, r_skipped

    failures = []
    for r in results:
        if r.get("outcome") in FAILED:
            msg = ""
            for e in r.iter():
                if local(e.tag) == "Message":
                    msg = first_line(e.text)
                    break
            failures.append((r.get("testName", "?"), r.get("outcome"), msg))

    # Run-level errors (test host crash, adapter failure) live in ResultSummary/RunInfos.
    run_errors = []
    for e in root.iter():
        if local(e.tag) == "RunInfo" and e.get("outcome") in ("Error", "Failed"):
            text = next((t.text for t in e.iter() if local(t.tag) == "Text"), "")
            run_errors.append(first_line(text))
    summary = next((e for e in root.iter() if local(e.tag) == "ResultSummary"), None)
    outcome = summary.get("outcome", "?") if summary is not None else "?"
    return passed, failed, skipped, failures, run_errors, outcome


def main(argv):
    files = []
    for arg in argv:
        p = Path(arg)
        if p.is_dir():
            files.extend(sorted(p.rglob("*.trx")))
        elif p.is_file():
            files.append(p)
    status = 0
    if not files:
        print("trx-summary: no .trx files found in: " + " ".join(argv), file=sys.stderr)
        status = 2
    tp = tf = ts = 0
    all_failures = []
    for f in files:
        try:
            p, fl, s, failures, run_errors, outcome = summarize(f)
        except (ET.ParseError, OSError, ValueError) as ex:
            print(f"{f.name}: UNREADABLE ({ex})")
            status = 2
            continue
        tp, tf, ts = tp + p, tf + fl, ts + s
        print(f"{f.stem}: passed {p}, failed {fl}, skipped {s} (run outcome {outcome})")
        # RunInfos also echo ordinary [FAIL] lines; they matter only when no test explains the failure.
        if not failures and outcome not in ("Completed", "Passed"):
            for err in run_errors[:5]:
                print(f"  run error: {err}")
        all_failures.extend((f.stem, *x) for x in failures)
    if all_failures:
        print("Failed tests:")
        for project, name, outcome, msg in all_failures:
            extra = f" [{outcome}]" if outcome != "Failed" else ""
            print(f"  {project}: {name}{extra}" + (f" -- {msg}" if msg else ""))
    print(f"{tp} passed, {tf} failed, {ts} skipped")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
