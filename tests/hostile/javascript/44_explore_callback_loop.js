// attempts: an exploreUntil callback that never returns (the host calls it synchronously)
// expect: timed out
// limit_s: 8
async function run(bot) {
  return await exploreUntil(bot, new Vec3(1, 0, 1), 60, () => { while (true) {} })
}
