-- The per-user abuse record, 'score:blocked_until:violations:last_at:last_action[:blocks]' (twin of
-- AbuseRecordFormat.java). blocked_until: 0 not blocked, -1 until lifted, -2 banned until unbanned, else
-- epoch ms. blocks: the automatic blocks while the record is kept (growing bans), written only when not 0, so
-- a record from before growing bans reads as 0 blocks. Action names never hold ':'.
-- includes: nothing

-- score, blocked_until, violations, last_at, last_action, blocks of a stored record; zeros and '' for none
local function read_abuse(raw)
  if not raw then return 0, 0, 0, 0, '', 0 end
  local s, b, v, l, a = string.match(raw, '^(%d+):(-?%d+):(%d+):(%d+):(.*)$')
  local action, blocks = string.match(a, '^([^:]*):(%d+)$')
  if not action then action, blocks = a, 0 end
  return tonumber(s), tonumber(b), tonumber(v), tonumber(l), action, tonumber(blocks)
end

local function format_abuse(score, blocked_until, violations, last_at, last_action, blocks)
  if blocks and blocks > 0 then
    return string.format('%d:%d:%d:%d:%s:%d', score, blocked_until, violations, last_at, last_action, blocks)
  end
  return string.format('%d:%d:%d:%d:%s', score, blocked_until, violations, last_at, last_action)
end
