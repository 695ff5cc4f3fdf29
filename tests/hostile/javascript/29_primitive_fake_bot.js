// attempts: call a primitive with a bot of its own making
// expect: the first argument must be bot
// limit_s: 5
async function run(bot) {
  await mineBlock({ entity: {}, inventory: {} }, 'oak_log', 1)
}
