--- copydesk for Neovim: starts `copydesk lsp` for Markdown and text buffers.
---
--- require("copydesk").setup({
---   cmd = { "copydesk", "lsp" },              -- the server command
---   filetypes = { "markdown", "text" },       -- buffers to check
---   root_markers = { ".copydesk.toml", ".git" },
---   settings = { profile = "nd30", rules = { ["vi-news/quotes.straight"] = "off" } },
--- })
---
--- Neovim 0.11+ uses vim.lsp.config/vim.lsp.enable; 0.10 starts the client from a
--- FileType autocommand with vim.lsp.start. The commands :CopydeskFixAll and
--- :CopydeskReload (plugin/copydesk.lua) work with any client named "copydesk".

local M = {}

M.name = "copydesk"

M.defaults = {
  cmd = { "copydesk", "lsp" },
  filetypes = { "markdown", "text" },
  root_markers = { ".copydesk.toml", ".git" },
  --- Client settings: sent as initializationOptions and with
  --- workspace/didChangeConfiguration. Keys: packs, profile, rules, debounceMs, enable.
  settings = {},
}

--- The options in force after setup(); nil before.
M.options = nil

local function is_list(t)
  return type(t) == "table" and (vim.islist or vim.tbl_islist)(t)
end

--- Merges user options over the defaults; lists replace, tables merge.
local function merge(defaults, opts)
  local out = vim.deepcopy(defaults)
  for k, v in pairs(opts or {}) do
    if type(v) == "table" and type(out[k]) == "table" and not is_list(v) and not is_list(out[k]) then
      out[k] = vim.tbl_deep_extend("force", out[k], v)
    else
      out[k] = vim.deepcopy(v)
    end
  end
  return out
end

local function validate(o)
  local ok, err = pcall(function()
    if vim.fn.has("nvim-0.11") == 1 then
      vim.validate("cmd", o.cmd, "table")
      vim.validate("filetypes", o.filetypes, "table")
      vim.validate("root_markers", o.root_markers, "table")
      vim.validate("settings", o.settings, "table")
    else
      vim.validate({
        cmd = { o.cmd, "table" },
        filetypes = { o.filetypes, "table" },
        root_markers = { o.root_markers, "table" },
        settings = { o.settings, "table" },
      })
    end
  end)
  if not ok then
    error("copydesk.setup: " .. tostring(err), 3)
  end
end

--- The table given to vim.lsp.config / vim.lsp.start.
function M.client_config(o)
  o = o or M.options or M.defaults
  local settings = vim.deepcopy(o.settings)
  return {
    name = M.name,
    cmd = vim.deepcopy(o.cmd),
    filetypes = vim.deepcopy(o.filetypes),
    root_markers = vim.deepcopy(o.root_markers),
    init_options = settings,
    -- Neovim sends `settings` with workspace/didChangeConfiguration after initialize
    -- and answers workspace/configuration (section "copydesk") from it; the server
    -- accepts its settings bare or under a `copydesk` key.
    settings = { copydesk = vim.deepcopy(settings) },
  }
end

local augroup = nil

--- Neovim 0.10: start (or reuse) a client for the buffer.
local function start_legacy(bufnr, config)
  local root = vim.fs.root(bufnr, config.root_markers)
  local start_config = vim.deepcopy(config)
  start_config.root_dir = root or vim.fn.getcwd()
  start_config.filetypes = nil
  start_config.root_markers = nil
  vim.lsp.start(start_config, { bufnr = bufnr })
end

function M.setup(opts)
  local o = merge(M.defaults, opts)
  validate(o)
  M.options = o
  local config = M.client_config(o)

  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    vim.lsp.config(M.name, {
      cmd = config.cmd,
      filetypes = config.filetypes,
      root_markers = config.root_markers,
      init_options = config.init_options,
      settings = config.settings,
    })
    vim.lsp.enable(M.name)
    return
  end

  augroup = vim.api.nvim_create_augroup("copydesk", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = augroup,
    pattern = config.filetypes,
    callback = function(args)
      start_legacy(args.buf, config)
    end,
  })
  -- Buffers already open when setup() runs late (lazy loading).
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(config.filetypes, vim.bo[buf].filetype) then
      start_legacy(buf, config)
    end
  end
