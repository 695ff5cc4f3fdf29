// attempts: a file path as a block name
// expect: No block named|must be
// limit_s: 5
async function run(bot) {
  await mineBlock(bot, '../../../../etc/passwd', 1)
}
