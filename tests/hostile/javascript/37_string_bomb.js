// attempts: one huge string
// expect: Invalid string length|memory limit
// limit_s: 15
async function run(bot) {
  let s = 'x'
  while (true) s = s + s
}
