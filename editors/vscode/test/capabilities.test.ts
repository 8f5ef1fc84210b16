// The hand-written capabilities the protocol test sends (test/support/capabilities.ts)
// must be what the installed vscode-languageclient really sends: the client is loaded
// with a stand-in for the `vscode` module (which exists only inside VS Code) and asked
// for its capabilities, then every value written by hand is compared with the real one.

import assert from "node:assert/strict";
import * as fs from "node:fs";
import Module, { createRequire } from "node:module";
import * as path from "node:path";
import { test } from "node:test";

import { vscodeClientCapabilities } from "./support/capabilities";

/** A `vscode` module in which every name exists: enough for the client's constructor
 * and its features' fillClientCapabilities, which read enum values and versions. */
function fakeVscode(): unknown {
  const make = (name: string): object => {
    const members = new Map<string, object>();
    return new Proxy(function () {}, {
      get(_target, key) {
        if (key === "version") return "1.91.0";
        if (key === "value") return name;
        if (key === "then" || typeof key === "symbol") return undefined;
        let member = members.get(key);
        if (member === undefined) {
          member = make(key);
          members.set(key, member);
        }
        return member;
      },
      apply: () => make(name),
      construct: () => make(name),
    });
  };
  return make("vscode");
}

/** `real` cut down to the keys of `shape`, recursively; arrays and scalars whole. */
function pick(real: unknown, shape: unknown): unknown {
  if (shape === null || typeof shape !== "object" || Array.isArray(shape)) return real;
  if (real === null || typeof real !== "object" || Array.isArray(real)) return real;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) {
    out[key] = pick((real as Record<string, unknown>)[key], (shape as Record<string, unknown>)[key]);
  }
  return out;
}

test("the capabilities the protocol test sends are those of the installed vscode-languageclient", () => {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  const vscode = fakeVscode();
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === "vscode" ? vscode : load.call(this, request, ...rest);
  };
  try {
    // Loaded at run time from node_modules, not bundled, so that `vscode` goes through
    // the stand-in.
    const requireHere = createRequire(path.resolve("package.json"));
    const version = (JSON.parse(fs.readFileSync(path.resolve("node_modules/vscode-languageclient/package.json"), "utf8")) as {
      version: string;
    }).version;
    const { LanguageClient } = requireHere("vscode-languageclient/node") as {
      LanguageClient: new (...args: unknown[]) => { computeClientCapabilities(): unknown };
    };
    const client = new LanguageClient("copydesk", "copydesk", { command: "copydesk" }, { documentSelector: [] });
    const real = client.computeClientCapabilities();
    assert.deepEqual(pick(real, vscodeClientCapabilities), vscodeClientCapabilities);
    console.log(`capabilities: vscode-languageclient ${version} sends what test/support/capabilities.ts says`);
  } finally {
    loader._load = load;
  }
});
