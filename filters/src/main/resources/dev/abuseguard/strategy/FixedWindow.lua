-- Twin of FixedWindow.java. State: 'window_start:count'.
-- includes: nothing
-- uses from decide-head.lua: now, limit, window, KEYS[2]
-- defines decide(raw): allowed, remaining, reset after ms, retry after ms, delay ms
-- defines refund(raw): remaining, reset after ms (gives back one admitted request)
local function decide(raw)
  local start = now - (now % window)
  local until_next = start + window - now
  local count = 0
  if raw then
    local s, c = string.match(raw, '^(%d+):(%d+)$')
    if tonumber(s) == start then count = tonumber(c) end
  end
  if count >= limit then
    return false, 0, until_next, until_next, 0
  end
  redis.call('SET', KEYS[2], string.format('%d:%d', start, count + 1), 'PX', until_next)
  return true, limit - count - 1, until_next, 0, 0
end

local function refund(raw)
  local start = now - (now % window)
  local until_next = start + window - now
  local count = 0
  if raw then
    local s, c = string.match(raw, '^(%d+):(%d+)$')
    if tonumber(s) == start then count = math.max(0, tonumber(c) - 1) end
  end
  if count > 0 then
    redis.call('SET', KEYS[2], string.format('%d:%d', start, count), 'PX', until_next)
  else
    redis.call('DEL', KEYS[2])
  end
  return limit - count, until_next
end
