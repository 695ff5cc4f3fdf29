// attempts: the AsyncFunction constructor of the entry function
// expect: Cannot read properties of undefined|is not defined|is not a function
// limit_s: 5
async function run(bot) {
  const AsyncFunction = run.constructor
  return (await AsyncFunction('return process')()).env
}
