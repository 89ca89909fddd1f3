"""Turns bench/run.sh's JSON lines into the table `make bench` prints, and a JSON file."""
import json
import os
import platform
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
ticks_per_s = float(sys.argv[2])
out_path = sys.argv[3]

store = {(r["backend"], r["batch"]): r for r in rows if r["label"] == "store"}
table = []
for r in rows:
    if r["label"] == "propagator":
        table.append({"workload": "propagator burst, 1000 ev/req, 1 conn", "backend": r["backend"],
                      "events_per_s": r["events_per_s"],
                      "requests_per_s": r["requests"] / r["seconds"] if r["seconds"] else None})
        continue
    if r["label"] == "store":
        table.append({"workload": f"raw store insert, batch {r['batch']}, {r.get('writers', 1)} writer(s)",
                      "backend": r["backend"],
                      "events_per_s": r["events_per_s"], "requests_per_s": None})
        continue
    events_per_s = r["requests_per_s"] * r["events_per_request"] if r["failed"] == 0 else \
        (r["requests"] - r["failed"]) * r["events_per_request"] / r["seconds"]
    workload = f"{r['label']}: {r['events_per_request']} ev/req, {r['connections']} conn"
    if "round" in r:
        workload += f", round {r['round']}"
    row = {"workload": workload,
           "backend": r.get("backend", "-"), "events_per_s": events_per_s,
           "requests_per_s": r["requests_per_s"], "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"],
           "failed": r["failed"]}
    if "cpu_ticks" in r:
        events = events_per_s * r["seconds"]
        row["cpu_us_per_event"] = r["cpu_ticks"] / ticks_per_s * 1e6 / events if events else None
        row["peak_rss_mib"] = r["peak_rss_kib"] / 1024
    table.append(row)

def find(label, per_request, connections, backend="sqlite"):
    for r in rows:
        if (r["label"] == label and r.get("events_per_request") == per_request
                and r.get("connections") == connections and r.get("backend", backend) == backend):
            return r
    return None

ratios = {}
# Ratio A: each round is an nginx run and a consumer run back to back; the median pair counts.
rounds = {}
for r in rows:
    if "round" in r:
        rounds.setdefault(r["round"], {})[r["label"]] = r["requests_per_s"]
pair_ratios = [p["consumer"] / p["nginx"] for _, p in sorted(rounds.items())
               if "consumer" in p and "nginx" in p and p["nginx"]]
if pair_ratios:
    ratios["A: consumer events/s @1 ev/req / nginx req/s"] = statistics.median(pair_ratios)
c100 = find("consumer", 100, 64)
if c100 and ("sqlite", 100) in store:
    ratios["B: consumer events/s @100 ev/req / raw store events/s @100"] = \
        c100["requests_per_s"] * 100 / store[("sqlite", 100)]["events_per_s"]
p100 = find("consumer", 100, 64, "postgres")
if p100 and ("postgres", 100) in store:
    ratios["PostgreSQL: consumer events/s @100 ev/req / raw store events/s @100"] = \
        p100["requests_per_s"] * 100 / store[("postgres", 100)]["events_per_s"]

def fmt(v, spec):
    return "-" if v is None else format(v, spec)

print(f"{'workload':48} {'backend':8} {'events/s':>10} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'RSS MiB':>8} {'CPU us/ev':>9}")
for t in table:
    print(f"{t['workload']:48} {t['backend']:8} {fmt(t['events_per_s'], ',.0f'):>10} "
          f"{fmt(t.get('requests_per_s'), ',.0f'):>10} {fmt(t.get('p50_ms'), '.2f'):>8} "
          f"{fmt(t.get('p99_ms'), '.2f'):>8} {fmt(t.get('peak_rss_mib'), '.1f'):>8} "
          f"{fmt(t.get('cpu_us_per_event'), '.2f'):>9}")
for name, value in ratios.items():
    print(f"ratio {name}: {value:.2f}")
if pair_ratios:
    print("ratio A per round (median above): " + ", ".join(f"{v:.2f}" for v in pair_ratios))
print(f"machine: {platform.node()} {os.cpu_count()} cores, {platform.platform()}")

with open(out_path, "w") as f:
    json.dump({"rows": table, "ratios": ratios, "ratio_a_rounds": pair_ratios,
               "machine": platform.platform(),
               "cores": os.cpu_count()}, f, indent=2)
print(f"written: {out_path}")
