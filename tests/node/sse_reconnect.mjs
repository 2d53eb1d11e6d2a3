// sse_reconnect.mjs BASE JOB_ID: a real EventSource client (npm eventsource)
// reading a job's events through a proxy that drops the connection after a
// few kilobytes, twice. The client reconnects by itself with Last-Event-ID;
// the events it collects must be exactly the job's events, once each, in
// order, ending with pipeline_end.
import http from "node:http";
import net from "node:net";
import { EventSource } from "eventsource";

const [base, jobId] = process.argv.slice(2);
const target = new URL(base);
let drops = 0;
const lastIds = [];

const proxy = net.createServer((client) => {
  const upstream = net.connect(Number(target.port), target.hostname);
  let seen = 0;
  client.on("data", (d) => {
    const m = /last-event-id: *(\d+)/i.exec(d.toString());
    if (m) lastIds.push(Number(m[1]));
    upstream.write(d);
  });
  upstream.on("data", (d) => {
    if (drops < 2 && seen + d.length > 3000) { // a network drop, mid-event
      client.write(d.subarray(0, 3000 - seen), () => {
        client.destroy();
        upstream.destroy();
      });
      drops++;
      seen = Infinity;
      return;
    }
    if (seen !== Infinity) {
      seen += d.length;
      client.write(d);
    }
  });
  upstream.on("error", () => client.destroy());
  client.on("error", () => upstream.destroy());
  upstream.on("close", () => client.destroy());
  client.on("close", () => upstream.destroy());
});
await new Promise((r) => proxy.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${proxy.address().port}/api/v2/jobs/${jobId}/events`;

const got = [];
await new Promise((resolve, reject) => {
  const es = new EventSource(url);
  const timer = setTimeout(() => reject(new Error("timed out")), 30000);
  const on = (e) => {
    got.push({ id: Number(e.lastEventId), type: e.type, data: JSON.parse(e.data) });
    if (e.type === "pipeline_end" || e.type === "pipeline_error") {
      clearTimeout(timer);
      es.close();
      resolve();
    }
  };
  for (const t of ["pipeline_start", "status_update", "lead_generated", "lead_enrichment_start",
                   "lead_enrichment_end", "pipeline_end", "pipeline_error"])
    es.addEventListener(t, on);
});
proxy.close();

// The reference: the whole log, read in one go.
const all = await new Promise((resolve, reject) => {
  http.get(`${base}/api/v2/jobs/${jobId}/events`, (res) => {
    let body = "";
    res.on("data", (d) => (body += d));
    res.on("end", () => resolve(body));
  }).on("error", reject);
});
const ref = [...all.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
const ids = got.map((e) => e.id);
const problems = [];
if (drops !== 2) problems.push(`expected 2 drops, got ${drops}`);
if (lastIds.length < 2) problems.push(`the client did not resume with Last-Event-ID: ${lastIds}`);
if (JSON.stringify(ids) !== JSON.stringify(ref))
  problems.push(`events differ: got ${ids.length} [${ids.slice(0, 5)}...], want ${ref.length}`);
if (new Set(ids).size !== ids.length) problems.push("duplicate events");
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`${got.length} events through 2 drops, resumed after ids ${lastIds.join(", ")}: none lost, none duplicated`);
process.exit(0); // kept-alive sockets must not hold the test
