'use strict'
// depositItemIntoChest(bot, items): put {name: count} into the nearest chest within 32
// blocks, placing a chest from the inventory when there is none.

const { checkBot, countItem, fmt } = require('./util')
const { parseArgs, findChest, withChest, CHEST_RADIUS } = require('./chest_util')

async function depositItemIntoChest (ctx, bot, a, b) {
  checkBot(bot, 'depositItemIntoChest', 'bot, items')
  const { position, items } = parseArgs('depositItemIntoChest', a, b)
  const block = await findChest(ctx, bot, 'depositItemIntoChest', position, true)
  if (!block) return ctx.fail('depositItemIntoChest', `No chest within ${CHEST_RADIUS} blocks and none in inventory; place one first`)
  const problems = []
  const miss = (text) => problems.push(text)
  await withChest(ctx, bot, block, async (chest) => {
    for (const [name, want] of Object.entries(items)) {
      const item = bot.registry.itemsByName[name]
      if (!item) { miss(`No item named ${name}`); continue }
      const have = countItem(bot, name)
      if (have === 0) { miss(`No ${name} in inventory`); continue }
      const n = Math.min(have, Math.floor(want))
      if (n < want) miss(`Not enough ${name} in inventory: depositing ${n} of ${want}`)
      try {
        await ctx.within(chest.deposit(item.id, null, n), 10000, `depositing ${name} took too long`)
        ctx.say(`Deposited ${n} ${name} into the chest at ${fmt(block.position)}`)
      } catch (err) {
        ctx.check()
        miss(`Could not deposit ${name}: ${err.message}`)
      }
    }
  })
  if (!problems.length) return true
  return ctx.fail('depositItemIntoChest', `Not everything was deposited: ${problems.join('; ')}`)
}

module.exports = depositItemIntoChest
