// attempts: print forever
// expect: timed out
// limit_s: 5
async function run(bot) {
  while (true) console.log('flood '.repeat(100))
}
