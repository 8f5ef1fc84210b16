// The extension's protocol path, end to end: the real `copydesk lsp` driven the way
// vscode-languageclient drives it from VS Code (same capabilities, UTF-16 positions,
// incremental changes, code actions applied as workspace edits).

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";

import { pushOnlyCapabilities, vscodeClientCapabilities } from "./support/capabilities";
import { editsFor, fileUri, type Diagnostic, type Range, Session, showRange } from "./support/lsp";

const RULE_CODE = "editor-test/units.km";

/** A workspace whose `.copydesk.toml` uses only a pack the test writes. */
function makeWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-vscode-"));
  fs.writeFileSync(path.join(root, ".copydesk.toml"), 'packs = ["./pack"]\n');
  fs.mkdirSync(path.join(root, "pack"));
  fs.writeFileSync(
    path.join(root, "pack", "units.toml"),
    [
      "[pack]",
      'name = "editor-test"',
      "",
      "[[rule]]",
      'id = "units.km"',
      'kind = "pattern"',
      'message = "Viết “km” thường: “{found}” → “{expected}”"',
      "pattern = '(\\d) ?KM\\b'",
      'replacement = "$1 km"',
      "",
    ].join("\n"),
  );
  return root;
}

// Line 2 is in NFD (each tone mark a combining character) and has an emoji (two UTF-16
// code units) before each problem; line 4 is NFC.
const LINE2 = "Đoàn xe 🚚 của người dân đi 12KM, rồi 🌙 thêm 3 KM nữa.".normalize("NFD");
const LINE4 = "Cách bờ 5KM.";
const ARTICLE = `# Tin giao thông\n\n${LINE2}\n\n${LINE4}\n`;

// Expected ranges in UTF-16 code units, counted by hand:
// LINE2: "Đoàn" is Đ o a U+0300 n (5), "của" c u U+0309 a (4), "người" n g u U+031B o
// U+031B U+0300 i (8), "dân" d a U+0302 n (4), "🚚" 2 units. "2KM" starts at 35.
// "rồi" r o U+0302 U+0300 i (5), "🌙" 2, "thêm" t h e U+0302 m (5): "3 KM" starts at 55.
const R = (line: number, s: number, e: number): Range => ({
  start: { line, character: s },
  end: { line, character: e },
});
const EXPECTED = [R(2, 35, 38), R(2, 55, 59), R(4, 8, 11)];

function ours(d: Diagnostic[]): Diagnostic[] {
  return d.filter((x) => x.code === RULE_CODE);
}

