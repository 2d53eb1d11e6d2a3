// browser.mjs: what the web page's browser tests share: Debian's chromium
// (headless) through playwright-core, a failed expectation as an
// exception, screenshots, the console's errors, downloads read as CSV, and
// the API called directly (to compare the page with what the server has).
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function check(cond, what) {
  if (!cond) throw new Error("expected: " + what);
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// A page whose console errors and uncaught exceptions are collected in
// page.consoleErrors. The browser's own line for each 4xx a test provokes
// (and for the network drop) is not the page's error.
export async function openPage(context) {
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) page.consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => page.consoleErrors.push(String(e)));
  return page;
}

export function shooter(artifacts) {
  mkdirSync(artifacts, { recursive: true });
  return (page, name, opts = {}) => page.screenshot(Object.assign({ path: join(artifacts, name + ".png"), fullPage: true }, opts));
}

// RFC 4180 rows of a CSV text: quoted fields may hold commas, quotes and
// line breaks.
export function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(field); field = ""; }
    else if (ch === "\n") { row.push(field.replace(/\r$/, "")); rows.push(row); row = []; field = ""; }
    else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// Clicks what starts a download and gives {name, text} of the file.
export async function download(page, click) {
  const [d] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), "utf8") };
}

export function apiClient(base, key) {
  return async (path) => {
    const res = await fetch(base + path, { headers: { Authorization: "Bearer " + key } });
    if (!res.ok) throw new Error(path + ": " + res.status);
    return res.json();
  };
}
