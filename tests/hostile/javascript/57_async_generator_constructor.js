// attempts: the AsyncGeneratorFunction constructor reached from an async generator, to compile code that sees the host
// expect: process is not defined
// limit_s: 5
async function run(bot) {
  const AsyncGen = (async function * () {}).constructor
  const gen = new AsyncGen('yield process.mainModule.require("fs").writeFileSync("{OUTSIDE}/pwned", "x")')()
  await gen.next()
}
