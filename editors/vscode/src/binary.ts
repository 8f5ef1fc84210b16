// Finds the copydesk program: the `copydesk.path` setting, else the binary shipped in the
// extension for this platform, else `copydesk` on PATH. No VS Code API here, so that the
// search is unit-tested under plain Node.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface SearchInput {
  /** The `copydesk.path` setting; empty means unset. */
  configuredPath: string;
  /** Folder of the installed extension. */
  extensionPath: string;
  /** Folder that relative settings are taken from (the first workspace folder). */
  baseFolder?: string;
  platform: NodeJS.Platform;
  arch: string;
  env: NodeJS.ProcessEnv;
}

export type Found = { path: string; source: "setting" | "bundled" | "PATH" };

export type NotFound = {
  /** One sentence saying what was looked for. */
  reason: string;
  /** Every place looked at, in order. */
  tried: string[];
};

export type SearchResult = Found | NotFound;

export function isFound(r: SearchResult): r is Found {
  return (r as Found).path !== undefined;
}

/** Name of the program file on this platform. */
export function exeName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "copydesk.exe" : "copydesk";
}

/** Folder, inside the extension, of the binary for a platform: `bin/<platform>-<arch>`. */
export function bundledDir(platform: NodeJS.Platform, arch: string): string {
  return path.join("bin", `${platform}-${arch}`);
}

/** Expands a leading `~` and makes a relative path absolute against `base`. */
export function expandPath(p: string, base: string | undefined, home: string = os.homedir()): string {
  let out = p;
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    out = path.join(home, out.slice(1));
  }
  if (!path.isAbsolute(out) && base !== undefined) {
    out = path.join(base, out);
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** True if `p` can be run; a shipped binary that lost its mode bit gets it back. */
function ensureExecutable(p: string, platform: NodeJS.Platform, repair: boolean): boolean {
  if (!isFile(p)) {
    return false;
  }
  if (platform === "win32") {
    return true;
  }
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    if (!repair) {
      return false;
    }
    try {
      fs.chmodSync(p, 0o755);
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }
}

/** Candidates on PATH, with PATHEXT on Windows. */
function pathCandidates(input: SearchInput): string[] {
  const envPath = input.env.PATH ?? input.env.Path ?? "";
  const delimiter = input.platform === "win32" ? ";" : ":";
  const dirs = envPath.split(delimiter).filter((d) => d.length > 0);
  const names =
    input.platform === "win32"
      ? (input.env.PATHEXT ?? ".EXE;.CMD;.BAT;.COM")
          .split(";")
          .filter((e) => e.length > 0)
          .map((e) => `copydesk${e.toLowerCase()}`)
      : ["copydesk"];
  const join = (dir: string, name: string): string =>
    input.platform === "win32" ? path.win32.join(dir, name) : path.posix.join(dir, name);
  return dirs.flatMap((d) => names.map((n) => join(d, n)));
}

export function findServer(input: SearchInput): SearchResult {
  const configured = input.configuredPath.trim();
  if (configured !== "") {
    const p = expandPath(configured, input.baseFolder);
    if (ensureExecutable(p, input.platform, false)) {
      return { path: p, source: "setting" };
    }
    return {
      reason: `The setting copydesk.path is "${configured}", but ${p} is not a program that can be run.`,
      tried: [p],
    };
  }
  const tried: string[] = [];
  const bundled = path.join(input.extensionPath, bundledDir(input.platform, input.arch), exeName(input.platform));
  tried.push(bundled);
  if (ensureExecutable(bundled, input.platform, true)) {
    return { path: bundled, source: "bundled" };
  }
  for (const candidate of pathCandidates(input)) {
    tried.push(candidate);
    if (ensureExecutable(candidate, input.platform, false)) {
      return { path: candidate, source: "PATH" };
    }
  }
  return {
    reason: `No copydesk program was shipped with this extension for ${input.platform}-${input.arch}, and none is on PATH.`,
    tried,
  };
}
