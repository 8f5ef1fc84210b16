// Packages the extension for one platform with the copydesk server inside:
//   node scripts/package.mjs [--target linux-x64] [--binary PATH] [--no-strip]
// copies the server (default ../../target/release/copydesk, or $COPYDESK_BIN) into
// bin/<platform>-<arch>/, strips the symbols and debug info from that copy (never from
// the original) when the target is the machine's own platform, and runs
// `vsce package --target <target>`.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// VS Code's platform targets and the Node `${process.platform}-${process.arch}` the
// extension looks for at run time.
const BIN_DIRS = {
  "win32-x64": "win32-x64",
  "win32-arm64": "win32-arm64",
  "linux-x64": "linux-x64",
  "linux-arm64": "linux-arm64",
  "linux-armhf": "linux-arm",
  "alpine-x64": "linux-x64",
  "alpine-arm64": "linux-arm64",
  "darwin-x64": "darwin-x64",
  "darwin-arm64": "darwin-arm64",
};

function option(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

const hostTarget = `${process.platform}-${process.arch === "arm" ? "armhf" : process.arch}`;
const target = option("--target") ?? process.env.VSCE_TARGET ?? hostTarget;
const binDir = BIN_DIRS[target];
if (binDir === undefined) {
  fail(`unknown target \`${target}\`; one of: ${Object.keys(BIN_DIRS).join(", ")}`);
}
const exe = target.startsWith("win32") ? "copydesk.exe" : "copydesk";
const source = resolve(option("--binary") ?? process.env.COPYDESK_BIN ?? join(root, "..", "..", "target", "release", exe));
if (!existsSync(source)) {
  fail(`no server binary at ${source}; build it first (\`cargo build --release\` in the repository root)`);
}

rmSync(join(root, "bin"), { recursive: true, force: true });
const dest = join(root, "bin", binDir, exe);
mkdirSync(dirname(dest), { recursive: true });
copyFileSync(source, dest);
chmodSync(dest, 0o755);
console.log(`package: ${source} -> ${dest}`);

// The host's `strip` only knows the host's object format, so a binary built for another
// target is shipped as it is (strip it where it was built).
const mib = (path) => `${(statSync(path).size / 1048576).toFixed(1)} MiB`;
if (process.argv.includes("--no-strip")) {
  console.log(`package: not stripped (--no-strip), ${mib(dest)}`);
} else if (target !== hostTarget || process.platform === "win32") {
  console.log(`package: not stripped (target ${target} is not this machine's ${hostTarget}), ${mib(dest)}`);
} else {
  const before = mib(dest);
  try {
    execFileSync("strip", [dest], { stdio: "inherit" });
    console.log(`package: stripped ${dest}: ${before} -> ${mib(dest)}`);
  } catch (err) {
    fail(`\`strip ${dest}\` failed (${err.message}); install binutils, or pass --no-strip`);
  }
}

const vsce = join(root, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
execFileSync(vsce, ["package", "--target", target, "--no-dependencies", "--allow-missing-repository"], {
  cwd: root,
  stdio: "inherit",
});
