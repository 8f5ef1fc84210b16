// Real-browser tests of the copydesk web editor (the page at `/`) and of the editors/web
// module on a CMS-like page with a contenteditable. Debian chromium, driven by
// playwright-core. Run: `npm test` here, after `cargo build` (or set COPYDESK_BIN).
// Screenshots go to COPYDESK_BROWSER_OUT (default: target/browser-tests).
//
// When CI=true, anything missing (chromium, the binary, playwright-core) is a failure.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const bin = process.env.COPYDESK_BIN || join(root, "target/debug/copydesk");
const out = process.env.COPYDESK_BROWSER_OUT || join(root, "target/browser-tests");
const chromiumPath = process.env.CHROMIUM || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
const ci = process.env.CI === "true";

function missing(what) {
  const msg = `browser tests cannot run: ${what}`;
  if (ci) {
    console.error(`FAIL ${msg} (CI=true: this is a failure, not a skip)`);
    process.exit(1);
  }
  console.error(`SKIP ${msg}`);
  process.exit(0);
}

let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  missing("playwright-core is not installed (npm ci in tests/browser)");
}
if (!chromiumPath) missing("no chromium (apt-get install chromium)");
if (!existsSync(bin)) missing(`no copydesk binary at ${bin} (cargo build)`);
mkdirSync(out, { recursive: true });

