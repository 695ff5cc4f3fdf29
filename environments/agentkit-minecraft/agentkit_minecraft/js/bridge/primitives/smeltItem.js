'use strict'
// smeltItem(bot, name, fuel = "coal", count = 1): smelt `count` of the item `name` (the
// input, e.g. raw_iron) in a furnace within 32 blocks, placing one from the inventory if
// there is none.
//
// The fuel is counted, as in the game: a furnace smelts one item in 200 ticks (10 s; the
// furnace tells its own time) and a fuel burns for its vanilla time (coal 1600 ticks = 8
// items, planks and logs 300 = 1.5 items, a stick 100). All the input goes in at once with
// enough fuel for all of it (less what is still burning), and the output is taken when done.

const { checkBot, checkName, checkCount, itemByName, nearestBlock, countItem, gotoBlock } = require('./util')
const { fuelTicks } = require('../../server/lib/smelting') // vanilla burn times, shared with the test server
const placeItem = require('./placeItem')

const FURNACE_RADIUS = 32
const DEFAULT_COOK_TICKS = 200
const TICK_MS = 50

// Results an agent may confuse with inputs: iron_ingot -> raw_iron, ...
function inputHint (bot, name) {
  const base = name.replace(/_ingot$/, '')
  for (const c of [`raw_${base}`, name.replace(/^cooked_/, ''), `${base}_ore`]) {
    if (c !== name && bot.registry.itemsByName[c] && countItem(bot, c) > 0) return ` (smeltItem takes the item to smelt: did you mean ${c}?)`
  }
  return ''
}

async function waitFor (ctx, cond, ms) {
  const end = Date.now() + ms
  while (!cond() && Date.now() < end) await ctx.sleep(50)
  return cond()
}

async function smeltItem (ctx, bot, name, fuel = 'coal', count = 1) {
  checkBot(bot, 'smeltItem', 'bot, name, fuel, count')
  name = checkName(name, 'smeltItem')
  fuel = checkName(fuel ?? 'coal', 'smeltItem', 'fuel')
  count = checkCount(count, 'smeltItem', 'count', 64)
  const input = itemByName(bot, name, 'smeltItem')
  const fuelItem = itemByName(bot, fuel, 'smeltItem')
  const burn = fuelTicks(fuel)
  if (countItem(bot, name) < 1) return ctx.fail('smeltItem', `No ${name} to smelt in inventory${inputHint(bot, name)}`)
  if (!(burn > 0)) return ctx.fail('smeltItem', `${fuel} is not a fuel; use coal, charcoal, planks, logs or sticks`)
  if (countItem(bot, fuel) < 1) return ctx.fail('smeltItem', `No ${fuel} as fuel in inventory`)
  const requested = count
  const held = countItem(bot, name)
  if (held < count) {
    ctx.say(`I have only ${held} ${name}; smelting ${held}`)
    count = held
  }

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
    await waitFor(ctx, () => furnace.totalProgress !== null, 1000) // the furnace's properties follow the window
    const cookTicks = furnace.totalProgress || DEFAULT_COOK_TICKS

    // Make room: what was smelted before, and an input of another kind, go to the inventory.
    if (furnace.outputItem()) await ctx.within(furnace.takeOutput(), 5000, 'taking the output from the furnace took too long')
    const in0 = furnace.inputItem()
    if (in0 && in0.type !== input.id) await ctx.within(furnace.takeInput(), 5000, 'taking the input from the furnace took too long')
    const already = furnace.inputItem() ? furnace.inputItem().count : 0

    // Fuel: what still burns, what waits in the fuel slot, and ours for the rest.
    const burning = furnace.fuel && furnace.totalFuel ? Math.floor(furnace.fuel * furnace.totalFuel) : 0
    const slot = furnace.fuelItem()
    const waiting = slot ? fuelTicks(slot.name) * slot.count : 0
    const needTicks = (count + already) * cookTicks - burning - waiting
    let fuelCount = Math.max(0, Math.ceil(needTicks / burn))
    if (fuelCount > 0 && slot && slot.type !== fuelItem.id) {
      return ctx.fail('smeltItem', `The furnace's fuel slot holds ${slot.count} ${slot.name}, not enough for ${count} ${name}; smelt with ${slot.name} as fuel`)
    }
    const haveFuel = countItem(bot, fuel)
    if (fuelCount > haveFuel) {
      const can = Math.floor((haveFuel * burn + burning + waiting) / cookTicks) - already
      if (can < 1) return ctx.fail('smeltItem', `Not enough ${fuel}: smelting ${count} ${name} needs ${fuelCount} ${fuel}, I have ${haveFuel}`)
      ctx.say(`${haveFuel} ${fuel} smelt only ${can} ${name}; smelting ${can}`)
      count = can
      fuelCount = haveFuel
    }
    if (fuelCount > 0) {
      await ctx.within(furnace.putFuel(fuelItem.id, null, fuelCount), 5000, 'putting fuel in the furnace took too long')
    }
    await ctx.within(furnace.putInput(input.id, null, count), 5000, 'putting the input in the furnace took too long')

    // Wait for the output; give up when nothing moved for two items' time.
    const total = count + already
    const stallMs = 2 * cookTicks * TICK_MS + 5000
    let lastCount = 0
    let lastChange = Date.now()
    for (;;) {
      await ctx.sleep(250)
      const out = furnace.outputItem()
      const n = out ? out.count : 0
      if (n !== lastCount) { lastCount = n; lastChange = Date.now() }
      if (n >= total || (!furnace.inputItem() && n > 0)) break
      if (Date.now() - lastChange > stallMs) break
    }
    const out = furnace.outputItem()
    if (out) {
      output = out.name
      done = Math.min(out.count, total)
      await ctx.within(furnace.takeOutput(), 5000, 'taking the output from the furnace took too long')
    }
    if (done < total && furnace.inputItem()) {
      const left = furnace.inputItem().count
      await ctx.within(furnace.takeInput(), 5000, 'taking the input from the furnace took too long')
      ctx.say(`The furnace stopped smelting; I took back ${left} ${name}`)
    }
    done = Math.min(done, count)
  } finally {
    try { furnace.close() } catch (e) { /* already closed */ }
  }
  if (done === 0) return ctx.fail('smeltItem', `Failed to smelt ${name}, please check the fuel and input.`)
  ctx.say(`Smelted ${done} ${name}${output ? ` into ${output}` : ''}`)
  if (done < requested) return ctx.fail('smeltItem', `Smelted only ${done} of ${requested} ${name}`)
  return true
}

module.exports = smeltItem
