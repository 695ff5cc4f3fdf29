// attempts: an endless chain of awaited microtasks
// expect: timed out
// limit_s: 5
async function run(bot) {
  while (true) await null
}
