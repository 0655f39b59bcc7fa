-- wrk script for the bench load run: page views with a session cookie, mixed with signed API pushes.
-- The API requests are pre-signed by the harness (fresh nonce each, timestamps valid for the run;
-- see wrk_signed.lua) and replayed exactly once, every thread taking its own share.
-- Arguments: <config.tsv> <api every Nth request> <summary.json>
local signed = require "wrk_signed"
local THREADS = 2 -- as the harness starts wrk (-t2)

function init(args)
  config, api_every, summary_path = args[1], tonumber(args[2]), args[3]
  -- done() runs in the main Lua state, which never sees the script arguments: it asks a thread.
  app_key, pushes, pages = signed.read(config, tid, THREADS)
  bad, api, exhausted, counter, push_index = 0, 0, false, 0, 1
end

function request()
  counter = counter + 1
  if counter % api_every == 0 then
    local r = pushes[push_index]
    if r then
      push_index = push_index + 1
      api = api + 1
      return signed.push(r, app_key)
    end
    exhausted = true
  end
  local p = pages[(counter % #pages) + 1]
  return wrk.format("GET", p.path, { ["Host"] = "127.0.0.1", ["Cookie"] = p.cookie })
end

-- Pages must answer 200 (a redirect would be a lost session) and pushes 200: anything else is an error.
function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("status " .. status .. ": " .. string.sub(body or "", 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local total_bad, total_api, any_exhausted = 0, 0, false
  for _, thread in ipairs(signed.threads) do
    total_bad = total_bad + thread:get("bad")
    total_api = total_api + thread:get("api")
    any_exhausted = any_exhausted or thread:get("exhausted")
  end
  local e = summary.errors
  local out = io.open(signed.threads[1]:get("summary_path"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "bad": %d, "api": %d, "api_exhausted": %s, "latency_p50_ms": %.1f, "latency_p95_ms": %.1f, ' ..
    '"latency_p99_ms": %.1f, "latency_max_ms": %.1f}',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    total_bad, total_api, tostring(any_exhausted), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  out:close()
end
