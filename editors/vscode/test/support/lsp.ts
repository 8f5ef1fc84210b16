// A minimal LSP client for the tests: vscode-jsonrpc over the server's stdio, documents
// kept as JS strings (UTF-16, like VS Code), workspace edits applied to them, and every
// publishDiagnostics recorded so that a test can wait for the one it expects.

import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";

import { vscodeClientCapabilities } from "./capabilities";

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface Diagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
  data?: unknown;
}
export interface TextEdit {
  range: Range;
  newText: string;
}
export interface WorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: { textDocument: { uri: string; version: number | null }; edits: TextEdit[] }[];
}
export interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: Diagnostic[];
  edit?: WorkspaceEdit;
  command?: { command: string; arguments?: unknown[] };
  data?: unknown;
}
export interface Published {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
  /** "push": textDocument/publishDiagnostics; "pull": a textDocument/diagnostic report. */
  via: "push" | "pull";
}

interface DocumentDiagnosticReport {
  kind: "full" | "unchanged";
  resultId?: string;
  items?: Diagnostic[];
}

/** The repository's release build, unless COPYDESK_BIN names another. */
export function serverBinary(): string {
  const fromEnv = process.env.COPYDESK_BIN;
  const exe = process.platform === "win32" ? "copydesk.exe" : "copydesk";
  const p = fromEnv ?? path.resolve(__dirname, "..", "..", "..", "..", "target", "release", exe);
  if (!fs.existsSync(p)) {
    throw new Error(`no copydesk server at ${p}: run \`cargo build --release\` in the repository root, or set COPYDESK_BIN`);
  }
  return p;
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}

/** UTF-16 offset of a position in `text` (JS string indexes are UTF-16 code units). */
export function offsetAt(text: string, pos: Position): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf("\n", offset);
    if (nl < 0) {
      throw new Error(`line ${pos.line} is past the end of the document`);
    }
    offset = nl + 1;
  }
  return offset + pos.character;
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  }
  return out;
}

export function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const fromDocumentChanges = (edit.documentChanges ?? []).filter((c) => c.textDocument.uri === uri).flatMap((c) => c.edits);
  return [...fromDocumentChanges, ...(edit.changes?.[uri] ?? [])];
}

