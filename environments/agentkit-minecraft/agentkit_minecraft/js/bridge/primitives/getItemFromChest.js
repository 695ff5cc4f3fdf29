'use strict'
// getItemFromChest(bot, items): take {name: count} from the nearest chest within 32 blocks.

const { checkBot } = require('./util')
const { parseArgs, findChest, transferItems, OUT_OF_CHEST, CHEST_RADIUS } = require('./chest_util')

async function getItemFromChest (ctx, bot, a, b) {
  checkBot(bot, 'getItemFromChest', 'bot, items')
  const { position, items } = parseArgs('getItemFromChest', a, b)
  const block = await findChest(ctx, bot, 'getItemFromChest', position, false)
  if (!block) return ctx.fail('getItemFromChest', `No chest within ${CHEST_RADIUS} blocks`)
  const problems = await transferItems(ctx, bot, block, items, OUT_OF_CHEST)
  if (!problems.length) return true
  return ctx.fail('getItemFromChest', `Not everything was taken: ${problems.join('; ')}`)
}

module.exports = getItemFromChest
