// attempts: this.constructor.constructor to reach process
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
async function run(bot) {
  const p = this.constructor.constructor('return process')()
  return p.env['{SECRET_ENV}']
}
