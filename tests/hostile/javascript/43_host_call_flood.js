// attempts: call the host synchronously in an endless loop
// expect: timed out
// limit_s: 5
async function run(bot) {
  while (true) bot.inventory.items()
}
