// attempts: open a WebSocket / XMLHttpRequest to localhost
// expect: is not defined
// limit_s: 5
async function run(bot) {
  const x = new XMLHttpRequest()
  x.open('GET', 'http://127.0.0.1:{PORT}/')
}
