// The client capabilities VS Code sends through vscode-languageclient 11.0.0
// (BaseLanguageClient.computeClientCapabilities and the features' fillClientCapabilities),
// limited to the parts a text-only server may look at. test/capabilities.test.ts checks
// every value here against what the installed client computes.

const codeActionKinds = [
  "",
  "quickfix",
  "refactor",
  "refactor.extract",
  "refactor.inline",
  "refactor.move",
  "refactor.rewrite",
  "source",
  "source.organizeImports",
  "notebook",
];

export const vscodeClientCapabilities = {
  workspace: {
    applyEdit: true,
    workspaceEdit: {
      documentChanges: true,
      resourceOperations: ["create", "rename", "delete"],
      failureHandling: "textOnlyTransactional",
      normalizesLineEndings: true,
      changeAnnotationSupport: { groupsOnLabel: true },
      metadataSupport: true,
      snippetEditSupport: true,
    },
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    executeCommand: { dynamicRegistration: true },
    workspaceFolders: true,
    codeLens: { refreshSupport: true },
    semanticTokens: { refreshSupport: true },
    inlineValue: { refreshSupport: true },
    inlayHint: { refreshSupport: true },
    diagnostics: { refreshSupport: true },
    fileOperations: {
      dynamicRegistration: true,
      didCreate: true,
      willCreate: true,
      didRename: true,
      willRename: true,
      didDelete: true,
      willDelete: true,
    },
  },
  textDocument: {
    publishDiagnostics: {
      relatedInformation: true,
      // vscode-languageclient sends `false` here: VS Code ignores the version of
      // published diagnostics.
      versionSupport: false,
      tagSupport: { valueSet: [1, 2] },
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      disabledSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ["edit", "command"] },
      codeActionLiteralSupport: { codeActionKind: { valueSet: codeActionKinds } },
      honorsChangeAnnotations: true,
      documentationSupport: true,
      tagSupport: { valueSet: [1] },
    },
    diagnostic: {
      dynamicRegistration: true,
      relatedDocumentSupport: false,
      markupMessageSupport: false,
      relatedInformation: true,
      tagSupport: { valueSet: [1, 2] },
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    hover: { dynamicRegistration: true, contentFormat: ["markdown", "plaintext"] },
  },
  window: {
    showMessage: { messageActionItem: { additionalPropertiesSupport: true } },
    showDocument: { support: true },
    workDoneProgress: true,
  },
  general: {
    staleRequestSupport: {
      cancel: true,
      retryOnContentModified: [
        "textDocument/semanticTokens/full",
        "textDocument/semanticTokens/range",
        "textDocument/semanticTokens/full/delta",
      ],
    },
    regularExpressions: { engine: "ECMAScript", version: "ES2020" },
    markdown: { parser: "marked", version: "1.1.0" },
    positionEncodings: ["utf-16"],
  },
};

/** A client without pull diagnostics (Emacs eglot, Helix, older clients): the server pushes. */
export function pushOnlyCapabilities(): Record<string, unknown> {
  const caps = structuredClone(vscodeClientCapabilities) as Record<string, Record<string, unknown>>;
  delete caps.textDocument.diagnostic;
  delete caps.workspace.diagnostics;
  (caps.textDocument.publishDiagnostics as Record<string, unknown>).versionSupport = true;
  return caps;
}
