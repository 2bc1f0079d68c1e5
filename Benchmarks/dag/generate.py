#!/usr/bin/env python3
"""Writes the same 1,000-step DAG of `true` steps for flow, make and ninja.

Usage: generate.py OUT_DIR [N]
Shapes: independent (N steps, no edges) and chain (step i needs step i-1).
"""
import os
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
os.makedirs(out, exist_ok=True)

for shape in ("independent", "chain"):
    with open(f"{out}/{shape}.yaml", "w") as f:
        f.write(f"name: dag-{shape}\nconcurrency: 2\nsteps:\n")
        for i in range(n):
            needs = f", needs: [s{i-1}]" if shape == "chain" and i > 0 else ""
            f.write(f"  s{i}: {{ run: \"true\"{needs} }}\n")
    with open(f"{out}/{shape}.mk", "w") as f:
        f.write(".PHONY: all " + " ".join(f"s{i}" for i in range(n)) + "\n")
        f.write("all: " + " ".join(f"s{i}" for i in range(n)) + "\n")
        for i in range(n):
            dep = f" s{i-1}" if shape == "chain" and i > 0 else ""
            f.write(f"s{i}:{dep}\n\t@true\n")
    with open(f"{out}/{shape}.ninja", "w") as f:
        f.write("rule t\n  command = true\n")
        for i in range(n):
            dep = f" | s{i-1}" if shape == "chain" and i > 0 else ""
            f.write(f"build s{i}: t{dep}\n")
        f.write("build all: phony " + " ".join(f"s{i}" for i in range(n)) + "\ndefault all\n")
