-- POST JSON bodies (one per line in $BENCH_LINES) to wrk's URL path, rotating, with the staff token.
-- A fresh Idempotency-Key per request (thread number + counter), so every POST is a new intake.
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local bodies = common.read_lines(os.getenv("BENCH_LINES"))
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
local counter = 0
thread_no = 0  -- global: setup() numbers the threads through thread:set

function setup(thread)
  thread_no = thread_no + 1
  thread:set("thread_no", thread_no)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919)
  counter = math.random(#bodies) - 1
end

function request()
  counter = counter + 1
  local body = bodies[(counter % #bodies) + 1]
  local headers = common.headers({
    ["Content-Type"] = "application/json",
    Accept = "application/json",
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", run_id, thread_no or 0, counter),
  })
  return wrk.format("POST", nil, headers, body)
end

done = common.report
