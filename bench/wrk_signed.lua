-- Shared by bench/load.lua and bench/ingest.lua (loaded with require: wrk runs with bench/ as its
-- working directory). wrk's LuaJIT has no HMAC, so the harness signs the API uploads beforehand
-- (bench/ingest_scenarios.py, write_signed_requests) and writes them to a file: "K\t<app key>",
-- then one "A\t<path>\t<timestamp>\t<nonce>\t<sign>\t<body>" line per upload, and for the load run
-- "P\t<cookie>\t<path>" lines for the pages.
local M = { threads = {} }
local next_id = 0

-- wrk calls the global setup() once per thread, in its main Lua state (where done() runs too).
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(M.threads, thread)
end

local function split(line)
  local out = {}
  for field in (line .. "\t"):gmatch("(.-)\t") do table.insert(out, field) end
  return out
end

-- The app key, this thread's share of the uploads (every thread_count-th, from its tid) and the pages.
function M.read(path, tid, thread_count)
  local app_key, pushes, pages, index = "", {}, {}, 0
  for line in io.lines(path) do
    local f = split(line)
    if f[1] == "K" then
      app_key = f[2]
    elseif f[1] == "P" then
      table.insert(pages, { cookie = f[2], path = f[3] })
    elseif f[1] == "A" then
      if index % thread_count == tid then
        table.insert(pushes, { path = f[2], ts = f[3], nonce = f[4], sign = f[5], body = f[6] })
      end
      index = index + 1
    end
  end
  return app_key, pushes, pages
end

function M.push(r, app_key)
  return wrk.format("POST", r.path, {
    ["Host"] = "127.0.0.1",
    ["Content-Type"] = "application/json; charset=utf-8",
    ["X-App-Key"] = app_key,
    ["X-Timestamp"] = r.ts,
    ["X-Nonce"] = r.nonce,
    ["X-Sign"] = r.sign,
  }, r.body)
end

return M
