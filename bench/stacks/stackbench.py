#!/usr/bin/env python3
"""Measurements of bench/stacks.sh (issue #17), each printing one line of key=value figures.

  deploy-time SOCK STACK SERVICES TIMEOUT -- COMMAND...
      Runs COMMAND (a `docker stack deploy` or a curl POST /api/v1/stacks) and polls the manager engine at SOCK every
      100 ms until the stack has SERVICES services and every one has all its replicas running.
      Prints seconds from the start of COMMAND (request_s: until COMMAND exited; running_s: until all tasks ran).
  wait-gone STACK TIMEOUT SOCK...
      Until no service of STACK is left on the manager (first SOCK) and no container of it on any engine.
  wait-running SOCK PREFIX SERVICES TIMEOUT
      Until SERVICES services whose stack label starts with PREFIX run all their replicas (for the stats pass).
  push-latency SOCK SERVICE TIMEOUT -- PUSH COMMAND...
      Runs the push (docker push, exit = the manifest PUT answered), reads the pushed digest from its output, then polls
      every 100 ms until every replica of SERVICE runs the new digest and no task of an older one runs.
      Prints push_s, spec_s (until the service's spec names the digest: Dockyard's share) and running_s (both from
      the push's exit).
  stats-load URL TOKEN PID SECONDS VIEWERS RAW STACK... --sockets SOCK...
      VIEWERS SSE viewers of GET /api/v1/stacks/{stack}/stats for every STACK. Idle window first (no viewers), then all
      viewers, then SECONDS s sampled every second: Dockyard's CPU (utime+stime deltas), VmRSS, and its connections to
      each engine socket (ss -xn peers ∩ /proc/PID/fd, as bench/Dockyard.Bench/Control/ProcessProbe.cs).
Loopback only; every wait is bounded; nothing is started that outlives this process.
"""
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

NAMESPACE = "com.docker.stack.namespace"
TICKS = os.sysconf("SC_CLK_TCK")


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=30):
        super().__init__("engine", timeout=timeout)
        self.path = path

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.path)
        self.sock = s


class Engine:
    """A keep-alive connection to one engine's socket (one, so the polling itself adds no connection churn)."""

    def __init__(self, path):
        self.path = path
        self.conn = None

    def get(self, path, filters=None):
        if filters:
            path += "?filters=" + urllib.parse.quote(json.dumps(filters))
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = UnixHTTPConnection(self.path)
                self.conn.request("GET", "/v1.41" + path)
                r = self.conn.getresponse()
                body = r.read()
                if r.status != 200:
                    raise RuntimeError(f"engine GET {path}: {r.status} {body[:200]!r}")
                return json.loads(body)
            except (OSError, http.client.HTTPException):
                self.conn = None
                if attempt == 2:
                    raise


def one_line(text):
    return " ".join(text.split())


def problem(body):
    """The detail (else title) of a ProblemDetails body, else the body's start."""
    try:
        p = json.loads(body)
        return p.get("detail") or p.get("title") or one_line(body.decode(errors="replace"))[:200]
    except ValueError:
        return one_line(body.decode(errors="replace"))[:200]


def stack_state(engine, label_filter, prefix=False):
    """(services, {service id: (name, replicas, [(task state, image) of tasks desired running]}))."""
    services = engine.get("/services", {"label": [label_filter]} if not prefix else {"label": [NAMESPACE]})
    if prefix:
        services = [s for s in services if s["Spec"].get("Labels", {}).get(NAMESPACE, "").startswith(label_filter)]
    ids = [s["ID"] for s in services]
    tasks = engine.get("/tasks", {"desired-state": ["running"], "service": ids}) if ids else []
    out = {}
    for s in services:
        mode = s["Spec"].get("Mode", {})
        replicas = mode.get("Replicated", {}).get("Replicas", 1) if "Replicated" in mode else None
        out[s["ID"]] = (s["Spec"]["Name"], replicas, [])
    for t in tasks:
        if t.get("ServiceID") in out:
            out[t["ServiceID"]][2].append((t.get("Status", {}).get("State"), t["Spec"]["ContainerSpec"].get("Image", "")))
    return out


