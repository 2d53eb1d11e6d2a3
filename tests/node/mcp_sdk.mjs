// mcp_sdk.mjs BIN DB HTTP_URL API_KEY: Prospect's MCP server driven by the
// official SDK client (@modelcontextprotocol/sdk) over stdio (BIN mcp --db
// DB, with this process's environment) and over Streamable HTTP (HTTP_URL,
// with the API key): list the tools, call each, receive progress and log
// notifications, cancel a running call, and see protocol errors. The SDK
// checks every structuredContent against the tool's outputSchema. A job
// started over MCP is checked in the HTTP job API. Exits 1 on failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

const [bin, db, url, key] = process.argv.slice(2);
const CONTEXT = {
  business_description: "AI-powered CRM solutions for SMBs",
  ideal_customer: "SMBs with 10-100 employees in tech",
  pain_points: ["Manual data entry", "Poor lead tracking"],
  industry_focus: ["Software", "SaaS"],
};
const TOOLS = ["prospect_find_leads", "prospect_job_status", "prospect_job_leads",
  "prospect_explain_score", "prospect_enrich_company", "prospect_enrich_companies",
  "prospect_generate_queries",
  "prospect_search", "prospect_extract_page"];

let failures = 0;
function check(cond, what) {
  if (!cond) {
    failures++;
    console.error("FAIL", what);
  }
}