export function showRange(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

export class Session {
  readonly connection: MessageConnection;
  readonly published: Published[] = [];
  readonly docs = new Map<string, { text: string; version: number; languageId: string }>();
  readonly serverRequests: string[] = [];
  readonly stderr: string[] = [];
  /** Sync kind the server asked for: 1 full, 2 incremental. */
  syncKind = 1;
  /** Pull diagnostics (the server offered a diagnosticProvider to a client that can pull). */
  pull = false;
  private pullIdentifier: string | undefined;
  private resultIds = new Map<string, string>();
  private pulls = 0;
  capabilities: Record<string, unknown> = {};
  /** The client settings, as sent in initializationOptions and configuration changes. */
  settings: unknown = null;
  private listeners: (() => void)[] = [];
  private exited: Promise<number | null>;

  private constructor(private readonly proc: ChildProcess) {
    this.connection = createMessageConnection(
      new StreamMessageReader(proc.stdout!),
      new StreamMessageWriter(proc.stdin!),
    );
    proc.stderr!.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString("utf8")));
    this.exited = new Promise((resolve) => proc.on("exit", (code) => resolve(code)));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: Omit<Published, "via">) => {
      this.record({ ...p, via: "push" });
    });
    this.connection.onRequest("workspace/diagnostic/refresh", () => {
      // Like vscode-languageclient: pull every open document again.
      this.serverRequests.push("workspace/diagnostic/refresh");
      for (const uri of this.docs.keys()) {
        this.pullSoon(uri);
      }
      return null;
    });
    this.connection.onNotification(() => {
      /* window/logMessage and other notifications: ignored */
    });
    this.connection.onRequest("workspace/applyEdit", (p: { edit: WorkspaceEdit }) => {
      this.serverRequests.push("workspace/applyEdit");
      for (const uri of this.docs.keys()) {
        const edits = editsFor(p.edit, uri);
        if (edits.length > 0) {
          this.change(uri, edits);
        }
      }
      return { applied: true };
    });
    this.connection.onRequest("workspace/configuration", (p: { items: unknown[] }) => {
      this.serverRequests.push("workspace/configuration");
      // What VS Code answers for section "copydesk": the settings object.
      return p.items.map(() => this.settings);
    });
    this.connection.onRequest((method: string) => {
      // client/registerCapability, window/workDoneProgress/create, ...
      this.serverRequests.push(method);
      return null;
    });
    this.connection.listen();
  }

  private record(p: Published): void {
    this.published.push(p);
    this.listeners.forEach((l) => l());
  }

  /** Pulls diagnostics for a document, as VS Code does after each open and change. */
  private pullSoon(uri: string): void {
    if (!this.pull) {
      return;
    }
    this.pulls += 1;
    this.connection
      .sendRequest<DocumentDiagnosticReport>("textDocument/diagnostic", {
        textDocument: { uri },
        identifier: this.pullIdentifier,
        previousResultId: this.resultIds.get(uri),
      })
      .then(
        (report) => {
          if (report.resultId !== undefined) {
            this.resultIds.set(uri, report.resultId);
          }
          if (report.kind === "full") {
            this.record({ uri, diagnostics: report.items ?? [], via: "pull" });
          } else {
            const last = [...this.published].reverse().find((p) => p.uri === uri);
            this.record({ uri, diagnostics: last?.diagnostics ?? [], via: "pull" });
          }
        },
        (err: unknown) => {
          this.stderr.push(`textDocument/diagnostic failed: ${String(err)}\n`);
        },
      );
  }

  /** How many textDocument/diagnostic requests were sent. */
  get pullCount(): number {
    return this.pulls;
  }

  static async start(
    root: string,
    initializationOptions: unknown,
    capabilities: Record<string, unknown> = vscodeClientCapabilities,
  ): Promise<Session> {
    const proc = spawn(serverBinary(), ["lsp"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    const s = new Session(proc);
    s.settings = initializationOptions;
    const result = await s.connection.sendRequest<{ capabilities: Record<string, unknown> }>("initialize", {
      processId: process.pid,
      clientInfo: { name: "Visual Studio Code", version: "1.95.0" },
      locale: "vi",
      rootPath: root,
      rootUri: fileUri(root),
      capabilities,
      initializationOptions,
      trace: "off",
      workspaceFolders: [{ uri: fileUri(root), name: path.basename(root) }],
    });
    s.capabilities = result.capabilities;
    const sync = result.capabilities.textDocumentSync;
    s.syncKind = typeof sync === "number" ? sync : ((sync as { change?: number } | undefined)?.change ?? 1);
    const provider = result.capabilities.diagnosticProvider as { identifier?: string } | undefined;
    const canPull = (capabilities.textDocument as Record<string, unknown> | undefined)?.diagnostic !== undefined;
    s.pull = canPull && provider !== undefined;
    s.pullIdentifier = provider?.identifier;
    await s.connection.sendNotification("initialized", {});
    return s;
  }

  async open(uri: string, text: string, languageId = "markdown"): Promise<void> {
    this.docs.set(uri, { text, version: 1, languageId });
    await this.connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId, version: 1, text },
    });
    this.pullSoon(uri);
  }

  text(uri: string): string {
    return this.docs.get(uri)!.text;
  }

  /** Applies edits to the document and tells the server, incrementally when it asked for it. */
  change(uri: string, edits: TextEdit[]): number {
    const doc = this.docs.get(uri)!;
    const before = doc.text;
    doc.text = applyEdits(before, edits);
    doc.version += 1;
    // Like VS Code: one content change per edit, from the end of the document backwards,
    // so that each range is valid in the text left by the changes before it.
    const contentChanges =
      this.syncKind === 2
        ? [...edits]
            .sort((a, b) => offsetAt(before, b.range.start) - offsetAt(before, a.range.start))
            .map((e) => ({ range: e.range, text: e.newText }))
        : [{ text: doc.text }];
    void this.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: doc.version },
      contentChanges,
    });
    this.pullSoon(uri);
    return doc.version;
  }

  /** The first publication (from index `from` on) for `uri` that satisfies `ok`. */
  waitForDiagnostics(uri: string, ok: (d: Diagnostic[]) => boolean, from = 0, timeoutMs = 10_000): Promise<Published> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (let i = from; i < this.published.length; i++) {
          const p = this.published[i];
          if (p.uri === uri && ok(p.diagnostics)) {
            resolve(p);
            return true;
          }
        }
        return false;
      };
      if (check()) {
        return;
      }
      const listener = (): void => {
        if (check()) {
          cleanup();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const last = [...this.published].reverse().find((p) => p.uri === uri);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for diagnostics on ${uri}; last published: ` +
              JSON.stringify(last?.diagnostics ?? null) +
              `\nserver stderr:\n${this.stderr.join("")}`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
    });
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest<CodeAction[] | null>("textDocument/codeAction", {
      textDocument: { uri },
      range,
      context: { diagnostics, only, triggerKind: 1 },
    });
    return result ?? [];
  }

  /** The action's edit, resolving it first when the server left it out. */
  async editOf(action: CodeAction): Promise<WorkspaceEdit> {
    if (action.edit !== undefined) {
      return action.edit;
    }
    const resolved = await this.connection.sendRequest<CodeAction>("codeAction/resolve", action);
    if (resolved.edit === undefined) {
      throw new Error(`code action "${action.title}" has no edit, even resolved`);
    }
    return resolved.edit;
  }

  /** shutdown + exit; resolves to the server's exit code. */
  async stop(): Promise<number | null> {
    await this.connection.sendRequest("shutdown");
    await this.connection.sendNotification("exit");
    const code = await Promise.race([
      this.exited,
      new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5000)),
    ]);
    this.connection.dispose();
    if (code === "timeout") {
      this.proc.kill();
      throw new Error("the server did not exit within 5 s of `exit`");
    }
    return code;
  }

  kill(): void {
    this.connection.dispose();
    if (this.proc.exitCode === null) {
      this.proc.kill();
    }
  }
}