def all_running(state, expected_services):
    if len(state) != expected_services:
        return False
    for name, replicas, tasks in state.values():
        running = sum(1 for st, _ in tasks if st == "running")
        if replicas is None or running < replicas:
            return False
    return True


def describe(state):
    return "; ".join(f"{name}: {sum(1 for st, _ in t if st == 'running')}/{r} running ({','.join(sorted({st for st, _ in t}))})"
                     for name, r, t in state.values())[:600]


def deploy_time(sock, stack, services, timeout, command):
    engine = Engine(sock)
    t0 = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    request_s = None
    state = {}
    while True:
        if request_s is None and proc.poll() is not None:
            request_s = time.monotonic() - t0
            out = proc.stdout.read().decode(errors="replace")
            if proc.returncode != 0:
                m = re.search(r'"status":\s*(\d+).*?"detail":\s*"((?:[^"\\]|\\.)*)"', out, re.S)
                raise RuntimeError(f"the request answered {m.group(1)}: {m.group(2)}" if m else
                                   f"deploy command exited {proc.returncode}: {one_line(out)[-400:]}")
        state = stack_state(engine, f"{NAMESPACE}={stack}")
        if request_s is not None and all_running(state, services):
            break
        if time.monotonic() - t0 > timeout:
            proc.kill()
            raise RuntimeError(f"stack {stack} not running after {timeout} s: {describe(state)}")
        time.sleep(0.1)
    print(f"stack={stack} request_s={request_s:.3f} running_s={time.monotonic() - t0:.3f}")


def containers_of(engine, stack):
    return engine.get("/containers/json?all=true&filters=" + urllib.parse.quote(json.dumps({"label": [f"{NAMESPACE}={stack}"]})))


def wait_gone(stack, timeout, socks):
    engines = [Engine(s) for s in socks]
    t0 = time.monotonic()
    while True:
        services = engines[0].get("/services", {"label": [f"{NAMESPACE}={stack}"]})
        containers = sum(len(containers_of(e, stack)) for e in engines)
        if not services and containers == 0:
            print(f"stack={stack} gone_s={time.monotonic() - t0:.3f}")
            return
        if time.monotonic() - t0 > timeout:
            raise RuntimeError(f"stack {stack}: {len(services)} services, {containers} containers left after {timeout} s")
        time.sleep(0.2)


def wait_running(sock, prefix, services, timeout):
    engine = Engine(sock)
    t0 = time.monotonic()
    while True:
        state = stack_state(engine, prefix, prefix=True)
        if all_running(state, services):
            print(f"prefix={prefix} services={len(state)} running_s={time.monotonic() - t0:.3f}")
            return
        if time.monotonic() - t0 > timeout:
            running = sum(1 for _, r, t in state.values() if r is not None and sum(1 for st, _ in t if st == "running") >= r)
            raise RuntimeError(f"{running} of {services} services ({len(state)} found) running after {timeout} s")
        time.sleep(0.5)


def push_latency(sock, service, timeout, command):
    engine = Engine(sock)
    t0 = time.monotonic()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    t1 = time.monotonic()
    out = done.stdout.decode(errors="replace")
    if done.returncode != 0:
        raise RuntimeError(f"push exited {done.returncode}: {one_line(out)[-400:]}")
    m = re.search(r"digest: (sha256:[0-9a-f]{64})", out)
    if not m:
        raise RuntimeError("the push printed no digest: " + out[-300:])
    digest = m.group(1)
    services = engine.get("/services", {"name": [service]})
    services = [s for s in services if s["Spec"]["Name"] == service]
    if len(services) != 1:
        raise RuntimeError(f"service {service} not found")
    sid = services[0]["ID"]
    replicas = services[0]["Spec"]["Mode"]["Replicated"]["Replicas"]
    tasks = []
    spec_s = None   # when the service's spec names the digest: Dockyard's share (the rest is the Swarm update)
    while True:
        if spec_s is None:
            image = engine.get(f"/services/{sid}")["Spec"]["TaskTemplate"]["ContainerSpec"].get("Image", "")
            if image.endswith("@" + digest):
                spec_s = time.monotonic() - t1
        tasks = engine.get("/tasks", {"desired-state": ["running"], "service": [sid]})
        new = [t for t in tasks if t["Spec"]["ContainerSpec"].get("Image", "").endswith("@" + digest)
               and t.get("Status", {}).get("State") == "running"]
        old = [t for t in tasks if not t["Spec"]["ContainerSpec"].get("Image", "").endswith("@" + digest)
               and t.get("Status", {}).get("State") == "running"]
        if len(new) >= replicas and not old:
            break
        if time.monotonic() - t1 > timeout:
            images = sorted({t["Spec"]["ContainerSpec"].get("Image", "")[-20:] + "/" + t.get("Status", {}).get("State", "") for t in tasks})
            raise RuntimeError(f"{service} not running {digest[:19]} {timeout} s after the push: tasks {images}")
        time.sleep(0.1)
    running_s = time.monotonic() - t1
    print(f"digest={digest} push_s={t1 - t0:.3f} spec_s={running_s if spec_s is None else spec_s:.3f} running_s={running_s:.3f}")