function sortByPosition(d: Diagnostic[]): Diagnostic[] {
  return [...d].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function log(message: string): void {
  console.log(`positions: ${message}`);
}

function suite(name: string, capabilities: Record<string, unknown>): void {
  describe(name, () => {
    let root: string;
    let session: Session;
    let uri: string;

    before(async () => {
      root = makeWorkspace();
      uri = fileUri(path.join(root, "bai-viet.md"));
      fs.writeFileSync(path.join(root, "bai-viet.md"), ARTICLE);
      session = await Session.start(root, { debounceMs: 20, enable: true }, capabilities);
      log(`${name}: diagnostics by ${session.pull ? "pull (textDocument/diagnostic)" : "push (publishDiagnostics)"}`);
    });

    after(() => {
      session?.kill();
    });

    test("initialize negotiates UTF-16 and offers fixes", () => {
      const caps = session.capabilities;
      assert.ok(caps.positionEncoding === undefined || caps.positionEncoding === "utf-16", `positionEncoding ${String(caps.positionEncoding)}`);
      const codeAction = caps.codeActionProvider as { codeActionKinds?: string[]; resolveProvider?: boolean };
      assert.ok(codeAction.codeActionKinds?.includes("quickfix"), "quickfix kind");
      assert.ok(codeAction.codeActionKinds?.includes("source.fixAll.copydesk"), "source.fixAll.copydesk kind");
      const commands = (caps.executeCommandProvider as { commands: string[] }).commands;
      assert.ok(commands.includes("copydesk.fixAll") && commands.includes("copydesk.reload"), `commands ${commands.join(", ")}`);
    });

    test("diagnostics arrive at exact UTF-16 positions after NFD text and emoji", async () => {
      const mark = session.published.length;
      await session.open(uri, ARTICLE);
      const p = await session.waitForDiagnostics(uri, (d) => ours(d).length === 3, mark);
      const got = sortByPosition(ours(p.diagnostics));
      for (let i = 0; i < EXPECTED.length; i++) {
        const d = got[i];
        assert.deepEqual(d.range, EXPECTED[i], `diagnostic ${i}: ${d.message}`);
        assert.equal(d.source, "copydesk");
        const text = session.text(uri).split("\n")[d.range.start.line].slice(d.range.start.character, d.range.end.character);
        assert.match(text, /^\d ?KM$/);
        log(`${RULE_CODE} at ${showRange(d.range)} (utf-16) covers "${text}"`);
      }
    });

    test("the preferred quick fix, applied as VS Code applies it, removes exactly that problem", async () => {
      const current = sortByPosition(ours(session.published.filter((p) => p.uri === uri).at(-1)!.diagnostics));
      const target = current[0];
      const actions = await session.codeActions(uri, target.range, [target]);
      const fix = actions.find((a) => a.kind === "quickfix" && a.isPreferred === true);
      assert.ok(fix, `a preferred quick fix among ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(fix.title, "Replace with “2 km”");
      const edit = await session.editOf(fix);
      const mark = session.published.length;
      session.change(uri, editsFor(edit, uri));
      assert.equal(session.text(uri).split("\n")[2], "Đoàn xe 🚚 của người dân đi 12 km, rồi 🌙 thêm 3 KM nữa.".normalize("NFD"));
      const p = await session.waitForDiagnostics(uri, (d) => ours(d).length === 2, mark);
      const left = sortByPosition(ours(p.diagnostics));
      // The second problem on line 2 moved one unit right ("2KM" became "2 km").
      assert.deepEqual(left[0].range, R(2, 56, 60));
      assert.deepEqual(left[1].range, R(4, 8, 11));
      log(`after the quick fix: ${left.map((d) => showRange(d.range)).join(", ")} (utf-16)`);
    });

    test("source.fixAll.copydesk fixes the rest", async () => {
      const text = session.text(uri);
      const lines = text.split("\n");
      const whole = R(lines.length - 1, 0, lines.at(-1)!.length);
      whole.start = { line: 0, character: 0 };
      const actions = await session.codeActions(uri, whole, [], ["source.fixAll.copydesk"]);
      assert.equal(actions.length, 1, JSON.stringify(actions));
      assert.equal(actions[0].kind, "source.fixAll.copydesk");
      const edit = await session.editOf(actions[0]);
      const mark = session.published.length;
      session.change(uri, editsFor(edit, uri));
      assert.equal(
        session.text(uri),
        `# Tin giao thông\n\n${"Đoàn xe 🚚 của người dân đi 12 km, rồi 🌙 thêm 3 km nữa.".normalize("NFD")}\n\nCách bờ 5 km.\n`,
      );
      await session.waitForDiagnostics(uri, (d) => ours(d).length === 0, mark);
      log("after source.fixAll.copydesk: no diagnostics");
    });

    test("a configuration change turns a rule off", async () => {
      const other = fileUri(path.join(root, "tin-2.md"));
      let mark = session.published.length;
      await session.open(other, "Đi thêm 7KM.\n");
      const p = await session.waitForDiagnostics(other, (d) => ours(d).length === 1, mark);
      assert.deepEqual(ours(p.diagnostics)[0].range, R(0, 8, 11));
      log(`tin-2.md: ${RULE_CODE} at ${showRange(ours(p.diagnostics)[0].range)} (utf-16)`);
      mark = session.published.length;
      session.settings = { debounceMs: 20, enable: true, rules: { [RULE_CODE]: "off" } };
      await session.connection.sendNotification("workspace/didChangeConfiguration", { settings: session.settings });
      await session.waitForDiagnostics(other, (d) => ours(d).length === 0, mark);
      mark = session.published.length;
      session.settings = { debounceMs: 20, enable: true };
      await session.connection.sendNotification("workspace/didChangeConfiguration", { settings: session.settings });
      await session.waitForDiagnostics(other, (d) => ours(d).length === 1, mark);
    });

    test("copydesk.fixAll runs through workspace/applyEdit", async () => {
      const other = fileUri(path.join(root, "tin-2.md"));
      const mark = session.published.length;
      await session.connection.sendRequest("workspace/executeCommand", {
        command: "copydesk.fixAll",
        arguments: [{ uri: other, version: session.docs.get(other)!.version }],
      });
      assert.ok(session.serverRequests.includes("workspace/applyEdit"), "the server asked to apply an edit");
      assert.equal(session.text(other), "Đi thêm 7 km.\n");
      await session.waitForDiagnostics(other, (d) => ours(d).length === 0, mark);
    });

    test("copydesk.reload picks up an edited pack", async () => {
      const other = fileUri(path.join(root, "tin-2.md"));
      fs.writeFileSync(
        path.join(root, "pack", "units.toml"),
        fs.readFileSync(path.join(root, "pack", "units.toml"), "utf8").replace("(\\d) ?KM\\b", "(\\d) ?km\\b").replace('"$1 km"', '"$1 KM"'),
      );
      const mark = session.published.length;
      await session.connection.sendRequest("workspace/executeCommand", { command: "copydesk.reload", arguments: [] });
      const p = await session.waitForDiagnostics(other, (d) => ours(d).length === 1, mark);
      assert.deepEqual(ours(p.diagnostics)[0].range, R(0, 8, 12));
      log(`after copydesk.reload: ${RULE_CODE} at ${showRange(ours(p.diagnostics)[0].range)} (utf-16)`);
    });

    test("pushed diagnostics carry the document version", () => {
      for (const p of session.published.filter((x) => x.via === "push" && x.version !== undefined)) {
        assert.ok(p.version! >= 1 && p.version! <= session.docs.get(p.uri)!.version, `version ${p.version}`);
      }
    });

    test("shutdown and exit end the server with code 0", async () => {
      assert.equal(await session.stop(), 0);
    });
  });
}

suite("copydesk lsp as VS Code drives it (test pack)", vscodeClientCapabilities);
suite("copydesk lsp with a push-only client (test pack)", pushOnlyCapabilities());

describe("copydesk lsp with the default pack", () => {
  test("diagnostics arrive with source copydesk", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-vscode-default-"));
    const file = path.join(root, "bai.md");
    const text =
      "# Bộ công an thông báo\n\n" +
      'Theo ông Nguyễn Văn A ,  "chúng tôi sẽ hoà giải" vào ngày 5/3/2024 lúc 10h30 .\n\n' +
      "Giá xăng tăng 1.000 đồng/lít  ,trong khi thuế VAT 10 % vẫn giữ nguyên...\n".normalize("NFD");
    fs.writeFileSync(file, text);
    const session = await Session.start(root, {}, pushOnlyCapabilities());
    try {
      const uri = fileUri(file);
      await session.open(uri, text);
      const p = await session.waitForDiagnostics(uri, (d) => d.length > 0);
      for (const d of p.diagnostics) {
        assert.equal(d.source, "copydesk", JSON.stringify(d));
      }
      log(`default pack: ${p.diagnostics.length} diagnostics, e.g. ${String(p.diagnostics[0].code)} at ${showRange(p.diagnostics[0].range)}`);
      assert.equal(await session.stop(), 0);
    } finally {
      session.kill();
    }
  });
});
