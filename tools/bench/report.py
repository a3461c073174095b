#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw lines of a secvec benchmark run into figures.

tools/bench/run.sh leaves in the results directory:
  uml.jsonl     kernel/secvec_bench_kunit.c under UML (one thread, native)
  vm.jsonl      kernel/secvec_bench.c in the lab VM (qemu TCG, threads)
  ioctl.jsonl   ioctl/secvec_ioctl_bench in the lab VM
  native.json   native/ on the host's cores (tools/testing/secvec builds it)
  info.json     the machine and the run
and this script writes, into the same directory:
  results.json  the medians, the ratios, the targets and every raw line
  table.md      the markdown tables (also printed)
  plot.dat, plot.gp, plot.png  throughput against threads per workload
With --doc FILE it also replaces FILE's section between the
<!-- bench:begin --> and <!-- bench:end --> lines with the tables.

Every figure is the median over rounds. Ratios are taken between medians
of the same run: the baseline is the spinlock vector (spinvec, or the
pthread spinlock natively) and the floor (an unknown command) for the
ioctl calls.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

IMPLS = ["secvec", "spinvec", "xavec"]
WORKLOADS = ["fill", "drain", "pushpop", "readmostly", "randset", "get"]
WORKLOAD_TEXT = {
    "fill": "fill (push only)",
    "drain": "drain (pop only)",
    "pushpop": "push/pop 50/50",
    "readmostly": "read-mostly 90/5/5",
    "randset": "random set",
    "get": "get (random index)",
    "read": "read (get, random index)",
}
NATIVE_IMPLS = ["secvec", "spinlock", "mutex", "tbb"]
NATIVE_WORKLOADS = ["fill", "drain", "pushpop", "readmostly", "read"]
IOCTL_SINGLE = ["floor", "size", "push", "pop", "get"]
IOCTL_BATCH = ["push_many", "get_range"]


def read_lines(path):
    out = []
    if not path or not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    print("report.py: skipping a bad line: %s" % line[:80],
                          file=sys.stderr)
    return out


def median(xs):
    return statistics.median(xs) if xs else None


def fmt(x, digits=3):
    if x is None:
        return "-"
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    return "%.*f" % (digits - 1 if x >= 1 else digits, x)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    return "-" if r is None else "%.2fx" % r


def kernel_summary(lines):
    """{(workload, threads): {impl: {ns_per_op, mops, rounds, ...}}}"""
    groups = {}
    for m in lines:
        key = (m["workload"], m["threads"])
        groups.setdefault(key, {}).setdefault(m["impl"], []).append(m)
    summary = {}
    for key, by_impl in groups.items():
        summary[key] = {}
        for impl, ms in by_impl.items():
            nspo = [m["ns"] / m["ops"] for m in ms if m["ops"]]
            med = median(nspo)
            summary[key][impl] = {
                "rounds": len(ms),
                "ns_per_op": med,
                "mops": 1e3 / med if med else None,
                "ns_per_op_min": min(nspo) if nspo else None,
                "ns_per_op_max": max(nspo) if nspo else None,
                "errors": sum(m["errors"] for m in ms),
                "cas_retry_per_op": median(
                    [m.get("cas_retry", 0) / m["ops"] for m in ms]),
                "help_per_op": median(
                    [m.get("help", 0) / m["ops"] for m in ms]),
            }
    return summary


def ioctl_summary(lines):
    groups = {}
    for m in lines:
        groups.setdefault((m["op"], m["batch"]), []).append(m)
    summary = {}
    for key, ms in groups.items():
        ns_call = [m["ns"] / m["calls"] for m in ms]
        eps = [m["elems"] * 1e9 / m["ns"] for m in ms if m["ns"]]
        summary[key] = {
            "rounds": len(ms),
            "ns_per_call": median(ns_call),
            "elems_per_s": median(eps),
            "ns_per_call_min": min(ns_call),
            "ns_per_call_max": max(ns_call),
        }
    return summary


def kernel_table(summary, title, unit, threads_col):
    out = []
    if not summary:
        return out
    out.append("### " + title)
    out.append("")
    head = "| workload |"
    sep = "|---|"
    if threads_col:
        head += " threads |"
        sep += "---:|"
    for impl in IMPLS:
        head += " %s %s |" % (impl, unit)
        sep += "---:|"
    head += " secvec vs spinvec | xavec vs spinvec | secvec vs xavec |"
    sep += "---:|---:|---:|"
    out += [head, sep]
    for w in WORKLOADS:
        for (wl, t) in sorted(k for k in summary if k[0] == w):
            row = summary[(wl, t)]
            line = "| %s |" % WORKLOAD_TEXT[w]
            if threads_col:
                line += " %d |" % t
            for impl in IMPLS:
                r = row.get(impl, {})
                v = r.get("mops") if unit.startswith("M") else r.get("ns_per_op")
                line += " %s |" % fmt(v)
            tp = {i: row.get(i, {}).get("mops") for i in IMPLS}
            line += " %s | %s | %s |" % (
                fmt_ratio(ratio(tp["secvec"], tp["spinvec"])),
                fmt_ratio(ratio(tp["xavec"], tp["spinvec"])),
                fmt_ratio(ratio(tp["secvec"], tp["xavec"])))
            out.append(line)
    out.append("")
    return out


