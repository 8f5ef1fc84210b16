-- Commands only; the server starts when your config calls require("copydesk").setup().
if vim.g.loaded_copydesk then
  return
end
vim.g.loaded_copydesk = true

vim.api.nvim_create_user_command("CopydeskFixAll", function()
  require("copydesk").fix_all()
end, { desc = "copydesk: apply every safe fix in this buffer (source.fixAll.copydesk)" })

vim.api.nvim_create_user_command("CopydeskReload", function()
  require("copydesk").reload()
end, { desc = "copydesk: reload .copydesk.toml and the rule packs" })
