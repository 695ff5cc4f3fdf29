// attempts: console.log's constructor chain
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
async function run(bot) {
  return console.log.constructor('return process')().mainModule
}
