// attempts: bot.constructor.constructor('return process')() and write a file with the host's fs
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
async function run(bot) {
  const p = bot.constructor.constructor('return process')()
  p.mainModule.require('fs').writeFileSync('{OUTSIDE}/pwned', 'x')
}
