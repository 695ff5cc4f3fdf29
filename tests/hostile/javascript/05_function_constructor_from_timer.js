// attempts: setTimeout's constructor chain (timers are host-backed)
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
async function run(bot) {
  return setTimeout.constructor('return process')().env
}
