// attempts: await the host forever, one tick at a time
// expect: timed out
// limit_s: 5
async function run(bot) {
  while (true) await bot.waitForTicks(1)
}
