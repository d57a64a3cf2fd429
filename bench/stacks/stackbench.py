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
  rolling URL TOKEN STACK SOCK RATE MAX_SECONDS RAW UPDATE_BODY [--state-only]
      A steady stream of HTTP GETs (RATE/s, round-robin) to the running tasks of STACK's `web` service, straight to
      each task's port (20000 + the first 4 hex digits of md5(task id) mod 20000, as the service's command computes
      it), the task list refreshed every 200 ms from GET /api/v1/stacks/{STACK}/tasks (state and desired state
      running; with --state-only the desired state is ignored, so the client only learns of a stopping task
      once it has stopped). While it runs: PUT /api/v1/stacks/{STACK} with UPDATE_BODY (a changed environment value), then
      POST /api/v1/stacks/{STACK}/redeploy {"pull":false,"force":true}; each waited for until the API's updateState is
      completed and every replica runs the service's current spec (engine at SOCK). Prints requests, failures and
      their causes (each failure with the time its task left the client's list), and the update durations; every
      request to RAW. Bounded: MAX_SECONDS and RATE × MAX_SECONDS requests.
Loopback only; every wait is bounded; nothing is started that outlives this process.
"""
import hashlib
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
import urllib.error
import urllib.parse
import urllib.request

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


# ---------------------------------------------------------------- rolling pass
def task_port(task_id):
    """The port a web task listens on: what its command computes with busybox md5sum (see stacks.sh compose_rolling)."""
    return 20000 + int(hashlib.md5(task_id.encode()).hexdigest()[:4], 16) % 20000


class Api:
    """One keep-alive connection to Dockyard (the task-list refreshes add no connection churn)."""

    def __init__(self, url, token):
        u = urllib.parse.urlparse(url)
        self.host, self.port, self.token = u.hostname, u.port, token
        self.conn = None

    def call(self, method, path, body=None):
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                headers = {"Authorization": f"Bearer {self.token}"}
                if body is not None:
                    headers["Content-Type"] = "application/json"
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                if r.status >= 300:
                    raise RuntimeError(f"{method} {path} answered {r.status}: {problem(data)}")
                return json.loads(data) if data else None
            except (OSError, http.client.HTTPException):
                self.conn = None
                if attempt == 2:
                    raise


class TaskList(threading.Thread):
    """Every 200 ms: the stack's web tasks whose state and desired state are running → {task id: port}."""

    def __init__(self, url, token, stack, stop, state_only=False):
        super().__init__(daemon=True)
        self.api, self.stack, self.stop, self.state_only = Api(url, token), stack, stop, state_only
        self.service = f"{stack}_web"
        self.running = {}
        self.left = {}        # task id → monotonic time it was first missing from the list
        self.seen = {}        # task id → monotonic time it first appeared
        self.latencies = []   # seconds per GET /tasks
        self.error = None

    def refresh(self):
        t0 = time.monotonic()
        items = self.api.call("GET", f"/api/v1/stacks/{urllib.parse.quote(self.stack)}/tasks")["items"]
        now = time.monotonic()
        self.latencies.append(now - t0)
        running = {t["id"]: task_port(t["id"]) for t in items
                   if t["service"] == self.service and t["state"] == "running"
                   and (self.state_only or t["desiredState"] == "running")}
        for tid in running:
            self.seen.setdefault(tid, now)
        for tid in self.running:
            if tid not in running:
                self.left.setdefault(tid, now)
        self.running = running

    def run(self):
        while not self.stop.is_set():
            due = time.monotonic() + 0.2
            try:
                self.refresh()
            except Exception as e:  # noqa: BLE001 - reported by the caller
                self.error = str(e)
                return
            self.stop.wait(max(0.0, due - time.monotonic()))


def fetch(port, timeout=1.0):
    """One GET / to a task: None when it answered 200 with the page, else the cause."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            c.request("GET", "/")
            r = c.getresponse()
            body = r.read()
            if r.status != 200:
                return f"http {r.status}"
            return None if body.strip() == b"ok" else "wrong body"
        finally:
            c.close()
    except ConnectionRefusedError:
        return "refused"
    except ConnectionResetError:
        return "reset"
    except (socket.timeout, TimeoutError):
        return "timeout"
    except (OSError, http.client.HTTPException) as e:
        return type(e).__name__


def update_done(engine, api, stack, service_name):
    """(done, description): the API says updateState completed and every replica runs the service's current spec."""
    detail = api.call("GET", f"/api/v1/stacks/{urllib.parse.quote(stack)}")
    detail = detail.get("stack", detail)
    web = [s for s in detail.get("services", []) if s.get("shortName") == "web" or s.get("name") == service_name]
    state = web[0].get("updateState") if web else None
    message = web[0].get("updateMessage") if web else None
    if state and (state.startswith("rollback") or state == "paused"):
        raise RuntimeError(f"the update ended {state}: {message}")
    svc = [s for s in engine.get("/services", {"name": [service_name]}) if s["Spec"]["Name"] == service_name][0]
    tmpl = svc["Spec"]["TaskTemplate"]
    replicas = svc["Spec"]["Mode"]["Replicated"]["Replicas"]
    tasks = engine.get("/tasks", {"service": [svc["ID"]], "desired-state": ["running"]})
    running = [t for t in tasks if t.get("Status", {}).get("State") == "running"]
    current = [t for t in running if t["Spec"]["ContainerSpec"].get("Env") == tmpl["ContainerSpec"].get("Env")
               and t["Spec"].get("ForceUpdate", 0) == tmpl.get("ForceUpdate", 0)]
    done = state == "completed" and len(current) == replicas == len(running)
    status = svc.get("UpdateStatus", {})
    return done, f"updateState={state} running={len(running)} current={len(current)}/{replicas}", status


def swarm_seconds(status):
    """Swarm's own StartedAt → CompletedAt of an update, in seconds (None when missing)."""
    def parse(ts):
        m = re.match(r"(\d+-\d+-\d+T\d+:\d+:\d+)(\.\d+)?", ts or "")
        if not m:
            return None
        return time.mktime(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")) + float(m.group(2) or 0)
    a, b = parse(status.get("StartedAt")), parse(status.get("CompletedAt"))
    return None if a is None or b is None else b - a


def write_rolling_raw(raw, log, events):
    """Every request (time, task, port, result, retry, phase) and the update events: written even when the run fails."""
    with open(raw, "w") as f:
        f.write("t_s\ttask\tport\tresult\tretry\tphase\n")
        for t, tid, port, cause, retry, ph in log:
            f.write(f"{t:.3f}\t{tid}\t{port}\t{cause or 'ok'}\t{retry or ('ok' if cause else '')}\t{ph}\n")
        for t, text in events:
            f.write(f"# {t:.3f} {text}\n")


def rolling(url, token, stack, sock, rate, max_seconds, raw, update_body, state_only=False):
    engine = Engine(sock)
    api = Api(url, token)
    stop = threading.Event()
    tasks = TaskList(url, token, stack, stop, state_only)
    tasks.refresh()
    if len(tasks.running) < 2:
        raise RuntimeError(f"{stack}: {len(tasks.running)} web tasks running before the load")
    tasks.start()
    t_start = time.monotonic()
    deadline = t_start + max_seconds
    max_requests = int(rate * max_seconds)
    log = []           # (t, task id, port, cause or None, retry cause or None)
    events = []        # (t, text)
    updates = []       # (name, seconds, swarm seconds)
    phase = {"name": "baseline"}

    def load():
        n = 0
        interval = 1.0 / rate
        next_t = time.monotonic()
        while not stop.is_set() and n < max_requests and time.monotonic() < deadline:
            running = list(tasks.running.items())
            if running:
                tid, port = running[n % len(running)]
                t = time.monotonic()
                cause = fetch(port)
                retry = None
                if cause is not None:   # what a router that retries once on another task would see
                    others = [(i, p) for i, p in tasks.running.items() if i != tid]
                    retry = fetch(others[0][1]) if others else "no other task"
                log.append((t - t_start, tid, port, cause, retry, phase["name"]))
            n += 1
            next_t += interval
            delay = next_t - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                next_t = time.monotonic()   # behind (a slow request): no burst to catch up

    loader = threading.Thread(target=load, daemon=True)
    loader.start()

    def wait_update(name, trigger):
        phase["name"] = name
        t0 = time.monotonic()
        events.append((t0 - t_start, f"{name} requested"))
        trigger()
        events.append((time.monotonic() - t_start, f"{name} answered"))
        desc = ""
        while True:
            if tasks.error:
                raise RuntimeError(f"task list: {tasks.error}")
            done, desc, status = update_done(engine, api, stack, f"{stack}_web")
            if done:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} not completed within the {max_seconds:.0f} s bound: {desc}")
            time.sleep(0.2)
        seconds = time.monotonic() - t0
        events.append((time.monotonic() - t_start, f"{name} completed ({desc})"))
        updates.append((name, seconds, swarm_seconds(status)))
        phase["name"] = f"after {name}"

    body = open(update_body, "rb").read()
    try:
        time.sleep(2)
        wait_update("update", lambda: api.call("PUT", f"/api/v1/stacks/{urllib.parse.quote(stack)}", body))
        time.sleep(2)
        wait_update("redeploy", lambda: api.call("POST", f"/api/v1/stacks/{urllib.parse.quote(stack)}/redeploy",
                                                 json.dumps({"pull": False, "force": True}).encode()))
        time.sleep(2)
    finally:
        stop.set()
        loader.join(10)
        tasks.join(5)
        write_rolling_raw(raw, log, events)

    failures = [(t, tid, cause, retry) for t, tid, _, cause, retry, _ in log if cause]
    causes = {}
    for _, _, cause, _ in failures:
        causes[cause] = causes.get(cause, 0) + 1
    # Each failure: how long before the client's list dropped its task (the 200 ms refresh lag when small).
    lags = []
    for t, tid, cause, _ in failures:
        left = tasks.left.get(tid)
        lags.append(f"{(left - t_start - t) * 1000:.0f}" if left is not None else "never")
    after_retry = sum(1 for _, _, _, retry in failures if retry)
    lat = sorted(tasks.latencies)
    print(f"requests={len(log)} seconds={time.monotonic() - t_start:.1f} failed={len(failures)} "
          f"causes={','.join(f'{k}:{v}' for k, v in sorted(causes.items())) or 'none'} "
          f"failed_after_retry={after_retry} left_list_ms_after_failure={','.join(lags) or 'none'} "
          + " ".join(f"{name}_s={s:.2f} {name}_swarm_s={'%.2f' % sw if sw is not None else 'na'}" for name, s, sw in updates)
          + f" tasks_seen={len(tasks.seen)} tasklist_p50_ms={lat[len(lat) // 2] * 1000:.0f} "
          f"tasklist_max_ms={lat[-1] * 1000:.0f} refreshes={len(lat)}")


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
    elif cmd == "rolling":
        rolling(args[0], args[1], args[2], args[3], float(args[4]), float(args[5]), args[6], args[7],
                len(args) > 8 and args[8] == "--state-only")
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
