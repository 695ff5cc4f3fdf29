// attempts: arguments.callee.caller / f.caller to climb to a host frame
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
function g () { return g.caller }
async function run(bot) {
  const c = g()
  return c.constructor('return process')().env
}
