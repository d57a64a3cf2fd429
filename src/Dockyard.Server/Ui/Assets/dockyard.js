// Dockyard web UI: the only script. Progressive enhancement for what static HTML cannot do: the top bar's menus,
// copying text to the clipboard, asking for confirmation before a destructive form is submitted, live events.
(() => {
  "use strict";

  // Top bar menus (Layout/NavMenu.razor): a button[data-disclosure] shows the element its aria-controls names while
  // aria-expanded is "true" (the CSS keys on that). One menu at a time, except the phone Menu that holds the others;
  // Escape closes the innermost and returns focus to its button; a click or focus outside closes them.
  const disclosures = () => [...document.querySelectorAll("button[data-disclosure]")];
  const panelOf = (button) => document.getElementById(button.getAttribute("aria-controls") ?? "");
  const isOpen = (button) => button.getAttribute("aria-expanded") === "true";
  const setOpen = (button, open) => button.setAttribute("aria-expanded", open ? "true" : "false");
  const holds = (button, node) => node instanceof Node && (button.contains(node) || (panelOf(button)?.contains(node) ?? false));
  const closeOutside = (node) => disclosures().filter(isOpen).forEach((b) => { if (!holds(b, node)) setOpen(b, false); });

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest("button[data-disclosure]");
    if (button) {
      const open = !isOpen(button);
      closeOutside(button);
      setOpen(button, open);
    } else {
      closeOutside(target);
    }
  });
  document.addEventListener("focusin", (event) => closeOutside(event.target));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = disclosures().filter(isOpen);
    const innermost = open.reverse().find((b) => holds(b, document.activeElement)) ?? open[0];
    if (innermost) {
      setOpen(innermost, false);
      innermost.focus();
    }
  });

  // A box that scrolls sideways (a wide table on a phone, a long code block) takes keyboard focus, so it can be
  // scrolled with the arrow keys (WCAG 2.1.1).
  const focusScrollable = () => {
    for (const box of document.querySelectorAll(".table-wrap, .table-scroll, pre, .pull code")) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    }
  };
  focusScrollable();
  window.addEventListener("resize", focusScrollable);

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
        button.textContent = "Press Ctrl+C";
      } else {
        // Nothing on the page shows the text (a tag row's pull command): copy it through a hidden text box.
        const box = document.createElement("textarea");
        box.value = text;
        box.className = "visually-hidden";
        document.body.append(box);
        box.select();
        const copied = document.execCommand("copy");
        box.remove();
        button.textContent = copied ? "Copied" : "Copy failed";
      }
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

/* --- Permissions: token forms --- */
(() => {
  "use strict";

  // A fieldset with data-push-needs-pull="ID" shows the element ID while push is ticked without pull (such a token
  // cannot push: every upload needs pull and push). The server warns again on creation.
  const update = (fieldset) => {
    const warning = document.getElementById(fieldset.getAttribute("data-push-needs-pull"));
    const pull = fieldset.querySelector('input[data-action="pull"]');
    const push = fieldset.querySelector('input[data-action="push"]');
    if (warning && pull && push) {
      warning.hidden = !(push.checked && !pull.checked);
    }
  };
  document.querySelectorAll("fieldset[data-push-needs-pull]").forEach(update);
  document.addEventListener("change", (event) => {
    const fieldset = event.target instanceof Element ? event.target.closest("fieldset[data-push-needs-pull]") : null;
    if (fieldset) update(fieldset);
  });
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

  // Search suggestions (Layout/MainLayout.razor): the box names the URL in data-search-suggest; as the user types,
  // the answer (a JSON array of strings, already permission-filtered by the server) fills the box's datalist. Only
  // the newest answer is shown; option values are set as text, never parsed as HTML.
  let suggestTimer = 0;
  let suggestSeq = 0;
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-search-suggest")) return;
    window.clearTimeout(suggestTimer);
    const list = box.list;
    const query = box.value.trim();
    if (!list || query.length === 0) return;
    suggestTimer = window.setTimeout(async () => {
      const seq = ++suggestSeq;
      try {
        const response = await fetch(`${box.getAttribute("data-search-suggest")}?q=${encodeURIComponent(query)}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok || seq !== suggestSeq) return;
        const items = await response.json();
        if (seq !== suggestSeq || !Array.isArray(items)) return;
        list.replaceChildren(...items.filter((item) => typeof item === "string").map((item) => {
          const option = document.createElement("option");
          option.value = item;
          return option;
        }));
      } catch {
        // Suggestions are a convenience: the form still submits to the results page.
      }
    }, 150);
  });
})();
