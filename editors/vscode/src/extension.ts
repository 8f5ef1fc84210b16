// The copydesk extension: starts `copydesk lsp` and wires its settings and commands.

import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";

import { findServer, isFound } from "./binary";
import { languages, serverSettings, type ServerSettings } from "./settings";

const SECTION = "copydesk";
/** Commands the server executes (workspace/executeCommand). */
const SERVER_FIX_ALL = "copydesk.fixAll";
const SERVER_RELOAD = "copydesk.reload";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let extensionContext: vscode.ExtensionContext;

function baseFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function currentSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return serverSettings((key, fallback) => config.get(key, fallback), baseFolder());
}

function documentSelector(): LanguageClientOptions["documentSelector"] {
  const config = vscode.workspace.getConfiguration(SECTION);
  return languages((key, fallback) => config.get(key, fallback)).flatMap((language) => [
    { scheme: "file", language },
    { scheme: "untitled", language },
  ]);
}

async function showMissingServer(reason: string, tried: string[]): Promise<void> {
  output.error(reason);
  for (const t of tried) {
    output.info(`looked at ${t}`);
  }
  const openSettings = "Set copydesk.path";
  const showOutput = "Show output";
  const choice = await vscode.window.showErrorMessage(
    `copydesk: ${reason} Install copydesk (for example \`cargo install --path .\` in a copydesk checkout, ` +
      "which puts it on PATH) or set copydesk.path to the program's full path, then reload the window.",
    openSettings,
    showOutput,
  );
  if (choice === openSettings) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "copydesk.path");
  } else if (choice === showOutput) {
    output.show(true);
  }
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const found = findServer({
    configuredPath: config.get<string>("path", ""),
    extensionPath: extensionContext.extensionPath,
    baseFolder: baseFolder(),
    platform: process.platform,
    arch: process.arch,
    env: process.env,
  });
  if (!isFound(found)) {
    await showMissingServer(found.reason, found.tried);
    return;
  }
  output.info(`starting ${found.path} lsp (from ${found.source})`);

  const serverOptions: ServerOptions = {
    run: { command: found.path, args: ["lsp"] },
    debug: { command: found.path, args: ["lsp"] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    initializationOptions: currentSettings(),
    outputChannel: output,
    traceOutputChannel: output,
  };
  client = new LanguageClient(SECTION, "copydesk", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    output.error(`the server did not start: ${message}`);
    const showOutput = "Show output";
    const choice = await vscode.window.showErrorMessage(
      `copydesk: the server (${found.path} lsp) did not start: ${message}`,
      showOutput,
    );
    if (choice === showOutput) {
      output.show(true);
    }
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c !== undefined && c.state !== State.Stopped) {
    await c.stop();
  }
}

function runningClient(): LanguageClient | undefined {
  if (client === undefined || client.state !== State.Running) {
    void vscode.window.showWarningMessage("copydesk: the server is not running; see the copydesk output.");
    return undefined;
  }
  return client;
}

async function fixAll(): Promise<void> {
  const c = runningClient();
  const editor = vscode.window.activeTextEditor;
  if (c === undefined || editor === undefined) {
    return;
  }
  const document = editor.document;
  // The server computes the edits and applies them with workspace/applyEdit; it answers
  // `{ applied, reason? }`.
  const result: unknown = await c.sendRequest(ExecuteCommandRequest.type, {
    command: SERVER_FIX_ALL,
    arguments: [{ uri: c.code2ProtocolConverter.asUri(document.uri), version: document.version }],
  });
  const reason = (result as { reason?: unknown } | null)?.reason;
  if (typeof reason === "string") {
    void vscode.window.showInformationMessage(`copydesk: ${reason}`);
  }
}

async function reload(): Promise<void> {
  const c = runningClient();
  if (c === undefined) {
    return;
  }
  await c.sendRequest(ExecuteCommandRequest.type, { command: SERVER_RELOAD, arguments: [] });
  output.info("rules reloaded");
}

async function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
  if (!event.affectsConfiguration(SECTION)) {
    return;
  }
  if (event.affectsConfiguration(`${SECTION}.path`) || event.affectsConfiguration(`${SECTION}.languages`)) {
    output.info("restarting the server after a settings change");
    await stop();
    await start();
    return;
  }
  if (client !== undefined && client.state === State.Running) {
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings: currentSettings() });
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionContext = context;
  // A log channel (vscode-languageclient 10+ asks for one): its log level, set with
  // "Developer: Set Log Level…", also turns the protocol trace on (at Trace).
  output = vscode.window.createOutputChannel("copydesk", { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("copydesk.fixAllProblems", fixAll),
    vscode.commands.registerCommand("copydesk.reloadRules", reload),
    vscode.commands.registerCommand("copydesk.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}
