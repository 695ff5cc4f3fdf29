// attempts: one enormous line without a newline
// expect: flooded
// limit_s: 5
async function run(bot) {
  console.log('x'.repeat(50 * 1024 * 1024))
  throw new Error('flooded')
}
