// app.js: Prospect's web page. It uses only the public API: it starts a job,
// follows its event stream (resuming after the last event id it saw, so a
// dropped connection or a reload loses nothing and shows nothing twice),
// draws each lead as it arrives and its scores with their evidence, lists
// past jobs and exports leads. The stream is read with fetch, not
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

const $ = (id) => document.getElementById(id);
let job = null; // the job on screen: {id, lastSeq, leads: Map, ended, abort}
let pendingAfterKey = null;

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

// ---- the form ----

function fillExample() {
  for (const [k, v] of Object.entries(EXAMPLE)) {
    const el = $(k);
    if (el) el.value = Array.isArray(v) ? v.join("\n") : String(v);
  }
  clearErrors();
}

function clearErrors() {
  for (const el of document.querySelectorAll("#job-form [aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of document.querySelectorAll("#job-form .field .field-error")) el.remove();
  $("form-error").hidden = true;
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

function requestFromForm() {
  const ctx = {};
  for (const name of TEXTS) {
    const v = $(name).value.trim();
    if (v) ctx[name] = v;
  }
  for (const name of LISTS) {
    const items = $(name).value.split(/\n|,(?=\s)/).map((s) => s.trim()).filter(Boolean);
    if (items.length) ctx[name] = items;
  }
  const n = $("max_leads_to_generate").value.trim();
  if (n) ctx.max_leads_to_generate = /^-?\d+$/.test(n) ? Number(n) : n;
  const body = { business_context: ctx };
  const q = $("user_search_query").value.trim();
  if (q) body.user_search_query = q;
  return body;
}

async function submitJob(ev) {
  if (ev) ev.preventDefault();
  clearErrors();
  notice("");
  const button = $("submit");
  button.disabled = true;
  try {
    const res = await apiJson("/api/v2/jobs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(requestFromForm()),
    });
    location.hash = "#job=" + encodeURIComponent(res.job_id);
  } catch (e) {
    if (e.status === 401) {
      pendingAfterKey = submitJob;
    } else if (e.status === 400 && e.body && e.body.problems) {
      let first = null;
      for (const p of e.body.problems) {
        const name = String(p.path || "").replace(/^business_context\./, "").replace(/\[.*$/, "");
        if (fieldError(name, p.message)) first = first || $(name);
        else showFormError(p.path + ": " + p.message);
      }
      if (first) first.focus();
    } else {
      showFormError(e.message);
    }
  } finally {
    button.disabled = false;
  }
}

function showFormError(text) {
  const p = $("form-error");
  p.textContent = p.hidden ? text : p.textContent + "; " + text;
  p.hidden = false;
}

// ---- a job ----

function stopFollowing() {
  if (job && job.abort) job.abort.abort();
  job = null;
}

async function openJob(id) {
  if (job && job.id === id) return;
  stopFollowing();
  show("job-panel");
  job = { id, lastSeq: 0, leads: new Map(), ended: false, abort: new AbortController(), max: 0 };
  $("leads").textContent = "";
  $("queries").textContent = "";
  $("queries-box").hidden = true;
  $("summary").hidden = true;
  $("job-error").hidden = true;
  $("demo-notice").hidden = true;
  $("cancel-job").hidden = true;
  $("job-title").textContent = "Search " + id;
  $("job-context").textContent = "";
  document.title = "Prospect: search " + id;
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
  const what = r.user_search_query || c.business_description || c.ideal_customer || "";
  job.max = c.max_leads_to_generate || 0;
  $("job-context").textContent = (what ? "“" + what + "”, " : "") + "up to " + job.max + " leads";
  $("cancel-job").hidden = !(status.status === "running" || status.status === "queued");
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
    job.max = ev.max_leads_to_generate || job.max;
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
  lead_generated(ev) { leadCard(ev); countLeads(); },
  lead_enrichment_start() {},
  lead_enrichment_end(ev) { scoreLead(ev); },
  pipeline_end(ev) {
    job.ended = true;
    $("cancel-job").hidden = true;
    const n = ev.leads_generated;
    const secs = ((ev.duration_ms || 0) / 1000).toFixed(1);
    setProgress(1, "done", (ev.success ? "Finished: " : "Stopped: ") + n + " lead" + (n === 1 ? "" : "s") + " in " + secs + " s");
    showSummary(ev.summary);
  },
  pipeline_error(ev) {
    job.ended = true;
    $("cancel-job").hidden = true;
    setProgress(null, ev.stage || "error", "Stopped");
    jobError(ev.error_message || "The search failed.");
    showSummary(ev.summary);
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
  const n = job ? job.leads.size : 0;
  $("lead-count").textContent = n ? n + " lead" + (n === 1 ? "" : "s") + " found" + (job.ended ? "" : " so far") : "";
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

function leadCard(ev) {
  if (job.leads.has(ev.lead_id)) return;
  const d = ev.lead_data || {};
  const x = d.adk1_enrichment || {};
  const li = $("lead-template").content.firstElementChild.cloneNode(true);
  li.dataset.leadId = ev.lead_id;
  li.querySelector(".name").textContent = d.company_name || d.site || ev.lead_id;
  const a = li.querySelector(".website");
  if (d.website && /^https?:\/\//.test(d.website)) { a.href = d.website; a.textContent = d.website.replace(/^https?:\/\//, "").replace(/\/$/, ""); }
  li.querySelector(".industry").textContent = x.industry || "";
  li.querySelector(".size").textContent = x.company_size || "";
  li.querySelector(".place").textContent = d.country || "";
  li.querySelector(".description").textContent = d.description || "";
  const contacts = li.querySelector(".contacts");
  for (const [list, scheme, what] of [[x.contact_emails, "mailto:", "email"], [x.contact_phones, "tel:", "phone"]]) {
    for (const v of list || []) {
      const item = el("li");
      const link = el("a", "", v);
      link.href = scheme + v;
      item.append(link, copyButton(v, what));
      contacts.append(item);
    }
  }
  job.leads.set(ev.lead_id, li);
  $("leads").append(li);
}

function scoreLead(ev) {
  const li = job.leads.get(ev.lead_id);
  if (!li) return;
  li.querySelector(".enriching").hidden = true;
  const pkg = ((ev.final_package || {}).analyzed_lead) || {};
  const ai = pkg.ai_intelligence || {};
  if (!ev.success) {
    li.querySelector(".qualification").textContent = "Could not be scored" + (ev.error_message ? ": " + ev.error_message : ".");
    return;
  }
  const badge = li.querySelector(".score-badge");
  const p = ai.prospect_score || 0;
  badge.textContent = Math.round(p * 100) + "% fit";
  badge.className = "badge score-badge " + (pkg.qualified === false ? "low" : p >= 0.65 ? "good" : "fair");
  badge.title = "Prospect score: the weighted mix of the scores below";
  badge.hidden = false;
  const box = li.querySelector(".scores");
  box.textContent = "";
  const evidence = ai.evidence || {};
  for (const [key, label] of SCORES) {
    if (typeof ai[key] !== "number") continue;
    const det = el("details", "score");
    const sum = el("summary");
    const bar = el("span", "bar");
    const fill = el("span");
    fill.style.width = Math.round(ai[key] * 100) + "%";
    bar.append(fill);
    bar.setAttribute("aria-hidden", "true");
    sum.append(el("span", "label", label), bar, el("span", "value", Math.round(ai[key] * 100) + "%"));
    sum.setAttribute("aria-label", label + " " + Math.round(ai[key] * 100) + "%: show the evidence");
    det.append(sum);
    const quotes = evidence[key] || [];
    const body = el("div", "evidence");
    if (!quotes.length) body.append(el("p", "none", "No sentence on the site supports this score."));
    for (const q of quotes) {
      const bq = el("blockquote", "", "“" + q.quote + "”");
      const src = el("p", "source");
      if (q.url && /^https?:\/\//.test(q.url)) {
        const a = el("a", "", q.url);
        a.href = q.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        src.append("Source: ", a);
      }
      body.append(bq, src);
    }
    det.append(body);
    box.append(det);
  }
  box.hidden = false;
  const ins = li.querySelector(".insights");
  ins.textContent = "";
  for (const t of ai.predictive_insights || []) ins.append(el("li", "", t));
  ins.hidden = !ins.children.length;
  li.querySelector(".qualification").textContent = ai.qualification_summary || "";
  li.querySelector(".qualification").dataset.analyst = ai.analyst || "";
}

function showSummary(s) {
  if (!s) return;
  const dl = $("summary-list");
  dl.textContent = "";
  const add = (k, v) => { if (v !== "" && v !== undefined) dl.append(el("dt", "", k), el("dd", "", String(v))); };
  const f = s.fetches || {};
  const failed = (f.timeout || 0) + (f.error || 0) + (f.too_large || 0) + (f.not_html || 0);
  add("Pages read", (f.ok || 0) + " ok, " + (f.blocked || 0) + " blocked, " + (f.rate_limited || 0) + " rate-limited, " +
    (f.challenge || 0) + " behind a bot check, " + (f.refused_address || 0) + " refused (private address), " + failed + " failed" +
    (f.read_by_provider ? ", " + f.read_by_provider + " read by the search provider" : ""));
  if (s.search) add("Search", s.search.provider + ", " + s.search.calls + " call" + (s.search.calls === 1 ? "" : "s") + (s.search.credits ? ", " + s.search.credits + " credits" : ""));
  if (s.llm) add("Analyst", s.llm.provider === "heuristic" ? "built-in rules (no LLM configured)" : s.llm.provider + " " + s.llm.model + ", " + s.llm.calls + " calls, " + (s.llm.tokens_in + s.llm.tokens_out) + " tokens");
  add("Sites considered", s.sites_considered !== undefined ? s.sites_considered + " (" + (s.sites_skipped || 0) + " skipped)" : "");
  add("Qualified", s.leads_qualified !== undefined ? s.leads_qualified + " of " + s.leads_requested + " asked for" : "");
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

async function exportLeads(format) {
  if (!job) return;
  try {
    const res = await api("/api/v2/jobs/" + encodeURIComponent(job.id) + "/leads" + (format === "csv" ? "?format=csv" : ""));
    if (!res.ok) throw new ApiError(res.status, "the export failed (" + res.status + ")");
    const blob = format === "csv" ? await res.blob()
      : new Blob([JSON.stringify(await res.json(), null, 2)], { type: "application/json" });
    const a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = "prospect-" + job.id + "." + format;
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  } catch (e) { if (e.status !== 401) notice(e.message); }
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
      const a = el("a", "", j.title || j.job_id);
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

document.addEventListener("DOMContentLoaded", () => {
  $("job-form").addEventListener("submit", submitJob);
  $("example").addEventListener("click", fillExample);
  $("new-job").addEventListener("click", () => { location.hash = ""; route(); });
  $("home-link").addEventListener("click", (e) => { e.preventDefault(); location.hash = ""; route(); });
  $("show-history").addEventListener("click", () => { location.hash = "#history"; });
  $("export-csv").addEventListener("click", () => exportLeads("csv"));
  $("export-json").addEventListener("click", () => exportLeads("json"));
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
