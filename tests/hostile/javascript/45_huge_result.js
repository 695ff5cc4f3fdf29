// attempts: return a value far too large to send back
// expect: Invalid string length|memory limit
// limit_s: 15
// timeout_s: 10
async function run(bot) {
  const a = []
  for (let i = 0; i < 2000000; i++) a.push({ i, s: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' })
  return a
}
