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
})();
