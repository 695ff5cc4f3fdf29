// attempts: a 60 MB error message, which went whole into the step reply (feedback and error) past the 20,000-character output cap
// expect: xxxx\.\.\. \(62914560 characters\)
// limit_s: 10
async function run(bot) {
  throw new Error('x'.repeat(60 * 2 ** 20))
}
