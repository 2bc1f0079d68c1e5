#!/usr/bin/env python3
"""Expected values of the two-proportion z-test used by `promote` (Tests/FlowStepsTests/Promote).

Independent of our formula: scipy's Pearson chi-square test of the 2x2 table
[[x1, n1 - x1], [x2, n2 - x2]] without Yates' correction, whose statistic equals z squared and
whose p-value equals the two-sided z-test's (the pooled two-proportion z-test is that test).
z takes the sign of p1 - p2.

    pip install scipy==1.17.1 numpy==2.4.6
    python3 Tests/FlowStepsTests/Evaluate/Fixtures/promote/ztest.py > Tests/FlowStepsTests/Evaluate/Fixtures/promote/ztest.json
"""
import json
import math
import sys
from importlib.metadata import version

from scipy.stats import chi2_contingency

PINNED = {"scipy": "1.17.1", "numpy": "2.4.6"}
for package, pinned in PINNED.items():
    if version(package) != pinned:
        sys.exit(f"{package} {version(package)} is installed; the fixtures pin {pinned}")

CASES = [(120, 1000, 150, 1000), (45, 500, 30, 500), (10, 100, 12, 100), (200, 2000, 260, 2100),
         (5, 20, 15, 20), (530, 5000, 480, 5000), (1, 3, 2, 7)]

out = []
for x1, n1, x2, n2 in CASES:
    chi2, p, _, _ = chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]], correction=False)
    z = math.copysign(math.sqrt(chi2), x1 / n1 - x2 / n2)
    out.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": z, "p": float(p)})
json.dump({"generator": "ztest.py", "cases": out}, sys.stdout, indent=1)
sys.stdout.write("\n")
