// Stacks pages: the Compose editor's line numbers and error mark ([data-compose-editor]) and the stack's live CPU and
// memory ([data-stack-stats], Server-Sent Events from /_ui/stacks/{name}/stats, one sample a second).
"use strict";

function composeEditor(editor) {
  const gutter = editor.querySelector(".compose-gutter");
  const text = editor.querySelector("textarea");
  // The server marks the line a Compose error names; the mark stays until the text is submitted again.
  const errorLine = Number(editor.dataset.errorLine) || 0;
  let shown = -1;

  function renumber() {
    const lines = text.value.split("\n").length;
    if (lines === shown) return;
    shown = lines;
    const fragment = document.createDocumentFragment();
    for (let i = 1; i <= lines; i++) {
      const item = document.createElement("li");
      item.textContent = String(i);
      if (i === errorLine) item.className = "error-line";
      fragment.append(item);
    }
    gutter.replaceChildren(fragment);
    gutter.scrollTop = text.scrollTop;
  }

  text.addEventListener("input", renumber);
  text.addEventListener("scroll", () => { gutter.scrollTop = text.scrollTop; });
  text.addEventListener("keydown", (event) => {
    // Tab indents (two spaces, as YAML wants) instead of leaving the editor; Escape then Tab still leaves it.
    if (event.key !== "Tab" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey || editor.dataset.escaped) return;
    event.preventDefault();
    text.setRangeText("  ", text.selectionStart, text.selectionEnd, "end");
    renumber();
  });
  text.addEventListener("keyup", (event) => { if (event.key === "Escape") editor.dataset.escaped = "1"; });
  text.addEventListener("blur", () => { delete editor.dataset.escaped; });
  renumber();

  if (errorLine > 0) {
    // Put the caret on the faulty line (at its column) and bring it into view.
    const column = Math.max(1, Number(editor.dataset.errorColumn) || 1);
    const starts = text.value.split("\n").slice(0, errorLine - 1).reduce((sum, line) => sum + line.length + 1, 0);
    const lineHeight = parseFloat(getComputedStyle(text).lineHeight) || 18;
    text.scrollTop = Math.max(0, (errorLine - 4) * lineHeight);
    gutter.scrollTop = text.scrollTop;
    text.setSelectionRange(starts + column - 1, starts + column - 1);
  }
}

function bytes(value) {
  if (value === null || value === undefined) return "n/a";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
  return `${value.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function percent(value) {
  return value === null || value === undefined ? "–" : `${value.toFixed(1)} %`;
}

function stackStats(panel) {
  const field = (name) => panel.querySelector(`[data-stat="${name}"]`);
  const spark = panel.querySelector("[data-stat-spark]");
  const status = panel.querySelector("[data-stats-status]");
  const rows = panel.querySelector("[data-stack-service-stats]");
  const warnings = panel.querySelector("[data-stats-warnings]");
  const history = [];
  // The stream names services in full (<stack>_<name>); the page shows the names the Compose file gives them.
  const prefix = `${panel.dataset.stack}_`;
  const shortName = (name) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const events = new EventSource(panel.dataset.source);
  events.onopen = () => { status.textContent = "Live."; };
  events.onmessage = (message) => {
    const s = JSON.parse(message.data);
    field("cpu").textContent = percent(s.cpuPercent);
    field("memory").textContent = bytes(s.memoryUsed);
    field("tasks").textContent = String((s.services || []).reduce((sum, service) => sum + (service.tasks || 0), 0));
    history.push(s.cpuPercent || 0);
    if (history.length > 60) history.shift();
    const top = Math.max(1, ...history);
    spark.setAttribute("points", history.map((v, i) => `${i},${(20 - (v / top) * 19).toFixed(2)}`).join(" "));
    const fragment = document.createDocumentFragment();
    for (const service of s.services || []) {
      const row = document.createElement("tr");
      row.dataset.service = shortName(service.name);
      for (const text of [shortName(service.name), percent(service.cpuPercent), bytes(service.memoryUsed), String(service.tasks ?? 0)]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      fragment.append(row);
    }
    rows.replaceChildren(fragment);
    warnings.textContent = (s.warnings || []).join(" · ");
    status.textContent = `Live · ${new Date(s.time).toLocaleTimeString()}`;
  };
  events.addEventListener("end", (message) => {
    events.close();
    const end = JSON.parse(message.data);
    status.textContent = `Stats stream ended${end.message ? `: ${end.message}` : "."}`;
  });
  events.onerror = () => { events.close(); status.textContent = "Disconnected. Reload the page to reconnect."; };
  window.addEventListener("pagehide", () => events.close());
}

function start() {
  for (const editor of document.querySelectorAll("[data-compose-editor]")) composeEditor(editor);
  for (const panel of document.querySelectorAll("[data-stack-stats]")) stackStats(panel);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
