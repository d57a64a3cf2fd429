// Dockyard web UI: the only script. Progressive enhancement for two things static HTML cannot do:
// copying text to the clipboard, and asking for confirmation before a destructive form is submitted.
(() => {
  "use strict";

  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!button) return;
    event.preventDefault();
    const text = button.getAttribute("data-copy") ?? "";
    const label = button.textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = "Copied";
    } catch {
      // Clipboard API needs a secure context; fall back to selecting the text for Ctrl+C.
      const target = document.getElementById(button.getAttribute("aria-controls") ?? "");
      if (target) {
        const range = document.createRange();
        range.selectNodeContents(target);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
      }
      button.textContent = "Press Ctrl+C";
    }
    setTimeout(() => { button.textContent = label; }, 1600);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const template = form.getAttribute("data-confirm");
    // "{value}" names what the pressed button acts on (one form serves a whole table of delete buttons).
    const message = template?.replace("{value}", event.submitter?.getAttribute("value") ?? "");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Filter selects submit their form on change (the submit button stays for keyboard and no-script users).
  document.addEventListener("change", (event) => {
    const select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit")) {
      select.form?.requestSubmit();
    }
  });

  // Events page: new events from the page's SSE feed go on top of the table, which keeps at most data-max-rows rows.
  const liveTable = document.querySelector("table[data-live-events]");
  if (liveTable && window.EventSource && !new URLSearchParams(location.search).has("before")) {
    const body = liveTable.tBodies[0];
    const max = Number(liveTable.getAttribute("data-max-rows")) || 500;
    const status = document.getElementById("events-live-status");
    const source = new EventSource(liveTable.getAttribute("data-live-events"));
    const cell = (row, text, className) => {
      const td = row.insertCell();
      if (className) td.className = className;
      td.textContent = text ?? "";
      return td;
    };
    source.addEventListener("open", () => { if (status) status.textContent = "Live."; });
    source.addEventListener("error", () => { if (status) status.textContent = "Live updates interrupted; reconnecting…"; });
    source.addEventListener("gap", () => { if (status) status.textContent = "Some live events were skipped; reload to see them all."; });
    source.addEventListener("message", (message) => {
      const e = JSON.parse(message.data);
      const row = body.insertRow(0);
      row.dataset.type = e.type;
      row.dataset.action = e.action;
      const time = document.createElement("time");
      time.dateTime = e.time;
      time.textContent = e.time;
      cell(row, "", "nowrap").append(time);
      cell(row, e.type);
      const code = document.createElement("code");
      code.textContent = e.action;
      cell(row, "").append(code);
      cell(row, e.actor.name ?? e.actor.id, "small");
      cell(row, e.nodeId ?? e.engine, "small muted");
      cell(row, e.user, "small");
      while (body.rows.length > max) body.deleteRow(body.rows.length - 1);
    });
    window.addEventListener("pagehide", () => source.close());
  }
})();

/* --- untagged manifests --- */
// A "select all" checkbox (data-select-all="<form id>") checks every Digests box of its form; a form with
// data-confirm-selected asks for confirmation naming how many are selected, and refuses an empty selection.
(() => {
  "use strict";

  document.addEventListener("change", (event) => {
    const all = event.target;
    if (!(all instanceof HTMLInputElement) || !all.hasAttribute("data-select-all")) return;
    const form = document.getElementById(all.getAttribute("data-select-all") ?? "");
    form?.querySelectorAll('input[type="checkbox"][name="Digests"]').forEach((box) => { box.checked = all.checked; });
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm-selected")) return;
    const count = form.querySelectorAll('input[type="checkbox"][name="Digests"]:checked').length;
    if (count === 0) {
      window.alert("Select at least one manifest.");
      event.preventDefault();
      return;
    }

    if (!window.confirm((form.getAttribute("data-confirm-selected") ?? "").replace("{count}", String(count)))) {
      event.preventDefault();
    }
  });
})();