def ioctl_tables(summary):
    out = []
    if not summary:
        return out
    floor = summary.get(("floor", 1), {}).get("ns_per_call")
    out.append("### Through the ioctl, one thread (lab VM, emulated: only ratios count)")
    out.append("")
    out.append("| call | ns/call | vs floor |")
    out.append("|---|---:|---:|")
    text = {"floor": "floor (unknown command, -ENOTTY)", "size": "SIZE",
            "push": "PUSH", "pop": "POP", "get": "GET"}
    for op in IOCTL_SINGLE:
        s = summary.get((op, 1))
        if not s:
            continue
        out.append("| %s | %s | %s |" % (
            text[op], fmt(s["ns_per_call"]),
            fmt_ratio(ratio(s["ns_per_call"], floor))))
    out.append("")
    out.append("| batch call | batch | ns/call | elements/s | vs single call (elements/s) |")
    out.append("|---|---:|---:|---:|---:|")
    for op, single in (("push_many", "push"), ("get_range", "get")):
        base = summary.get((single, 1), {}).get("elems_per_s")
        for (o, b) in sorted(k for k in summary if k[0] == op):
            s = summary[(o, b)]
            out.append("| %s | %d | %s | %s | %s |" % (
                op.upper(), b, fmt(s["ns_per_call"]),
                "%.3g" % s["elems_per_s"],
                fmt_ratio(ratio(s["elems_per_s"], base))))
    out.append("")
    return out


def targets(uml, vm, io):
    """[(target, measured text, met True/False/None)]"""
    res = []

    def tp(summary, w, t, impl):
        return summary.get((w, t), {}).get(impl, {}).get("mops")

    def threads_of(summary, w):
        return sorted(t for (wl, t) in summary if wl == w)

    for w, text, base, want in (
            ("readmostly", "read-mostly at >=2 threads: secvec >= 3x spinvec",
             "spinvec", 3.0),
            ("pushpop", "push/pop 50/50 at >=2 threads: secvec >= 1.0x spinvec",
             "spinvec", 1.0)):
        ts = [t for t in threads_of(vm, w) if t >= 2]
        rs = [(t, ratio(tp(vm, w, t, "secvec"), tp(vm, w, t, base))) for t in ts]
        rs = [(t, r) for t, r in rs if r is not None]
        if rs:
            res.append((text, ", ".join("%d thr %.2fx" % x for x in rs),
                        all(r >= want for _, r in rs)))
        else:
            res.append((text, "not measured", None))

    # secvec against XArray: UML (native) and VM (all thread counts).
    for w, text in (
            ("get", "get at least as fast as xa_load (secvec/xavec throughput >= 1)"),
            ("fill", "fill >= 1.0x XArray")):
        parts, ok = [], []
        runs = [("UML", uml, 1)] + [("VM %d thr" % t, vm, t)
                                     for t in threads_of(vm, w)]
        for label, summary, t in runs:
            r = ratio(tp(summary, w, t, "secvec"), tp(summary, w, t, "xavec"))
            if r is not None:
                parts.append("%s %.2fx" % (label, r))
                ok.append(r >= 1.0)
        res.append((text, ", ".join(parts) or "not measured",
                    all(ok) if ok else None))

    for w, op in (("fill", "push"), ("drain", "pop")):
        s = uml.get((w, 1), {})
        a = s.get("secvec", {}).get("ns_per_op")
        b = s.get("spinvec", {}).get("ns_per_op")
        r = ratio(a, b)
        text = ("not measured" if r is None else
                "%.1f vs %.1f ns/op: %.2fx the time" % (a, b, r))
        res.append(("single-thread %s in UML within 2x of spinvec (time ratio <= 2)" % op,
                    text, None if r is None else r <= 2.0))

    floor = io.get(("floor", 1), {}).get("ns_per_call")
    push = io.get(("push", 1), {}).get("ns_per_call")
    r = ratio(push, floor)
    res.append(("ioctl PUSH at most 1.5x the floor",
                "not measured" if r is None else
                "%.0f vs %.0f ns/call: %.2fx" % (push, floor, r),
                None if r is None else r <= 1.5))

    a = io.get(("push_many", 256), {}).get("elems_per_s")
    b = io.get(("push", 1), {}).get("elems_per_s")
    r = ratio(a, b)
    res.append(("PUSH_MANY at 256 >= 20x single PUSH in elements/s",
                "not measured" if r is None else "%.1fx" % r,
                None if r is None else r >= 20.0))
    return res


