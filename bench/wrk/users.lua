-- wrk script for bench/run.sh: every request carries X-User-Id.
--
--   wrk ... -s users.lua URL -- pool  SIZE PREFIX   ids PREFIX1..PREFIXSIZE, requests prebuilt (cheap for wrk)
--   wrk ... -s users.lua URL -- fresh PER  PREFIX   each id is used PER times, then the next, never seen, id
--   wrk ... -s users.lua URL -- zipf  N S PREFIX SEED
--                                       ids PREFIX1..PREFIXN, id k drawn with probability proportional to 1/k^S
--                                       (Zipf-like popularity: PREFIX1 the busiest); each thread draws from its
--                                       own generator seeded with SEED and its number, so every run with the same
--                                       arguments and thread count sends the same sequence of ids
--
-- With WRK_COUNT_STATUS=1 in the environment it also counts answers by status (200, 429, 403, other),
-- which costs wrk some CPU per response, so the allowed-traffic runs leave it off.
-- done() prints one line: RESULT key=value ...

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

local next_request

function init(args)
  local mode = args[1] or "pool"
  local prefix = args[3] or "bench-u"
  if mode == "pool" then
    local size = tonumber(args[2]) or 1000
    local prebuilt = {}
    for k = 1, size do
      prebuilt[k] = wrk.format(nil, nil, { ["X-User-Id"] = prefix .. k })
    end
    local i = (tid * 7919) % size -- threads start at different users
    next_request = function()
      i = i % size + 1
      return prebuilt[i]
    end
  elseif mode == "fresh" then
    local per = tonumber(args[2]) or 6
    local sent = 0
    next_request = function()
      local user = math.floor(sent / per)
      sent = sent + 1
      return wrk.format(nil, nil, { ["X-User-Id"] = prefix .. "t" .. tid .. "-" .. user })
    end
  elseif mode == "zipf" then
    local n, s = tonumber(args[2]), tonumber(args[3])
    prefix = args[4] or "z"
    local seed = tonumber(args[5]) or 1
    if not n or n < 1 or not s or s < 0 then error("users.lua: zipf N S PREFIX SEED, was " .. table.concat(args, " ")) end
    -- the cumulative distribution, once per thread: cdf[k] = P(rank <= k)
    local cdf, sum = {}, 0
    for k = 1, n do sum = sum + k ^ -s; cdf[k] = sum end
    for k = 1, n do cdf[k] = cdf[k] / sum end
    cdf[n] = 1
    math.randomseed(seed * 1000 + tid)
    local random, floor = math.random, math.floor
    local built = {} -- requests formatted on an id's first draw and kept: the busy ids cost a lookup
    next_request = function()
      local u, lo, hi = random(), 1, n
      while lo < hi do -- the first rank whose cdf reaches u
        local mid = floor((lo + hi) / 2)
        if cdf[mid] < u then lo = mid + 1 else hi = mid end
      end
      local req = built[lo]
      if not req then
        req = wrk.format(nil, nil, { ["X-User-Id"] = prefix .. lo })
        built[lo] = req
      end
      return req
    end
  else
    error("users.lua: mode must be pool, fresh or zipf, was " .. tostring(mode))
  end
end

function request()
  return next_request()
end

s200, s429, s403, sother = 0, 0, 0, 0
if os.getenv("WRK_COUNT_STATUS") == "1" then
  function response(status, headers, body)
    if status == 200 then s200 = s200 + 1
    elseif status == 429 then s429 = s429 + 1
    elseif status == 403 then s403 = s403 + 1
    else sother = sother + 1 end
  end
end

function done(summary, latency, requests)
  local c200, c429, c403, cother = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    c200 = c200 + (t:get("s200") or 0)
    c429 = c429 + (t:get("s429") or 0)
    c403 = c403 + (t:get("s403") or 0)
    cother = cother + (t:get("sother") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d sockerr=%d s200=%d s429=%d s403=%d sother=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout, c200, c429, c403, cother))
end
