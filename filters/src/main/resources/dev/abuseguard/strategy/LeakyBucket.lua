-- Twin of LeakyBucket.java
-- includes: DrainingMeter.lua
-- uses from decide-head.lua: limit, window, max_delay
-- defines decide(raw): allowed, remaining, reset after ms, retry after ms, delay ms
-- defines refund(raw): remaining, reset after ms (gives back one admitted request)
local function decide(raw)
  return meter_admit(raw, math.min((limit - 1) * window, max_delay * limit), true)
end

local function refund(raw)
  return meter_refund(raw, math.min((limit - 1) * window, max_delay * limit))
end
