// attempts: a 0 ms interval that logs, then wait forever
// expect: timed out
// limit_s: 5
async function run(bot) {
  setInterval(() => console.log('tick'), 0)
  await new Promise(() => {})
}
