-- Headless end-to-end test of the Neovim plugin against the real server:
--   COPYDESK_BIN=/path/to/copydesk nvim --headless -u NONE -l editors/neovim/test/test.lua
-- COPYDESK_NVIM_LEGACY=1 takes the Neovim 0.10 path (vim.lsp.start from FileType).
-- Exits 0 when every check passes, 1 otherwise; prints the positions it checked.

local script_dir = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
local plugin_dir = vim.fn.fnamemodify(script_dir, ":h")
local repo = vim.fn.fnamemodify(plugin_dir, ":h:h")
local bin = os.getenv("COPYDESK_BIN") or (repo .. "/target/release/copydesk")
local legacy = os.getenv("COPYDESK_NVIM_LEGACY") == "1"

local passed, failed = 0, 0

local function log(msg)
  io.stdout:write(msg .. "\n")
end

local function check(cond, what)
  if cond then
    passed = passed + 1
  else
    failed = failed + 1
    log("FAIL: " .. what)
  end
  return cond
end

local function eq(got, want, what)
  return check(vim.deep_equal(got, want), ("%s: got %s, want %s"):format(what, vim.inspect(got), vim.inspect(want)))
end

local function write(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ":h"), "p")
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function main()
  assert(vim.fn.executable(bin) == 1, "no copydesk server at " .. bin .. " (cargo build --release, or set COPYDESK_BIN)")

  -- A workspace whose .copydesk.toml uses only a pack written here.
  local root = vim.fn.resolve(vim.fn.tempname())
  write(root .. "/.copydesk.toml", 'packs = ["./pack"]\n')
  write(
    root .. "/pack/units.toml",
    table.concat({
      "[pack]",
      'name = "editor-test"',
      "",
      "[[rule]]",
      'id = "units.km"',
      'kind = "pattern"',
      'message = "Viết “km” thường: “{found}” → “{expected}”"',
      "pattern = '(\\d) ?KM\\b'",
      'replacement = "$1 km"',
      "",
    }, "\n")
  )
  -- Line 3 in NFD (tone marks as combining characters U+0300 U+0302 U+0309 U+031B)
  -- with an emoji (4 bytes) before each problem; line 5 in NFC.
  -- Neovim has no Unicode normalizer built in, so the combining marks are written out.
  local line3 = "Đoa\204\128n xe 🚚 cu\204\137a ngu\204\155o\204\155\204\128i da\204\130n đi 12KM, "
    .. "ro\204\130\204\128i 🌙 the\204\130m 3 KM nu\204\155\204\131a."
  local line5 = "Cách bờ 5KM."
  local article = "# Tin giao thông\n\n" .. line3 .. "\n\n" .. line5 .. "\n"
  write(root .. "/bai-viet.md", article)

  -- Notifications go to the log (headless Neovim writes them without a newline) and are
  -- kept for the checks below.
  local notes = {}
  vim.notify = function(msg)
    table.insert(notes, msg)
    log("notify: " .. msg)
  end

  -- Count pushed diagnostics (textDocument/publishDiagnostics) for this test's rule.
  local pushes = 0
  local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
  vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
    pushes = pushes + 1
    return publish(err, result, ctx, config)
  end

  vim.opt.rtp:prepend(plugin_dir)
  vim.cmd("filetype on")
  vim.cmd.runtime("plugin/copydesk.lua")
  if legacy then
    -- Neovim 0.10 has neither vim.lsp.config nor vim.lsp.enable.
    vim.lsp.config = nil
    vim.lsp.enable = nil
  end
  require("copydesk").setup({ cmd = { bin, "lsp" }, settings = { debounceMs = 20 } })
  vim.cmd.cd(root)
  vim.cmd.edit(root .. "/bai-viet.md")
  local buf = vim.api.nvim_get_current_buf()
  eq(vim.bo[buf].filetype, "markdown", "filetype")

  local attached = vim.wait(10000, function()
    return #vim.lsp.get_clients({ name = "copydesk", bufnr = buf }) > 0
  end, 20)
  assert(attached, "no copydesk client attached to the buffer")
  local client = vim.lsp.get_clients({ name = "copydesk", bufnr = buf })[1]
  log(("client: id %d, root %s, position encoding %s, %s path"):format(
    client.id,
    tostring(client.root_dir),
    client.offset_encoding,
    legacy and "0.10 (vim.lsp.start)" or "0.11 (vim.lsp.config)"
  ))
  eq(client.root_dir, root, "root_dir from .copydesk.toml")

  -- The server pulls only from clients that can also be asked to pull again
  -- (workspace/diagnostic/refresh); Neovim 0.11 cannot, so it gets pushed diagnostics.
  local caps = client.capabilities or {}
  local can_pull = vim.tbl_get(caps, "textDocument", "diagnostic") ~= nil
  local can_refresh = vim.tbl_get(caps, "workspace", "diagnostics", "refreshSupport") == true
  local pulled = client.server_capabilities.diagnosticProvider ~= nil
  eq(pulled, can_pull and can_refresh, "server pulls exactly when the client can pull and refresh")
  log(("diagnostics: %s (client: textDocument/diagnostic %s, workspace/diagnostic/refresh %s)"):format(
    pulled and "pulled" or "pushed", tostring(can_pull), tostring(can_refresh)))

  local function ours()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == "editor-test/units.km" then
        table.insert(out, d)
      end
    end
    table.sort(out, function(a, b)
      return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
    end)
    return out
  end

  local function wait_count(n, what)
    local ok = vim.wait(10000, function()
      return #ours() == n
    end, 20)
    return check(ok, ("%s: waited for %d diagnostics, have %d"):format(what, n, #ours()))
  end

  local function check_positions(want, what)
    local got = ours()
    for i, w in ipairs(want) do
      local d = got[i]
      if check(d ~= nil, what .. ": diagnostic " .. i) then
        eq({ d.lnum, d.col, d.end_lnum, d.end_col }, w, what .. ": diagnostic " .. i .. " (row, byte col, end row, end byte col)")
        eq(d.source, "copydesk", what .. ": source")
        local text = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]:sub(d.col + 1, d.end_col)
        check(text:match("^%d ?[Kk][Mm]$") ~= nil, what .. ": range covers a problem, got " .. vim.inspect(text))
        log(("positions: %s: editor-test/units.km at %d:%d-%d:%d (bytes) covers %q"):format(
          what, d.lnum, d.col, d.end_lnum, d.end_col, text))
      end
    end
  end

  -- Byte columns, counted by hand: on line 3 "2KM" starts at byte 45 (Đ 2, "🚚" 4,
  -- each combining mark 2 bytes, ư/ơ written as u/o + U+031B), "3 KM" at byte 70.
  if wait_count(3, "open") then
    check_positions({ { 2, 45, 2, 48 }, { 2, 70, 2, 74 }, { 4, 11, 4, 14 } }, "open")
  end

  -- The preferred quick fix for the first problem, as a user would pick it.
  -- A menu would wait for a key forever in a headless run: any menu is a failure.
  vim.ui.select = function(items, _, on_choice)
    check(false, "code action menu shown with " .. #items .. " entries")
    on_choice(nil)
  end
  local first = ours()[1]
  vim.api.nvim_win_set_cursor(0, { 3, 46 })
  vim.lsp.buf.code_action({
    context = { only = { "quickfix" }, diagnostics = { first.user_data.lsp } },
    range = { start = { first.lnum + 1, first.col }, ["end"] = { first.end_lnum + 1, first.end_col } },
    filter = function(action)
      return action.isPreferred == true
    end,
    apply = true,
  })
  local want3 = "Đoa\204\128n xe 🚚 cu\204\137a ngu\204\155o\204\155\204\128i da\204\130n đi 12 km, "
    .. "ro\204\130\204\128i 🌙 the\204\130m 3 KM nu\204\155\204\131a."
  local fixed = vim.wait(5000, function()
    return vim.api.nvim_buf_get_lines(buf, 2, 3, false)[1] == want3
  end, 20)
  check(fixed, "quick fix: line 3 is now " .. vim.inspect(vim.api.nvim_buf_get_lines(buf, 2, 3, false)[1]))
  if wait_count(2, "after quick fix") then
    check_positions({ { 2, 71, 2, 75 }, { 4, 11, 4, 14 } }, "after quick fix")
  end

  -- :CopydeskFixAll applies source.fixAll.copydesk.
  vim.cmd("CopydeskFixAll")
  eq(vim.api.nvim_buf_get_lines(buf, 0, -1, false), {
    "# Tin giao thông",
    "",
    (want3:gsub("3 KM", "3 km")),
    "",
    "Cách bờ 5 km.",
  }, ":CopydeskFixAll buffer text")
  if wait_count(0, "after :CopydeskFixAll") then
    log("positions: after :CopydeskFixAll: no diagnostics")
  end

  -- :CopydeskReload after editing the pack: the rule now flags lower-case "km".
  write(root .. "/pack/units.toml", table.concat({
    "[pack]",
    'name = "editor-test"',
    "",
    "[[rule]]",
    'id = "units.km"',
    'kind = "pattern"',
    'message = "Viết “KM”: “{found}” → “{expected}”"',
    "pattern = '(\\d) ?km\\b'",
    'replacement = "$1 KM"',
    "",
  }, "\n"))
  -- The plugin only asks for the reload: the new diagnostics come from the server alone.
  local pushes_before = pushes
  vim.cmd("CopydeskReload")
  check(vim.tbl_contains(notes, "copydesk: rules reloaded"), ":CopydeskReload notifies " .. vim.inspect(notes))
  if wait_count(3, "after :CopydeskReload") then
    check_positions({ { 2, 45, 2, 49 }, { 2, 71, 2, 75 }, { 4, 11, 4, 15 } }, "after :CopydeskReload")
  end
  if not pulled then
    check(pushes > pushes_before, "after :CopydeskReload: diagnostics pushed by the server")
    log(("diagnostics: %d pushed in all, %d after :CopydeskReload"):format(pushes, pushes - pushes_before))
  end

  -- :checkhealth copydesk, read from the health buffer.
  vim.cmd("checkhealth copydesk")
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  for _, want in ipairs({
    "OK setup() called",
    "OK binary found: " .. vim.fn.exepath(bin),
    "OK version: copydesk ",
    "OK config found: " .. root .. "/.copydesk.toml",
    "OK rules load: `copydesk rules list` exited 0 (1 rule)",
    "OK server running",
  }) do
    check(report:find(want, 1, true) ~= nil, ":checkhealth copydesk shows " .. vim.inspect(want))
  end
  check(report:find("ERROR", 1, true) == nil, ":checkhealth copydesk has no ERROR")
  log("\ncheckhealth:\n" .. report)

  -- Stop the server and wait for it to exit.
  client:stop()
  local stopped = vim.wait(5000, function()
    return client:is_stopped()
  end, 20)
  check(stopped, "the server stops")
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  failed = failed + 1
  log("FAIL: " .. tostring(err))
end
log(("neovim: %d passed, %d failed"):format(passed, failed))
os.exit(failed == 0 and 0 or 1)
