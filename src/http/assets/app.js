// app.js: Prospect's web page. It uses only the public API: it starts a job
// (a search, or the enrichment of the user's own list of companies),
// follows its event stream (resuming after the last event id it saw, so a
// dropped connection or a reload loses nothing and shows nothing twice),
// puts each lead in a table that sorts, filters and selects while rows
// arrive, shows a lead's scores with their evidence, lists past jobs and
// exports leads in a CRM's columns. The stream is read with fetch, not
// EventSource, so that it can carry an API key.
"use strict";

const KEY = "prospect.apiKey"; // sessionStorage: this tab only
const LISTS = ["industry_focus", "pain_points", "competitors"];
const TEXTS = ["business_description", "product_service_description", "value_proposition",
  "ideal_customer", "target_market", "location"];
const SCORES = [
  ["pain_alignment_score", "Pain alignment"],
  ["buying_intent_score", "Buying intent"],
  ["urgency_score", "Urgency"],
  ["icp_fit_score", "Ideal-customer fit"],
];
// How the social networks of a lead's links write their names.
const NETWORKS = { linkedin: "LinkedIn", youtube: "YouTube", github: "GitHub", tiktok: "TikTok", x: "X" };
const EXAMPLE = {
  business_description: "AI-powered CRM solutions for SMBs",
  product_service_description: "Intelligent CRM with automation",
  value_proposition: "Increase sales efficiency by 40%",
  ideal_customer: "SMBs with 10-100 employees in tech",
  industry_focus: ["Technology", "SaaS", "Consulting"],
  pain_points: ["Manual data entry", "Poor lead tracking"],
  competitors: ["Salesforce", "HubSpot"],
  target_market: "North America SMB market",
  location: "United States, Canada",
  max_leads_to_generate: 10,
  user_search_query: "companies looking for CRM automation",
};
// Headers of a CRM export's column that names companies, best first: a
// domain beats a website, which beats an e-mail address (a person's may be
// at a free-mail provider). The same list as `prospect run --exclude`.
const DOMAIN_HEADERS = ["domain", "company domain name", "company domain", "domains",
  "email domain", "website", "website url", "company website", "url", "account website",
  "email", "e-mail", "email address", "e-mail address"];
// An address at one of these names a person, not the company to enrich.
const FREE_MAIL = new Set(["gmail.com", "googlemail.com", "yahoo.com", "hotmail.com",
  "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "gmx.com", "gmx.de",
  "web.de", "proton.me", "protonmail.com", "yandex.ru", "mail.ru", "qq.com", "163.com"]);
const MAX_EXCLUDE = 20000; // the API's cap on exclude_domains
// Why a company of the user's list gave no lead (lead_enrichment_end's error_type).
const FAILURES = {
  unreachable: "Site unreachable",
  blocked: "Site refused us",
  not_a_company_site: "Not a company site",
  competitor: "A competitor of yours",
  excluded: "Already in your CRM",
  duplicate: "Listed twice",
  stopped: "Stopped before it was read",
};

const $ = (id) => document.getElementById(id);
// The job on screen: {id, name, lastSeq, leads: Map of lead id to record,
// ended, abort, max}. A record is one table row: see addLead.
let job = null;
let pendingAfterKey = null;
let exclude = []; // the CRM file's companies, to skip: bare hosts

// ---- the API ----

async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  const key = sessionStorage.getItem(KEY);
  if (key) headers.Authorization = "Bearer " + key;
  const res = await fetch(path, Object.assign({}, opts, { headers }));
  if (res.status === 401) {
    askForKey(sessionStorage.getItem(KEY) ? "That key was not accepted; check it and try again." : "");
    throw new ApiError(res.status, "an API key is needed");
  }
  return res;
}

class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

async function apiJson(path, opts) {
  const res = await api(path, opts);
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    let msg = body && body.message ? body.message : "the server answered " + res.status;
    if (res.status === 429) msg += " (wait a moment, then try again)";
    if (body && body.error_id) msg = "the server failed (error id " + body.error_id + "); try again, or report this id";
    throw new ApiError(res.status, msg, body);
  }
  return body;
}

function notice(text) {
  const n = $("notice");
  n.textContent = text || "";
  n.hidden = !text;
}

function askForKey(message) {
  $("key-panel").hidden = false;
  const err = $("api-key-error");
  err.textContent = message || "";
  err.hidden = !message;
  $("api-key").focus();
}

// ---- pages ----

function show(panel) {
  for (const id of ["form-panel", "job-panel", "history-panel"]) $(id).hidden = id !== panel;
}

