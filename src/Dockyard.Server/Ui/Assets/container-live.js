// Live container panels: logs (data-logs-panel) and stats (data-stats-panel), over Server-Sent Events.
// Logs: lines arriving faster than the screen refreshes are queued and appended once per animation frame, and only
// the last data-max-lines lines stay in the page, so 10,000 lines/s cannot freeze it. The server drops lines when
// this page reads too slowly and says how many ("dropped" events); "end" says why the stream stopped.
"use strict";

const initialised = new WeakSet();

function start() {
  for (const panel of document.querySelectorAll("[data-logs-panel]")) {
    if (!initialised.has(panel)) { initialised.add(panel); logsPanel(panel); }
  }
  for (const panel of document.querySelectorAll("[data-stats-panel]")) {
    if (!initialised.has(panel)) { initialised.add(panel); statsPanel(panel); }
  }
}

function logsPanel(panel) {
  const source = panel.dataset.source;
  const maxLines = Number(panel.dataset.maxLines) || 5000;
  const form = panel.querySelector("[data-logs-controls]");
  const output = panel.querySelector("[data-logs-output]");
  const status = panel.querySelector("[data-logs-status]");
  const search = panel.querySelector("[data-logs-search]");
  const filter = panel.querySelector("[data-logs-filter]");
  const matches = panel.querySelector("[data-logs-matches]");
  const download = panel.querySelector("[data-logs-download]");
  let events = null;
  let pending = [];
  let frame = 0;
  let received = 0;
  let dropped = 0;
  let query = "";

  function parameters() {
    const p = new URLSearchParams();
    const data = new FormData(form);
    p.set("follow", data.get("follow") ? "true" : "false");
    if (data.get("tail") !== "") p.set("tail", String(data.get("tail")));
    if (String(data.get("since") || "").trim() !== "") p.set("since", String(data.get("since")).trim());
    p.set("timestamps", data.get("timestamps") ? "true" : "false");
    p.set("stdout", data.get("stdout") ? "true" : "false");
    p.set("stderr", data.get("stderr") ? "true" : "false");
    return p;
  }

  function setStatus(text) { status.textContent = text; }

  function render(line) {
    const text = line._text;
    line.replaceChildren();
    if (line._time) {
      const time = document.createElement("span");
      time.className = "log-time";
      time.textContent = line._time;
      line.append(time);
    }
    const lower = query ? text.toLowerCase() : "";
    let at = query ? lower.indexOf(query) : -1;
    line.classList.toggle("match", at >= 0);
    let from = 0;
    while (at >= 0) {
      if (at > from) line.append(text.slice(from, at));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(at, at + query.length);
      line.append(mark);
      from = at + query.length;
      at = lower.indexOf(query, from);
    }
    if (from < text.length || text.length === 0) line.append(text.slice(from));
    if (line._cut) {
      const cut = document.createElement("span");
      cut.className = "log-cut";
      cut.textContent = " … (line cut)";
      line.append(cut);
    }
  }

  function lineElement(item) {
    const line = document.createElement("div");
    line.className = item.stream === "stderr" ? "log-line stderr" : "log-line";
    line._text = item.text;
    line._time = item.time || "";
    line._cut = item.truncated === true;
    render(line);
    return line;
  }

  function note(text) {
    const element = document.createElement("div");
    element.className = "log-note";
    element.textContent = text;
    return element;
  }

  function flush() {
    frame = 0;
    if (pending.length === 0) return;
    // Only the newest maxLines of this batch can survive: skip building the rest.
    const batch = pending.length > maxLines ? pending.slice(pending.length - maxLines) : pending;
    pending = [];
    const stick = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
    const fragment = document.createDocumentFragment();
    for (const item of batch) fragment.append(item.note !== undefined ? note(item.note) : lineElement(item));
    output.append(fragment);
    let excess = output.childElementCount - maxLines;
    while (excess-- > 0) output.firstElementChild.remove();
    if (stick) output.scrollTop = output.scrollHeight;
    countMatches();
  }

  function enqueue(item) {
    pending.push(item);
    if (pending.length > maxLines * 2) pending = pending.slice(pending.length - maxLines);
    if (!frame) frame = requestAnimationFrame(flush);
  }

  function countMatches() {
    if (!query) { matches.textContent = ""; return; }
    matches.textContent = `${output.querySelectorAll(".log-line.match").length} matching lines shown`;
  }

  function applySearch() {
    query = search.value.trim().toLowerCase();
    for (const line of output.querySelectorAll(".log-line")) render(line);
    output.classList.toggle("filtering", filter.checked && query !== "");
    countMatches();
  }

  function describeEnd(end) {
    switch (end.reason) {
      case "stopped": return `Container ${end.state}${end.exitCode !== undefined ? ` (exit code ${end.exitCode})` : ""}: stream ended.`;
      case "removed": return "Container removed: stream ended.";
      case "error": return `Stream broke: ${end.message}`;
      default: return "End of log.";
    }
  }

  function connect() {
    if (events) events.close();
    if (frame) { cancelAnimationFrame(frame); frame = 0; }
    pending = [];
    output.replaceChildren();
    received = 0;
    dropped = 0;
    const p = parameters();
    const full = new URLSearchParams(p);
    full.set("download", "true");
    full.delete("follow");
    full.delete("tail");
    download.href = `${source}?${full}`;
    setStatus("Connecting…");
    events = new EventSource(`${source}?${p}`);
    events.onopen = () => setStatus(p.get("follow") === "true" ? "Following." : "Loading…");
    events.onmessage = (message) => { received++; enqueue(JSON.parse(message.data)); };
    events.addEventListener("dropped", (message) => {
      const count = JSON.parse(message.data).count;
      dropped += count;
      enqueue({ note: `… ${count} lines skipped: the container writes faster than this page reads` });
    });
    events.addEventListener("end", (message) => {
      events.close();
      events = null;
      setStatus(describeEnd(JSON.parse(message.data)) + (dropped ? ` ${dropped} lines skipped.` : ""));
    });
    events.onerror = () => {
      // EventSource would reconnect and replay the tail: stop instead and say so.
      if (events) events.close();
      events = null;
      setStatus("Disconnected. Reload to reconnect.");
    };
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); connect(); });
  search.addEventListener("input", applySearch);
  filter.addEventListener("change", applySearch);
  connect();
}

