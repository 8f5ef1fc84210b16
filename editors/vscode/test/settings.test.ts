import assert from "node:assert/strict";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import { type Getter, isPackPath, languages, serverSettings } from "../src/settings";

function getter(values: Record<string, unknown>): Getter {
  return <T>(key: string, fallback: T): T => (key in values ? (values[key] as T) : fallback);
}

test("defaults give the server its defaults", () => {
  assert.deepEqual(serverSettings(getter({}), "/ws"), { enable: true, packs: [], rules: {}, debounceMs: 100 });
});

test("every setting maps to the server's client settings", () => {
  const s = serverSettings(
    getter({
      enable: false,
      packs: ["vi-news", "./house", "~/packs/sport", "/abs/pack", ""],
      profile: " nd30 ",
      rules: { "vi-news/quotes.straight": "off", "vi-news/units": "error", bad: "loud", num: 3 },
      debounceMs: 250.4,
    }),
    "/ws",
  );
  assert.deepEqual(s, {
    enable: false,
    packs: ["vi-news", "/ws/house", path.join(os.homedir(), "packs/sport"), "/abs/pack"],
    profile: "nd30",
    rules: { "vi-news/quotes.straight": "off", "vi-news/units": "error" },
    debounceMs: 250,
  });
});

test("malformed values fall back instead of reaching the server", () => {
  const s = serverSettings(getter({ packs: "vi-news", rules: ["x"], debounceMs: "fast", profile: 7 }), undefined);
  assert.deepEqual(s, { enable: true, packs: [], rules: {}, debounceMs: 100 });
  assert.equal(serverSettings(getter({ debounceMs: 99999 }), undefined).debounceMs, 5000);
});

test("pack names and pack folders are told apart", () => {
  assert.equal(isPackPath("vi-news"), false);
  assert.equal(isPackPath("./pack"), true);
  assert.equal(isPackPath("rules/house"), true);
  assert.equal(isPackPath("~/pack"), true);
});

test("languages default to Markdown and plain text", () => {
  assert.deepEqual(languages(getter({})), ["markdown", "plaintext"]);
  assert.deepEqual(languages(getter({ languages: [] })), ["markdown", "plaintext"]);
  assert.deepEqual(languages(getter({ languages: ["markdown", "restructuredtext", "markdown", 3] })), [
    "markdown",
    "restructuredtext",
  ]);
});
