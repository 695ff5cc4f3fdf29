// attempts: grow an array until memory runs out
// expect: memory limit 128 MB exceeded
// limit_s: 15
// timeout_s: 10
async function run(bot) {
  const a = []
  while (true) a.push('x'.repeat(1000) + a.length)
}
