-- Keeps the index of the users who have overrides, which every instance reads whole to copy the overrides
-- for its fallback: a user stays listed while their overrides hash lives, at most ARGV[4] users (those whose
-- hash ends soonest leave first), and the index lives as long as its longest-lived entry.
-- includes: nothing
-- KEYS: 1 the index (sorted set user -> when the user's hash expires, ms).
-- ARGV: 1 user, 2 ms the user's hash still lives (<= 0: gone, the user leaves the index), 3 now ms,
--       4 most users listed. Returns how many users are listed.
local user, left, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if left > 0 then
  redis.call('ZADD', KEYS[1], now + left, user)
  redis.call('PEXPIRE', KEYS[1], math.max(left, redis.call('PTTL', KEYS[1])))
else
  redis.call('ZREM', KEYS[1], user)
end
local listed = redis.call('ZCARD', KEYS[1])
local over = listed - tonumber(ARGV[4])
if over > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1)
  listed = listed - over
end
return listed
