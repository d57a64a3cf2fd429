// Bundles terminal.js (with xterm.js and its stylesheet) into <outdir>/terminal.js and <outdir>/terminal.css.
// Run by the BuildUiFrontend target of Dockyard.Server.csproj; the output is embedded in the binary, never committed.
import { build } from "esbuild";

const outdir = process.argv[2];
if (!outdir) {
  console.error("usage: node build.mjs <outdir>");
  process.exit(2);
}

await build({
  entryPoints: ["terminal.js"],
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2022"],
  legalComments: "eof",
  outdir,
  logLevel: "warning",
});
