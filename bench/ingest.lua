-- wrk script: POST /api/event with EVENTS_PER_REQUEST events per request and a bearer token.
-- Events carry no event_id, so the consumer assigns one and every event is stored.
local per_request = tonumber(os.getenv("EVENTS_PER_REQUEST") or "1")
local token = os.getenv("TOKEN") or ""
local label = os.getenv("LABEL") or ""

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

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read +
              summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"label":"%s","events_per_request":%d,"requests":%d,"failed":%d,"seconds":%.3f,' ..
    '"requests_per_s":%.1f,"p50_ms":%.3f,"p99_ms":%.3f}\n',
    label, per_request, summary.requests, bad, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
