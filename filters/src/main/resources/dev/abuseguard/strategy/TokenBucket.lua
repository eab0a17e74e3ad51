-- Twin of TokenBucket.java
local function decide(raw)
  return meter_admit(raw, (limit - 1) * window, false)
end
