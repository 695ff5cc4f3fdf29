// attempts: an error message shaped like a stack frame, 280 KB on one line: the bridge's frame regex backtracks on it for half a minute, in the host, where the deadline cannot stop it
// expect: \(1:1:1
// limit_s: 5
async function run(bot) {
  throw new Error('\n    at ' + ' (1:1:1'.repeat(40000) + '!')
}
