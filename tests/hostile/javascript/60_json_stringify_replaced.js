// attempts: replace JSON.stringify so that the prelude hands the host a non-string (a structured clone of an object with a toString of the program's choosing) as a call's arguments
// expect: Cannot convert object to primitive value|is not valid JSON
// limit_s: 5
async function run(bot) {
  JSON.stringify = () => ({ toString: 'not a function', length: 1e9 })
  bot.blockAt(new Vec3(0, 0, 0))
}
