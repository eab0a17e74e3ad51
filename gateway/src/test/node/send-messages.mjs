// Run by DiscordRestClientEndToEndTest: a real Discord REST client (@discordjs/rest) sends COUNT messages, one
// after the other, through the gateway as one user, pacing itself from the gateway's X-RateLimit-* headers
// as it does from Discord's. Prints one JSON line with what the client saw.
import { REST } from '@discordjs/rest';

const [api, userId, countArg] = process.argv.slice(2);
const count = Number(countArg);
const rest = new REST({ api, version: '10', retries: 0, timeout: 10_000, headers: { 'X-User-Id': userId } })
  .setToken('abuse-guard-test-token');

const seen = { statuses: {}, responses: 0, tooManyRequests: 0, rateLimited: [], buckets: [], errors: [] };
rest.on('response', (request, response) => {
  seen.responses++;
  seen.statuses[response.status] = (seen.statuses[response.status] ?? 0) + 1;
  if (response.status === 429) seen.tooManyRequests++;
  const bucket = response.headers.get('x-ratelimit-bucket');
  if (bucket && !seen.buckets.includes(bucket)) seen.buckets.push(bucket);
});
rest.on('rateLimited', (info) => {
  seen.rateLimited.push({ timeToReset: info.timeToReset, limit: info.limit, global: info.global, hash: info.hash });
});

const started = Date.now();
let sent = 0;
for (let i = 0; i < count; i++) {
  try {
    await rest.post('/channels/1/messages', { body: { content: `message ${i}` } });
    sent++;
  } catch (error) {
    seen.errors.push(String(error?.message ?? error));
  }
}
console.log(JSON.stringify({ ...seen, succeeded: sent, elapsedMillis: Date.now() - started }));
