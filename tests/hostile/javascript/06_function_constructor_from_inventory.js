// attempts: bot.inventory.items's constructor chain
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
async function run(bot) {
  return bot.inventory.items.constructor('return require')()('fs').readFileSync('{CANARY}', 'utf8')
}
