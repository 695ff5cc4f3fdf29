// attempts: the constructor of an object the host returned
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
async function run(bot) {
  const e = bot.entity
  return e.position.constructor.constructor('return process')().env
}
