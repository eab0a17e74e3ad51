-- Blocks one user (admin ban), keeping score and history. KEYS: 1 abuse record.
-- ARGV: 1 duration ms (0 = until unbanned), 2 retention ms, 3 now ms ('' = Redis TIME),
--       4 retention ms of a ban until unbanned.
-- Returns {score, blocked_until}.
-- includes: server-time.lua, abuse-record.lua
local now = tonumber(ARGV[3]) or server_now_ms()
local duration, retention = tonumber(ARGV[1]), tonumber(ARGV[2])
local score, _, violations, last_at, last_action, blocks = read_abuse(redis.call('GET', KEYS[1]))
local blocked_until = -2
local ttl = math.max(retention, tonumber(ARGV[4]))
if duration > 0 then
  blocked_until = now + duration
  ttl = math.max(retention, duration)
end
redis.call('SET', KEYS[1], format_abuse(score, blocked_until, violations, last_at, last_action, blocks), 'PX', ttl)
return {score, blocked_until}
