// Turns the `copydesk.*` settings into the client settings the server accepts in
// initializationOptions and workspace/didChangeConfiguration. No VS Code API here.

import { expandPath } from "./binary";

/** What `copydesk lsp` accepts as client settings. */
export interface ServerSettings {
  enable: boolean;
  packs: string[];
  profile?: string;
  rules: Record<string, string>;
  debounceMs: number;
}

export const SEVERITIES = ["error", "warning", "info", "hint", "off"] as const;

/** Reads one setting with a default, like `WorkspaceConfiguration.get`. */
export type Getter = <T>(key: string, fallback: T) => T;

/** True for a pack entry that names a folder rather than a built-in pack. */
export function isPackPath(entry: string): boolean {
  return entry.startsWith(".") || entry.startsWith("~") || entry.includes("/") || entry.includes("\\");
}

export function serverSettings(get: Getter, baseFolder: string | undefined): ServerSettings {
  const packsSetting = get<unknown>("packs", []);
  const packs = (Array.isArray(packsSetting) ? packsSetting : [])
    .filter((p): p is string => typeof p === "string" && p.trim() !== "")
    .map((p) => (isPackPath(p.trim()) ? expandPath(p.trim(), baseFolder) : p.trim()));

  const rulesSetting = get<unknown>("rules", {});
  const rules: Record<string, string> = {};
  if (rulesSetting !== null && typeof rulesSetting === "object" && !Array.isArray(rulesSetting)) {
    for (const [id, value] of Object.entries(rulesSetting as Record<string, unknown>)) {
      if (typeof value === "string" && (SEVERITIES as readonly string[]).includes(value)) {
        rules[id] = value;
      }
    }
  }

  const debounce = get<unknown>("debounceMs", 100);
  const debounceMs =
    typeof debounce === "number" && Number.isFinite(debounce) ? Math.min(5000, Math.max(0, Math.round(debounce))) : 100;

  const settings: ServerSettings = {
    enable: get<unknown>("enable", true) !== false,
    packs,
    rules,
    debounceMs,
  };
  const profile = get<unknown>("profile", "");
  if (typeof profile === "string" && profile.trim() !== "") {
    settings.profile = profile.trim();
  }
  return settings;
}

/** Language identifiers to check; the defaults when the setting is empty or malformed. */
export function languages(get: Getter): string[] {
  const value = get<unknown>("languages", ["markdown", "plaintext"]);
  const list = Array.isArray(value) ? value.filter((l): l is string => typeof l === "string" && l.trim() !== "") : [];
  return list.length > 0 ? [...new Set(list.map((l) => l.trim()))] : ["markdown", "plaintext"];
}