async function run(name, transport) {
  const client = new Client({ name: "prospect-test", version: "1.0.0" });
  await client.connect(transport);
  const logs = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params));
  await client.setLoggingLevel("info");
  await client.ping();

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  for (const t of TOOLS) check(names.includes(t), `${name}: ${t} is listed`);
  for (const t of tools) {
    check(t.title && t.description && t.description.length > 80, `${name}: ${t.name} has a title and a description`);
    check(t.inputSchema && t.inputSchema.type === "object", `${name}: ${t.name} has an input schema`);
    check(t.outputSchema && t.outputSchema.type === "object", `${name}: ${t.name} has an output schema`);
    check(t.annotations && typeof t.annotations.readOnlyHint === "boolean", `${name}: ${t.name} has annotations`);
  }
  const call = (tool, args, opts) => client.callTool({ name: tool, arguments: args }, undefined, opts);
  const json = (r) => JSON.parse(r.content[0].text);

  // Find leads, with progress.
  const progress = [];
  let r = await call("prospect_find_leads", { business_context: CONTEXT, max_leads: 3, wait_seconds: 90 },
    { onprogress: (p) => progress.push(p), timeout: 120000, resetTimeoutOnProgress: true });
  check(!r.isError, `${name}: find_leads succeeded: ${r.content[0].text.slice(0, 300)}`);
  const found = r.structuredContent;
  check(found.done && found.status === "succeeded" && found.leads.length === 3, `${name}: three leads, done: ${JSON.stringify(found).slice(0, 300)}`);
  check(JSON.stringify(json(r)) === JSON.stringify(found), `${name}: the text is the structured content`);
  check(found.notice === undefined, `${name}: no fictional-companies notice on a web search: ${found.notice}`);
  check(progress.length >= 2, `${name}: progress notifications (${progress.length})`);
  for (let i = 1; i < progress.length; i++) check(progress[i].progress > progress[i - 1].progress, `${name}: progress increases`);
  check(logs.some((l) => l.data && l.data.job_id === found.job_id), `${name}: log notifications about the job`);
  const jobId = found.job_id;

  r = await call("prospect_job_status", { job_id: jobId });
  check(r.structuredContent.status === "succeeded" && r.structuredContent.leads === 3, `${name}: job status`);
  r = await call("prospect_job_leads", { job_id: jobId, limit: 2 });
  check(r.structuredContent.total === 3 && r.structuredContent.leads.length === 2 && r.structuredContent.next_offset === 2, `${name}: a page of leads`);
  r = await call("prospect_job_leads", { job_id: jobId, offset: 2, detail: "detailed" });
  check(r.structuredContent.leads.length === 1 && r.structuredContent.next_offset === null && r.structuredContent.leads[0].final_package, `${name}: the detailed last page`);
  const leadId = found.leads[0].lead_id;
  r = await call("prospect_explain_score", { job_id: jobId, lead_id: leadId });
  const ex = r.structuredContent;
  check(!r.isError && ex.scores.length >= 3 && ex.scores.some((s) => s.evidence.length && s.evidence[0].quote && s.evidence[0].url), `${name}: a score's evidence: ${JSON.stringify(ex).slice(0, 300)}`);

  // The job is the job API's too.
  const api = await fetch(new URL("/api/v2/jobs/" + jobId, url), { headers: { Authorization: "Bearer " + key } });
  if (name === "http") check(api.status === 200 && (await api.json()).leads === 3, `${name}: the MCP job in the HTTP API`);

  // One company, queries, a search, a page.
  const site = found.leads[0].website;
  r = await call("prospect_enrich_company", { url: site, business_context: CONTEXT });
  check(!r.isError && r.structuredContent.scored && r.structuredContent.company_name && typeof r.structuredContent.prospect_score === "number", `${name}: enrich one company: ${r.content[0].text.slice(0, 300)}`);
  // A list: one row per company in the order given, progress per company,
  // and the reason of each that failed.
  const listProgress = [];
  // (the second page is new to the page cache, so that it takes the mock's
  // latency and the first company's progress goes out well before the result)
  const fresh = found.leads[1].website + (found.leads[1].website.includes("?") ? "&" : "?") + "list=" + name;
  const list = [site, fresh, "127.0.0.1:1", site];
  r = await call("prospect_enrich_companies", { companies: list, business_context: CONTEXT },
    { onprogress: (p) => listProgress.push(p), timeout: 120000, resetTimeoutOnProgress: true });
  const rows = (r.structuredContent || {}).companies || [];
  check(!r.isError && rows.length === 4 && rows.map((x) => x.target).join() === list.join(), `${name}: a list, in order: ${r.content[0].text.slice(0, 300)}`);
  check(rows.length === 4 && rows[0].success && typeof rows[0].prospect_score === "number" && rows[0].scores.length >= 3, `${name}: a listed company scored`);
  check(rows.length === 4 && !rows[2].success && rows[2].error_type === "unreachable" && !rows[3].success && rows[3].error_type === "duplicate", `${name}: failures say why: ${JSON.stringify(rows.slice(2))}`);
  // (the SDK handles a progress notification a microtask late, so those
  // that arrive with the result itself are dropped: at least the first)
  check(listProgress.length >= 1 && listProgress.every((p, i) => p.total === 4 && p.progress === i + 1), `${name}: progress per company: ${JSON.stringify(listProgress)}`);
  r = await call("prospect_enrich_companies", { companies: ["not a domain"] });
  check(r.isError && /companies\[0\]/.test(r.content[0].text), `${name}: a bad company is named: ${r.content[0].text}`);
  r = await call("prospect_generate_queries", { business_context: CONTEXT, user_search_query: "crm automation" });
  check(r.structuredContent.queries.length >= 3 && r.structuredContent.queries[0].strategy === "user", `${name}: queries`);
  r = await call("prospect_search", { query: "crm automation software", limit: 5 });
  check(!r.isError && r.structuredContent.results.length > 0 && r.structuredContent.results[0].url, `${name}: search: ${r.content[0].text.slice(0, 200)}`);
  // Some of the mock's sites are down (their leads were read by the provider):
  // a page is extracted from a site that answers, a down one is a clear error.
  let page = null;
  for (const l of found.leads) {
    r = await call("prospect_extract_page", { url: l.website });
    if (!r.isError) { page = r.structuredContent.page; break; }
    check(/could not be read/.test(r.content[0].text), `${name}: a down page is said to be unreadable: ${r.content[0].text.slice(0, 200)}`);
  }
  check(page && page.company_name, `${name}: extract a page of a lead's site`);

  // Failures a model can fix are isError results with a hint.
  r = await call("prospect_job_status", { job_id: "no-such-job" });
  check(r.isError && /Fix:/.test(r.content[0].text), `${name}: an unknown job is an isError result`);
  r = await call("prospect_find_leads", { business_context: { pain_points: "not a list" } });
  check(r.isError && /pain_points/.test(r.content[0].text), `${name}: a bad argument is named: ${r.content[0].text}`);
  r = await call("prospect_extract_page", { url: "http://127.0.0.1:1/admin" });
  check(r.isError, `${name}: a private address is refused`);
  // Protocol errors are JSON-RPC errors.
  await client.callTool({ name: "no_such_tool", arguments: {} }).then(
    () => check(false, `${name}: an unknown tool must be a protocol error`),
    (e) => check(e.code === -32602, `${name}: unknown tool is -32602 (${e.code})`));

  // Cancel a running call: the SDK sends notifications/cancelled; the
  // server stops waiting and stops the job it started.
  const ctl = new AbortController();
  let cancelledJob = null;
  const slow = call("prospect_find_leads", { business_context: CONTEXT, max_leads: 30, wait_seconds: 120 },
    { signal: ctl.signal, timeout: 120000, onprogress: () => {} });
  const seen = logs.length;
  for (let i = 0; i < 100 && !cancelledJob; i++) {
    await new Promise((res) => setTimeout(res, 100));
    const l = logs.slice(seen).find((x) => x.data && x.data.event === "job started");
    if (l) cancelledJob = l.data.job_id;
  }
  ctl.abort("the user changed their mind");
  await slow.then(() => check(false, `${name}: a cancelled call must not resolve`), () => {});
  check(cancelledJob, `${name}: the cancelled call had started a job`);
  let status = null;
  for (let i = 0; i < 100 && cancelledJob; i++) {
    r = await call("prospect_job_status", { job_id: cancelledJob });
    status = r.structuredContent.status;
    if (status === "cancelled") break;
    await new Promise((res) => setTimeout(res, 100));
  }
  check(status === "cancelled", `${name}: the cancelled call's job is cancelled (${status})`);
  await client.ping(); // the session is still fine
  await client.close();
  console.log(`${name}: ${tools.length} tools, ${progress.length} progress notifications, ${logs.length} log messages, cancelled ${cancelledJob}`);
}

await run("stdio", new StdioClientTransport({ command: bin, args: ["mcp", "--db", db], env: { ...process.env }, stderr: "ignore" }));
await run("http", new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: "Bearer " + key } } }));
process.exit(failures ? 1 : 0);
