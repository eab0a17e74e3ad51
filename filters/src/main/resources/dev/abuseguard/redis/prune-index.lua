-- Drops what has expired from the cross-user indexes before the admin reads them, a bounded amount per call.
-- includes: server-time.lua, cross-user-index.lua
-- KEYS: 1 scores, 2 blocked, 3 expiry. ARGV: 1 now ms ('' = Redis TIME), 2 most entries of each kind to drop.
local now = tonumber(ARGV[1]) or server_now_ms()
prune_index(KEYS[1], KEYS[2], KEYS[3], now, tonumber(ARGV[2]))
return 0
