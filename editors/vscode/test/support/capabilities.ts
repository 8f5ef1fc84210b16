// The client capabilities VS Code 1.9x sends through vscode-languageclient 9.0.1
// (BaseLanguageClient.computeClientCapabilities and the features' fillClientCapabilities),
// limited to the parts a text-only server may look at.

const codeActionKinds = [
  "",
  "quickfix",
  "refactor",
  "refactor.extract",
  "refactor.inline",
  "refactor.rewrite",
  "source",
  "source.organizeImports",
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
      // vscode-languageclient 9.0.1 sends `false` here: VS Code ignores the version of
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
      resolveSupport: { properties: ["edit"] },
      codeActionLiteralSupport: { codeActionKind: { valueSet: codeActionKinds } },
      honorsChangeAnnotations: true,
    },
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
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
