-- Twin of SlidingWindowCounter.java. State: 'window_start:previous:current'.
-- includes: nothing
-- uses from decide-head.lua: now, limit, window, ceil_div, KEYS[2]
-- defines decide(raw): allowed, remaining, reset after ms, retry after ms, delay ms
-- defines refund(raw): remaining, reset after ms (gives back the newest admission)
-- Every product stays below limit x window < 2^50 (Quota), so these doubles stay exact integers.

-- twin of seenFrom: the window that holds now, and the counts as seen from it
local function window_pair(raw)
  local start = now - (now % window)
  if raw then
    local s, p, c = string.match(raw, '^(%d+):(%d+):(%d+)$')
    if s then
      s, p, c = tonumber(s), math.min(tonumber(p), limit), math.min(tonumber(c), limit)
      if s == start then return start, p, c end
      if s == start - window then return start, c, 0 end
    end
  end
  return start, 0, 0
end

local function counted(start, previous, current)
  return current + ceil_div(previous * (window - (now - start)), window)
end

local function until_forgotten(start, previous, current)
  if current > 0 then return start + 2 * window - now end
  if previous > 0 then return start + window - now end
  return 0
end

local function first_offset_where_share_is_at_most(count, allowed)
  if count <= allowed then return 0 end
  return ceil_div((count - allowed) * window, count)
end

local function retry_after(start, previous, current)
  local elapsed = now - start
  if current < limit then
    return first_offset_where_share_is_at_most(previous, limit - 1 - current) - elapsed
  end
  return window - elapsed + first_offset_where_share_is_at_most(current, limit - 1)
end

local function keep(start, previous, current, ttl)
  redis.call('SET', KEYS[2], string.format('%d:%d:%d', start, previous, current), 'PX', string.format('%d', ttl))
end

local function decide(raw)
  local start, previous, current = window_pair(raw)
  local count = counted(start, previous, current)
  if count >= limit then
    return false, 0, until_forgotten(start, previous, current), retry_after(start, previous, current), 0
  end
  local ttl = start + 2 * window - now
  keep(start, previous, current + 1, ttl)
  return true, limit - count - 1, ttl, 0, 0
end

local function refund(raw)
  local start, previous, current = window_pair(raw)
  if current > 0 then
    current = current - 1
  else
    previous = math.max(0, previous - 1)
  end
  local ttl = until_forgotten(start, previous, current)
  if ttl > 0 then
    keep(start, previous, current, ttl)
  else
    redis.call('DEL', KEYS[2])
  end
  return math.max(0, limit - counted(start, previous, current)), ttl
end
