// webpage_table.mjs BASE_URL API_KEY ARTIFACTS_DIR WEB_URL SRCDIR: the web
// page as a sales team works its leads, in Debian's chromium, against
// companies that are real pages served on loopback (tests/stubs/realweb.py
// at WEB_URL, its sites from SRCDIR/tests/realpages/labels.json).
//
// Enrich my list: a pasted list with a line that is no domain is refused
// by line before anything is sent; a CRM export (CSV) is read by its
// "Company Domain Name" column; a CRM file of companies to skip goes with
// the request; the rows arrive in the list's order, those that could not be
// enriched with their reason; 50 leads make a table (screenshot). Then the
// table: sorting by score both ways and by company, each filter's count
// against the API's leads, selected rows exported as HubSpot and
// Salesforce CSV, a row's evidence by mouse and by keyboard, the people a
// lead's site names in its card and the Contact column. A list without
// a business context is named by its size, in the heading and the history.
// Find new leads with a CRM file: its companies are skipped. Exits 1 on the
// first failed expectation.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { apiClient, check, download, launch, openPage, parseCsv, shooter } from "./browser.mjs";

const [base, apiKey, artifacts, web, src] = process.argv.slice(2);
const shot = shooter(artifacts);
const api = apiClient(base, apiKey);
const webPort = new URL(web).port;

