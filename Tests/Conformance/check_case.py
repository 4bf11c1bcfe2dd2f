#!/usr/bin/env python3
# Copied from the product specification's public tooling (../shared/spec/check_case.py), so a clone anywhere
# runs Merit's conformance cases (Tests/Conformance/cases) with the same comparison rules.
"""Run conformance cases against a Merit binary and compare with their expectations.

  check_case.py CASE_DIR [CASE_DIR ...] -- path/to/merit
  check_case.py --all CASES_DIR -- path/to/merit

A case folder holds data/, rubric.yaml, period, optional args (extra flags, one line),
and either expected.json or expected_exit (+ optional expected_errors, one
'FILE:LINE: COLUMN' prefix a line, each of which must appear in standard error).
Numbers are compared to 1e-6; bands, bonuses, currencies, statuses and ids exactly.
Exit status 0 when every case passes.
"""
import json, os, subprocess, sys
from decimal import Decimal

TOL = 1e-6


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= TOL * max(1.0, abs(float(b)))


def compare(got, exp):
    diffs = []
    for k in ("period", "start", "end"):
        if got.get(k) != exp.get(k):
            diffs.append(f"{k}: got {got.get(k)!r}, expected {exp.get(k)!r}")
    gr, er = got.get("rubric") or {}, exp["rubric"]
    for k in ("id", "version", "sha256"):
        if gr.get(k) != er.get(k):
            diffs.append(f"rubric.{k}: got {gr.get(k)!r}, expected {er.get(k)!r}")
    gids = [e.get("employee_id") for e in got.get("employees", [])]
    eids = [e["employee_id"] for e in exp["employees"]]
    if gids != eids:
        diffs.append(f"employees: got {gids[:8]}{'…' if len(gids) > 8 else ''} ({len(gids)}), expected {eids[:8]}{'…' if len(eids) > 8 else ''} ({len(eids)})")
        return diffs
    for g, e in zip(got["employees"], exp["employees"]):
        who = e["employee_id"]
        for k in ("rated", "band", "currency", "name", "team"):
            if g.get(k) != e.get(k):
                diffs.append(f"{who}.{k}: got {g.get(k)!r}, expected {e.get(k)!r}")
        for k in ("multiplier", "bonus"):
            gv, ev = g.get(k), e.get(k)
            if (gv is None) != (ev is None) or (ev is not None and (Decimal(str(gv)) != Decimal(ev) or (k == "bonus" and str(gv) != ev))):
                diffs.append(f"{who}.{k}: got {gv!r}, expected {ev!r}")
        for k in ("total_exact", "total", "proration"):
            if not close(g.get(k), e.get(k)):
                diffs.append(f"{who}.{k}: got {g.get(k)!r}, expected {e.get(k)!r}")
        gm = {m.get("id"): m for m in g.get("metrics", [])}
        for m in e["metrics"]:
            x = gm.get(m["id"])
            if x is None:
                diffs.append(f"{who}.metrics.{m['id']}: missing"); continue
            if x.get("status") != m["status"] or x.get("n") != m["n"]:
                diffs.append(f"{who}.metrics.{m['id']}: status/n got {x.get('status')}/{x.get('n')}, expected {m['status']}/{m['n']}")
            for k in ("raw", "score", "effective_weight"):
                if not close(x.get(k), m.get(k)):
                    diffs.append(f"{who}.metrics.{m['id']}.{k}: got {x.get(k)!r}, expected {m.get(k)!r}")
        gt = [(t.get("metric"), t.get("module")) for t in g.get("training", [])]
        et = [(t["metric"], t["module"]) for t in e["training"]]
        if gt != et:
            diffs.append(f"{who}.training: got {gt}, expected {et}")
        else:
            for t, u in zip(g.get("training", []), e["training"]):
                if not close(t.get("priority"), u.get("priority")):
                    diffs.append(f"{who}.training.{u['metric']}.priority: got {t.get('priority')!r}, expected {u.get('priority')!r}")
    gw = sorted((w.get("file"), w.get("line")) for w in got.get("warnings", []) if w.get("line") is not None)
    ew = sorted((w["file"], w["line"]) for w in exp.get("warnings", []) if w.get("line") is not None)
    if gw != ew:
        diffs.append(f"warnings (file, line): got {gw[:6]}, expected {ew[:6]}")
    return diffs


def run_case(case, cmd):
    period = open(os.path.join(case, "period")).read().strip()
    extra = open(os.path.join(case, "args")).read().split() if os.path.exists(os.path.join(case, "args")) else []
    argv = cmd + ["evaluate", "--data", os.path.join(case, "data"), "--rubric", os.path.join(case, "rubric.yaml"),
                  "--period", period, "--format", "json"] + extra
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    except Exception as ex:  # noqa: BLE001 - report any failure to start
        return [f"could not run {argv[0]}: {ex}"]
    exp_exit = os.path.join(case, "expected_exit")
    if os.path.exists(exp_exit):
        want = int(open(exp_exit).read().strip())
        diffs = [] if p.returncode == want else [f"exit: got {p.returncode}, expected {want}; stderr: {p.stderr.strip()[:300]}"]
        if p.stdout.strip() and want != 0:
            diffs.append("printed a document on standard output although the input is bad")
        errs = os.path.join(case, "expected_errors")
        if os.path.exists(errs):
            for line in open(errs, encoding="utf-8").read().splitlines():
                if line.strip() and line.strip() not in p.stderr:
                    diffs.append(f"stderr lacks {line.strip()!r}")
        return diffs
    if p.returncode != 0:
        return [f"exit {p.returncode}: {p.stderr.strip()[:300]}"]
    try:
        got = json.loads(p.stdout)
    except json.JSONDecodeError as ex:
        return [f"standard output is not JSON ({ex}): {p.stdout[:200]!r}"]
    return compare(got, json.load(open(os.path.join(case, "expected.json"), encoding="utf-8")))


def main(argv):
    if "--" not in argv:
        print(__doc__); return 64
    i = argv.index("--"); cases, cmd = argv[:i], argv[i + 1:]
    if cases and cases[0] == "--all":
        root = cases[1]
        cases = sorted(os.path.join(root, d) for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "period")))
    failed = 0
    for c in cases:
        diffs = run_case(c, cmd)
        name = os.path.basename(c.rstrip("/"))
        if diffs:
            failed += 1
            print(f"FAIL {name}: " + "; ".join(diffs[:5]) + (f" (+{len(diffs) - 5} more)" if len(diffs) > 5 else ""))
        else:
            print(f"ok   {name}")
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
