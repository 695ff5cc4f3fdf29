'use strict'
// smeltItem(bot, name, fuel = "coal", count = 1): smelt `count` of the item `name` (the
// input, e.g. raw_iron) in a furnace within 32 blocks, placing one from the inventory if
// there is none.

const { checkBot, checkName, checkCount, itemByName, nearestBlock, countItem, gotoBlock } = require('./util')
const placeItem = require('./placeItem')

const FURNACE_RADIUS = 32
const PER_ITEM_MS = 20000

// Results an agent may confuse with inputs: iron_ingot -> raw_iron, ...
function inputHint (bot, name) {
  const base = name.replace(/_ingot$/, '')
  for (const c of [`raw_${base}`, name.replace(/^cooked_/, ''), `${base}_ore`]) {
    if (c !== name && bot.registry.itemsByName[c] && countItem(bot, c) > 0) return ` (smeltItem takes the item to smelt: did you mean ${c}?)`
  }
  return ''
}

async function smeltItem (ctx, bot, name, fuel = 'coal', count = 1) {
  checkBot(bot, 'smeltItem', 'bot, name, fuel, count')
  name = checkName(name, 'smeltItem')
  fuel = checkName(fuel ?? 'coal', 'smeltItem', 'fuel')
  count = checkCount(count, 'smeltItem', 'count', 64)
  const input = itemByName(bot, name, 'smeltItem')
  const fuelItem = itemByName(bot, fuel, 'smeltItem')
  if (countItem(bot, name) < 1) return ctx.fail('smeltItem', `No ${name} to smelt in inventory${inputHint(bot, name)}`)
  if (countItem(bot, fuel) < 1) return ctx.fail('smeltItem', `No ${fuel} as fuel in inventory`)

  let furnaceBlock = nearestBlock(bot, 'furnace', FURNACE_RADIUS)
  if (!furnaceBlock) {
    if (countItem(bot, 'furnace') < 1) {
      return ctx.fail('smeltItem', `No furnace within ${FURNACE_RADIUS} blocks and none in inventory; craft one from 8 cobblestone at a crafting table`)
    }
    if (!await placeItem(ctx, bot, 'furnace')) return ctx.fail('smeltItem', 'I could not place a furnace')
    furnaceBlock = nearestBlock(bot, 'furnace', FURNACE_RADIUS)
    if (!furnaceBlock) return ctx.fail('smeltItem', 'I placed a furnace but cannot see it')
  }
  await gotoBlock(ctx, bot, furnaceBlock.position, 'the furnace')
  const furnace = await ctx.within(bot.openFurnace(furnaceBlock), 10000, 'opening the furnace took too long')
  let done = 0
  let output = null
  try {
    for (let i = 0; i < count; i++) {
      ctx.check()
      if (countItem(bot, name) < 1) { ctx.say(`No more ${name} to smelt in inventory`); break }
      if (!furnace.fuelItem() && !(furnace.fuel > 0)) {
        if (countItem(bot, fuel) < 1) { ctx.say(`No ${fuel} as fuel in inventory`); break }
        await ctx.within(furnace.putFuel(fuelItem.id, null, 1), 5000, 'putting fuel in the furnace took too long')
      }
      const before = furnace.outputItem() ? furnace.outputItem().count : 0
      await ctx.within(furnace.putInput(input.id, null, 1), 5000, 'putting the input in the furnace took too long')
      const started = Date.now()
      while (Date.now() - started < PER_ITEM_MS) {
        await ctx.sleep(250)
        const out = furnace.outputItem()
        if (out && out.count > before) break
      }
      const out = furnace.outputItem()
      if (!out || out.count <= before) {
        throw new Error(`${name} did not smelt within ${PER_ITEM_MS / 1000} s: is it smeltable, and is ${fuel} a fuel?`)
      }
      output = out.name
      await ctx.within(furnace.takeOutput(), 5000, 'taking the output from the furnace took too long')
      done++
    }
  } finally {
    try { furnace.close() } catch (e) { /* already closed */ }
  }
  if (done === 0) return ctx.fail('smeltItem', `Failed to smelt ${name}, please check the fuel and input.`)
  ctx.say(`Smelted ${done} ${name}${output ? ` into ${output}` : ''}`)
  return done === count
}

module.exports = smeltItem
