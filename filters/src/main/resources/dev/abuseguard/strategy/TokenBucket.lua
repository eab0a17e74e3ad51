-- Twin of TokenBucket.java
-- includes: DrainingMeter.lua
-- uses from decide-head.lua: limit, window
-- defines decide(raw): allowed, remaining, reset after ms, retry after ms, delay ms
local function decide(raw)
  return meter_admit(raw, (limit - 1) * window, false)
end