# ---------------------------------------------------------------- stats pass
def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def engine_connections(pid, sockets):
    """Connections of PID to each unix socket path: engine-side rows of `ss -xn` whose peer is one of PID's fds."""
    peers = {s: set() for s in sockets}
    out = subprocess.run(["ss", "-xn"], stdout=subprocess.PIPE, check=True).stdout.decode(errors="replace")
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 8 and f[4] in peers and f[7].isdigit():
            peers[f[4]].add(int(f[7]))
    mine = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            mine.add(int(target[8:-1]))
    return {s: len(p & mine) for s, p in peers.items()}


class Viewer(threading.Thread):
    def __init__(self, host, port, token, stack, stop):
        super().__init__(daemon=True)
        self.host, self.port, self.token, self.stack, self.stop = host, port, token, stack, stop
        self.events = 0
        self.error = None
        self.conn = None

    def run(self):
        try:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request("GET", f"/api/v1/stacks/{urllib.parse.quote(self.stack)}/stats",
                              headers={"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream"})
            r = self.conn.getresponse()
            if r.status != 200:
                raise RuntimeError(f"GET /api/v1/stacks/{self.stack}/stats answered {r.status}: {problem(r.read(2000))}")
            if "text/event-stream" not in (r.getheader("Content-Type") or ""):
                raise RuntimeError(f"GET /api/v1/stacks/{self.stack}/stats answered {r.getheader('Content-Type')}, not an event stream")
            while not self.stop.is_set():
                line = r.readline()  # de-chunked
                if not line:
                    if not self.stop.is_set():
                        self.error = f"{self.stack}: stream ended early"
                    return
                if line.startswith(b"data:"):
                    self.events += 1
        except Exception as e:  # noqa: BLE001 - reported, never swallowed
            if not self.stop.is_set():
                self.error = f"{self.stack}: {e}"

    def close(self):
        try:
            if self.conn is not None and self.conn.sock is not None:
                self.conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def stats_load(url, token, pid, seconds, viewers, raw, stacks, sockets):
    u = urllib.parse.urlparse(url)
    pid = int(pid)
    idle = max(5.0, seconds / 3)
    before = engine_connections(pid, sockets)
    c0, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(idle)
    idle_pct = (cpu_seconds(pid) - c0) / (time.monotonic() - t0) * 100
    before_idle = engine_connections(pid, sockets)
    rss_idle = rss_kib(pid)

    stop = threading.Event()
    threads = []
    started = time.monotonic()
    for stack in stacks:
        for _ in range(viewers):
            v = Viewer(u.hostname, u.port, token, stack, stop)
            v.start()
            threads.append(v)
    deadline = time.monotonic() + 60
    while any(v.events == 0 for v in threads) and not any(v.error for v in threads) and time.monotonic() < deadline:
        time.sleep(0.2)
    errors = [v.error for v in threads if v.error]
    if errors or any(v.events == 0 for v in threads):
        stop.set()
        for v in threads:
            v.close()
        raise RuntimeError(f"{sorted(set(errors))[0]} ({len(errors)} of {len(threads)} viewers failed)" if errors else
                           f"{sum(1 for v in threads if v.events == 0)} of {len(threads)} viewers had no sample after 60 s")

    joined = time.monotonic()
    events0 = sum(v.events for v in threads)
    c0, t0 = cpu_seconds(pid), time.monotonic()
    rows, conns, rss, per_socket = [], [], [], {s: [] for s in sockets}
    for second in range(1, int(seconds) + 1):
        due = t0 + second - time.monotonic()
        if due > 0:
            time.sleep(due)
        c = engine_connections(pid, sockets)
        conns.append(sum(c.values()))
        for sock, n in c.items():
            per_socket[sock].append(n)
        rss.append(rss_kib(pid))
        rows.append(f"{second}\t{sum(c.values())}\t{rss[-1]}\t{cpu_seconds(pid) - c0:.3f}\t{sum(v.events for v in threads)}")
    wall = time.monotonic() - t0
    cpu = cpu_seconds(pid) - c0
    received = sum(v.events for v in threads) - events0
    errors = [v.error for v in threads if v.error]
    stop.set()
    for v in threads:
        v.close()
    for v in threads:
        v.join(5)
    time.sleep(5)
    after = engine_connections(pid, sockets)
    with open(raw, "w") as f:
        f.write("second\tengine_conns\trss_kib\tcpu_s\tevents\n" + "\n".join(rows) + "\n")
    b = sum(before_idle.values())
    print(f"stacks={len(stacks)} viewers={len(threads)} seconds={wall:.0f} join_s={joined - started:.1f} "
          f"engine_conns_before={sum(before.values())} engine_conns_before_after_idle={b} "
          f"engine_conns_during_min={min(conns)} engine_conns_during_max={max(conns)} engine_conns_after={sum(after.values())} "
          + "".join(f"engine{i}_before={before_idle[sock]} engine{i}_during_max={max(per_socket[sock])} engine{i}_after={after[sock]} "
                    for i, sock in enumerate(sockets))
          + f"streams_max={max(conns) - b} streams_net={max(conns) - sum(after.values())} cpu_pct={cpu / wall * 100:.1f} idle_cpu_pct={idle_pct:.1f} "
          f"rss_idle_mib={rss_idle / 1024:.1f} rss_max_mib={max(rss) / 1024:.1f} rss_end_mib={rss[-1] / 1024:.1f} "
          f"events_per_viewer_per_s={received / len(threads) / wall:.2f} errors={len(errors)}")
    if errors:
        print("viewer errors: " + "; ".join(sorted(set(errors))[:3]), file=sys.stderr)


