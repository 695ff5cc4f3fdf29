// attempts: return a 40 MB string, copied whole out of the isolate into the bridge
// expect: return value is over 1000000 characters
// limit_s: 10
async function run(bot) {
  return 'x'.repeat(40 * 2 ** 20)
}
