-- Blocks one user (admin ban), keeping score and history. KEYS: 1 abuse record.
-- ARGV: 1 duration ms (0 = until unbanned), 2 retention ms. Returns {score, blocked_until}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local duration, retention = tonumber(ARGV[1]), tonumber(ARGV[2])
local score, violations, last_at, last_action = 0, 0, 0, ''
local stored = redis.call('GET', KEYS[1])
if stored then
  local s, _, v, l, a = string.match(stored, '^(%d+):(-?%d+):(%d+):(%d+):(.*)$')
  score, violations, last_at, last_action = tonumber(s), tonumber(v), tonumber(l), a
end
local blocked_until = -2
local ttl = retention
if duration > 0 then
  blocked_until = now + duration
  ttl = math.max(retention, duration)
end
redis.call('SET', KEYS[1], string.format('%d:%d:%d:%d:%s', score, blocked_until, violations, last_at, last_action),
  'PX', ttl)
return {score, blocked_until}
