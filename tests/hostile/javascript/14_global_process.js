// attempts: globalThis.process
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
async function run(bot) {
  return globalThis.process.env['{SECRET_ENV}']
}
