"""Reference values for mann-whitney.test.ts, computed offline with SciPy.

Run with Debian's python3-scipy (1.10.1):  /usr/bin/python3 test/unit/analysis/judge/mann-whitney-reference.py
The test suite never runs this file; its printed output is pasted into mann-whitney.test.ts.
"""
import json
from scipy.stats import mannwhitneyu, norm


def series(n, scale, offset, mod=7):
    # deterministic, tie-free-ish samples: the same formula is written in the TypeScript test
    return [offset + scale * (((i * 37) % 101) / 101 + ((i * i) % mod) / 1000) for i in range(n)]


def zero_heavy(n, every, value):
    # an error-rate like sample: mostly 0 with a value every `every` points (many ties)
    return [value if i % every == 0 else 0.0 for i in range(n)]


CASES = {
    "scipy-docs": ([19, 22, 16, 29, 24], [20, 11, 17, 12]),
    "tiny": ([1, 2], [3, 4]),
    "ties-small": ([1, 2, 2, 3], [2, 3, 3, 4, 5]),
    "series-30": (series(30, 1.0, 0.1), series(30, 1.0, 0.0)),
    "series-12-9": (series(12, 2.0, 0.5, 5), series(9, 2.0, 0.0, 3)),
    "exact-8-20": (series(8, 1.0, 0.3), series(20, 1.0, 0.0, 11)),
    "errors-20": (zero_heavy(20, 2, 0.08), zero_heavy(20, 5, 0.002)),
    "all-tied": ([0.0] * 10, [0.0] * 12),
}

out = {}
for name, (x, y) in CASES.items():
    row = {}
    for alt in ("two-sided", "greater", "less"):
        for method in ("auto", "asymptotic") + (("exact",) if name in ("scipy-docs", "tiny", "exact-8-20") else ()):
            r = mannwhitneyu(x, y, alternative=alt, method=method)
            row[f"{alt}/{method}"] = [float(r.statistic), float(r.pvalue)]
    out[name] = row

out["norm.sf"] = {str(z): float(norm.sf(z)) for z in (-3.0, -0.5, 0.0, 0.3, 1.0, 1.959963984540054, 2.5, 2.8, 3.5, 5.0, 8.0, 12.0, 30.0)}
for name, row in out.items():
    print(json.dumps(name) + ": " + json.dumps(row) + ",")
