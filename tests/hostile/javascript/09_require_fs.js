// attempts: require('fs')
// expect: require is not defined
// limit_s: 5
async function run(bot) {
  return require('fs').readFileSync('{CANARY}', 'utf8')
}
