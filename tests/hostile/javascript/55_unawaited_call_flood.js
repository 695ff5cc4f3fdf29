// attempts: start 5000 bot calls at once without awaiting each (every one is held by the bridge, outside the isolate's heap)
// expect: over 1000 bot calls at once
// limit_s: 5
async function run(bot) {
  const calls = []
  for (let i = 0; i < 5000; i++) calls.push(bot.waitForTicks(400))
  await Promise.all(calls)
}
