--- :checkhealth copydesk
local M = {}

local health = vim.health

local function run(cmd, cwd)
  local ok, obj = pcall(function()
    return vim.system(cmd, { text = true, cwd = cwd }):wait(10000)
  end)
  if not ok then
    return { code = -1, stdout = "", stderr = tostring(obj) }
  end
  return obj
end

local function first_line(s)
  return (vim.trim(s or ""):match("^[^\n]*")) or ""
end

function M.check()
  local copydesk = require("copydesk")
  local options = copydesk.options
  health.start("copydesk")

  if options == nil then
    health.warn(
      'setup() has not been called: the server starts only after require("copydesk").setup()',
      { 'Add require("copydesk").setup() to your config, or configure the server with vim.lsp.config.' }
    )
    options = copydesk.defaults
  else
    health.ok("setup() called; filetypes: " .. table.concat(options.filetypes, ", "))
  end

  local exe = options.cmd[1]
  local path = exe and vim.fn.exepath(exe) or ""
  if path == "" then
    health.error(("binary not found: `%s` is not an executable on PATH"):format(tostring(exe)), {
      "Install copydesk (for example `cargo install --path .` in a copydesk checkout),",
      'or give its full path: require("copydesk").setup({ cmd = { "/path/to/copydesk", "lsp" } })',
    })
    return
  end
  health.ok("binary found: " .. path)

  local version = run({ path, "--version" })
  if version.code == 0 then
    health.ok("version: " .. first_line(version.stdout))
  else
    health.error("`copydesk --version` failed: " .. first_line(version.stderr))
  end

  local cwd = vim.fn.getcwd()
  local config = vim.fs.find(".copydesk.toml", { upward = true, path = cwd, type = "file" })[1]
  if config then
    health.ok("config found: " .. config)
  else
    health.info("no .copydesk.toml from " .. cwd .. " upward: the default pack (vi-news) is used")
  end

  local rules = run({ path, "rules", "list", "--json" }, cwd)
  if rules.code == 0 then
    local ok, list = pcall(vim.json.decode, rules.stdout)
    local count = ok and type(list) == "table" and #list or nil
    local counted = count and (" (%d rule%s)"):format(count, count == 1 and "" or "s") or ""
    health.ok("rules load: `copydesk rules list` exited 0" .. counted)
  else
    health.error("rules do not load: `copydesk rules list` exited " .. tostring(rules.code), {
      vim.trim(rules.stderr or ""),
      "Fix the file and position named above, then :CopydeskReload.",
    })
  end

  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local clients = get({ name = copydesk.name })
  if #clients == 0 then
    health.info("no copydesk server running (it starts when a " .. table.concat(options.filetypes, "/") .. " buffer opens)")
  else
    for _, client in ipairs(clients) do
      health.ok(
        ("server running: id %d, root %s, position encoding %s"):format(
          client.id,
          tostring(client.root_dir or client.config.root_dir),
          tostring(client.offset_encoding)
        )
      )
    end
  end
end

return M
