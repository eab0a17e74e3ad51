-- Twin of SlidingWindow.java. State: a sorted set of admission times (members 'time:seq').
-- includes: nothing
-- uses from decide-head.lua: now, limit, window, KEYS[2]
-- defines decide(raw): allowed, remaining, reset after ms, retry after ms, delay ms
-- defines refund(raw): remaining, reset after ms (gives back the newest admission)
local function decide(raw)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%d', now - window))
  local count = redis.call('ZCARD', KEYS[2])
  if count >= limit then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    local newest = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
    return false, 0, tonumber(newest[2]) + window - now, tonumber(oldest[2]) + window - now, 0
  end
  redis.call('ZADD', KEYS[2], now, string.format('%d:%d', now, count))
  redis.call('PEXPIRE', KEYS[2], window)
  return true, limit - count - 1, window, 0, 0
end

local function refund(raw)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%d', now - window))
  redis.call('ZPOPMAX', KEYS[2])
  return limit - redis.call('ZCARD', KEYS[2]), window
end
