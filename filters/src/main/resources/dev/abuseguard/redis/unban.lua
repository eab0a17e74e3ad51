-- Lifts a user's block or ban, keeping score and history. KEYS: 1 abuse record.
-- Returns the score, or -1 when the user has no record.
-- includes: abuse-record.lua
local stored = redis.call('GET', KEYS[1])
if not stored then return -1 end
local score, _, violations, last_at, last_action, blocks = read_abuse(stored)
redis.call('SET', KEYS[1], format_abuse(score, 0, violations, last_at, last_action, blocks), 'KEEPTTL')
return score
