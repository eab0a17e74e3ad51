-- Twin of SlidingWindow.java. State: a sorted set of admission times (members 'time:seq').
-- includes: nothing
-- uses from decide-head.lua: now, limit, window, persist, KEYS[2]
-- defines decide(raw): allowed, remaining, reset after ms, retry after ms, delay ms
local function decide(raw)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%d', now - window))
  local count = redis.call('ZCARD', KEYS[2])
  if count >= limit then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    local newest = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
    return false, 0, tonumber(newest[2]) + window - now, tonumber(oldest[2]) + window - now, 0
  end
  if persist then
    redis.call('ZADD', KEYS[2], now, string.format('%d:%d', now, count))
    redis.call('PEXPIRE', KEYS[2], window)
  end
  return true, limit - count - 1, window, 0, 0
end
