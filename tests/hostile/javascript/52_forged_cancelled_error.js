// attempts: throw a plain object named CancelledError (described by name, unclipped) with a 50 MB message
// expect: CancelledError: zzzz.*characters\)
// limit_s: 10
async function run(bot) {
  throw { name: 'CancelledError', message: 'z'.repeat(50 * 2 ** 20) }
}