end

local has_011 = vim.fn.has("nvim-0.11") == 1

local function get_clients(bufnr)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get({ name = M.name, bufnr = bufnr })
end

local function request_sync(client, method, params, timeout_ms, bufnr)
  if has_011 then
    return client:request_sync(method, params, timeout_ms, bufnr)
  end
  return client.request_sync(method, params, timeout_ms, bufnr)
end

local function notify(msg, level)
  vim.notify("copydesk: " .. msg, level or vim.log.levels.INFO)
end

--- Range of the whole buffer in the client's position encoding.
local function whole_buffer(bufnr, encoding)
  local last = math.max(vim.api.nvim_buf_line_count(bufnr) - 1, 0)
  local line = vim.api.nvim_buf_get_lines(bufnr, last, last + 1, false)[1] or ""
  return {
    start = { line = 0, character = 0 },
    ["end"] = { line = last, character = vim.lsp.util.character_offset(bufnr, last, #line, encoding) },
  }
end

--- Applies the server's `source.fixAll.copydesk` code action to a buffer, synchronously
--- (so it can run from BufWritePre). Returns the number of actions applied.
function M.fix_all(opts)
  opts = opts or {}
  local bufnr = opts.bufnr or vim.api.nvim_get_current_buf()
  if bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local timeout = opts.timeout_ms or 3000
  local clients = get_clients(bufnr)
  if #clients == 0 then
    if not opts.silent then
      notify("no copydesk server is attached to this buffer", vim.log.levels.WARN)
    end
    return 0
  end
  local applied = 0
  for _, client in ipairs(clients) do
    local encoding = client.offset_encoding or "utf-16"
    local params = {
      textDocument = vim.lsp.util.make_text_document_params(bufnr),
      range = whole_buffer(bufnr, encoding),
      context = { diagnostics = {}, only = { "source.fixAll.copydesk" }, triggerKind = 1 },
    }
    local res, err = request_sync(client, "textDocument/codeAction", params, timeout, bufnr)
    if not res or res.err then
      notify("fix all failed: " .. tostring(err or (res and res.err and res.err.message)), vim.log.levels.ERROR)
    else
      for _, action in ipairs(res.result or {}) do
        if action.edit == nil and action.command == nil and action.data ~= nil then
          local resolved = request_sync(client, "codeAction/resolve", action, timeout, bufnr)
          if resolved and resolved.result then
            action = resolved.result
          end
        end
        if action.edit then
          vim.lsp.util.apply_workspace_edit(action.edit, encoding)
          applied = applied + 1
        end
        local command = type(action.command) == "table" and action.command or nil
        if command then
          request_sync(client, "workspace/executeCommand", command, timeout, bufnr)
          applied = applied + 1
        end
      end
    end
  end
  if applied == 0 and not opts.silent then
    notify("nothing to fix")
  end
  return applied
end

--- Asks every copydesk server to reload its configuration and rule packs. The server
--- then sends fresh diagnostics for every open document itself (pushed to Neovim, which
--- cannot be asked to pull again), so nothing else is needed here.
function M.reload()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local clients = get({ name = M.name })
  if #clients == 0 then
    notify("no copydesk server is running", vim.log.levels.WARN)
    return 0
  end
  local reloaded = 0
  for _, client in ipairs(clients) do
    local res, err = request_sync(client, "workspace/executeCommand", { command = "copydesk.reload", arguments = {} }, 5000)
    if not res or res.err then
      notify("reload failed: " .. tostring(err or (res and res.err and res.err.message)), vim.log.levels.ERROR)
    else
      reloaded = reloaded + 1
    end
  end
  if reloaded > 0 then
    notify("rules reloaded")
  end
  return reloaded
end

return M