def split_command(args):
    i = args.index("--")
    return args[:i], args[i + 1:]


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "deploy-time":
        a, command = split_command(args)
        deploy_time(a[0], a[1], int(a[2]), float(a[3]), command)
    elif cmd == "wait-gone":
        wait_gone(args[0], float(args[1]), args[2:])
    elif cmd == "wait-running":
        wait_running(args[0], args[1], int(args[2]), float(args[3]))
    elif cmd == "push-latency":
        a, command = split_command(args)
        push_latency(a[0], a[1], float(a[2]), command)
    elif cmd == "stats-load":
        i = args.index("--sockets")
        a, sockets = args[:i], args[i + 1:]
        stats_load(a[0], a[1], a[2], float(a[3]), int(a[4]), a[5], a[6:], sockets)
    elif cmd == "percentiles":
        # percentiles FILE: one number per line → n, median, p90, p99 (nearest rank), min, max
        values = sorted(float(x) for x in open(args[0]).read().split())
        def rank(p):
            return values[max(0, min(len(values) - 1, -(-p * len(values) // 100) - 1))]
        print(f"n={len(values)} median={statistics.median(values):.2f} p50={rank(50):.2f} p90={rank(90):.2f} "
              f"p99={rank(99):.2f} min={values[0]:.2f} max={values[-1]:.2f}")
    else:
        raise SystemExit(f"stackbench.py: unknown command {cmd}")


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Exception as e:  # noqa: BLE001 - one line for the NOT MEASURED row
        print(f"stackbench.py {sys.argv[1] if len(sys.argv) > 1 else ''}: {e}", file=sys.stderr)
        sys.exit(1)
