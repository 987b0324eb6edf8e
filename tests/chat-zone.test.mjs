// Chat times across a daylight-saving change (issues 11 and 14): a WhatsApp export gives
// the phone's local time without a zone. With the browser in Europe/London, an export
// whose messages straddle 2026-03-29 01:00 UTC (clocks forward) and 2026-10-25 01:00 UTC
// (clocks back) must have each time read in the offset of its own date, the skipped and
// the repeated hour marked approximate, and the offset used stored with each message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, send, readStore, openExtPage, tabIdOf, checkStoreIntegrity, metadataOf } from "./lib/extension.mjs";
import { exportAll, openLibrary, showItem } from "./lib/library.mjs";
import { startServer } from "./lib/server.mjs";

let work;
before(() => (work = mkdtempSync(path.join(tmpdir(), "evidence-chat-zone-"))));
after(() => work && rmSync(work, { recursive: true, force: true }));

test("a WhatsApp export over London's clock changes is read in the offset of each message's date", async () => {
  const chat = [
    "28/03/2026, 21:14 - Sam Reed: Saturday night, still GMT",
    "29/03/2026, 00:59 - Sam Reed: the last minute of GMT",
    "29/03/2026, 01:30 - Sam Reed: a minute the clocks skipped",
    "29/03/2026, 09:00 - Sam Reed: Sunday morning, BST",
    "25/10/2026, 01:30 - Sam Reed: a minute that happened twice",
    "20/11/2026, 21:14 - Sam Reed: November, GMT again",
    "",
  ].join("\n");
  const txt = path.join(work, "WhatsApp Chat with Sam Reed.txt");
  writeFileSync(txt, chat);
  const ext = await launch({ env: { TZ: "Europe/London" } });
  try {
    const lib = await openLibrary(ext);
    // The browser really runs in London time (else this test would prove nothing).
    assert.deepEqual(
      await lib.evaluate(() => [new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset(), new Date(Date.UTC(2026, 6, 15)).getTimezoneOffset()]),
      [0, -60],
    );
    await lib.getByLabel(/^Add files/).setInputFiles([txt]);
    await lib.waitForFunction(() => /chain of custody/.test(document.getElementById("add-files-status")?.textContent ?? ""), null, { timeout: 60_000 });
    const status = await lib.textContent("#add-files-status");
    assert.match(status, /Sam Reed\.txt is item 0\. Its 6 messages were read as a conversation\./, status);

    const items = (await send(lib, { type: "list" })).items;
    const dump = await readStore(lib);
    const rec = JSON.parse(dump.records[0].bytes.toString("utf8"));
    const doc = JSON.parse(dump.blobs.find((b) => b.sha256 === items[0].artifacts[1].sha256).data.toString("utf8"));
    assert.deepEqual(
      doc.messages.map((m) => [m.time.shown, m.time.utc, m.time.offset_minutes, m.time.approximate]),
      [
        ["28/03/2026, 21:14", "2026-03-28T21:14:00Z", 0, true],
        ["29/03/2026, 00:59", "2026-03-29T00:59:00Z", 0, true],
        // Never happened (01:00 to 02:00 was skipped): read in the later offset.
        ["29/03/2026, 01:30", "2026-03-29T00:30:00Z", 60, true],
        ["29/03/2026, 09:00", "2026-03-29T08:00:00Z", 60, true],
        // Happened twice: the earlier moment.
        ["25/10/2026, 01:30", "2026-10-25T00:30:00Z", 60, true],
        ["20/11/2026, 21:14", "2026-11-20T21:14:00Z", 0, true],
      ],
    );
    assert.ok(doc.notes.some((n) => /1 message time\(s\) fall in an hour the clocks skipped/.test(n) && /1 message time\(s\) fall in an hour the clocks repeated/.test(n)), JSON.stringify(doc.notes));
    assert.equal(rec.metadata.conversation.first_at, "2026-03-28T21:14:00Z");
    assert.equal(rec.metadata.conversation.last_at, "2026-11-20T21:14:00Z");

    // The library's thread and the report show the same UTC times.
    await showItem(lib, 0);
    assert.equal((await lib.locator("#chat-thread li").allTextContents()).length, 6);
    assert.match(await lib.textContent("#item-body"), /fall in an hour the clocks skipped/);
    await lib.evaluate(() => (location.hash = ""));
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    const file = await exportAll(lib, path.join(work, "zone.zip"));
    const report = execFileSync("unzip", ["-p", file, "report.html"], { encoding: "utf8" });
    for (const utc of ["2026-03-28T21:14:00Z", "2026-03-29T08:00:00Z", "2026-11-20T21:14:00Z"]) assert.ok(report.includes(`${utc} UTC (approx.)`), utc);
  } finally {
    await ext.close();
  }
});

test("a whole WhatsApp Web conversation over London's March change: each day's times in that day's offset", async () => {
  const srv = await startServer({ roots: { "/": "tests/fixtures/conversation" } });
  const ext = await launch({ env: { TZ: "Europe/London" } });
  try {
    const lib = await openExtPage(ext, "library.html");
    const page = await ext.context.newPage();
    // 90 messages 41 minutes apart from 08:00 on 28 March 2026: over 29 March 01:00 UTC.
    await page.goto(`${srv.url}/whatsapp-chat.html?n=90&start=2026-03-28`);
    const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page), scope: "conversation" });
    assert.equal(res.ok, true, JSON.stringify(res));
    const expected = await page.evaluate(() => window.__fixtureMessages);
    const dump = await readStore(lib);
    const meta = metadataOf(dump, checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id));
    assert.equal(meta.messages.length, 90);
    const change = Date.parse("2026-03-29T01:00:00Z");
    const offsets = new Set();
    meta.messages.forEach((m, i) => {
      // The page's own Date (the browser's time-zone database) is the reference.
      assert.equal(m.time.utc, expected[i].utc, `time of message ${i}`);
      assert.equal(m.time_offset_minutes, Date.parse(m.time.utc) < change ? 0 : 60, `offset of message ${i}`);
      offsets.add(m.time_offset_minutes);
    });
    assert.deepEqual([...offsets], [0, 60], "both sides of the change are in the thread");
    await page.close();
  } finally {
    await ext.close();
    await srv.close();
  }
});
