-- Twin of DrainingMeter.java: the arithmetic the token and leaky buckets share. State: 'last_ms:level'.
-- includes: nothing
-- uses from decide-head.lua: now, limit, window, persist, ceil_div, KEYS[2]
local function meter_admit(raw, allowed_level, delays)
  local level = 0
  if raw then
    local last, stored_level = string.match(raw, '^(%d+):(%d+)$')
    local elapsed = math.max(0, now - tonumber(last))
    if elapsed < window then
      level = math.max(0, tonumber(stored_level) - elapsed * limit)
    end
  end
  if level > allowed_level then
    return false, 0, ceil_div(level, limit), ceil_div(level - allowed_level, limit), 0
  end
  local new_level = level + window
  local until_empty = ceil_div(new_level, limit)
  if persist then
    redis.call('SET', KEYS[2], string.format('%d:%d', now, new_level), 'PX', until_empty)
  end
  local delay = 0
  if delays then delay = ceil_div(level, limit) end
  return true, math.floor((allowed_level - level) / window), until_empty, 0, delay
end
