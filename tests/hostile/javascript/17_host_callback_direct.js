// attempts: call the host's raw callback with an operation of its own
// expect: __host is not defined
// limit_s: 5
async function run(bot) {
  return __host('say', '["hello"]')
}
