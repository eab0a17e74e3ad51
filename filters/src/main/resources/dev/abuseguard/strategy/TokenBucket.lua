-- Twin of TokenBucket.java
-- includes: DrainingMeter.lua
-- uses from decide-head.lua: limit, window
-- defines decide(raw): allowed, remaining, reset after ms, retry after ms, delay ms
-- defines refund(raw): remaining, reset after ms (gives back one admitted request)
local function decide(raw)
  return meter_admit(raw, (limit - 1) * window, false)
end

local function refund(raw)
  return meter_refund(raw, (limit - 1) * window)
end
