-- The cross-user indexes on the {idx} slot, kept true and bounded (twin of CrossUserIndex.java):
--   scores  zset user -> score, plus BLOCKED_RANK while the user is blocked and BAN_RANK while banned, so that
--           the lowest scores leave first when the index is full, blocked users after them and bans last, and
--           lists show them first
--   blocked zset user -> when the block ends (+inf until lifted)
--   expiry  zset user -> when the user's record expires; an entry whose record is gone leaves every index
-- includes: nothing
local BLOCKED_RANK = 1e12
local BAN_RANK = 2e12

-- drops what has expired, at most `max` entries of each kind; a block that ended keeps the user, unranked
local function prune_index(scores, blocked, expiry, now, max)
  local gone = redis.call('ZRANGEBYSCORE', expiry, '-inf', now, 'LIMIT', 0, max)
  for _, user in ipairs(gone) do
    redis.call('ZREM', scores, user)
    redis.call('ZREM', blocked, user)
    redis.call('ZREM', expiry, user)
  end
  local ended = redis.call('ZRANGEBYSCORE', blocked, '-inf', now, 'LIMIT', 0, max)
  for _, user in ipairs(ended) do
    local ranked = tonumber(redis.call('ZSCORE', scores, user))
    if ranked and ranked >= BAN_RANK then redis.call('ZADD', scores, ranked - BAN_RANK, user)
    elseif ranked and ranked >= BLOCKED_RANK then redis.call('ZADD', scores, ranked - BLOCKED_RANK, user) end
    redis.call('ZREM', blocked, user)
  end
end

-- keeps at most `max_users` users: the lowest ranked leave (blocked users, ranked higher, last)
local function bound_index(scores, blocked, expiry, max_users)
  local over = redis.call('ZCARD', scores) - max_users
  if over > 0 then
    local evicted = redis.call('ZPOPMIN', scores, over)
    for i = 1, #evicted, 2 do
      redis.call('ZREM', blocked, evicted[i])
      redis.call('ZREM', expiry, evicted[i])
    end
  end
end
