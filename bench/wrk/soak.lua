-- wrk script for bench/soak.sh: the soak's steady mix, paced.
--
-- Out of every 10 requests: 6 allowed (/soak, 5,000 users), 2 on a tight limit (/tight, 200 users: 200s, then
-- 429s, blocks and 403s), 1 without X-User-Id (400), 1 admin read (with SOAK_ADMIN_TOKEN). Each connection
-- waits SOAK_PACE_MS between requests. done() prints one line: RESULT key=value ...

local threads = {}
local admin = { "/admin/api/stats", "/admin/api/trends?minutes=5", "/admin/api/offenders?minutes=60",
                "/admin/api/users?limit=20", "/admin/api/limits" }
local token = os.getenv("SOAK_ADMIN_TOKEN") or ""
local pace = tonumber(os.getenv("SOAK_PACE_MS") or "10")

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local n = 0
function request()
  n = n + 1
  local k = n % 10
  if k < 6 then
    return wrk.format("GET", "/soak/x", { ["X-User-Id"] = "u" .. math.random(5000) })
  elseif k < 8 then
    return wrk.format("GET", "/tight/x", { ["X-User-Id"] = "t" .. math.random(200) })
  elseif k < 9 then
    return wrk.format("GET", "/soak/x", {})
  end
  return wrk.format("GET", admin[math.floor(n / 10) % #admin + 1], { ["Authorization"] = "Bearer " .. token })
end

function delay()
  return pace
end

s200, s400, s401, s403, s429, sother = 0, 0, 0, 0, 0, 0
function response(status, headers, body)
  if status == 200 then s200 = s200 + 1
  elseif status == 400 then s400 = s400 + 1
  elseif status == 401 then s401 = s401 + 1
  elseif status == 403 then s403 = s403 + 1
  elseif status == 429 then s429 = s429 + 1
  else sother = sother + 1 end
end

function done(summary, latency, requests)
  local c = { s200 = 0, s400 = 0, s401 = 0, s403 = 0, s429 = 0, sother = 0 }
  for _, t in ipairs(threads) do
    for name, _ in pairs(c) do c[name] = c[name] + (t:get(name) or 0) end
  end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d p99_us=%d max_us=%d timeouts=%d sockerr=%d s200=%d s400=%d s401=%d "
      .. "s403=%d s429=%d sother=%d\n", summary.requests, latency:percentile(99), latency.max, e.timeout,
      e.connect + e.read + e.write, c.s200, c.s400, c.s401, c.s403, c.s429, c.sother))
end
