// attempts: replace JSON.stringify to send crafted arguments to the host
// expect: must be a Vec3|must be a number|unknown
// limit_s: 5
async function run(bot) {
  JSON.stringify = () => '[{"x": "../../etc/passwd"}]'
  return bot.blockAt(new Vec3(0, 0, 0))
}
