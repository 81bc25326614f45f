#!/usr/bin/env python3
"""Lists the mutants of a Stryker JSON report that no test killed: file:line, status, mutator and replacement.
Usage: tools/mutation/survivors.py [REPORT]   (default: the newest artifacts/mutation/**/mutation-report.json)"""
import glob, json, os, sys

paths = sys.argv[1:] or [max(glob.glob("artifacts/mutation/**/mutation-report.json", recursive=True), key=os.path.getmtime)]
report = json.load(open(paths[0]))
for path, f in sorted(report["files"].items()):
    for m in sorted(f["mutants"], key=lambda m: (m["location"]["start"]["line"], m["location"]["start"]["column"])):
        if m["status"] in ("Survived", "NoCoverage"):
            line = m["location"]["start"]["line"]
            replacement = " ".join(m.get("replacement", "").split())[:100]
            print(f"{os.path.basename(path)}:{line} {m['status']:<10} {m['mutatorName']:<28} {replacement}")