def floor_table(uml):
    """What one hardware cmpxchg() per operation costs in UML, next to
    spinvec and secvec (ratios of times, unlike the other tables)."""
    rows = []
    for w, op in (("fill", "push"), ("drain", "pop")):
        s = uml.get((w, 1), {})
        ns = {i: s.get(i, {}).get("ns_per_op")
              for i in ("secvec", "spinvec", "casfloor")}
        if ns["casfloor"] is not None:
            rows.append("| %s (%s) | %s | %s | %s | %s | %s |" % (
                op, w, fmt(ns["spinvec"]), fmt(ns["casfloor"]),
                fmt(ns["secvec"]),
                fmt_ratio(ratio(ns["casfloor"], ns["spinvec"])),
                fmt_ratio(ratio(ns["secvec"], ns["casfloor"]))))
    if not rows:
        return []
    return ["### One cmpxchg per operation (UML, one thread)", "",
            "casfloor: one hardware `cmpxchg()` on the size per push or "
            "pop, a yardstick rather than a vector. Ratios of times: above "
            "1.00x the first one is slower.", "",
            "| operation | spinvec ns/op | casfloor ns/op | secvec ns/op "
            "| casfloor/spinvec time | secvec/casfloor time |",
            "|---|---:|---:|---:|---:|---:|"] + rows + [""]


def native_table(native):
    """The native bench's medians (ops/s), with secvec's ratios."""
    rows = {}
    for m in native.get("results", []):
        rows.setdefault((m["workload"], m["threads"]), {})[m["impl"]] = \
            m.get("ops_per_sec")
    if not rows:
        return []
    out = ["### Userspace, threads (host cores, native build of the core)",
           "",
           "| workload | threads |" +
           "".join(" %s Mops/s |" % i for i in NATIVE_IMPLS) +
           " secvec vs spinlock | secvec vs mutex | secvec vs tbb |",
           "|---|---:|" + "---:|" * (len(NATIVE_IMPLS) + 3)]
    for w in NATIVE_WORKLOADS:
        for t in sorted(t for (wl, t) in rows if wl == w):
            row = rows[(w, t)]
            mops = {i: None if row.get(i) is None else row[i] / 1e6
                    for i in NATIVE_IMPLS}
            out.append("| %s | %d |" % (WORKLOAD_TEXT[w], t) +
                       "".join(" %s |" % fmt(mops[i]) for i in NATIVE_IMPLS) +
                       "".join(" %s |" % fmt_ratio(ratio(mops["secvec"], mops[i]))
                               for i in ("spinlock", "mutex", "tbb")))
    out.append("")
    return out


def targets_table(ts, duration):
    out = ["### Targets", "", "| target | measured | met |", "|---|---|---|"]
    for text, meas, ok in ts:
        out.append("| %s | %s | %s |" % (
            text, meas, {True: "yes", False: "**no**", None: "-"}[ok]))
    if duration is not None:
        out.append("| `make bench` from a fresh machine in under 20 minutes "
                   "| this run: %dm%02ds | %s |" % (
                       duration // 60, duration % 60,
                       "yes" if duration < 1200 else "**no**"))
    out.append("")
    return out


def plot(vm, outdir):
    """plot.dat + plot.gp; plot.png if gnuplot is there."""
    ws = [w for w in WORKLOADS if any(k[0] == w for k in vm)]
    if not ws:
        return None
    with open(os.path.join(outdir, "plot.dat"), "w") as f:
        for w in ws:
            f.write("# %s\n# threads %s\n" % (w, " ".join(IMPLS)))
            for t in sorted(t for (wl, t) in vm if wl == w):
                f.write("%d %s\n" % (t, " ".join(
                    "%.6g" % (vm[(w, t)].get(i, {}).get("mops") or 0)
                    for i in IMPLS)))
            f.write("\n\n")
    cols = 3
    rows = (len(ws) + cols - 1) // cols
    gp = [
        "set terminal pngcairo size %d,%d noenhanced" % (420 * cols, 340 * rows + 40),
        "set output '%s'" % os.path.join(outdir, "plot.png"),
        "set multiplot layout %d,%d title 'secvec vs spinlock vector vs XArray "
        "(lab VM, qemu TCG: emulated, only ratios count)'" % (rows, cols),
        "set key below horizontal",
        "set xlabel 'threads'",
        "set ylabel 'Mops/s (emulated)'",
        "set xtics (1, 2, 4, 8)",
        "set yrange [0:*]",
        "set grid",
    ]
    for i, w in enumerate(ws):
        gp.append("set title '%s'" % WORKLOAD_TEXT[w])
        gp.append("plot " + ", ".join(
            "'%s' index %d using 1:%d with linespoints lw 2 title '%s'" % (
                os.path.join(outdir, "plot.dat"), i, j + 2, impl)
            for j, impl in enumerate(IMPLS)))
    gp.append("unset multiplot")
    path = os.path.join(outdir, "plot.gp")
    with open(path, "w") as f:
        f.write("\n".join(gp) + "\n")
    if not shutil.which("gnuplot"):
        print("report.py: no gnuplot, plot.png not drawn", file=sys.stderr)
        return None
    term = subprocess.run(["gnuplot", "-e", "set terminal"],
                          capture_output=True, text=True)
    if "pngcairo" not in term.stdout + term.stderr:
        # Plain libgd png: same plot, without cairo's antialiasing.
        gp[0] = gp[0].replace("pngcairo", "png")
        with open(path, "w") as f:
            f.write("\n".join(gp) + "\n")
    rc = subprocess.run(["gnuplot", path]).returncode
    if rc:
        print("report.py: gnuplot failed (%d)" % rc, file=sys.stderr)
        return None
    return os.path.join(outdir, "plot.png")


