-- Twin of LeakyBucket.java
-- includes: DrainingMeter.lua
-- uses from decide-head.lua: limit, window, max_delay
-- defines decide(raw): allowed, remaining, reset after ms, retry after ms, delay ms
local function decide(raw)
  return meter_admit(raw, math.min((limit - 1) * window, max_delay * limit), true)
end