// Real company sites of tests/realpages, one page each, as realweb.py
// serves them: https://www.termiopest.com/x is http://termiopest-com.localhost:PORT/x.
function realSites(n) {
  const labels = JSON.parse(readFileSync(join(src, "tests/realpages/labels.json"), "utf8"));
  const seen = new Set();
  const out = [];
  for (const p of labels) {
    if (!p.url || !p.is_business || p.page_type !== "service") continue;
    const u = new URL(p.url);
    const slug = u.hostname.replace(/^www\./, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    if (seen.has(slug)) continue;
    seen.add(slug);
    const host = slug + ".localhost";
    out.push({ name: p.company_name, host, url: "http://" + host + ":" + webPort + u.pathname + u.search, country: p.country || "" });
    if (out.length === n) break;
  }
  return out;
}

function csvField(s) {
  return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

// A HubSpot company export as a sales team has it: its own columns, the
// domain in "Company Domain Name", one row without one.
function hubspotExport(sites, extra) {
  const lines = ["Record ID,Company name,Company Domain Name,Website URL,Phone Number,City,Country/Region,Lifecycle Stage,Create Date"];
  [...sites, ...extra].forEach((s, i) => {
    lines.push([String(9800001 + i), s.name, s.domain, s.url, "", "", s.country, "Lead", "2026-10-0" + (1 + i % 9) + " 09:30"].map(csvField).join(","));
    if (i === 7) lines.push([String(9809999), "Walk-in customer (no website)", "", "", "+1 555 0100", "Austin", "US", "Lead", "2026-10-02 11:00"].join(","));
  });
  return lines.join("\r\n") + "\r\n";
}

const shownCount = async (page) => {
  const m = (await page.locator("#shown-count").textContent()).match(/^(\d+) of (\d+) leads? shown$/);
  check(m, "a count of the leads shown: " + await page.locator("#shown-count").textContent());
  return { shown: Number(m[1]), total: Number(m[2]) };
};

// The text of column k (0: the box, 1: company, 2: domain, 8: contact,
// 9: score) of the rows shown, top to bottom; "" for a row whose scores are
// a failure.
const column = (page, k) => page.locator("#leads tbody tr:not([hidden])").evaluateAll(
  (rows, k) => rows.map((r) => (r.classList.contains("done") || k < 9 ? r.cells[k].textContent : "")), k);

// Clicks a column's header; want: the aria-sort it then has (null: none).
async function sortBy(page, label, want) {
  await page.locator("#leads thead button.sort", { hasText: new RegExp("^" + label + "$") }).click();
  const th = page.locator("#leads thead th", { has: page.locator("button.sort", { hasText: new RegExp("^" + label + "$") }) });
  check(await th.getAttribute("aria-sort") === want, label + " sorted " + want + ": " + await th.getAttribute("aria-sort"));
}

function ordered(values, cmp, what) {
  for (let i = 1; i < values.length; i++)
    check(cmp(values[i - 1], values[i]) <= 0, what + ": " + values[i - 1] + " before " + values[i]);
}

// Sorting: by score, best first then worst first, the rows without a
// score (failures) last both times; by company A to Z, then Z to A.
async function checkSorting(page) {
  const scores = async () => {
    const v = await column(page, 9);
    const firstEmpty = v.indexOf("");
    check(firstEmpty < 0 || v.slice(firstEmpty).every((x) => x === ""), "rows without a score come last: " + v.join(","));
    return v.filter((x) => x !== "").map(Number);
  };
  await sortBy(page, "Score", "descending");
  const down = await scores();
  ordered(down, (a, b) => b - a, "score, best first");
  check(down[0] > down[down.length - 1], "scores that differ: " + down.join(","));
  await sortBy(page, "Score", "ascending");
  ordered(await scores(), (a, b) => a - b, "score, worst first");
  const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
  await sortBy(page, "Company", "ascending");
  ordered(await column(page, 1), collator.compare, "companies A to Z");
  await sortBy(page, "Company", "descending");
  ordered(await column(page, 1), (a, b) => collator.compare(b, a), "companies Z to A");
}

function commonest(values) {
  const n = new Map();
  for (const v of values) if (v) n.set(v, (n.get(v) || 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

// Each filter alone shows as many rows as the API's leads that pass it,
// fewer than all of them; then two at once.
async function checkFilters(page, leads) {
  const x = (l) => (l.lead_data || {}).adk1_enrichment || {};
  const ok = (l) => l.success !== false && l.success !== 0;
  const industry = commonest(leads.filter(ok).map((l) => x(l).industry));
  const country = commonest(leads.filter(ok).map((l) => (l.lead_data || {}).country));
  const want = {
    industry: leads.filter((l) => x(l).industry === industry).length,
    country: leads.filter((l) => (l.lead_data || {}).country === country).length,
    qualified: leads.filter((l) => ok(l) && ((l.final_package || {}).analyzed_lead || {}).qualified === true).length,
    email: leads.filter((l) => (x(l).contact_emails || []).length).length,
    phone: leads.filter((l) => (x(l).contact_phones || []).length).length,
    failed: leads.filter((l) => !ok(l)).length,
  };
  const expectShown = async (n, what) => {
    const c = await shownCount(page);
    check(c.total === leads.length, `${c.total} leads in all, the API has ${leads.length}`);
    check(c.shown === n, `${what}: ${c.shown} shown, the API's leads give ${n}`);
    check(await page.locator("#leads tbody tr:not([hidden])").count() === n, what + ": as many rows as counted");
    check(n < leads.length, what + " leaves some out (the test's leads must differ)");
  };
  await page.getByLabel("Industry").selectOption(industry);
  await expectShown(want.industry, "industry " + industry);
  await page.getByLabel("Industry").selectOption("");
  await page.getByLabel("Country").selectOption(country);
  await expectShown(want.country, "country " + country);
  await page.getByLabel("Country").selectOption("");
  await page.getByLabel("Result").selectOption("failed");
  await expectShown(want.failed, "failed only");
  await page.getByLabel("Result").selectOption("");
  for (const [label, key] of [["Qualified only", "qualified"], ["Has e-mail", "email"], ["Has phone", "phone"]]) {
    await page.getByLabel(label).check();
    await expectShown(want[key], label);
    await page.getByLabel(label).uncheck();
  }
  await page.getByLabel("Qualified only").check();
  await page.getByLabel("Has phone").check();
  const both = leads.filter((l) => ok(l) && ((l.final_package || {}).analyzed_lead || {}).qualified === true &&
    (x(l).contact_phones || []).length).length;
  await expectShown(both, "qualified with a phone");
  await shot(page, "table-filtered", { fullPage: false });
  await page.getByLabel("Qualified only").uncheck();
  await page.getByLabel("Has phone").uncheck();
  check((await shownCount(page)).shown === leads.length, "every lead shown again");
}

// Selected rows go out as a CRM's import file, and nothing else does.
async function checkExport(page) {
  await sortBy(page, "Score", "descending");
  const rows = page.locator("#leads tbody tr:not([hidden])");
  const picked = [0, 2, 4];
  for (const i of picked) await rows.nth(i).locator(".sel input").check();
  const names = await column(page, 1), domains = await column(page, 2);
  const wantDomains = picked.map((i) => domains[i]).sort();
  const wantNames = picked.map((i) => names[i]).sort();
  check((await page.locator("#selected-count").textContent()) === "3 rows selected", "three rows selected");
  await page.getByLabel("Format").selectOption("csv");
  await page.getByLabel("Columns for").selectOption("hubspot");
  const hub = await download(page, () => page.getByRole("button", { name: "Export 3 selected" }).click());
  check(/-hubspot\.csv$/.test(hub.name), "the file says its profile: " + hub.name);
  const h = parseCsv(hub.text);
  check(h[0].join(",").startsWith("Company name,Company Domain Name,Website URL"), "HubSpot's header: " + h[0].join(","));
  check(h.length === 4, `HubSpot rows: ${h.length - 1} for 3 selected`);
  check(JSON.stringify(h.slice(1).map((r) => r[1]).sort()) === JSON.stringify(wantDomains),
    "the selected rows' domains: " + h.slice(1).map((r) => r[1]) + " for " + wantDomains);
  await page.getByLabel("Columns for").selectOption("salesforce");
  const sf = await download(page, () => page.getByRole("button", { name: "Export 3 selected" }).click());
  check(/-salesforce\.csv$/.test(sf.name), "the file says its profile: " + sf.name);
  const s = parseCsv(sf.text);
  check(s[0].join(",").startsWith("Account Name,Website"), "Salesforce's header: " + s[0].join(","));
  check(s.length === 4 && JSON.stringify(s.slice(1).map((r) => r[0]).sort()) === JSON.stringify(wantNames),
    "the selected rows' names: " + s.slice(1).map((r) => r[0]) + " for " + wantNames);
  await page.getByLabel("Format").selectOption("json");
  check(await page.getByLabel("Columns for").isHidden(), "no CSV columns to choose for JSON");
  const js = await download(page, () => page.getByRole("button", { name: "Export 3 selected" }).click());
  check(/\.json$/.test(js.name) && JSON.parse(js.text).leads.length === 3, "JSON of the 3 selected: " + js.name);
  await page.getByRole("button", { name: "Clear selection" }).click();

  // Select all takes the rows shown, not those a filter hides.
  await page.getByLabel("Has phone").check();
  const shown = (await shownCount(page)).shown;
  await page.getByLabel("Select every lead shown").check();
  check(await page.locator("#selected-count").textContent() === shown + " rows selected", "select all took the " + shown + " rows shown");
  await page.getByLabel("Format").selectOption("csv");
  const phones = parseCsv((await download(page, () => page.getByRole("button", { name: `Export ${shown} selected` }).click())).text);
  check(phones.length === shown + 1, `rows exported: ${phones.length - 1} for ${shown} selected`);
  await page.getByRole("button", { name: "Clear selection" }).click();
  await page.getByLabel("Has phone").uncheck();

  // A long selection: its ids go in several requests (a request line has
  // a few kilobytes at most), joined under one header.
  await page.getByLabel("Select every lead shown").check();
  await rows.nth(1).locator(".sel input").uncheck();
  const many = (await shownCount(page)).total - 1;
  const asked = [];
  const onRequest = (r) => { if (r.url().includes("/leads?")) asked.push(r.url()); };
  page.on("request", onRequest);
  const big = parseCsv((await download(page, () => page.getByRole("button", { name: `Export ${many} selected` }).click())).text);
  page.off("request", onRequest);
  check(asked.length > 1, "a long selection in parts: " + asked.length + " request(s)");
  check(big.length === many + 1 && big.filter((r) => r[0] === big[0][0]).length === 1,
    `rows exported: ${big.length - 1} for ${many} selected, under one header`);
  await page.getByRole("button", { name: "Clear selection" }).click();
}

// A row opens by a click anywhere on it, and by Enter on its company;
// Escape closes and gives the focus back.
async function checkDetail(page) {
  const row = page.locator("#leads tbody tr.done", { has: page.locator("td.industry") }).first();
  await row.locator("td.industry").click();
  const detail = page.locator("#lead-detail");
  await detail.waitFor();
  let quoted = detail.locator(".score:has(.evidence blockquote) summary");
  for (let i = 0; i < 50 && !await quoted.count() && await page.locator("#detail-next").isEnabled(); i++)
    await page.locator("#detail-next").click();
  check(await quoted.count() > 0, "a lead with a quote behind a score");
  await quoted.first().click();
  check((await detail.locator(".score[open] .evidence blockquote").first().textContent()).length > 10, "the quoted evidence");
  check(await detail.locator(".contacts a").count() > 0, "the lead's contacts");
  // every e-mail address shown carries its check (DNS is a closed port in the tests: unknown)
  const mails = await detail.locator('.contacts a[href^="mailto:"]').count();
  check(await detail.locator(".contacts .mail-status").count() === mails, "each e-mail's status (" + mails + " addresses)");
  await shot(page, "table-detail", { fullPage: false });
  await page.keyboard.press("Escape");
  await detail.waitFor({ state: "hidden" });
  const name = page.locator("#leads tbody tr.done .open").nth(1);
  await name.focus();
  await page.keyboard.press("Enter");
  await detail.waitFor();
  check(await detail.locator(".name").textContent() === await name.textContent(), "Enter opened that row's lead");
  await page.keyboard.press("Escape");
  await detail.waitFor({ state: "hidden" });
  check(await name.evaluate((e) => e === document.activeElement), "the focus is back on the row");
}

// The people a lead's site names, as the API has them: the table's Contact
// names the most senior (the first named among equals), and the lead's card
// lists each with its title and rank, its e-mail with its check, its phone
// and LinkedIn.
async function checkPeople(page, leads) {
  const peopleOf = (l) => ((l.lead_data || {}).adk1_enrichment || {}).people || [];
  const lead = leads.find((l) => l.success !== false && peopleOf(l).length);
  check(lead, "a lead whose site names people: " + leads.map((l) => peopleOf(l).length).join(","));
  const people = peopleOf(lead);
  const ranks = ["owner", "c_level", "vp", "director", "manager", "staff"];
  const rank = (p) => (ranks.includes(p.seniority) ? ranks.indexOf(p.seniority) : ranks.length);
  const top = people.reduce((best, p) => (rank(p) < rank(best) ? p : best));
  const row = page.locator("#leads tbody tr[data-lead-id=" + JSON.stringify(lead.lead_id) + "]");
  const contact = row.locator("td.contact");
  check((await contact.textContent()).startsWith(top.name), "the Contact column names " + top.name + ": " + await contact.textContent());
  await contact.click();
  const detail = page.locator("#lead-detail");
  await detail.waitFor();
  const items = detail.locator(".people .person");
  check(await items.count() === people.length, `the card lists ${await items.count()} people, the API ${people.length}`);
  check((await items.first().locator(".who").textContent()) === top.name, "the most senior first: " + await items.first().textContent());
  for (const p of people) {
    const exact = new RegExp("^" + p.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "$");
    const item = items.filter({ has: page.locator(".who", { hasText: exact }) });
    check(await item.count() === 1, p.name + " is in the card");
    const text = await item.textContent();
    if (p.title) check(text.includes(p.title), p.name + "'s title: " + text);
    if (p.email) {
      check(await item.locator('a[href="mailto:' + p.email + '"]').count() === 1, p.name + "'s e-mail: " + text);
      check(await item.locator(".mail-status").count() === 1, p.name + "'s e-mail check: " + text);
    }
    if (p.linkedin) check(await item.locator('a[href="' + p.linkedin + '"]').count() === 1, p.name + "'s LinkedIn");
    check(!p.email_guess, "no guessed address unless asked for: " + JSON.stringify(p));
  }
  await shot(page, "table-people", { fullPage: false });
  await page.keyboard.press("Escape");
  await detail.waitFor({ state: "hidden" });
}

async function waitFinished(page, timeout) {
  await page.locator("#stage", { hasText: /Finished|Stopped/ }).waitFor({ timeout });
}

const browser = await launch();
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  // webpage.mjs saw the page ask for the key; this tab has it already.
  await context.addInitScript((key) => sessionStorage.setItem("prospect.apiKey", key), apiKey);
  const page = await openPage(context);
  await page.goto(base + "/");

  // ---- Enrich my list ----
  await page.getByLabel("Enrich my list").check();
  check(await page.getByLabel("Leads wanted").isHidden(), "no lead count to ask for in list mode");
  const typed = page.getByLabel(/^Your companies/);
  await typed.fill("acme-example.com\nAcme Inc\nhttps://b-example.org/about, jane@c-example.net");
  await page.getByRole("button", { name: "Enrich companies" }).click();
  const listError = page.locator("#companies-error");
  await listError.waitFor();
  check((await listError.textContent()).includes("Line 2: “Acme Inc” is not a domain"), "the bad line named: " + await listError.textContent());
  check(!page.url().includes("#job="), "nothing sent with a bad line");
  await shot(page, "list-bad-line", { fullPage: false });
  await page.getByRole("button", { name: "Remove the lines that are not domains" }).click();
  check(await listError.count() === 0, "the error gone with the line");
  check(await typed.inputValue() === "acme-example.com\nhttps://b-example.org/about, jane@c-example.net", "the bad line removed: " + await typed.inputValue());

  // What only the server knows is shown by the list too: its limit.
  await typed.fill(Array.from({ length: 1001 }, (_, i) => "company-" + i + ".example").join("\n"));
  await page.getByRole("button", { name: "Enrich companies" }).click();
  await listError.waitFor();
  check((await listError.textContent()).includes("from 1 to 1000 items (got 1001)"), "the API's problem by the list: " + await listError.textContent());

  // A CRM's export: 53 real sites (one in the CRM already, and a few that
  // are marketplaces, not companies), one twice, one that does not answer.
  const sites = realSites(53);
  const skipped = sites.pop();
  const gone = { name: "Gone Ltd", host: "gone-example.localhost", url: "http://gone-example.localhost:" + webPort + "/", country: "US" };
  const list = [...sites.slice(0, 20), skipped, ...sites.slice(20), sites[3], gone];
  for (const s of list) s.domain = s.host + ":" + webPort; // (the mock web's sites have a port)
  await page.getByLabel("…or read them from a file").setInputFiles({ name: "hubspot-companies.csv", mimeType: "text/csv", buffer: Buffer.from(hubspotExport(list, [])) });
  const status = page.locator("#companies-status");
  await status.filter({ hasText: "Read" }).waitFor();
  check(await status.textContent() === `Read ${list.length} companies from the column “Company Domain Name” of hubspot-companies.csv (1 row without a value skipped).`,
    "what the file gave: " + await status.textContent());
  check((await typed.inputValue()).split("\n").length === list.length, "one company a line in the list");

  // The CRM's own companies to skip: a Salesforce export, by its Website column.
  const crm = "Account Name,Website,Phone,Billing City\r\n" +
    `${csvField(skipped.name)},https://www.${skipped.host}/,,Boston\r\nOther Co,https://other-example.com/,,Austin\r\n` +
    "Private person,jane.doe@gmail.com,,\r\n";
  await page.getByLabel("Skip companies already in my CRM").setInputFiles({ name: "salesforce-accounts.csv", mimeType: "text/csv", buffer: Buffer.from(crm) });
  await page.locator("#exclude-status", { hasText: "Read" }).waitFor();
  check(await page.locator("#exclude-status").textContent() === "Read 2 companies to skip from the column “Website” of salesforce-accounts.csv (1 personal e-mail address ignored).",
    "the CRM file read: " + await page.locator("#exclude-status").textContent());

  const ctx = JSON.parse(readFileSync(join(src, "tests/realpages/contexts/software-agencies.json"), "utf8")).business_context;
  await page.getByLabel("What your business does").fill(ctx.business_description);
  await page.getByLabel("Ideal customer").fill(ctx.ideal_customer);
  await page.getByLabel("Pains you solve").fill(ctx.pain_points.join("\n"));
  await page.getByLabel("Location").fill(ctx.location);
  const [posted] = await Promise.all([page.waitForRequest((r) => r.url().endsWith("/api/v2/enrich") && r.method() === "POST"),
    page.getByRole("button", { name: "Enrich companies" }).click()]);
  const sent = posted.postDataJSON();
  check(JSON.stringify(sent.companies) === JSON.stringify(list.map((s) => s.domain)), "the list sent in its order: " + sent.companies);
  check(JSON.stringify(sent.exclude_domains) === JSON.stringify([skipped.host, "other-example.com"]), "the CRM's domains sent: " + sent.exclude_domains);
  await page.waitForURL(/#job=/);
  const enrichId = decodeURIComponent(page.url().split("#job=")[1]);
  await page.locator("#job-title", { hasText: ctx.business_description.slice(0, 30) }).waitFor();

  // Rows come in the list's order, while the job runs; sorted by score
  // meanwhile, the rows that come later keep to it.
  const rows = page.locator("#leads tbody tr");
  await rows.nth(5).waitFor({ timeout: 120000 });
  const early = await column(page, 2);
  check(Number(await page.locator("#progress").getAttribute("aria-valuenow")) < 100, "rows shown while the job runs");
  check(early.every((d, i) => d === list[i].host), "the first rows in the list's order: " + early.join(", "));
  await sortBy(page, "Score", "descending");
  await waitFinished(page, 240000);
  check(early.length < list.length / 2, "most rows came after the sort (" + early.length + " before)");
  const byScore = (await column(page, 9)).filter((x) => x !== "").map(Number);
  ordered(byScore, (a, b) => b - a, "rows that came later, in the score's order");
  await sortBy(page, "Score", "ascending");
  await sortBy(page, "Score", null); // a third click: the list's own order again
  const domains = await column(page, 2);
  check(JSON.stringify(domains) === JSON.stringify(list.map((s) => s.host)), "every company once, in order: " + domains.join(", "));
  const reason = async (host) => page.locator("#leads tbody tr", { has: page.locator("td.domain", { hasText: new RegExp("^" + host.replace(/\./g, "\\.") + "$") }) }).locator("td.failure").textContent();
  check((await reason(skipped.host)).startsWith("Already in your CRM"), "the CRM's company failed as such: " + await reason(skipped.host));
  check((await reason(gone.host)).length > 5, "the site that is gone has a reason: " + await reason(gone.host));
  const twice = page.locator("#leads tbody tr").nth(list.length - 2).locator("td.failure");
  check((await twice.textContent()).startsWith("Listed twice"), "the company listed twice: " + await twice.textContent());
  check((await page.locator("#summary-list").textContent()).includes("Already in your CRM"), "the summary counts the CRM's companies");
  const enriched = await page.locator("#leads tbody tr.done").count();
  check(enriched >= 45, enriched + " companies enriched of " + list.length);
  await page.mouse.move(0, 0);
  await shot(page, "table-50-leads");

  const leads = (await api("/api/v2/jobs/" + encodeURIComponent(enrichId) + "/leads")).leads;
  await checkSorting(page);
  await checkFilters(page, leads);
  await checkExport(page);
  await checkDetail(page);
  await checkPeople(page, leads);

  // A list without a business context is named by its size.
  await page.getByRole("button", { name: "New search" }).click();
  await page.getByLabel("Enrich my list").check();
  for (const f of ["What your business does", "Ideal customer", "Pains you solve", "Location"]) await page.getByLabel(f).fill("");
  await page.getByLabel("Skip companies already in my CRM").setInputFiles([]);
  await typed.fill(sites.slice(0, 3).map((s) => s.url).join("\n"));
  await page.getByRole("button", { name: "Enrich companies" }).click();
  await page.locator("#job-title", { hasText: "Enrich 3 companies" }).waitFor();
  await waitFinished(page, 60000);
  await page.getByRole("button", { name: "History" }).click();
  await page.locator("#history tbody tr", { hasText: "Enrich 3 companies" }).waitFor();
  check(await page.locator("#history tbody tr", { hasText: ctx.business_description.slice(0, 30) }).count() === 1, "the 50 in the history by their context");

  // ---- Find new leads, skipping a CRM's companies ----
  await page.getByRole("button", { name: "New search" }).click();
  await page.getByLabel("Find new leads").check();
  await page.getByRole("button", { name: "Fill in an example" }).click();
  await page.getByLabel("Leads wanted").fill("5");
  const before = (await api("/api/v2/jobs?limit=100")).jobs.find((j) => j.title === "companies looking for CRM automation");
  check(before, "webpage.mjs's search in the list");
  const firstLeads = (await api("/api/v2/jobs/" + before.job_id + "/leads")).leads.slice(0, 2);
  const crmList = "Domain\n" + firstLeads.map((l) => (l.lead_data.site || new URL(l.lead_data.website).hostname)).join("\n") + "\n";
  await page.getByLabel("Skip companies already in my CRM").setInputFiles({ name: "crm.csv", mimeType: "text/csv", buffer: Buffer.from(crmList) });
  await page.locator("#exclude-status", { hasText: "Read 2 companies to skip from the column “Domain” of crm.csv." }).waitFor();
  await page.getByRole("button", { name: "Find leads" }).click();
  await page.waitForURL(/#job=/);
  await waitFinished(page, 120000);
  const searchId = decodeURIComponent(page.url().split("#job=")[1]);
  const st = await api("/api/v2/jobs/" + encodeURIComponent(searchId));
  check((st.request.exclude_domains || []).length === 2, "the search carried the CRM's domains");
  check(st.summary.sites_excluded > 0, "the summary counts skipped sites: " + st.summary.sites_excluded);
  check((await page.locator("#summary-list").textContent()).includes(`Already in your CRM${st.summary.sites_excluded} site`), "the page shows them: " + await page.locator("#summary-list").textContent());
  const found = await page.locator("#leads tbody tr").evaluateAll((els) => els.map((e) => e.dataset.leadId));
  for (const l of firstLeads) check(!found.includes(l.lead_id), l.lead_id + " skipped");

  check(page.consoleErrors.length === 0, "no errors in the console: " + page.consoleErrors.join(" | "));
  console.log(`webpage_table: ok (${enriched} of ${list.length} companies enriched, job ${enrichId})`);
} catch (e) {
  failed = true;
  console.error("FAIL", e.message);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
