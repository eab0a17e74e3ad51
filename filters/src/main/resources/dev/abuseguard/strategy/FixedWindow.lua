-- Twin of FixedWindow.java. State: 'window_start:count'.
-- includes: nothing
-- uses from decide-head.lua: now, limit, window, persist, KEYS[2]
-- defines decide(raw): allowed, remaining, reset after ms, retry after ms, delay ms
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
  if persist then
    redis.call('SET', KEYS[2], string.format('%d:%d', start, count + 1), 'PX', until_next)
  end
  return true, limit - count - 1, until_next, 0, 0
end