function bytes(value) {
  if (value === null || value === undefined) return "n/a";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
  return `${value.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function statsPanel(panel) {
  const field = (name) => panel.querySelector(`[data-stat="${name}"]`);
  const spark = panel.querySelector("[data-stat-spark]");
  const bar = panel.querySelector("[data-stat-bar]");
  const status = panel.querySelector("[data-stats-status]");
  const history = [];
  const events = new EventSource(panel.dataset.source);
  events.onopen = () => { status.textContent = "Live."; };
  events.onmessage = (message) => {
    const s = JSON.parse(message.data);
    field("cpu").textContent = s.cpuPercent === null ? "–" : `${s.cpuPercent.toFixed(1)} %`;
    field("memory").textContent = `${bytes(s.memoryUsed)} / ${bytes(s.memoryLimit)}`;
    field("memoryPercent").textContent = s.memoryPercent === null ? "" : `(${s.memoryPercent.toFixed(1)} %)`;
    field("network").textContent = s.networkRx === null ? "n/a" : `${bytes(s.networkRx)} / ${bytes(s.networkTx)}`;
    field("block").textContent = `${bytes(s.blockRead)} / ${bytes(s.blockWrite)}`;
    field("pids").textContent = s.pids === null ? "–" : String(s.pids);
    bar.style.width = `${Math.min(100, s.memoryPercent || 0)}%`;
    history.push(s.cpuPercent || 0);
    if (history.length > 60) history.shift();
    const top = Math.max(1, ...history);
    spark.setAttribute("points", history.map((v, i) => `${i},${(20 - (v / top) * 19).toFixed(2)}`).join(" "));
    status.textContent = `Live · ${new Date(s.time).toLocaleTimeString()}`;
  };
  events.addEventListener("end", (message) => {
    events.close();
    const end = JSON.parse(message.data);
    status.textContent = end.reason === "stopped" ? "Container not running: no stats." : `Stats stream broke: ${end.message}`;
  });
  events.onerror = () => { events.close(); status.textContent = "Disconnected. Reload the page to reconnect."; };
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
