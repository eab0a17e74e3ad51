-- Twin of DrainingMeter.java: the arithmetic the token and leaky buckets share. State: 'last_ms:level'.
-- includes: nothing
-- uses from decide-head.lua: now, limit, window, ceil_div, KEYS[2]
local function meter_level(raw)
  local level = 0
  if raw then
    local last, stored_level = string.match(raw, '^(%d+):(%d+)$')
    local elapsed = math.max(0, now - tonumber(last))
    if elapsed < window then
      level = math.max(0, tonumber(stored_level) - elapsed * limit)
    end
  end
  return level
end

local function meter_admit(raw, allowed_level, delays)
  local level = meter_level(raw)
  if level > allowed_level then
    return false, 0, ceil_div(level, limit), ceil_div(level - allowed_level, limit), 0
  end
  local new_level = level + window
  local until_empty = ceil_div(new_level, limit)
  redis.call('SET', KEYS[2], string.format('%d:%d', now, new_level), 'PX', until_empty)
  local delay = 0
  if delays then delay = ceil_div(level, limit) end
  return true, math.floor((allowed_level - level) / window), until_empty, 0, delay
end

-- twin of DrainingMeter.refund: one request's weight off the meter; returns remaining, reset after ms
local function meter_refund(raw, allowed_level)
  local level = math.max(0, meter_level(raw) - window)
  local until_empty = ceil_div(level, limit)
  if level > 0 then
    redis.call('SET', KEYS[2], string.format('%d:%d', now, level), 'PX', until_empty)
  else
    redis.call('DEL', KEYS[2])
  end
  return math.floor((allowed_level - level) / window) + 1, until_empty
end
