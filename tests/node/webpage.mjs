// webpage.mjs BASE_URL API_KEY ARTIFACTS_DIR: drives Prospect's web page in
// Debian's chromium (headless) with playwright-core, as a user would:
// the page asks for the API key, shows the API's complaint next to the
// field it concerns, starts a search named by its query, shows leads as
// table rows with their scores while the job runs, opens a lead's evidence,
// survives a network drop and a reload mid-job without losing or repeating
// a lead, exports CSV, lists the search in the history by its name, and
// fits a phone's screen. Screenshots go to ARTIFACTS_DIR. Exits 1 on the
// first failed expectation. (webpage_table.mjs goes on with the table.)
import { apiClient, check, download, launch, openPage, parseCsv, shooter } from "./browser.mjs";

const [base, apiKey, artifacts] = process.argv.slice(2);
const shot = shooter(artifacts);
const api = apiClient(base, apiKey);
const QUERY = "companies looking for CRM automation";

const browser = await launch();
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await openPage(context);
  const consoleErrors = page.consoleErrors;
  await page.goto(base + "/");
  check(await page.title() === "Prospect: find and qualify B2B leads", "the page's title");

  // The form: an example, then a value the API refuses, shown by its field.
  await page.getByRole("button", { name: "Fill in an example" }).click();
  check(await page.getByLabel("Pains you solve").inputValue() === "Manual data entry\nPoor lead tracking", "the example filled the lists");
  await page.getByLabel("Leads wanted").fill("0");
  await page.getByRole("button", { name: "Find leads" }).click();
  // The server wants a key: the page asks, keeps it for the tab, resubmits.
  await page.getByRole("textbox", { name: "API key" }).waitFor();
  await shot(page, "1-api-key");
  await page.getByRole("textbox", { name: "API key" }).fill(apiKey);
  await page.getByRole("button", { name: "Use this key" }).click();
  const fieldError = page.locator("#max_leads_to_generate-error");
  await fieldError.waitFor();
  check((await fieldError.textContent()).includes("from 1 to"), "the range error next to Leads wanted: " + await fieldError.textContent());
  check(await page.getByLabel("Leads wanted").getAttribute("aria-invalid") === "true", "the field marked invalid");
  await shot(page, "2-field-error");
  await page.getByLabel("Leads wanted").fill("10");
  await page.getByRole("button", { name: "Find leads" }).click();
  await page.waitForURL(/#job=/);
  const jobId = decodeURIComponent(page.url().split("#job=")[1]);

  // The search is named by what it asked for, not by its id.
  await page.locator("#job-title", { hasText: QUERY }).waitFor();
  check(await page.locator("#job-title").textContent() === QUERY, "the heading is the search's query, whole");
  check((await page.title()).includes(QUERY), "the tab's title names the search");

  // Leads arrive while the job runs, as scored rows of the table.
  const scored = page.locator("#leads tbody tr.done");
  const running = async () => Number(await page.locator("#progress").getAttribute("aria-valuenow")) < 100;
  await scored.nth(1).waitFor({ timeout: 60000 });
  check(await running(), "two leads scored while the job still runs");
  check(await page.locator("#queries li").count() > 0, "the generated queries are listed");
  check(await page.locator("#demo-notice").isHidden(), "no fictional-companies notice on a web search");
  await shot(page, "3-leads-arriving");

  // A network drop: the stream resumes after the last event it saw.
  await context.setOffline(true);
  await page.waitForTimeout(700);
  await context.setOffline(false);

  // A reload mid-job: the job is shown as it stands, then continues.
  check(await running(), "the job still runs before the reload");
  await page.reload();
  await scored.nth(4).waitFor({ timeout: 60000 });
  const stillRunning = await running();
  await shot(page, "4-after-reload");

  // A row opens the lead: its scores open to their evidence, quoted
  // sentences and the page they are on. (Not every lead has a quote:
  // Next goes through the rows.)
  await scored.first().locator(".open").click();
  const detail = page.locator("#lead-detail");
  await detail.waitFor();
  let quoted = detail.locator(".score:has(.evidence blockquote) summary");
  for (let i = 0; i < 10 && !await quoted.count() && await page.locator("#detail-next").isEnabled(); i++)
    await page.locator("#detail-next").click();
  check(await quoted.count() > 0, "a lead with a quoted sentence behind a score");
  await quoted.first().click();
  const quote = detail.locator(".score[open] .evidence blockquote").first();
  await quote.waitFor();
  check((await quote.textContent()).length > 10, "a quoted sentence");
  const source = detail.locator(".score[open] .evidence .source a").first();
  check(/^https?:\/\//.test(await source.getAttribute("href")), "the quote links to its page");
  await shot(page, "5-evidence", { fullPage: false });
  await page.keyboard.press("Escape");
  await detail.waitFor({ state: "hidden" });

  // The end: every lead once, as many as the API has.
  await page.locator("#stage", { hasText: "Finished" }).waitFor({ timeout: 90000 });
  const ids = await page.locator("#leads tbody tr").evaluateAll((els) => els.map((e) => e.dataset.leadId));
  check(new Set(ids).size === ids.length, "no lead shown twice: " + ids.join(", "));
  const stored = await api("/api/v2/jobs/" + jobId + "/leads");
  check(stored.leads.length === ids.length, `the page shows ${ids.length} leads, the API has ${stored.leads.length}`);
  check(ids.length >= 5, "at least 5 leads");
  check(await page.locator("#summary").isVisible(), "the summary of sources");
  check((await page.locator("#summary-list").textContent()).includes("Pages read"), "pages read in the summary");
  await shot(page, "6-finished");

  // Export CSV: a download with a header and one row per lead, named
  // after the search and the columns chosen.
  const all = await download(page, () => page.getByRole("button", { name: "Export all" }).click());
  const csv = parseCsv(all.text.trim());
  check(csv[0].join(",").toLowerCase().includes("company"), "a CSV header: " + csv[0]);
  check(csv.length === ids.length + 1, `CSV rows: ${csv.length - 1} for ${ids.length} leads`);
  check(all.name === "prospect-companies-looking-for-crm-automation-prospect.csv", "the file's name: " + all.name);

  // History lists the search; opening it shows the same leads.
  await page.getByRole("button", { name: "History" }).click();
  const row = page.locator("#history tbody tr", { hasText: QUERY }).first();
  await row.waitFor();
  check((await row.textContent()).includes("succeeded"), "the search is in the history as succeeded");
  await shot(page, "7-history");
  await row.getByRole("link").click();
  await page.locator("#stage", { hasText: "Finished" }).waitFor();
  check(await page.locator("#leads tbody tr").count() === ids.length, "reopened from the history with every lead");
  check(await page.locator("#job-title").textContent() === QUERY, "reopened under its name");

  // A phone: one column, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, "no horizontal scrolling on a phone (" + overflow + " px too wide)");
  const wrap = await page.locator(".table-wrap").evaluate((e) => e.scrollWidth > e.clientWidth);
  check(wrap, "the table scrolls sideways in its box on a phone");
  await shot(page, "8-phone");

  check(consoleErrors.length === 0, "no errors in the console: " + consoleErrors.join(" | "));
  console.log(`webpage: ok (${ids.length} leads, job ${jobId}, ${stillRunning ? "5 scored while running" : "job ended while reloading"})`);
  check(stillRunning, "five leads scored while the job still ran");
} catch (e) {
  failed = true;
  console.error("FAIL", e.message);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
