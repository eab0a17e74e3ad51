-- Twin of LeakyBucket.java
local function decide(raw)
  return meter_admit(raw, math.min((limit - 1) * window, max_delay * limit), true)
end
