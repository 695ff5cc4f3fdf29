// attempts: a primitive's constructor chain to reach process
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
async function run(bot) {
  const p = mineBlock.constructor.constructor('return process')()
  return p.binding('fs')
}