/** Starts `copydesk serve` on a free port; resolves with { url, stop }. */
function serve(args = []) {
  return new Promise((ok, fail) => {
    const child = spawn(bin, ["serve", "--no-config", "--listen", "127.0.0.1:0", ...args], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    const timer = setTimeout(() => fail(new Error(`copydesk serve did not start: ${err}`)), 20000);
    child.stderr.on("data", (d) => {
      err += d;
      const m = /http:\/\/([0-9.:]+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        ok({
          url: `http://${m[1]}`,
          stop: () =>
            new Promise((done) => {
              child.on("exit", (code, signal) => done({ code, signal }));
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.on("exit", (code) => fail(new Error(`copydesk serve exited (${code}): ${err}`)));
  });
}

// A short article with known problems: a headline ending in a period, NFD letters after an
// emoji, a double space, a decimal point, a space before a colon.
const ARTICLE =
  "Giá vàng hôm nay tăng mạnh.\n\n" +
  "📈 Theo To\u0302\u0309ng cu\u0323c tho\u0302\u0301ng ke\u0302, giá vàng  tăng 12.5% so với cùng kỳ.\n\n" +
  "Ông Nguyễn Văn An nói : “giá sẽ còn tăng” 🙂.";

const results = [];
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}\n${e.stack}`);
  }
}

/** The bodies of the page's `/v1/check` (or other endpoint's) requests, as they are sent. */
function recordChecks(page, endpoint = "/v1/check") {
  const bodies = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().endsWith(endpoint)) bodies.push(JSON.parse(r.postData() || "null"));
  });
  return bodies;
}

/**
 * Fix all went on from the last check's revision (an edit, not the text), and the check
 * after it sends only what was typed since, on the fix's revision.
 */
async function assertFixAllIncremental(page, fixes, checks, typeAtEnd) {
  assert.equal(fixes.length, 1, `fix requests: ${fixes.length}`);
  assert.ok(fixes[0].base && fixes[0].edit && fixes[0].text === undefined, JSON.stringify(fixes[0]).slice(0, 200));
  const revision = await page.evaluate(() => window.copydesk.base && window.copydesk.base.revision);
  assert.ok(revision, "the fix's answer carries a revision");
  const before = checks.length;
  await typeAtEnd();
  await page.waitForFunction((n) => window.copydesk.checkedText === window.copydesk.read() && window.copydesk.base && window.copydesk.base.revision !== n, revision);
  const next = checks.slice(before);
  assert.ok(next.length >= 1, "a check after typing");
  assert.equal(next[0].base, revision, "the first check after fix all builds on the fix's revision");
  assert.ok(next[0].edit && next[0].text === undefined && next[0].edit.text.includes("x"), JSON.stringify(next[0]));
}

/** After the first check, checks send an edit on the service's last revision, not the text. */
function assertIncremental(bodies) {
  assert.ok(bodies.length >= 2, `checks sent: ${bodies.length}`);
  assert.ok(bodies[0].text !== undefined && bodies[0].incremental === true, JSON.stringify(bodies[0]).slice(0, 200));
  const edits = bodies.filter((b) => b.edit && b.base && b.text === undefined);
  assert.ok(edits.length >= 1, `incremental checks: ${edits.length} of ${bodies.length}`);
}

/** Every finding's underline covers exactly its text. */
async function underlinesMatch(page, getText) {
  const rows = await page.evaluate((getTextSrc) => {
    const c = window.copydesk;
    const text = new Function(`return (${getTextSrc})()`)();
    return c.findings.map((f) => ({
      rule: f.rule,
      found: f.found,
      slice: text.slice(f.start, f.end),
      underlined: c.underlined(f),
      rects: c.rects(f).length,
    }));
  }, getText.toString());
  assert.ok(rows.length > 0, "no findings");
  for (const r of rows) {
    assert.equal(r.slice, r.found, `text at the finding's UTF-16 range (${r.rule})`);
    if (r.underlined !== null) {
      assert.equal(r.underlined, r.found, `underlined text (${r.rule})`);
      assert.ok(r.rects > 0, `underline is drawn (${r.rule})`);
    }
  }
  return rows;
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  // CI machines can be slow to start a browser.
  timeout: 600000,
});

await test("web editor: Vietnamese page, underlines, list, hover, fix, keyboard, fix all", async () => {
  const server = await serve();
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  const checks = recordChecks(page);
  const fixes = recordChecks(page, "/v1/fix");
  try {
    await page.goto(`${server.url}/`);
    assert.equal(await page.getAttribute("html", "lang"), "vi");
    assert.equal((await page.textContent("label[for=text]")).trim(), "Nội dung bài viết");
    await page.waitForFunction(() => document.getElementById("status").textContent.includes("Chưa có nội dung"));
    // Type the start by keys, paste the rest (as an editor does).
    await page.focus("#text");
    await page.keyboard.type(ARTICLE.slice(0, 12), { delay: 15 });
    await page.keyboard.insertText(ARTICLE.slice(12));
    await page.waitForFunction(() => window.copydesk.findings.length >= 5 && window.copydesk.checkedText === document.getElementById("text").value);
    const rows = await underlinesMatch(page, () => document.getElementById("text").value);
    const rules = new Set(rows.map((r) => r.rule));
    for (const want of ["vi-news/caps.headline", "vi-news/unicode.nfc", "vi-news/typography.spaces", "vi-news/numbers.format"])
      assert.ok(rules.has(want), `expected a ${want} finding, got ${[...rules]}`);
    // The decimal point is underlined at the right characters, after the emoji and NFD text.
    const num = await page.evaluate(() => {
      const f = window.copydesk.findings.find((x) => x.rule === "vi-news/numbers.format");
      const v = document.getElementById("text").value;
      return { start: f.start, expected: v.indexOf("12.5%"), underlined: window.copydesk.underlined(f) };
    });
    assert.equal(num.start, num.expected);
    assert.equal(num.underlined, "12.5%");
    // The side list groups by rule, with counts.
    const groups = await page.$$eval("#panel .cd-group", (gs) =>
      gs.map((g) => ({ rule: g.dataset.rule, count: Number(g.querySelector(".cd-count").textContent), items: g.querySelectorAll("li").length })),
    );
    for (const g of groups) {
      assert.equal(g.count, rows.filter((r) => r.rule === g.rule).length, `count of ${g.rule}`);
      assert.equal(g.items, g.count);
    }
    assert.equal(groups.find((g) => g.rule === "vi-news/unicode.nfc").count, 4);
    await page.screenshot({ path: join(out, "editor-vi.png") });
    // Hover over the decimal point: message and explanation.
    const box = await page.evaluate(() => {
      const c = window.copydesk;
      const r = c.rects(c.findings.find((x) => x.rule === "vi-news/numbers.format"))[0];
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    const tip = page.locator("[role=tooltip]");
    await tip.waitFor({ state: "visible" });
    assert.match(await tip.textContent(), /12,5%/);
    await page.waitForFunction(() => document.querySelector("[role=tooltip] .cd-explain").textContent.length > 0);
    // The explanation is reflowed: the rule file's line breaks inside a sentence are gone
    // ("…số thập\n  phân" in numbers.toml), its list items keep their own lines.
    const explain = await page.evaluate(() => {
      const e = document.querySelector("[role=tooltip] .cd-explain");
      return { text: e.textContent, lineBreaks: e.querySelectorAll("br").length, paragraphs: e.querySelectorAll("p").length };
    });
    assert.ok(explain.text.includes("không phải số thập phân"), explain.text.slice(0, 300));
    assert.ok(!explain.text.includes("\n"), "no hard wraps left");
    assert.ok(explain.lineBreaks >= 2 && explain.paragraphs >= 1, JSON.stringify(explain).slice(0, 300));
    await page.screenshot({ path: join(out, "editor-hover.png") });
    // Click its fix.
    await tip.locator("button.cd-fix").first().click();
    await page.waitForFunction(() => document.getElementById("text").value.includes("12,5%"));
    await page.waitForFunction(() => !window.copydesk.findings.some((f) => f.rule === "vi-news/numbers.format"));
    // The check after the fix sent the edit only; the findings it kept moved right.
    await page.waitForFunction(() => window.copydesk.checkedText === document.getElementById("text").value);
    assertIncremental(checks);
    await underlinesMatch(page, () => document.getElementById("text").value);
    // Keyboard only: Alt+↓ walks to a finding, Alt+Enter fixes it.
    await page.focus("#text");
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("Alt+ArrowDown");
    const sel = await page.evaluate(() => {
      const t = document.getElementById("text");
      return { text: t.value.slice(t.selectionStart, t.selectionEnd), rule: window.copydesk.findings[window.copydesk.active]?.rule };
    });
    assert.equal(sel.rule, "vi-news/caps.headline");
    assert.equal(sel.text, ".");
    await page.keyboard.press("Alt+Enter");
    await page.waitForFunction(() => document.getElementById("text").value.startsWith("Giá vàng hôm nay tăng mạnh\n"));
    // Undo restores the text (fixes go through the editor's history).
    // Fix all safe.
    await page.click("#panel .cd-fix-all");
    await page.waitForFunction(() => {
      const v = document.getElementById("text").value;
      return v.includes("Tổng") && !v.includes("  ") && window.copydesk.checkedText === v;
    });
    const left = await page.evaluate(() => window.copydesk.findings.filter((f) => f.fixes.some((x) => x.safe)).length);
    assert.equal(left, 0, "safe fixes left after fix all");
    await underlinesMatch(page, () => document.getElementById("text").value);
    await page.screenshot({ path: join(out, "editor-fixed.png") });
    await assertFixAllIncremental(page, fixes, checks, async () => {
      await page.focus("#text");
      await page.keyboard.press("Control+End");
      await page.keyboard.type(" x", { delay: 15 });
    });
    await underlinesMatch(page, () => document.getElementById("text").value);
    // English is one switch away.
    await page.click("#lang");
    assert.equal((await page.textContent("label[for=text]")).trim(), "Article text");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    await page.screenshot({ path: join(out, "editor-en.png") });
  } finally {
    await page.close();
    const { code } = await server.stop();
    assert.equal(code, 0, "copydesk serve exit code after SIGTERM");
  }
});

await test("module on a contenteditable in a CMS page (another origin, CORS)", async () => {
  // The CMS: another origin (another port) on loopback, serving one article page.
  let cmsPage = "";
  const cms = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(cmsPage);
  });
  await new Promise((ok) => cms.listen(0, "127.0.0.1", ok));
  const cmsOrigin = `http://127.0.0.1:${cms.address().port}`;
  const server = await serve(["--cors-origin", cmsOrigin]);
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  const checks = recordChecks(page);
  const fixes = recordChecks(page, "/v1/fix");
  const logs = [];
  page.on("console", (m) => logs.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => logs.push(`page error: ${e.message}`));
  try {
    const paragraphs = ARTICLE.split("\n\n").map((p) => `<p>${p}</p>`).join("");
    cmsPage = `<!doctype html><html><head><meta charset="utf-8"><title>CMS</title></head><body>
<div style="display:flex;gap:1rem"><div id="body" contenteditable="true" style="flex:1;font:17px/1.6 serif;border:1px solid #999;padding:1rem">${paragraphs}</div>
<div id="panel" style="width:20rem"></div></div><p id="status"></p>
<script type="module">
import { attach } from "${server.url}/copydesk.js";
window.copydesk = attach(document.getElementById("body"), {
  endpoint: "${server.url}", panel: document.getElementById("panel"), status: document.getElementById("status") });
</script></body></html>`;
    await page.goto(`${cmsOrigin}/article`);
    await page.waitForFunction(() => window.copydesk && window.copydesk.findings.length >= 5);
    const rows = await underlinesMatch(page, () => window.copydesk.read());
    assert.ok(rows.some((r) => r.rule === "vi-news/numbers.format" && r.underlined === "12.5%"));
    const highlights = await page.evaluate(() => [...CSS.highlights.keys()].filter((k) => k.startsWith("copydesk")));
    assert.ok(highlights.length >= 2, `highlights registered: ${highlights}`);
    await page.screenshot({ path: join(out, "module-contenteditable.png") });
    // Fix one from the side list, then all safe ones.
    await page.locator("#panel li", { hasText: "12.5%" }).locator("button.cd-fix").click();
    await page.waitForFunction(() => document.getElementById("body").textContent.includes("12,5%"));
    await page.waitForFunction(() => window.copydesk.checkedText === window.copydesk.read() && !window.copydesk.findings.some((f) => f.rule === "vi-news/numbers.format"));
    assertIncremental(checks);
    await underlinesMatch(page, () => window.copydesk.read());
    await page.click("#panel .cd-fix-all");
    await page.waitForFunction(() => window.copydesk.checkedText === window.copydesk.read() && !window.copydesk.findings.some((f) => f.fixes.some((x) => x.safe)));
    const text = await page.evaluate(() => window.copydesk.read());
    assert.ok(text.startsWith("Giá vàng hôm nay tăng mạnh\n\n"), JSON.stringify(text.slice(0, 40)));
    assert.ok(text.includes("Tổng") && !text.includes("  ") && text.includes("nói: "), JSON.stringify(text));
    // The paragraphs are still paragraphs.
    assert.equal(await page.locator("#body p").count(), 3);
    await page.screenshot({ path: join(out, "module-fixed.png") });
    await assertFixAllIncremental(page, fixes, checks, async () => {
      await page.evaluate(() => {
        const p = document.querySelector("#body p:last-child");
        const r = document.createRange();
        r.selectNodeContents(p);
        r.collapse(false);
        getSelection().removeAllRanges();
        getSelection().addRange(r);
      });
      await page.keyboard.type(" x", { delay: 15 });
    });
  } catch (e) {
    console.log(logs.join("\n"));
    throw e;
  } finally {
    await page.close();
    await server.stop();
    cms.close();
  }
});

await browser.close();
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed; screenshots in ${out}`);
process.exit(failed ? 1 : 0);
