"""Turns bench/run.sh's JSON lines into the table `make bench` prints, and a JSON file.

Only what succeeded counts: rates are 2xx answers per second (wrk counts every answer of 400 or
more as a status error; the consumer sends no 1xx or 3xx), a run's events are its 2xx answers
times its events per request, and each consumer run is checked against the rows its store
gained. A run that got anything but 2xx answers, or whose rows do not match, is marked `!`.
"""
import json
import os
import platform
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
ticks_per_s = float(sys.argv[2])
out_path = sys.argv[3]


def ok_requests(r):
    return r["requests"] - r["non_2xx"]


def ok_events_per_s(r):
    return ok_requests(r) * r["events_per_request"] / r["seconds"] if r["seconds"] else 0.0


def commits(r):
    """Commits of a SQLite consumer run: each commit syncs the WAL once; each checkpoint adds a
    WAL sync and a database sync, and the WAL header written after it one more WAL sync."""
    if r.get("backend") != "sqlite" or not r.get("wal_syncs"):
        return None
    return max(1, r["wal_syncs"] - 2 * r["other_syncs"])


def stored_problem(r):
    """Why the rows stored do not match the 2xx events, or None. Requests still in flight when
    wrk stops may be committed without their answer being read: at most one per connection."""
    if "stored" not in r:
        return None
    ok_events = ok_requests(r) * r["events_per_request"]
    in_flight = r["connections"] * r["events_per_request"]
    extra = r["stored"] - ok_events
    if extra < 0:
        return f"{-extra} events answered 2xx are not stored"
    if extra > in_flight:
        return f"{extra} rows more than the 2xx events (in flight at the end: at most {in_flight})"
    return None


store = {}
table = []
notes = []
for r in rows:
    if r["label"] == "propagator":
        problem = None
        if "stored" in r and r["stored"] != r["events"]:
            problem = f"delivered {r['events']} events but the store gained {r['stored']} rows"
        table.append({"workload": "propagator burst, 1000 ev/req, 1 conn", "backend": r["backend"],
                      "events_per_s": r["events_per_s"],
                      "requests_per_s": r["requests"] / r["seconds"] if r["seconds"] else None,
                      "stored": r.get("stored"), "problem": problem})
        continue
    if r["label"] == "loader":
        problem = None
        if r["stored"] != r["events"]:
            problem = f"{r['events']} events in the stream but the store gained {r['stored']} rows"
        events = r["events_per_s"] * r["seconds"]
        loaders = r.get("loaders", 1)
        table.append({"workload": "event-loader drain (JetStream -> store), batch 1000"
                                  + (f", {loaders} loaders" if loaders > 1 else ""),
                      "backend": r["backend"], "events_per_s": r["events_per_s"],
                      "requests_per_s": None, "stored": r["stored"], "problem": problem,
                      "cpu_us_per_event": (r["cpu_ticks"] / ticks_per_s * 1e6 / events
                                           if events else None)})
        continue
    if r["label"] == "store":
        if r.get("observed_group"):
            workload = f"raw store insert, batch {r['batch']} (consumer's group), 1 writer"
            store[(r["backend"], "observed")] = r
        elif r.get("dialect") == "portable":
            workload = (f"raw store insert, batch {r['batch']}, {r.get('writers', 1)} writer(s), "
                        "portable")
            store[(r["backend"] + " portable", r["batch"])] = r
        else:
            workload = f"raw store insert, batch {r['batch']}, {r.get('writers', 1)} writer(s)"
            store[(r["backend"], r["batch"])] = r
        table.append({"workload": workload, "backend": r["backend"],
                      "events_per_s": r["events_per_s"], "requests_per_s": None})
        continue
    workload = f"{r['label']}: {r['events_per_request']} ev/req, {r['connections']} conn"
    if r.get("distinct_tokens"):
        workload += f", {r['distinct_tokens']} tokens"
    if r.get("coding") == "gzip":
        workload += ", gzip bodies"
    if r.get("wal_files") == "new":
        workload += ", new WAL files"
    if "round" in r:
        workload += f", round {r['round']}"
    events_per_s = ok_events_per_s(r)
    problems = []
    if r["non_2xx"] or r["socket_errors"]:
        problems.append(f"{r['non_2xx']} non-2xx answers, {r['socket_errors']} socket errors")
    if stored_problem(r):
        problems.append(stored_problem(r))
    row = {"workload": workload, "backend": r.get("backend", "-"),
           "events_per_s": events_per_s,
           "requests_per_s": ok_requests(r) / r["seconds"] if r["seconds"] else None,
           "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"], "non_2xx": r["non_2xx"],
           "socket_errors": r["socket_errors"], "stored": r.get("stored"),
           "problem": "; ".join(problems) or None}
    if commits(r):
        row["events_per_commit"] = r["stored"] / commits(r)
    if "cpu_ticks" in r:
        events = events_per_s * r["seconds"]
        row["cpu_us_per_event"] = r["cpu_ticks"] / ticks_per_s * 1e6 / events if events else None
        row["peak_rss_mib"] = r["peak_rss_kib"] / 1024
    table.append(row)


def find(label, per_request, connections, backend="sqlite"):
    for r in rows:
        if (r["label"] == label and r.get("events_per_request") == per_request
                and r.get("connections") == connections and r.get("backend", backend) == backend
                and not r.get("distinct_tokens") and r.get("coding", "identity") == "identity"
                and not r.get("wal_files")):
            return r
    return None


