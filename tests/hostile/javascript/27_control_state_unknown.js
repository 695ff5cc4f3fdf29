// attempts: an unknown control state
// expect: unknown control
// limit_s: 5
async function run(bot) {
  bot.setControlState('constructor', true)
}
