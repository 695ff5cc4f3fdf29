// attempts: pollute Object.prototype so the host's objects change
// expect: pollution stays in the isolate
// limit_s: 5
async function run(bot) {
  Object.prototype.polluted = 'yes'
  Array.prototype.polluted = 'yes'
  bot.inventory.items()
  throw new Error('pollution stays in the isolate')
}