ratios = {}
# Ratio A: each round is an nginx run and a consumer run back to back; the median pair counts.
rounds = {}
for r in rows:
    if "round" in r and r.get("backend", "sqlite") == "sqlite":
        rounds.setdefault(r["round"], {})[r["label"]] = r
# PostgreSQL at one event per request, in rounds of its own (recycled WAL files): rate and p99.
pg_rounds = [r for r in rows if "round" in r and r.get("backend") == "postgres"]
pair_ratios = [ok_requests(p["consumer"]) / p["consumer"]["seconds"]
               / (ok_requests(p["nginx"]) / p["nginx"]["seconds"])
               for _, p in sorted(rounds.items())
               if "consumer" in p and "nginx" in p and ok_requests(p["nginx"])]
if pair_ratios:
    ratios["A: consumer 2xx events/s @1 ev/req / nginx 2xx req/s"] = statistics.median(pair_ratios)
c100 = find("consumer", 100, 64)
if c100 and ("sqlite", 100) in store:
    group = c100["stored"] / commits(c100) if commits(c100) else None
    ratios["B: consumer 2xx events/s @100 ev/req / raw store events/s @ batch 100"
           + (f" (not like for like: the consumer commits {group:,.0f} events at a time)"
              if group else "")] = ok_events_per_s(c100) / store[("sqlite", 100)]["events_per_s"]
if c100 and ("sqlite", "observed") in store:
    observed = store[("sqlite", "observed")]
    ratios[f"B at the consumer's group size: consumer 2xx events/s @100 ev/req / raw store "
           f"events/s @ batch {observed['batch']}"] = ok_events_per_s(c100) / observed["events_per_s"]
p100 = find("consumer", 100, 64, "postgres")
if p100 and ("postgres", 100) in store:
    ratios["PostgreSQL: consumer 2xx events/s @100 ev/req / raw store events/s @100"] = \
        ok_events_per_s(p100) / store[("postgres", 100)]["events_per_s"]
m100 = find("consumer", 100, 64, "mariadb")
if m100 and ("mariadb", 100) in store:
    ratios["MariaDB: consumer 2xx events/s @100 ev/req / raw store events/s @100"] = \
        ok_events_per_s(m100) / store[("mariadb", 100)]["events_per_s"]
if m100 and ("mariadb", 1) in store:
    ratios["MariaDB: consumer 2xx events/s @100 ev/req / raw store events/s @ batch 1 "
           "(a one-INSERT-per-event service; target 20)"] = \
        ok_events_per_s(m100) / store[("mariadb", 1)]["events_per_s"]

for batch in (100, 1):
    if ("mariadb portable", batch) in store and ("mariadb", batch) in store:
        ratios[f"MariaDB: raw store events/s @ batch {batch}, portable dialect (MySQL's path) "
               f"/ native"] = (store[("mariadb portable", batch)]["events_per_s"]
                               / store[("mariadb", batch)]["events_per_s"])


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


print(f"{'workload':58} {'backend':8} {'events/s':>10} {'req/s':>9} {'p50 ms':>7} "
      f"{'p99 ms':>7} {'RSS MiB':>7} {'CPU us/ev':>9} {'non-2xx':>7} {'stored':>10} {'ev/commit':>9}")
for t in table:
    mark = "!" if t.get("problem") else " "
    print(f"{mark}{t['workload']:57} {t['backend']:8} {fmt(t['events_per_s'], ',.0f'):>10} "
          f"{fmt(t.get('requests_per_s'), ',.0f'):>9} {fmt(t.get('p50_ms'), '.2f'):>7} "
          f"{fmt(t.get('p99_ms'), '.2f'):>7} {fmt(t.get('peak_rss_mib'), '.1f'):>7} "
          f"{fmt(t.get('cpu_us_per_event'), '.2f'):>9} {fmt(t.get('non_2xx'), 'd'):>7} "
          f"{fmt(t.get('stored'), ',d'):>10} {fmt(t.get('events_per_commit'), ',.0f'):>9}")
    if t.get("problem"):
        notes.append(f"! {t['workload']} ({t['backend']}): {t['problem']}")
print("events/s and req/s count 2xx answers only; stored: rows the store gained during the run "
      "(may exceed the 2xx events by the requests in flight when wrk stopped)")
for note in notes:
    print(note)
if not notes:
    print("every run: only 2xx answers, and the rows stored match them")
for name, value in ratios.items():
    print(f"ratio {name}: {value:.2f}")
if pair_ratios:
    print("ratio A per round (median above): " + ", ".join(f"{v:.2f}" for v in pair_ratios))
if pg_rounds:
    rates = [ok_requests(r) / r["seconds"] for r in pg_rounds if r["seconds"]]
    p99s = [r["p99_ms"] for r in pg_rounds]
    print("PostgreSQL @1 ev/req, 64 conn, recycled WAL files, per round: "
          + ", ".join(f"{rate:,.0f} req/s p99 {p99:.1f} ms" for rate, p99 in zip(rates, p99s))
          + f"; median {statistics.median(rates):,.0f} req/s, p99 {statistics.median(p99s):.1f} ms")
print(f"machine: {platform.node()} {os.cpu_count()} cores, {platform.platform()}")

with open(out_path, "w") as f:
    json.dump({"rows": table, "ratios": ratios, "ratio_a_rounds": pair_ratios,
               "runs_with_problems": notes, "machine": platform.platform(),
               "cores": os.cpu_count()}, f, indent=2)
print(f"written: {out_path}")
