-- wrk script for the ingestion rows of `make bench`: replays pre-signed punch uploads, each exactly
-- once, and stops (signed beforehand by the harness, see wrk_signed.lua; each thread takes every Nth).
-- A C client instead of Python threads: the client shares the server's two cores, and Python's
-- http.client spent about a twentieth of them.
-- Each thread prints "ready" once it has read its share of the uploads (wrk then starts it), and
-- "done" when it has its last answer; the harness times the run from the first "ready" to the last
-- "done" (reading and splitting the file, ~0.1 s, is the client's setup, not the server's time) and
-- then interrupts wrk, whose done() writes the summary (latency, errors).
-- Arguments: <requests.tsv> <summary.json> <threads>
local signed = require "wrk_signed"
FILLER = "/static/img/favicon.svg"

function init(args)
  summary_path = args[2]
  app_key, pushes = signed.read(args[1], tid, tonumber(args[3]))
  sent, answered, bad, first_bad = 0, 0, 0, ""
  io.write("ready\n")
  io.flush()
end

function request()
  if tid == 0 and not verified then
    -- wrk calls request() once on the first thread to inspect the script, and sends nothing.
    verified = true
    return wrk.format("GET", FILLER, { ["Host"] = "127.0.0.1" })
  end
  sent = sent + 1
  local r = pushes[sent]
  if r == nil then
    -- This thread's share is all sent, but a connection that gunicorn closed after its answer asks
    -- for another request: a static file (WhiteNoise, no database) until the last answer arrives.
    -- An empty request would hold a sync worker on an idle connection.
    return wrk.format("GET", FILLER, { ["Host"] = "127.0.0.1" })
  end
  return signed.push(r, app_key)
end

-- Every push must answer 200 with nothing refused or stored as an anomaly (each punch is for a
-- person on the roster, on a fresh time).
function response(status, headers, body)
  body = body or ""
  if status == 200 and not string.find(body, '"results"', 1, true) then
    return -- the filler's answer
  end
  answered = answered + 1
  if status ~= 200 or not string.find(body, '"anomaly": 0, "error": 0,', 1, true) then
    bad = bad + 1
    if first_bad == "" then
      first_bad = "HTTP " .. status .. ": " .. string.gsub(string.sub(body, 1, 200), '[%c"\\]', " ")
    end
  end
  if answered == #pushes then
    io.write("done\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total_bad, total_answered, first = 0, 0, ""
  for _, thread in ipairs(signed.threads) do
    total_bad = total_bad + thread:get("bad")
    total_answered = total_answered + thread:get("answered")
    if first == "" then first = thread:get("first_bad") end
  end
  local e = summary.errors
  local out = io.open(signed.threads[1]:get("summary_path"), "w")
  out:write(string.format(
    '{"answered": %d, "bad": %d, "first_bad": "%s", "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "latency_p50_ms": %.2f, "latency_p95_ms": %.2f}',
    total_answered, total_bad, first, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
  out:close()
end
