'use strict'
// depositItemIntoChest(bot, items): put {name: count} into the nearest chest within 32
// blocks, placing a chest from the inventory when there is none.

const { checkBot } = require('./util')
const { parseArgs, findChest, transferItems, INTO_CHEST, CHEST_RADIUS } = require('./chest_util')

async function depositItemIntoChest (ctx, bot, a, b) {
  checkBot(bot, 'depositItemIntoChest', 'bot, items')
  const { position, items } = parseArgs('depositItemIntoChest', a, b)
  const block = await findChest(ctx, bot, 'depositItemIntoChest', position, true)
  if (!block) return ctx.fail('depositItemIntoChest', `No chest within ${CHEST_RADIUS} blocks and none in inventory; place one first`)
  const problems = await transferItems(ctx, bot, block, items, INTO_CHEST)
  if (!problems.length) return true
  return ctx.fail('depositItemIntoChest', `Not everything was deposited: ${problems.join('; ')}`)
}

module.exports = depositItemIntoChest
