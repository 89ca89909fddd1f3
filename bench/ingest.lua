-- wrk script: POST /api/event with EVENTS_PER_REQUEST events per request and a bearer token.
-- Events carry no event_id, so the consumer assigns one and every event is stored.
--
-- TOKENS_FILE (one token per line) instead of TOKEN: each request carries the next token of
-- the file, so with more tokens than the consumer's token cache holds, every request is a new
-- client whose token must be verified.
--
-- Statuses are counted from wrk's own summary: errors.status is every answer with a status of
-- 400 or more. A Lua response() callback could count each status, but it costs wrk 8-14% of its
-- request rate on the machine it shares with the server, which would lower every figure.
local per_request = tonumber(os.getenv("EVENTS_PER_REQUEST") or "1")
local token = os.getenv("TOKEN") or ""
local tokens_file = os.getenv("TOKENS_FILE") or ""
local label = os.getenv("LABEL") or ""
-- GZIP_BODY_FILE: the same body gzip-compressed (run.sh makes it), sent with
-- Content-Encoding: gzip.
local gzip_body_file = os.getenv("GZIP_BODY_FILE") or ""

local function event(i)
  return string.format(
    '{"event_type":"message","event_payload":{"user":"ada","text":"hello there %d","room":"general"}}', i)
end

local parts = {}
for i = 1, per_request do parts[#parts + 1] = event(i) end
local body
if per_request == 1 then body = parts[1] else body = "[" .. table.concat(parts, ",") .. "]" end

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
if gzip_body_file ~= "" then
  local f = assert(io.open(gzip_body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Encoding"] = "gzip"
end

local distinct_tokens = 0
if tokens_file ~= "" then
  for _ in io.lines(tokens_file) do distinct_tokens = distinct_tokens + 1 end
  local prepared, next_index = {}, 0
  local thread_count = 0
  function setup(thread)
    thread:set("thread_number", thread_count)
    thread_count = thread_count + 1
  end
  -- Every request is formatted once, up front: request() only hands out the next one.
  function init(args)
    for line in io.lines(tokens_file) do
      wrk.headers["Authorization"] = "Bearer " .. line
      prepared[#prepared + 1] = wrk.format()
    end
    -- Threads start far apart, so that no two send the same token at about the same time.
    next_index = thread_number * math.floor(#prepared / 2)
  end
  function request()
    next_index = next_index % #prepared + 1
    return prepared[next_index]
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    '{"label":"%s","events_per_request":%d,"requests":%d,"non_2xx":%d,"socket_errors":%d,' ..
    '"timeouts":%d,"seconds":%.3f,"requests_per_s":%.1f,"ok_requests_per_s":%.1f,' ..
    '"p50_ms":%.3f,"p99_ms":%.3f,"distinct_tokens":%d,"coding":"%s"}\n',
    label, per_request, summary.requests, e.status, e.connect + e.read + e.write, e.timeout,
    seconds, summary.requests / seconds, (summary.requests - e.status) / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, distinct_tokens,
    gzip_body_file ~= "" and "gzip" or "identity"))
end
