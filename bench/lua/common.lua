-- Shared helpers for the wrk scripts of bench/run.py.
-- Inputs come from the environment (set by run.py): BENCH_TOKEN (optional "Token ..." auth),
-- BENCH_LINES (a file with one request path or JSON body per line).

local M = {}

function M.read_lines(path)
  local lines = {}
  if path == nil or path == "" then
    return lines
  end
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  f:close()
  return lines
end

function M.headers(extra)
  local h = {}
  local token = os.getenv("BENCH_TOKEN")
  if token ~= nil and token ~= "" then
    h["Authorization"] = "Token " .. token
  end
  for k, v in pairs(extra or {}) do
    h[k] = v
  end
  return h
end

-- Prints one machine-readable line that run.py parses: latency in microseconds.
function M.report(summary, latency, requests)
  local e = summary.errors
  local out = string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "stdev": %.1f, ' ..
    '"p50": %d, "p90": %d, "p95": %d, "p99": %d, "p999": %d}}',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency:percentile(99.9))
  io.write("BENCH_JSON " .. out .. "\n")
end

return M
