-- GET a rotating list of paths (one per line in $BENCH_LINES), or wrk's URL path when the list is empty.
-- Each thread starts at a different random offset; BENCH_RANDOM=1 picks a random path every time.
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local paths = common.read_lines(os.getenv("BENCH_LINES"))
local random_pick = os.getenv("BENCH_RANDOM") == "1"
-- What a browser (pages) or an API client (BENCH_ACCEPT=application/json) says it accepts.
local headers = common.headers({Accept = os.getenv("BENCH_ACCEPT") or "text/html,application/json"})
local counter = 0
thread_no = 0  -- global: setup() numbers the threads through thread:set

function setup(thread)
  thread_no = thread_no + 1
  thread:set("thread_no", thread_no)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919)
  if #paths > 0 then
    counter = math.random(#paths) - 1
  end
end

function request()
  if #paths == 0 then
    return wrk.format("GET", nil, headers)
  end
  local path
  if random_pick then
    path = paths[math.random(#paths)]
  else
    counter = (counter % #paths) + 1
    path = paths[counter]
  end
  return wrk.format("GET", path, headers)
end

done = common.report
