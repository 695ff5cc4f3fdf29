'use strict'
// mineBlock(bot, name, count = 1): find, path to, dig and collect `count` blocks of `name`
// within 32 blocks (mineflayer-collectblock, which equips the best tool via mineflayer-tool).

const { checkBot, checkName, checkCount, blockByName, inventoryCounts, gainedText, fmt } = require('./util')

const SEARCH_RADIUS = 32
const PER_BLOCK_MS = 45000

function toolNames (bot, block) {
  if (!block.harvestTools) return []
  return Object.keys(block.harvestTools).map((id) => bot.registry.items[id] && bot.registry.items[id].name).filter(Boolean)
}

async function mineBlock (ctx, bot, name, count = 1) {
  checkBot(bot, 'mineBlock', 'bot, name, count')
  name = checkName(name, 'mineBlock')
  count = checkCount(count, 'mineBlock', 'count', 256)
  const block = blockByName(bot, name)

  const tools = toolNames(bot, block)
  if (tools.length && !bot.inventory.items().some((it) => block.harvestTools[it.type])) {
    const cheapest = tools.find((t) => t.startsWith('wooden_')) || tools.find((t) => t.startsWith('stone_')) ||
      tools.find((t) => t.startsWith('iron_')) || tools[0]
    return ctx.fail('mineBlock', `I cannot mine ${name} without a tool that can harvest it: I need a ${cheapest} or better`)
  }

  const before = inventoryCounts(bot)
  const skipped = new Set()
  let mined = 0
  let attempts = 0
  let seenAny = false
  while (mined < count && attempts < count + 6) {
    ctx.check()
    const positions = bot.findBlocks({ matching: block.id, maxDistance: SEARCH_RADIUS, count: 64 })
      .filter((p) => !skipped.has(p.toString()))
    if (!positions.length) break
    seenAny = true
    const target = bot.blockAt(positions[0])
    if (!target) { skipped.add(positions[0].toString()); continue }
    attempts++
    try {
      await ctx.within(bot.collectBlock.collect(target, { ignoreNoPath: true }), PER_BLOCK_MS,
        `mining ${name} at ${fmt(target.position)} took longer than ${PER_BLOCK_MS / 1000} s`, () => {
          try { bot.collectBlock.cancelTask() } catch (e) { /* ignore */ }
          try { bot.pathfinder.stop(); bot.pathfinder.setGoal(null) } catch (e) { /* ignore */ }
          try { if (bot.targetDigBlock) bot.stopDigging() } catch (e) { /* ignore */ }
        })
    } catch (err) {
      ctx.check()
      ctx.say(`Could not mine ${name} at ${fmt(target.position)}: ${err.message || err}`)
    }
    const now = bot.blockAt(target.position)
    if (now && now.type !== block.id) mined++
    else skipped.add(target.position.toString())
  }

  const gained = gainedText(before, inventoryCounts(bot))
  if (!seenAny && mined === 0) {
    return ctx.fail('mineBlock', `No ${name} within ${SEARCH_RADIUS} blocks; try exploreUntil first`)
  }
  const got = gained ? `; collected ${gained}` : '; nothing was picked up'
  if (mined < count) {
    return ctx.fail('mineBlock', `Mined only ${mined} of ${count} ${name}${got}`)
  }
  if (!gained && block.drops && block.drops.length) {
    return ctx.fail('mineBlock', `Mined ${mined} ${name} but nothing was picked up`)
  }
  ctx.say(`Mined ${mined} ${name}${got}`)
  return true
}

module.exports = mineBlock
