'use strict'
// getItemFromChest(bot, items): take {name: count} from the nearest chest within 32 blocks.

const { checkBot, fmt } = require('./util')
const { parseArgs, contents, findChest, withChest, CHEST_RADIUS } = require('./chest_util')

async function getItemFromChest (ctx, bot, a, b) {
  checkBot(bot, 'getItemFromChest', 'bot, items')
  const { position, items } = parseArgs('getItemFromChest', a, b)
  const block = await findChest(ctx, bot, 'getItemFromChest', position, false)
  if (!block) return ctx.fail('getItemFromChest', `No chest within ${CHEST_RADIUS} blocks`)
  const problems = []
  const miss = (text) => problems.push(text)
  await withChest(ctx, bot, block, async (chest) => {
    for (const [name, want] of Object.entries(items)) {
      const item = bot.registry.itemsByName[name]
      if (!item) { miss(`No item named ${name}`); continue }
      const available = contents(chest)[name] || 0
      if (available === 0) { miss(`I don't see ${name} in this chest`); continue }
      const n = Math.min(available, Math.floor(want))
      if (n < want) miss(`Not enough ${name} in chest: taking ${n} of ${want}`)
      try {
        await ctx.within(chest.withdraw(item.id, null, n), 10000, `taking ${name} took too long`)
        ctx.say(`Took ${n} ${name} from the chest at ${fmt(block.position)}`)
      } catch (err) {
        ctx.check()
        miss(`Could not take ${name}: ${err.message}`)
      }
    }
  })
  if (!problems.length) return true
  return ctx.fail('getItemFromChest', `Not everything was taken: ${problems.join('; ')}`)
}

module.exports = getItemFromChest
