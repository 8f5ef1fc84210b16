import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";

import { bundledDir, expandPath, findServer, isFound } from "../src/binary";

// Every folder the tests make, removed when they end: runs leave nothing in the system's
// temporary folder.
const made: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-bin-"));
  made.push(dir);
  return dir;
}

after(() => {
  for (const dir of made) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function writeProgram(file: string, mode = 0o755): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "#!/bin/sh\n");
  fs.chmodSync(file, mode);
}

const base = { platform: "linux" as NodeJS.Platform, arch: "x64" };

test("the setting wins over the shipped binary and PATH", () => {
  const dir = tempDir();
  const mine = path.join(dir, "tools", "copydesk");
  writeProgram(mine);
  writeProgram(path.join(dir, "ext", bundledDir("linux", "x64"), "copydesk"));
  const r = findServer({ ...base, configuredPath: "tools/copydesk", extensionPath: path.join(dir, "ext"), baseFolder: dir, env: { PATH: dir } });
  assert.ok(isFound(r));
  assert.equal(r.path, mine);
  assert.equal(r.source, "setting");
});

test("a setting that points nowhere is an error, not a silent fallback", () => {
  const dir = tempDir();
  writeProgram(path.join(dir, "ext", bundledDir("linux", "x64"), "copydesk"));
  const r = findServer({ ...base, configuredPath: "/nowhere/copydesk", extensionPath: path.join(dir, "ext"), env: {} });
  assert.ok(!isFound(r));
  assert.match(r.reason, /copydesk\.path/);
  assert.deepEqual(r.tried, ["/nowhere/copydesk"]);
});

test("the shipped binary comes before PATH and gets its mode bit back", () => {
  const dir = tempDir();
  const shipped = path.join(dir, "ext", "bin", "linux-x64", "copydesk");
  writeProgram(shipped, 0o644);
  const onPath = path.join(dir, "path", "copydesk");
  writeProgram(onPath);
  const r = findServer({ ...base, configuredPath: "", extensionPath: path.join(dir, "ext"), env: { PATH: path.dirname(onPath) } });
  assert.ok(isFound(r));
  assert.equal(r.path, shipped);
  assert.equal(r.source, "bundled");
  assert.equal(fs.statSync(shipped).mode & 0o111, 0o111);
});

test("PATH is searched in order, skipping files that cannot run", () => {
  const dir = tempDir();
  writeProgram(path.join(dir, "a", "copydesk"), 0o644);
  writeProgram(path.join(dir, "b", "copydesk"));
  const PATH = ["", path.join(dir, "missing"), path.join(dir, "a"), path.join(dir, "b")].join(":");
  const r = findServer({ ...base, configuredPath: "", extensionPath: path.join(dir, "ext"), env: { PATH } });
  assert.ok(isFound(r));
  assert.equal(r.path, path.join(dir, "b", "copydesk"));
  assert.equal(r.source, "PATH");
});

test("nothing found: the reason names the platform and every place tried", () => {
  const dir = tempDir();
  const r = findServer({ ...base, configuredPath: "  ", extensionPath: path.join(dir, "ext"), env: { PATH: path.join(dir, "x") } });
  assert.ok(!isFound(r));
  assert.match(r.reason, /linux-x64/);
  assert.deepEqual(r.tried, [path.join(dir, "ext", "bin", "linux-x64", "copydesk"), path.join(dir, "x", "copydesk")]);
});

test("~ and relative paths are expanded", () => {
  assert.equal(expandPath("~/bin/copydesk", "/ws", "/home/an"), "/home/an/bin/copydesk");
  assert.equal(expandPath("bin/copydesk", "/ws", "/home/an"), "/ws/bin/copydesk");
  assert.equal(expandPath("/usr/bin/copydesk", "/ws", "/home/an"), "/usr/bin/copydesk");
  assert.equal(expandPath("bin/copydesk", undefined, "/home/an"), "bin/copydesk");
});
