// attempts: call the host's async callback directly
// expect: __hostAsync is not defined
// limit_s: 5
async function run(bot) {
  return __hostAsync(1, 'primitive', '["chat", "x"]')
}
