// Dockyard browser terminal: xterm.js wired to a WebSocket relay (see Control/Exec/TerminalRelay.cs).
// Wire protocol, one WebSocket:
//   server → browser  binary frames: raw terminal output bytes, cut wherever the server's reads ended. They go to
//                     term.write(Uint8Array) unchanged: xterm decodes UTF-8 across frames, so a multibyte character
//                     split between two frames stays intact (decoding per frame is what corrupts them).
//   browser → server  binary frames: keystrokes as UTF-8 bytes.
//                     text frames: JSON control messages; today only {"type":"resize","cols":c,"rows":r}.
// Nothing from the server is ever turned into markup or script: output goes to the terminal, the close reason is
// written as terminal text with control characters removed.
import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import "@xterm/xterm/css/xterm.css";

const encoder = new TextEncoder();

/** The ws:// or wss:// URL of a same-origin path (or absolute http(s)/ws(s) URL) named by the page. */
function socketUrl(value) {
  const url = new URL(value, window.location.href);
  if (url.protocol === "http:") url.protocol = "ws:";
  else if (url.protocol === "https:") url.protocol = "wss:";
  return url;
}

/** A close reason as plain, single-line terminal text: no escape sequences from the server reach the terminal. */
function printable(text) {
  return String(text ?? "").replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").slice(0, 200);
}

/**
 * Starts a terminal in <paramref name="element"/>, which names its socket in data-terminal-url.
 * Returns the terminal, the socket and dispose() (closes both) so a page (or a test) can observe and replace them.
 */
export function startTerminal(element) {
  const url = element.dataset.terminalUrl;
  if (!url) throw new Error("The terminal element has no data-terminal-url.");

  const term = new Terminal({ cursorBlink: true, scrollback: 5000, convertEol: false });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(element);

  const socket = new WebSocket(socketUrl(url));
  socket.binaryType = "arraybuffer";
  element.dataset.terminalState = "connecting";

  const sendResize = () => {
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "resize", cols: term.cols, rows: term.rows }));
    }
  };
  const refit = () => {
    // fit() raises onResize only when the size changes; the explicit send covers the first fit after connecting.
    fit.fit();
  };

  socket.addEventListener("open", () => {
    element.dataset.terminalState = "open";
    refit();
    sendResize();
    term.focus();
  });
  socket.addEventListener("message", (event) => {
    if (event.data instanceof ArrayBuffer) {
      term.write(new Uint8Array(event.data));
    }
    // Text frames from the server are not part of the protocol; ignore them rather than render them.
  });
  socket.addEventListener("close", (event) => {
    element.dataset.terminalState = "closed";
    const reason = printable(event.reason) || (event.wasClean ? "connection closed" : "connection lost (not signed in, no access, or the server went away)");
    term.write(`\r\n\x1b[2m[${reason}]\x1b[0m\r\n`);
  });

  term.onData((data) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(encoder.encode(data));
  });
  term.onBinary((data) => {
    // Legacy mouse reports: one byte per char code.
    if (socket.readyState !== WebSocket.OPEN) return;
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i) & 0xff;
    socket.send(bytes);
  });
  term.onResize(sendResize);

  let pending = 0;
  const onWindowResize = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(refit);
  };
  window.addEventListener("resize", onWindowResize);

  refit();
  const dispose = () => {
    window.removeEventListener("resize", onWindowResize);
    cancelAnimationFrame(pending);
    if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(1000, "closed by the user");
    term.dispose();
  };
  return { term, socket, dispose };
}

/**
 * A console panel (Components/ContainerConsolePanel.razor): a form choosing the command and user, and a terminal host.
 * Connect builds the socket URL from data-terminal-base and the form, and replaces any earlier terminal.
 */
export function startConsole(panel) {
  const form = panel.querySelector("form");
  const host = panel.querySelector("[data-terminal-host]");
  const base = panel.dataset.terminalBase;
  if (!form || !host || !base) throw new Error("The console panel needs a form, a [data-terminal-host] and data-terminal-base.");

  const command = form.elements.namedItem("cmd");
  const custom = form.elements.namedItem("custom");
  const syncCustom = () => {
    if (custom) custom.disabled = command.value !== "custom";
  };
  command?.addEventListener("change", syncCustom);
  syncCustom();

  let current = null;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    const chosen = command?.value === "custom" ? (custom?.value ?? "").trim() : command?.value;
    if (chosen) query.set("cmd", chosen);
    const user = (form.elements.namedItem("user")?.value ?? "").trim();
    if (user) query.set("user", user);
    current?.dispose();
    host.replaceChildren();
    const suffix = query.toString();
    host.dataset.terminalUrl = suffix ? `${base}?${suffix}` : base;
    current = startTerminal(host);
    panel.dataset.consoleConnections = String(Number(panel.dataset.consoleConnections ?? "0") + 1);
  });
}

for (const element of document.querySelectorAll("[data-terminal-url]")) {
  startTerminal(element);
}

for (const panel of document.querySelectorAll("[data-terminal-console]")) {
  startConsole(panel);
}
