-- Redis server time in epoch milliseconds, the one clock every instance shares, so that instances with skewed
-- clocks agree on every window.
-- includes: nothing
local function server_now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
