// attempts: read the secret from process.env
// expect: process is not defined
// limit_s: 5
async function run(bot) {
  return process.env['{SECRET_ENV}']
}