def machine_lines(info, native):
    out = ["### Machine", ""]
    if native:
        info = dict(info, native="%d host CPUs, %d operations per thread, "
                    "median of %d rounds" % (native.get("cpus", 0),
                                             native.get("ops_per_thread", 0),
                                             native.get("runs", 0)))
    for key, text in (("date", "date"), ("git", "commit"),
                      ("host_cpu", "host CPU"), ("host_cpus", "host CPUs"),
                      ("host_kernel", "host kernel"),
                      ("uml", "UML (single thread)"),
                      ("vm", "lab VM (threads, ioctl)"),
                      ("native", "userspace (threads)"),
                      ("rounds", "rounds (median of)")):
        if info.get(key) not in (None, ""):
            out.append("- %s: %s" % (text, info[key]))
    out.append("")
    return out


def read_json(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def update_doc(path, table):
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    text = open(path).read()
    if begin not in text or end not in text:
        print("report.py: %s has no %s ... %s section; not updated"
              % (path, begin, end), file=sys.stderr)
        return 1
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    with open(path, "w") as f:
        f.write(head + begin + "\n" + table + end + tail)
    print("report.py: updated %s" % path, file=sys.stderr)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", help="the results directory of a run")
    ap.add_argument("--doc", help="markdown file whose bench section to replace")
    args = ap.parse_args()

    def path(name):
        return os.path.join(args.results, name)

    info = read_json(path("info.json"))
    native = read_json(path("native.json"))
    raw_uml = read_lines(path("uml.jsonl"))
    raw_vm = read_lines(path("vm.jsonl"))
    raw_io = read_lines(path("ioctl.jsonl"))
    uml = kernel_summary(raw_uml)
    vm = kernel_summary(raw_vm)
    io = ioctl_summary(raw_io)
    ts = targets(uml, vm, io)

    md = []
    md += kernel_table(uml, "In the kernel, one thread (UML, native speed)",
                       "ns/op", False)
    md += floor_table(uml)
    md += kernel_table(vm, "In the kernel, threads (lab VM, qemu TCG: emulated, only ratios count)",
                       "Mops/s", True)
    md += ioctl_tables(io)
    md += native_table(native)
    md.append("Ratios compare throughput (ops/s): above 1.00x the first "
              "implementation is faster. Each figure is the median of the "
              "rounds; implementations are interleaved round by round.")
    md.append("")
    md += machine_lines(info, native)
    table = "\n".join(md)
    # The targets are this run's verdicts, not reference: table.md only.
    run_table = table + "\n" + "\n".join(
        targets_table(ts, info.get("duration_s")))

    with open(path("table.md"), "w") as f:
        f.write(run_table)
    plot(vm, args.results)

    def keyed(summary):
        return [dict(workload=w, threads=t, **{i: v for i, v in s.items()})
                for (w, t), s in sorted(summary.items())]

    with open(path("results.json"), "w") as f:
        json.dump({
            "info": info,
            "uml": keyed(uml),
            "vm": keyed(vm),
            "ioctl": [dict(op=o, batch=b, **s)
                      for (o, b), s in sorted(io.items())],
            "native": native.get("results", []),
            "targets": [{"target": t, "measured": m, "met": ok}
                        for t, m, ok in ts],
            "raw": {"uml": raw_uml, "vm": raw_vm, "ioctl": raw_io},
        }, f, indent=1)

    print(run_table)
    return update_doc(args.doc, table) if args.doc else 0


if __name__ == "__main__":
    sys.exit(main())
