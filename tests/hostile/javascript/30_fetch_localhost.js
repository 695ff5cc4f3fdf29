// attempts: fetch a localhost port
// expect: fetch is not defined
// limit_s: 5
async function run(bot) {
  return await fetch('http://127.0.0.1:{PORT}/')
}