function route() {
  const m = location.hash.match(/^#job=(.+)$/);
  if (m) return openJob(decodeURIComponent(m[1]));
  stopFollowing();
  if (location.hash === "#history") return openHistory();
  show("form-panel");
  document.title = "Prospect: find and qualify B2B leads";
}

// A job's name, from what the user asked: their query, else what their
// business does, else whom it sells to, else the size of their list. A
// job id says nothing to a sales team.
function jobName(req, id) {
  const r = req || {};
  const c = r.business_context || {};
  const text = [r.user_search_query, c.business_description, c.ideal_customer]
    .find((v) => typeof v === "string" && v.trim());
  if (text) return shorten(text.trim(), 70);
  if (Array.isArray(r.companies)) return "Enrich " + plural(r.companies.length, "company", "companies");
  return "Search " + id;
}

// s cut at a word to at most n characters.
function shorten(s, n) {
  if (s.length <= n) return s;
  const cut = s.slice(0, n - 1);
  const space = cut.lastIndexOf(" ");
  return (space > n / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "") + "…";
}

function plural(n, one, many) {
  return n.toLocaleString("en") + " " + (n === 1 ? one : many);
}

// ---- the form ----

function mode() {
  return document.querySelector("input[name=mode]:checked").value;
}

// Search mode asks for a context and how many leads; list mode for the
// companies, the context then being optional (it is what they are scored
// against).
function setMode() {
  const list = mode() === "list";
  $("list-fields").hidden = !list;
  for (const e of document.querySelectorAll("#job-form .search-only")) e.hidden = list;
  $("context-title").textContent = list ? "Your business (optional)" : "Your business";
  $("context-hint").textContent = list
    ? "Describe what you sell to have each company scored against it; leave it empty to read the companies only."
    : "Lists take one item per line. Only what you fill in is used; the more you say, the better the leads.";
  $("submit").textContent = list ? "Enrich companies" : "Find leads";
  clearErrors();
}

function fillExample() {
  for (const [k, v] of Object.entries(EXAMPLE)) {
    const el = $(k);
    if (el) el.value = Array.isArray(v) ? v.join("\n") : String(v);
  }
  clearErrors();
}

function clearErrors() {
  for (const el of document.querySelectorAll("#job-form [aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  }
  for (const el of document.querySelectorAll("#job-form .field-error:not(#form-error)")) el.remove();
  $("drop-bad").hidden = true;
  $("form-error").hidden = true;
  $("form-error").textContent = "";
}

function clearFieldError(name) {
  const p = $(name + "-error");
  if (p) p.remove();
  $(name).removeAttribute("aria-invalid");
  $(name).removeAttribute("aria-describedby");
}

function fieldError(name, message) {
  const input = $(name);
  if (!input) return false;
  const id = name + "-error";
  let p = document.getElementById(id);
  if (!p) {
    p = document.createElement("p");
    p.id = id;
    p.className = "field-error";
    input.insertAdjacentElement("afterend", p);
  }
  p.textContent = p.textContent ? p.textContent + "; " + message : message;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", id);
  return true;
}

function contextFromForm() {
  const ctx = {};
  for (const name of TEXTS) {
    const v = $(name).value.trim();
    if (v) ctx[name] = v;
  }
  for (const name of LISTS) {
    const items = $(name).value.split(/\n|,(?=\s)/).map((s) => s.trim()).filter(Boolean);
    if (items.length) ctx[name] = items;
  }
  return ctx;
}

function requestFromForm() {
  const ctx = contextFromForm();
  const n = $("max_leads_to_generate").value.trim();
  if (n) ctx.max_leads_to_generate = /^-?\d+$/.test(n) ? Number(n) : n;
  const body = { business_context: ctx };
  const q = $("user_search_query").value.trim();
  if (q) body.user_search_query = q;
  return body;
}

// The enrichment request, or null when the list has lines that name no
// company (they are shown by the field, so the user fixes them first).
function enrichFromForm() {
  const list = listedCompanies();
  if (list.bad.length) {
    showBadLines(list.bad);
    return null;
  }
  if (!list.companies.length) {
    fieldError("companies", "Paste or upload at least one domain or website address.");
    return null;
  }
  const body = { companies: list.companies.map((c) => c.send) };
  const ctx = contextFromForm();
  if (Object.keys(ctx).length) body.business_context = ctx;
  return { body, list };
}

async function submitJob(ev) {
  if (ev) ev.preventDefault();
  clearErrors();
  notice("");
  const list = mode() === "list";
  let body, sent = null;
  if (list) {
    const e = enrichFromForm();
    if (!e) return $("companies").focus();
    body = e.body;
    sent = e.list.companies;
  } else {
    body = requestFromForm();
  }
  if (exclude.length) body.exclude_domains = exclude;
  const button = $("submit");
  button.disabled = true;
  try {
    const res = await apiJson(list ? "/api/v2/enrich" : "/api/v2/jobs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    location.hash = "#job=" + encodeURIComponent(res.job_id);
  } catch (e) {
    if (e.status === 401) {
      pendingAfterKey = submitJob;
    } else if (e.status === 400 && e.body && e.body.problems) {
      showProblems(e.body.problems, sent);
    } else if (e.status === 404 && list) {
      showFormError("This server cannot enrich a list (it has no /api/v2/enrich); update it, or find new leads instead.");
    } else if (e.status === 413) {
      showFormError("The request is larger than this server accepts (PROSPECT_MAX_BODY_BYTES): send fewer companies, or a shorter CRM file.");
    } else {
      showFormError(e.message);
    }
  } finally {
    button.disabled = false;
  }
}

// The API's problems, each by the field it concerns: "companies[3]" is
// the fourth company sent, which the user knows by its line.
function showProblems(problems, sent) {
  let first = null;
  for (const p of problems) {
    const path = String(p.path || "");
    const item = path.match(/^companies\[(\d+)\]/);
    const name = path.replace(/^business_context\./, "").replace(/\[.*$/, "");
    let message = p.message;
    if (item && sent && sent[Number(item[1])]) {
      const c = sent[Number(item[1])];
      message = "Line " + c.line + " (“" + c.value + "”): " + p.message;
    }
    if (fieldError(name, message)) first = first || $(name);
    else showFormError(path + ": " + message);
  }
  if (first) first.focus();
}

function showFormError(text) {
  const p = $("form-error");
  p.textContent = p.hidden ? text : p.textContent + "; " + text;
  p.hidden = false;
}

// ---- lists of companies: pasted, or read from a CRM's export ----

// Whether s can name a company's domain: "acme.com", a URL or an e-mail
// address: a dot after the last "@" or "//", and no space. The server's
// own rule (request_names_domain), so what passes here passes there.
function namesDomain(s) {
  if (/\s/.test(s)) return false;
  const at = s.lastIndexOf("@");
  const sl = s.indexOf("//");
  const from = at >= 0 ? s.slice(at + 1) : sl >= 0 ? s.slice(sl + 2) : s;
  const host = from.split(/[/?#:]/)[0];
  const dot = host.indexOf(".");
  return dot > 0 && dot < host.length - 1;
}

// Why value v cannot be enriched, or "" when it can: the server's rule
// (request_target_url), so that every bad line is named before sending. An
// e-mail address counts, as its domain, unless it names a person's mailbox.
function companyProblem(v) {
  const notDomain = "not a domain, website address or e-mail address";
  if (!v || /\s/.test(v)) return notDomain;
  const scheme = v.match(/^([a-z][a-z0-9+.-]*):\/\//i);
  if (scheme && !/^https?$/i.test(scheme[1])) return "not a website address (only http and https sites can be read)";
  if (!scheme && v.includes("@")) {
    if (!namesDomain(v)) return notDomain;
    return FREE_MAIL.has(hostOf(v)) ? "a personal e-mail address, not a company's" : "";
  }
  const host = v.slice(scheme ? scheme[0].length : 0).split(/[/?#]/)[0];
  if (host.startsWith("[")) return ""; // an IPv6 address: the server judges it
  const [name, port] = host.split(/:(.*)/s);
  const dot = name.indexOf(".");
  if (dot <= 0 || dot === name.length - 1) return notDomain;
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))
    return "a site with a bad port (from 1 to 65535)";
  return "";
}

// Splits CSV text into rows of fields (RFC 4180: a quoted field may hold
// the delimiter, doubled quotes and line breaks).
function parseCsv(text, delim) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") {
      quoted = true;
    } else if (ch === delim) {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += ch;
    }
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// The delimiter of a table's first line: the commonest of comma,
// semicolon (spreadsheets in many locales) and tab, outside quotes.
function sniffDelimiter(line) {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  const best = Object.keys(counts).sort((a, b) => counts[b] - counts[a])[0];
  return counts[best] ? best : null;
}

// The column of a header row that names companies, best first by
// DOMAIN_HEADERS: {index, header}, or null.
function domainColumn(header) {
  let best = null;
  header.forEach((h, index) => {
    const rank = DOMAIN_HEADERS.indexOf(h.trim().toLowerCase());
    if (rank >= 0 && (!best || rank < best.rank)) best = { rank, index, header: h.trim() };
  });
  return best;
}

// Text a user gave (a file, or a paste) as values: a table whose domain,
// website or e-mail column is found by its header, else a plain list, one
// value a line or comma-separated. {values: [{value, line}], column (the
// header used, or ""), blank (rows without a value), error}. A file's
// first line may be a plain list's header ("Companies"); it is skipped.
function readTable(text, isFile) {
  text = text.replace(/^\uFEFF/, ""); // a spreadsheet's byte-order mark
  const firstLine = (text.match(/^[^\r\n]*/) || [""])[0];
  const delim = sniffDelimiter(firstLine);
  const rows = delim ? parseCsv(text, delim) : text.split(/\r\n|\r|\n/).map((l) => [l]);
  const out = { values: [], column: "", blank: 0, error: "" };
  const col = rows.length ? domainColumn(rows[0]) : null;
  if (col) {
    out.column = col.header;
    rows.slice(1).forEach((r, i) => {
      const v = (r[col.index] || "").trim();
      if (v) out.values.push({ value: v, line: i + 2 });
      else if (r.some((f) => f.trim())) out.blank++;
    });
    return out;
  }
  if (delim && rows[0].length > 1 && !rows[0].some((f) => namesDomain(f.trim()))) {
    out.error = "no column of domains, websites or e-mail addresses (name one “Domain”, “Website” or “Email”); its columns are " +
      rows[0].map((h) => "“" + h.trim() + "”").join(", ");
    return out;
  }
  rows.forEach((r, i) => {
    for (const f of r) if (f.trim()) out.values.push({ value: f.trim(), line: i + 1 });
  });
  if (isFile && out.values.length && out.values[0].line === 1 && !namesDomain(out.values[0].value))
    out.values.shift();
  return out;
}

// The companies in the list field: {companies: [{value, line, send}],
// bad: [{value, line, why}]}. An e-mail address is sent as its domain.
function listedCompanies() {
  const out = { companies: [], bad: [] };
  $("companies").value.split(/\r\n|\r|\n/).forEach((text, i) => {
    for (const part of text.split(",")) {
      const value = part.trim();
      if (!value) continue;
      const why = companyProblem(value);
      if (why) out.bad.push({ value, line: i + 1, why });
      else out.companies.push({ value, line: i + 1, send: value.includes("@") ? hostOf(value) : value });
    }
  });
  return out;
}

function showBadLines(bad) {
  const named = bad.slice(0, 5).map((b) => "Line " + b.line + ": “" + shorten(b.value, 60) + "” is " + b.why);
  if (bad.length > 5) named.push("and " + plural(bad.length - 5, "more line", "more lines"));
  fieldError("companies", named.join("; "));
  $("drop-bad").hidden = false;
}

// The count under the list, kept as the user types.
function countCompanies() {
  const list = listedCompanies();
  const n = list.companies.length;
  const status = $("companies-status");
  if (!status.dataset.source) {
    status.textContent = n || list.bad.length ? plural(n, "company", "companies") + " listed" +
      (list.bad.length ? " (" + plural(list.bad.length, "line names", "lines name") + " no domain)." : ".") : "";
  }
  if (!list.bad.length) {
    $("drop-bad").hidden = true;
    clearFieldError("companies");
  }
}

// Puts a table's column (or a list) in the list field, one company a line,
// and says where they came from; lines that name no company are named.
function fillCompanies(t, from) {
  clearFieldError("companies");
  $("drop-bad").hidden = true;
  const status = $("companies-status");
  if (t.error) {
    fieldError("companies", from + ": " + t.error);
    return;
  }
  $("companies").value = t.values.map((v) => v.value.includes("@") && !companyProblem(v.value) ? hostOf(v.value) : v.value).join("\n");
  status.textContent = "Read " + plural(t.values.length, "company", "companies") +
    (t.column ? " from the column “" + t.column + "”" : "") + " of " + from +
    (t.blank ? " (" + plural(t.blank, "row", "rows") + " without a value skipped)" : "") + ".";
  status.dataset.source = from;
  const list = listedCompanies();
  if (list.bad.length) showBadLines(list.bad);
}

async function readCompaniesFile() {
  const input = $("companies-file");
  const file = input.files[0];
  if (!file) return;
  fillCompanies(readTable(await file.text(), true), file.name);
  input.value = ""; // the list field has them now; the same file, changed, can be read again
}

// A table pasted from a spreadsheet (a header line with a domain column)
// becomes its column, as a file would.
function readPastedTable() {
  const text = $("companies").value;
  const firstLine = (text.match(/^[^\r\n]*/) || [""])[0];
  const delim = sniffDelimiter(firstLine);
  if (delim && text.includes("\n") && domainColumn(parseCsv(firstLine, delim)[0] || []))
    fillCompanies(readTable(text, false), "the pasted table");
}

function dropBadLines() {
  const lines = $("companies").value.split(/\r\n|\r|\n/).map((line) =>
    line.split(",").map((s) => s.trim()).filter((v) => v && !companyProblem(v)).join(", "));
  $("companies").value = lines.filter(Boolean).join("\n");
  countCompanies();
  $("companies").focus();
}

// The CRM's companies to skip: bare hosts, each once (the server matches
// them by registrable domain, so nothing is lost, and the request stays
// small). Free-mail domains are dropped: they name people, not companies.
async function readExcludeFile() {
  clearFieldError("exclude_domains");
  const file = $("exclude_domains").files[0];
  exclude = [];
  $("exclude-status").textContent = "";
  $("exclude-clear").hidden = true;
  if (!file) return;
  const t = readTable(await file.text(), true);
  if (t.error) return fieldError("exclude_domains", file.name + ": " + t.error);
  const hosts = new Set();
  let bad = 0, people = 0;
  for (const v of t.values) {
    if (!namesDomain(v.value)) bad++;
    else if (FREE_MAIL.has(hostOf(v.value))) people++;
    else hosts.add(hostOf(v.value));
  }
  if (hosts.size > MAX_EXCLUDE)
    return fieldError("exclude_domains", file.name + " names " + plural(hosts.size, "company", "companies") +
      "; at most " + MAX_EXCLUDE.toLocaleString("en") + " can be skipped");
  exclude = [...hosts];
  const notes = [];
  if (people) notes.push(plural(people, "personal e-mail address", "personal e-mail addresses") + " ignored");
  if (bad) notes.push(plural(bad, "row", "rows") + " naming no domain ignored");
  if (t.blank) notes.push(plural(t.blank, "row", "rows") + " without a value");
  $("exclude-status").textContent = "Read " + plural(hosts.size, "company", "companies") + " to skip" +
    (t.column ? " from the column “" + t.column + "”" : "") + " of " + file.name +
    (notes.length ? " (" + notes.join(", ") + ")" : "") + ".";
  $("exclude-clear").hidden = false;
}

function clearExclude() {
  $("exclude_domains").value = "";
  readExcludeFile();
}

// ---- a job ----

function stopFollowing() {
  if (job && job.abort) job.abort.abort();
  closeDetail();
  job = null;
}

async function openJob(id) {
  if (job && job.id === id) return;
  stopFollowing();
  show("job-panel");
  job = {
    id, name: "Search " + id, lastSeq: 0, leads: new Map(), ended: false, abort: new AbortController(),
    max: 0, companies: 0, selected: new Set(), sort: { key: "", dir: "" },
  };
  $("leads").tBodies[0].textContent = "";
  $("queries").textContent = "";
  $("queries-box").hidden = true;
  $("summary").hidden = true;
  $("job-error").hidden = true;
  $("demo-notice").hidden = true;
  $("cancel-job").hidden = true;
  $("job-title").textContent = job.name;
  $("job-context").textContent = "";
  document.title = "Prospect: " + job.name;
  resetTableControls();
  setProgress(0, "", "Connecting…");
  countLeads();
  try {
    const status = await apiJson("/api/v2/jobs/" + encodeURIComponent(id));
    describe(status);
  } catch (e) {
    if (e.status === 404) return jobError("There is no search " + id + " (it may have been deleted, or belong to another API key).");
    if (e.status === 401) { pendingAfterKey = () => { job = null; route(); }; return; }
    return jobError(e.message);
  }
  follow(job);
}

function describe(status) {
  const r = status.request || {};
  const c = r.business_context || {};
  job.name = jobName(r, job.id);
  job.companies = Array.isArray(r.companies) ? r.companies.length : 0;
  job.max = job.companies || c.max_leads_to_generate || 0;
  $("job-title").textContent = job.name;
  document.title = "Prospect: " + job.name;
  const parts = [job.companies ? "Your list of " + plural(job.companies, "company", "companies")
    : "Up to " + plural(job.max, "lead", "leads")];
  if (Array.isArray(r.exclude_domains) && r.exclude_domains.length)
    parts.push("skipping " + plural(r.exclude_domains.length, "company", "companies") + " already in your CRM");
  if (status.created_at) parts.push("started " + new Date(status.created_at).toLocaleString());
  $("job-context").textContent = parts.join(", ");
  $("cancel-job").hidden = !(status.status === "running" || status.status === "queued");
  renderTable();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Follows the job's events until its last one: each connection asks for
// what came after the last id seen, so nothing is lost or repeated.
async function follow(j) {
  let delay = 500;
  while (job === j && !j.ended) {
    let got = 0;
    try {
      const headers = j.lastSeq ? { "Last-Event-ID": String(j.lastSeq) } : {};
      const res = await api("/api/v2/jobs/" + encodeURIComponent(j.id) + "/events", { headers, signal: j.abort.signal });
      if (!res.ok) throw new ApiError(res.status, "the event stream answered " + res.status);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buf = "";
      let frame = { id: null, event: "message", data: [] };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let nl;
        while ((nl = buf.search(/\r\n|\r|\n/)) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + (buf[nl] === "\r" && buf[nl + 1] === "\n" ? 2 : 1));
          if (line === "") {
            if (frame.data.length && job === j) { got++; dispatch(j, frame); }
            frame = { id: null, event: "message", data: [] };
          } else if (!line.startsWith(":")) {
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            const val = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "data") frame.data.push(val);
            else if (field === "id") frame.id = val;
            else if (field === "event") frame.event = val;
          }
        }
      }
      delay = 500;
    } catch (e) {
      if (j.abort.signal.aborted || job !== j) return;
      if (e.status === 401) { pendingAfterKey = () => follow(j); return; }
      if (e.status === 404) return jobError("This search no longer exists.");
    }
    if (j.ended || job !== j) return;
    // The stream ended early (network, server restart, slow reader): is
    // the job still going somewhere?
    try {
      const status = await apiJson("/api/v2/jobs/" + encodeURIComponent(j.id));
      if (!got && !["running", "queued"].includes(status.status)) {
        j.ended = true;
        $("cancel-job").hidden = true;
        if (status.status !== "succeeded")
          jobError("This search stopped before it finished (" + status.status + "); the leads it found are kept.");
        return;
      }
    } catch (e) { /* offline: keep trying */ }
    setStage("Connection lost; resuming after event " + j.lastSeq + "…");
    await sleep(delay);
    delay = Math.min(delay * 2, 8000);
  }
}

function dispatch(j, frame) {
  const seq = Number(frame.id);
  if (frame.id !== null && seq <= j.lastSeq) return; // seen already
  let ev;
  try { ev = JSON.parse(frame.data.join("\n")); } catch (e) { return; }
  if (frame.id !== null) j.lastSeq = seq;
  const handler = HANDLERS[ev.event_type || frame.event];
  if (handler) handler(ev);
}

const HANDLERS = {
  pipeline_start(ev) {
    job.max = job.companies || ev.max_leads_to_generate || job.max;
    setProgress(0.01, "intake", "Started");
  },
  status_update(ev) {
    if (Array.isArray(ev.queries)) showQueries(ev.queries);
    if (ev.sample_corpus) { /* the bundled fictional companies answered: say so, and stay */
      $("demo-notice").textContent = ev.status_message || "";
      $("demo-notice").hidden = false;
    }
    setProgress(typeof ev.progress === "number" && ev.progress >= 0 ? ev.progress : null, ev.stage || "", ev.status_message || "");
    $("cancel-job").hidden = false;
  },
  lead_generated(ev) { addLead(ev); },
  lead_enrichment_start() {},
  lead_enrichment_end(ev) { scoreLead(ev); },
  pipeline_end(ev) {
    job.ended = true;
    $("cancel-job").hidden = true;
    const n = ev.leads_generated;
    const secs = ((ev.duration_ms || 0) / 1000).toFixed(1);
    const what = job.companies ? (ev.leads_enriched !== undefined ? ev.leads_enriched : n) + " of " +
      plural(job.companies, "company", "companies") + " enriched" : plural(n, "lead", "leads");
    setProgress(1, "done", (ev.success ? "Finished: " : "Stopped: ") + what + " in " + secs + " s");
    showSummary(ev.summary, ev);
  },
  pipeline_error(ev) {
    job.ended = true;
    $("cancel-job").hidden = true;
    setProgress(null, ev.stage || "error", "Stopped");
    jobError(ev.error_message || "The search failed.");
    showSummary(ev.summary, ev);
  },
};

function setProgress(fraction, stage, message) {
  if (fraction !== null && fraction !== undefined) {
    const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
    $("progress-fill").style.width = pct + "%";
    $("progress").setAttribute("aria-valuenow", String(pct));
  }
  const s = $("stage");
  s.textContent = "";
  if (stage) {
    const b = document.createElement("strong");
    b.textContent = stage;
    s.append(b, " — ");
  }
  s.append(message);
}

function setStage(message) {
  $("stage").textContent = message;
}

function jobError(text) {
  const box = $("job-error");
  box.textContent = text;
  box.hidden = false;
}

function showQueries(queries) {
  const ul = $("queries");
  ul.textContent = "";
  for (const q of queries) {
    const li = document.createElement("li");
    li.textContent = q.query + " ";
    const s = document.createElement("span");
    s.className = "strategy";
    s.textContent = "(" + q.strategy + ")";
    li.append(s);
    ul.append(li);
  }
  $("query-count").textContent = String(queries.length);
  $("queries-box").hidden = false;
}

function countLeads() {
  const all = job ? [...job.leads.values()] : [];
  const failed = all.filter((r) => r.state === "failed").length;
  const n = all.length - failed;
  let text = "";
  if (job && job.companies) {
    text = all.length + " of " + plural(job.companies, "company", "companies") + " read" +
      (failed ? ", " + failed + " could not be enriched" : "");
  } else if (n || failed) {
    text = plural(n, "lead", "leads") + " found" + (job.ended ? "" : " so far") + (failed ? ", " + failed + " failed" : "");
  }
  $("lead-count").textContent = text;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function copyButton(value, what) {
  const b = el("button", "small", "Copy");
  b.type = "button";
  b.setAttribute("aria-label", "Copy " + what + " " + value);
  b.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch (e) { // no clipboard permission: select the text instead
      const t = el("textarea");
      t.value = value;
      document.body.append(t);
      t.select();
      document.execCommand("copy");
      t.remove();
    }
    b.textContent = "Copied";
    setTimeout(() => { b.textContent = "Copy"; }, 1500);
  });
  return b;
}

// ---- the leads table ----

// How each column sorts: its value in a record's fields, and whether it is
// a number (scores sort best first on the first click, text A to Z).
const COLUMNS = {
  company: { num: false }, domain: { num: false }, industry: { num: false },
  country: { num: false }, size: { num: true }, email: { num: false }, phone: { num: false },
  contact: { num: false },
  prospect: { num: true }, pain: { num: true }, intent: { num: true }, urgency: { num: true },
  qualified: { num: true },
};
const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
let regionNames = null;
try { regionNames = new Intl.DisplayNames(["en"], { type: "region" }); } catch (e) { /* older browser: codes only */ }

function countryName(code) {
  if (!code) return "";
  try { return (regionNames && /^[A-Z]{2}$/.test(code) && regionNames.of(code)) || code; } catch (e) { return code; }
}

// The host a value names, bare: "https://www.Acme.com:8443/x" and
// "jane@acme.com" give "acme.com".
function hostOf(s) {
  const at = s.lastIndexOf("@");
  let h = at >= 0 ? s.slice(at + 1) : s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^\/\//, "");
  h = h.split(/[/?#]/)[0].replace(/:\d*$/, "").replace(/\.$/, "").toLowerCase();
  return h.startsWith("www.") ? h.slice(4) : h;
}

// The bare domain, as a CRM wants it: the lead's site, else its website's
// host. A place found on the map without a website has none (its site is a key).
function bareDomain(d) {
  return d.no_website ? "" : hostOf(d.site || d.website || d.target || "");
}

// The ranks of people, highest first (the CSV's contact is chosen so too).
const SENIORITY = ["owner", "c_level", "vp", "director", "manager", "staff"];
const RANKS = { owner: "Owner", c_level: "C-level", vp: "VP", director: "Director", manager: "Manager", staff: "Staff" };
const DEPARTMENTS = { it: "IT", hr: "HR" };

function peopleOf(d) {
  const p = (d.adk1_enrichment || {}).people;
  return Array.isArray(p) ? p.filter((x) => x && typeof x.name === "string" && x.name) : [];
}

// The lead's contact: its most senior person, the first named among equals.
function topPerson(people) {
  const rank = (p) => { const i = SENIORITY.indexOf(p.seniority); return i < 0 ? SENIORITY.length : i; };
  let best = null;
  for (const p of people) if (!best || rank(p) < rank(best)) best = p;
  return best;
}

// A record's values for sorting, filtering and its cells; null is a value
// the lead does not have (yet), which sorts last whichever the direction.
function leadFields(rec) {
  const d = rec.data;
  const x = d.adk1_enrichment || {};
  const an = rec.pkg || {};
  const ai = an.ai_intelligence || {};
  const scored = rec.state === "done"; // a failure's package may carry zeros: no scores
  const num = (v) => (scored && typeof v === "number" ? v : null);
  const size = String(x.company_size || "");
  const emails = (x.contact_emails || []).filter(Boolean);
  const phones = (x.contact_phones || []).filter(Boolean);
  const top = topPerson(peopleOf(d));
  return {
    company: d.company_name || "",
    domain: bareDomain(d),
    industry: x.industry || "",
    country: d.country || "",
    sizeText: size,
    size: /\d/.test(size) ? Number(size.replace(/,(?=\d{3})/g, "").match(/\d+/)[0]) : null,
    emails, phones,
    email: emails[0] || "",
    phone: phones[0] || "",
    contact: top ? top.name : "",
    contactTitle: top && typeof top.title === "string" ? top.title : "",
    prospect: num(ai.prospect_score),
    pain: num(ai.pain_alignment_score),
    intent: num(ai.buying_intent_score),
    urgency: num(ai.urgency_score),
    qualified: rec.state === "failed" || typeof an.qualified !== "boolean" ? null : an.qualified ? 1 : 0,
  };
}

// A lead arrives: one record and its row, placed by the current sort and
// filters. A lead already shown (a replay after a drop) is not added again.
function addLead(ev) {
  if (job.leads.has(ev.lead_id)) return;
  const rec = {
    id: ev.lead_id, order: job.leads.size, data: ev.lead_data || {}, pkg: null,
    state: "scoring", error: null, tr: null, f: null,
  };
  rec.f = leadFields(rec);
  rec.tr = el("tr");
  rec.tr.dataset.leadId = rec.id;
  fillRow(rec);
  job.leads.set(rec.id, rec);
  refreshFilterOptions();
  renderTable();
  countLeads();
}

// Its scores (or why it has none) arrive: the row and, when open, the detail.
function scoreLead(ev) {
  const rec = job.leads.get(ev.lead_id);
  if (!rec) return;
  rec.pkg = ((ev.final_package || {}).analyzed_lead) || null;
  if (ev.success === false) {
    rec.state = "failed";
    rec.error = { type: ev.error_type || "", message: ev.error_message || "" };
  } else {
    rec.state = "done";
  }
  rec.f = leadFields(rec);
  fillRow(rec);
  refreshFilterOptions();
  renderTable();
  countLeads();
  if (detailRec === rec) showDetail(rec);
}

// Why a row has no lead, in the user's words: the server's message names
// a repeated company by its index in the list sent ("companies[3]").
function failureText(rec) {
  const e = rec.error || {};
  const what = FAILURES[e.type] || (e.type ? e.type.replace(/_/g, " ") : "Could not be scored");
  const why = (e.message || "").replace(/companies\[(\d+)\]/g, (m, i) => "no. " + (Number(i) + 1) + " of your list");
  return why && e.type !== "excluded" ? what + ": " + why : what; // (an exclusion's message says it again)
}

function pct(v) {
  return v === null ? "" : String(Math.round(v * 100));
}

// A cell holding a list's first value, and how many more there are.
function listCell(values, cls) {
  const td = el("td", cls);
  if (!values.length) return td;
  td.append(el("span", "", values[0]));
  if (values.length > 1) {
    td.append(" ", el("span", "more", "+" + (values.length - 1)));
    td.title = values.join("\n");
  }
  return td;
}

// The contact's name, its title beside it (whole in the tooltip).
function contactCell(f) {
  const td = el("td", "contact");
  if (!f.contact) return td;
  td.append(el("span", "who", f.contact));
  if (f.contactTitle) td.append(el("span", "role", f.contactTitle));
  td.title = f.contact + (f.contactTitle ? ", " + f.contactTitle : "");
  return td;
}

// A cell cut to its column's width keeps its whole text in its tooltip.
function textCell(cls, text, title) {
  const td = el("td", cls, text);
  if (title || text.length > 14) td.title = title || text;
  return td;
}

// (Re)draws a row; a row redrawn under the keyboard's focus (its scores
// arrived) keeps it on the same control.
function fillRow(rec) {
  const f = rec.f;
  const tr = rec.tr;
  const focused = tr.contains(document.activeElement) ? (document.activeElement.matches(".sel input") ? ".sel input" : ".open") : "";
  tr.textContent = "";
  tr.className = rec.state;
  const sel = el("td", "sel");
  const box = el("input");
  box.type = "checkbox";
  box.checked = job.selected.has(rec.id);
  box.setAttribute("aria-label", "Select " + (f.company || f.domain || rec.id));
  sel.append(box);
  const name = el("th", "name-col");
  name.scope = "row";
  const open = el("button", "link open", f.company || f.domain || rec.id);
  open.type = "button";
  open.title = (f.company || f.domain) + ": show the details";
  name.append(open);
  tr.append(sel, name, textCell("domain", f.domain), textCell("industry", f.industry),
    textCell("", f.country, countryName(f.country)), textCell("", f.sizeText.replace(/\s*employees?$/i, ""), f.sizeText), listCell(f.emails, "email"),
    listCell(f.phones, "phone"), contactCell(f));
  tr.append(...scoreCells(rec));
  if (focused) tr.querySelector(focused).focus();
}

// The five last cells: the scores and the verdict, else one cell saying
// why there are none (yet).
function scoreCells(rec) {
  const f = rec.f;
  if (rec.state !== "done") {
    const why = rec.state === "failed" ? el("td", "failure", failureText(rec)) : el("td", "scoring", "Scoring…");
    why.colSpan = 5;
    return [why];
  }
  const score = el("td", "num");
  if (f.prospect !== null) score.append(el("span", "pill " + grade(rec), pct(f.prospect)));
  return [score, el("td", "num", pct(f.pain)), el("td", "num", pct(f.intent)), el("td", "num", pct(f.urgency)),
    el("td", "qualified", f.qualified === null ? "" : f.qualified ? "Yes" : "No")];
}

function grade(rec) {
  const p = rec.f.prospect || 0;
  return rec.f.qualified === 0 ? "low" : p >= 0.65 ? "good" : "fair";
}

// The order of two records under the current sort: missing values last,
// ties (and no sort) in the order the leads arrived, which is the search's.
function compareRecords(a, b) {
  const { key, dir } = job.sort;
  if (!key) return a.order - b.order;
  const va = a.f[key], vb = b.f[key];
  const ea = va === null || va === "", eb = vb === null || vb === "";
  if (ea !== eb) return ea ? 1 : -1;
  let c = ea ? 0 : COLUMNS[key].num ? va - vb : collator.compare(va, vb);
  if (dir === "descending") c = -c;
  return c || a.order - b.order;
}

function filtersNow() {
  return {
    industry: $("filter-industry").value,
    country: $("filter-country").value,
    result: $("filter-result").value,
    qualified: $("filter-qualified").checked,
    email: $("filter-email").checked,
    phone: $("filter-phone").checked,
  };
}

function passes(rec, fl) {
  const f = rec.f;
  if (fl.industry && f.industry !== fl.industry) return false;
  if (fl.country && f.country !== fl.country) return false;
  if (fl.result === "failed" && rec.state !== "failed") return false;
  if (fl.result === "ok" && rec.state === "failed") return false;
  if (fl.qualified && f.qualified !== 1) return false;
  if (fl.email && !f.emails.length) return false;
  if (fl.phone && !f.phones.length) return false;
  return true;
}

// Puts the rows in order and shows those the filters let through. Only
// rows out of place are moved, so a row the user is on stays put while
// others arrive; one that moves (its score came) keeps the focus.
function renderTable() {
  if (!job) return;
  const active = document.activeElement;
  const fl = filtersNow();
  const tbody = $("leads").tBodies[0];
  const recs = [...job.leads.values()].sort(compareRecords);
  let shown = 0;
  recs.forEach((rec, i) => {
    rec.tr.hidden = !passes(rec, fl);
    if (!rec.tr.hidden) shown++;
    if (tbody.children[i] !== rec.tr) tbody.insertBefore(rec.tr, tbody.children[i] || null);
  });
  const total = recs.length;
  $("shown-count").textContent = total ? shown + " of " + plural(total, "lead", "leads") + " shown" : "";
  $("no-rows").hidden = !(total && !shown);
  $("filter-result-box").hidden = !recs.some((r) => r.state === "failed") && !fl.result;
  showCredits(recs);
  for (const th of $("leads").tHead.querySelectorAll("th[data-sort]")) {
    if (th.dataset.sort === job.sort.key) th.setAttribute("aria-sort", job.sort.dir);
    else th.removeAttribute("aria-sort");
  }
  syncSelection();
  if (active !== document.activeElement && active.isConnected && !active.closest("[hidden]")) active.focus({ preventScroll: true });
}

// Under the table, the credit the leads' sources need (each once).
function showCredits(recs) {
  const credits = [...new Set(recs.map((r) => r.data.attribution).filter((a) => typeof a === "string" && a))];
  $("credits").textContent = credits.length ? "Some leads' data: " + credits.join("; ") + "." : "";
  $("credits").hidden = !credits.length;
}

function visibleRecords() {
  return job ? [...job.leads.values()].filter((r) => !r.tr.hidden).sort(compareRecords) : [];
}

// A header's click: sort by it (best or A first), again to reverse, a
// third time to go back to the job's own order (the search's ranking, or
// the user's list as given).
function sortBy(key) {
  if (!job) return;
  const first = COLUMNS[key].num ? "descending" : "ascending";
  const s = job.sort;
  if (s.key !== key) job.sort = { key, dir: first };
  else if (s.dir === first) s.dir = first === "ascending" ? "descending" : "ascending";
  else job.sort = { key: "", dir: "" };
  renderTable();
}

// The industry and country menus list the values the leads have, with how
// many have each, and keep the user's choice while leads arrive.
function refreshFilterOptions() {
  fillOptions($("filter-industry"), "All industries", (f) => f.industry, (v) => v);
  fillOptions($("filter-country"), "All countries", (f) => f.country, countryName);
}

function fillOptions(select, all, get, label) {
  const counts = new Map();
  for (const rec of job.leads.values()) {
    const v = get(rec.f);
    if (v) counts.set(v, (counts.get(v) || 0) + 1);
  }
  const values = [...counts.keys()].sort((a, b) => collator.compare(label(a), label(b)));
  const wanted = [all, ...values.map((v) => label(v) + " (" + counts.get(v) + ")")];
  const have = [...select.options].map((o) => o.textContent);
  if (wanted.join("\n") === have.join("\n")) return; // unchanged: leave an open menu alone
  const current = select.value;
  select.textContent = "";
  select.append(new Option(all, ""));
  for (const v of values) select.append(new Option(label(v) + " (" + counts.get(v) + ")", v));
  select.value = counts.has(current) ? current : "";
}

function resetTableControls() {
  for (const id of ["filter-industry", "filter-country"]) {
    const s = $(id);
    while (s.options.length > 1) s.remove(1);
    s.value = "";
  }
  $("filter-result").value = "";
  for (const id of ["filter-qualified", "filter-email", "filter-phone"]) $(id).checked = false;
  $("shown-count").textContent = "";
  $("no-rows").hidden = true;
  syncSelection();
}

// ---- selection and export ----

// The select-all box and the export's label follow the selection: a box
// ticks the rows shown; export takes the selected rows, else those shown.
function syncSelection() {
  const all = $("select-all");
  const visible = visibleRecords();
  const picked = visible.filter((r) => job.selected.has(r.id)).length;
  all.checked = visible.length > 0 && picked === visible.length;
  all.indeterminate = picked > 0 && picked < visible.length;
  const n = job ? job.selected.size : 0;
  const filtered = job && visible.length < job.leads.size;
  $("selected-count").textContent = n ? plural(n, "row", "rows") + " selected"
    : filtered ? "No rows selected: the rows shown are exported" : "No rows selected: every lead is exported";
  $("clear-selection").hidden = !n;
  $("export").textContent = n ? "Export " + n + " selected" : filtered ? "Export " + visible.length + " shown" : "Export all";
}

function selectRow(rec, on) {
  if (on) job.selected.add(rec.id);
  else job.selected.delete(rec.id);
  rec.tr.querySelector(".sel input").checked = on;
}

function selectAllShown() {
  const on = $("select-all").checked;
  for (const rec of visibleRecords()) selectRow(rec, on);
  syncSelection();
}

function clearSelection() {
  for (const rec of job.leads.values()) selectRow(rec, false);
  syncSelection();
}

// The ids to export, in the job's order: the selection, else the rows
// shown when filters hide some; null for every lead.
function exportIds() {
  const recs = job.selected.size ? [...job.selected].map((id) => job.leads.get(id)) : visibleRecords();
  if (recs.length === job.leads.size) return null;
  return recs.sort((a, b) => a.order - b.order).map((r) => r.id);
}

// ids in groups whose query stays short: the server reads a request line
// of a few kilobytes at most (PROSPECT_CONNECTION_MEMORY), and a list job
// may have a thousand rows.
function idGroups(ids) {
  const groups = [[]];
  let size = 0;
  for (const id of ids) {
    if (size + id.length > 1500 && groups[groups.length - 1].length) { groups.push([]); size = 0; }
    groups[groups.length - 1].push(id);
    size += id.length + 1;
  }
  return groups;
}

// One request of the export: CSV text, or the JSON body.
async function exportPart(format, profile, ids) {
  const query = [];
  if (format === "csv") query.push("format=csv", "profile=" + encodeURIComponent(profile));
  if (ids) query.push("ids=" + ids.map(encodeURIComponent).join(","));
  const res = await api("/api/v2/jobs/" + encodeURIComponent(job.id) + "/leads" + (query.length ? "?" + query.join("&") : ""));
  if (!res.ok) throw new ApiError(res.status, "the export failed (" + res.status + ")");
  return format === "csv" ? res.text() : res.json();
}

function slug(s) {
  return s.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50) || "leads";
}

// The server makes the file (the same rows as the CLI's, in the CRM's
// columns), in parts for a long selection; the page joins them (one
// header) and names the file after the job and the profile.
async function exportLeads() {
  if (!job) return;
  const format = $("export-format").value;
  const profile = $("export-profile").value;
  const ids = exportIds();
  if (ids && !ids.length) return notice("No lead is shown: change the filters to export some.");
  try {
    const parts = [];
    for (const group of ids ? idGroups(ids) : [null]) parts.push(await exportPart(format, profile, group));
    const blob = format === "csv"
      ? new Blob(parts.map((t, i) => (i ? t.slice(t.indexOf("\n") + 1) : t)), { type: "text/csv;charset=utf-8" })
      : new Blob([JSON.stringify({ job_id: job.id, leads: parts.flatMap((p) => p.leads) }, null, 2)], { type: "application/json" });
    const a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = "prospect-" + slug(job.name) + (format === "csv" ? "-" + profile : "") + "." + format;
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  } catch (e) { if (e.status !== 401) notice(e.message); }
}

// ---- a lead's detail ----

let detailRec = null;

function openDetail(rec) {
  detailRec = rec;
  showDetail(rec);
  const d = $("lead-detail");
  if (!d.open) d.showModal();
  $("detail-close").focus();
}

function closeDetail() {
  const d = $("lead-detail");
  const rec = detailRec;
  detailRec = null;
  if (d.open) d.close();
  if (rec && rec.tr.isConnected && !rec.tr.hidden) rec.tr.querySelector(".open").focus();
}

// Previous and next go through the rows as shown.
function stepDetail(by) {
  const rows = visibleRecords();
  const i = rows.indexOf(detailRec);
  const next = rows[i + by];
  if (next) openDetail(next);
}

function showDetail(rec) {
  const body = $("detail-body");
  body.textContent = "";
  body.append(leadCard(rec));
  const rows = visibleRecords();
  const i = rows.indexOf(rec);
  $("detail-prev").disabled = i <= 0;
  $("detail-next").disabled = i < 0 || i >= rows.length - 1;
}

// The card of a lead: what it is, every contact with a copy button, its
// address, and its scores with the sentences that support them.
function leadCard(rec) {
  const d = rec.data;
  const x = d.adk1_enrichment || {};
  const card = $("lead-template").content.firstElementChild.cloneNode(true);
  card.dataset.leadId = rec.id;
  card.querySelector(".name").textContent = d.company_name || rec.f.domain || rec.id;
  const a = card.querySelector(".website");
  if (d.website && /^https?:\/\//.test(d.website)) { a.href = d.website; a.textContent = d.website.replace(/^https?:\/\//, "").replace(/\/$/, ""); }
  if (d.no_website && /^https?:\/\//.test(d.map_url || "")) { a.href = d.map_url; a.textContent = "No website: on the map"; }
  card.querySelector(".industry").textContent = x.industry || "";
  card.querySelector(".size").textContent = x.company_size || "";
  card.querySelector(".place").textContent = countryName(d.country || "");
  card.querySelector(".description").textContent = d.description || "";
  if (d.address) {
    const addr = card.querySelector(".address");
    addr.append(el("strong", "", "Address: "), d.address);
    addr.hidden = false;
  }
  const contacts = card.querySelector(".contacts");
  // each address's check (valid, risky, invalid, unknown) and why, as the API gives it
  const checks = new Map((d.email_checks || []).map((c) => [c.email, c]));
  for (const [list, scheme, what] of [[x.contact_emails, "mailto:", "email"], [x.contact_phones, "tel:", "phone"]]) {
    for (const v of list || []) {
      const item = el("li");
      const link = el("a", "", v);
      link.href = scheme + v;
      item.append(link, copyButton(v, what));
      const c = what === "email" ? checks.get(v.toLowerCase()) : null;
      if (c) {
        item.append(" ", mailBadge(c.status, c.reasons));
      }
      contacts.append(item);
    }
  }
  peopleList(card.querySelector(".people"), d, checks);
  const social = d.social || {};
  for (const [net, url] of Object.entries(social)) {
    if (typeof url !== "string" || !/^https?:\/\//.test(url)) continue;
    const item = el("li");
    const link = el("a", "", NETWORKS[net] || net.charAt(0).toUpperCase() + net.slice(1));
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    item.append(link);
    contacts.append(item);
  }
  foundBy(card.querySelector(".found-by"), d);
  if (rec.state !== "scoring") card.querySelector(".enriching").hidden = true;
  if (rec.state === "failed") {
    const p = card.querySelector(".failure");
    p.textContent = failureText(rec);
    p.hidden = false;
    return card;
  }
  if (rec.state === "done") scoreCard(card, rec);
  return card;
}

// An e-mail check's badge: its status, and why in its tooltip.
function mailBadge(status, reasons) {
  const badge = el("span", "mail-status mail-" + status, status);
  badge.title = (reasons || []).join(", ").replace(/_/g, " ");
  return badge;
}

function safeUrl(u) {
  return typeof u === "string" && /^https?:\/\//.test(u) ? u : "";
}

// The people the lead's site names, the most senior first: title, rank and
// function, and their own e-mail (with its check), phone and LinkedIn; a
// guessed address (PROSPECT_GUESS_EMAILS) only as such.
function peopleList(box, d, checks) {
  const people = peopleOf(d);
  const list = box.querySelector(".people-list");
  const rank = (p) => { const i = SENIORITY.indexOf(p.seniority); return i < 0 ? SENIORITY.length : i; };
  const sorted = people.map((p, i) => [p, i]).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map((x) => x[0]);
  for (const p of sorted) {
    const item = el("li", "person");
    const head = el("div");
    head.append(el("span", "who", p.name));
    if (typeof p.title === "string" && p.title) head.append(", ", el("span", "role", p.title));
    const kind = [RANKS[p.seniority], p.department ? DEPARTMENTS[p.department] || p.department.charAt(0).toUpperCase() + p.department.slice(1) : ""].filter(Boolean);
    if (kind.length) head.append(" ", el("span", "rank", "(" + kind.join(" · ") + ")"));
    item.append(head);
    const reach = el("div", "reach");
    if (typeof p.email === "string" && p.email) {
      const span = el("span");
      const a = el("a", "", p.email);
      a.href = "mailto:" + p.email;
      span.append(a);
      const c = p.email_status ? { status: p.email_status, reasons: p.email_reasons } : checks.get(p.email.toLowerCase());
      if (c && c.status) span.append(" ", mailBadge(c.status, c.reasons));
      reach.append(span);
    } else if (p.email_guess && typeof p.email_guess.email === "string") {
      const g = p.email_guess;
      const span = el("span", "guess", g.email);
      const badge = el("span", "mail-status mail-guessed", "guessed");
      badge.title = "Not on the site: the pattern " + (g.pattern || "") + " of " + (g.learned_from || []).join(", ");
      span.append(" ", badge);
      reach.append(span);
    }
    if (typeof p.phone === "string" && p.phone) {
      const a = el("a", "", p.phone);
      a.href = "tel:" + p.phone;
      reach.append(a);
    }
    const li = safeUrl(p.linkedin);
    if (li) {
      const a = el("a", "", "LinkedIn");
      a.href = li;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.setAttribute("aria-label", "LinkedIn of " + p.name);
      reach.append(a);
    }
    if (reach.children.length) item.append(reach);
    list.append(item);
  }
  box.hidden = !sorted.length;
}

// Which providers found the lead, and the credit their data needs
// (OpenStreetMap's is ODbL: it goes wherever its data is shown).
function foundBy(p, d) {
  const by = Array.isArray(d.found_by) ? d.found_by.filter(Boolean) : [];
  const parts = [];
  if (by.length) parts.push("Found by " + by.join(", "));
  if (d.attribution) parts.push("Data " + d.attribution);
  p.textContent = parts.join(" · ");
  p.hidden = !parts.length;
}

function scoreCard(card, rec) {
  const pkg = rec.pkg || {};
  const ai = pkg.ai_intelligence || {};
  const badge = card.querySelector(".score-badge");
  const p = ai.prospect_score || 0;
  badge.textContent = Math.round(p * 100) + "% fit";
  badge.className = "badge score-badge " + grade(rec);
  badge.title = "Prospect score: the weighted mix of the scores below";
  badge.hidden = false;
  const box = card.querySelector(".scores");
  const evidence = ai.evidence || {};
  for (const [key, label] of SCORES) {
    if (typeof ai[key] !== "number") continue;
    box.append(scoreDetails(label, ai[key], evidence[key] || []));
  }
  box.hidden = !box.children.length;
  const ins = card.querySelector(".insights");
  for (const t of ai.predictive_insights || []) ins.append(el("li", "", t));
  ins.hidden = !ins.children.length;
  card.querySelector(".qualification").textContent = ai.qualification_summary || "";
  card.querySelector(".qualification").dataset.analyst = ai.analyst || "";
}

// One score, its bar, and (open it) the evidence: each quoted sentence and
// the page it is on, or what a signal without a quote shows.
function scoreDetails(label, value, quotes) {
  const det = el("details", "score");
  const sum = el("summary");
  const bar = el("span", "bar");
  const fill = el("span");
  fill.style.width = Math.round(value * 100) + "%";
  bar.append(fill);
  bar.setAttribute("aria-hidden", "true");
  sum.append(el("span", "label", label), bar, el("span", "value", Math.round(value * 100) + "%"));
  sum.setAttribute("aria-label", label + " " + Math.round(value * 100) + "%: show the evidence");
  det.append(sum);
  const body = el("div", "evidence");
  if (!quotes.length) body.append(el("p", "none", "No sentence on the site supports this score."));
  for (const q of quotes) {
    if (q.quote) body.append(el("blockquote", "", "“" + q.quote + "”"));
    const why = [q.shows, q.detail].filter(Boolean).join(": ");
    if (why) body.append(el("p", "why", why.charAt(0).toUpperCase() + why.slice(1)));
    if (q.url && /^https?:\/\//.test(q.url)) {
      const src = el("p", "source");
      const a = el("a", "", q.url);
      a.href = q.url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      src.append("Source: ", a);
      body.append(src);
    }
  }
  det.append(body);
  return det;
}

function showSummary(s, ev) {
  if (!s) return;
  const dl = $("summary-list");
  dl.textContent = "";
  const add = (k, v) => { if (v !== "" && v !== undefined) dl.append(el("dt", "", k), el("dd", "", String(v))); };
  const f = s.fetches || {};
  const failed = (f.timeout || 0) + (f.error || 0) + (f.too_large || 0) + (f.not_html || 0);
  add("Pages read", (f.ok || 0) + " ok, " + (f.blocked || 0) + " blocked, " + (f.rate_limited || 0) + " rate-limited, " +
    (f.challenge || 0) + " behind a bot check, " + (f.refused_address || 0) + " refused (private address), " + failed + " failed" +
    (f.read_by_provider ? ", " + f.read_by_provider + " read by the search provider" : ""));
  if (s.search && s.search.calls) add("Search", s.search.provider + ", " + s.search.calls + " call" + (s.search.calls === 1 ? "" : "s") + (s.search.credits ? ", " + s.search.credits + " credits" : ""));
  if (s.llm) add("Analyst", s.llm.provider === "heuristic" ? "built-in rules (no LLM configured)" : s.llm.provider + " " + s.llm.model + ", " + s.llm.calls + " calls, " + (s.llm.tokens_in + s.llm.tokens_out) + " tokens");
  add("Sites considered", s.sites_considered !== undefined ? s.sites_considered + " (" + (s.sites_skipped || 0) + " skipped)" : "");
  if (s.sites_excluded !== undefined) add("Already in your CRM", plural(s.sites_excluded, "site", "sites") + " skipped");
  if (ev && ev.leads_failed) add("Could not be enriched", plural(ev.leads_failed, "company", "companies"));
  if (s.leads_qualified !== undefined)
    add("Qualified", s.leads_qualified + " of " + (job.companies ? (ev && ev.leads_enriched !== undefined ? ev.leads_enriched : s.leads_requested) + " enriched" : s.leads_requested + " asked for"));
  if (s.stopped_by) add("Stopped by", s.stopped_by);
  const ul = $("degradations");
  ul.textContent = "";
  for (const d of s.degradations || []) ul.append(el("li", "", typeof d === "string" ? d : d.what + " — " + d.fallback));
  $("summary").hidden = false;
  countLeads();
}

async function cancelJob() {
  if (!job) return;
  try {
    await apiJson("/api/v2/jobs/" + encodeURIComponent(job.id), { method: "DELETE" });
    setStage("Stopping…");
  } catch (e) { notice(e.message); }
}

// ---- history ----

async function openHistory() {
  show("history-panel");
  const tbody = document.querySelector("#history tbody");
  tbody.textContent = "";
  try {
    const res = await apiJson("/api/v2/jobs?limit=100");
    $("history-empty").hidden = res.jobs.length > 0;
    for (const j of res.jobs) {
      const tr = el("tr");
      const td = el("td");
      const a = el("a", "", j.title ? shorten(j.title, 70) : jobName(j.request, j.job_id));
      a.href = "#job=" + encodeURIComponent(j.job_id);
      td.append(a);
      tr.append(td, el("td", "status " + j.status, j.status), el("td", "", String(j.leads)),
        el("td", "", new Date(j.created_at).toLocaleString()));
      tbody.append(tr);
    }
  } catch (e) {
    if (e.status === 401) pendingAfterKey = openHistory;
    else notice(e.message);
  }
}

// ---- start ----

// The table's controls: headers sort, boxes select, a click on a row (or
// Enter on its company's name) opens the lead.
function wireTable() {
  for (const th of $("leads").tHead.querySelectorAll("th[data-sort]"))
    th.querySelector("button").addEventListener("click", () => sortBy(th.dataset.sort));
  for (const id of ["filter-industry", "filter-country", "filter-result", "filter-qualified", "filter-email", "filter-phone"])
    $(id).addEventListener("change", renderTable);
  $("select-all").addEventListener("change", selectAllShown);
  $("clear-selection").addEventListener("click", clearSelection);
  const tbody = $("leads").tBodies[0];
  tbody.addEventListener("change", (e) => {
    const tr = e.target.closest("tr");
    const rec = tr && job && job.leads.get(tr.dataset.leadId);
    if (rec && e.target.matches(".sel input")) { selectRow(rec, e.target.checked); syncSelection(); }
  });
  tbody.addEventListener("click", (e) => {
    if (e.target.closest(".sel, a")) return; // the box selects; a link goes where it says
    const tr = e.target.closest("tr");
    const rec = tr && job && job.leads.get(tr.dataset.leadId);
    if (rec) openDetail(rec);
  });
  $("export-format").addEventListener("change", () => { $("export-profile-box").hidden = $("export-format").value !== "csv"; });
  $("export").addEventListener("click", exportLeads);
  $("detail-close").addEventListener("click", closeDetail);
  $("detail-prev").addEventListener("click", () => stepDetail(-1));
  $("detail-next").addEventListener("click", () => stepDetail(1));
  $("lead-detail").addEventListener("cancel", (e) => { e.preventDefault(); closeDetail(); }); // Escape
  $("lead-detail").addEventListener("click", (e) => { if (e.target === $("lead-detail")) closeDetail(); }); // the backdrop
}

function wireForm() {
  $("job-form").addEventListener("submit", submitJob);
  for (const r of document.querySelectorAll("input[name=mode]")) r.addEventListener("change", setMode);
  $("example").addEventListener("click", fillExample);
  $("companies").addEventListener("input", () => { delete $("companies-status").dataset.source; countCompanies(); });
  $("companies").addEventListener("paste", () => setTimeout(readPastedTable, 0));
  $("companies-file").addEventListener("change", readCompaniesFile);
  $("drop-bad").addEventListener("click", dropBadLines);
  $("exclude_domains").addEventListener("change", readExcludeFile);
  $("exclude-clear").addEventListener("click", clearExclude);
  setMode();
}

document.addEventListener("DOMContentLoaded", () => {
  wireForm();
  wireTable();
  $("new-job").addEventListener("click", () => { location.hash = ""; route(); });
  $("home-link").addEventListener("click", (e) => { e.preventDefault(); location.hash = ""; route(); });
  $("show-history").addEventListener("click", () => { location.hash = "#history"; });
  $("cancel-job").addEventListener("click", cancelJob);
  $("forget-key").addEventListener("click", () => { sessionStorage.removeItem(KEY); $("forget-key").hidden = true; notice("The API key is forgotten."); });
  $("forget-key").hidden = !sessionStorage.getItem(KEY);
  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, $("api-key").value.trim());
    $("api-key").value = "";
    $("key-panel").hidden = true;
    $("forget-key").hidden = false;
    const again = pendingAfterKey;
    pendingAfterKey = null;
    if (again) again();
  });
  window.addEventListener("hashchange", route);
  route();
});
