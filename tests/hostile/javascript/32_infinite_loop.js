// attempts: a synchronous endless loop
// expect: timed out
// limit_s: 5
async function run(bot) {
  while (true) {}
}
