-- Lifts a user's block or ban, keeping score and history. KEYS: 1 abuse record.
-- Returns the score, or -1 when the user has no record.
local stored = redis.call('GET', KEYS[1])
if not stored then return -1 end
local s, _, rest = string.match(stored, '^(%d+):(-?%d+):(.*)$')
redis.call('SET', KEYS[1], s .. ':0:' .. rest, 'KEEPTTL')
return tonumber(s)
