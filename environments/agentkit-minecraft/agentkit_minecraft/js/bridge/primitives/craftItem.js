'use strict'
// craftItem(bot, name, count = 1): do the recipe for `name` `count` times (Voyager's
// meaning of count), in the 2x2 inventory grid or at a crafting table within 32 blocks. A
// recipe that needs a table when none is within 32 blocks (or the bot cannot get to it) uses
// the crafting table the bot carries, placed next to it.
// Missing ingredients are listed: "I cannot make X because I need: 2 more stick, ...".

const { checkBot, checkName, checkCount, itemByName, nearestBlock, countItem, gotoBlock } = require('./util')
const placeItem = require('./placeItem')

const TABLE_RADIUS = 32

function have (bot, id) {
  return bot.inventory.count(id, null)
}

// [{name, count}] still missing to do `recipe` `times` times.
function missingFor (bot, recipe, times) {
  const out = []
  for (const d of recipe.delta) {
    if (d.count >= 0) continue
    const need = -d.count * times
    const lack = need - have(bot, d.id)
    if (lack > 0) out.push({ name: bot.registry.items[d.id].name, count: lack })
  }
  return out
}

function possibleTimes (bot, recipe) {
  let times = Infinity
  for (const d of recipe.delta) {
    if (d.count >= 0) continue
    times = Math.min(times, Math.floor(have(bot, d.id) / -d.count))
  }
  return times === Infinity ? 0 : times
}

const missingText = (missing) => missing.map((m) => `${m.count} more ${m.name}`).join(', ')

// The recipe with the fewest missing ingredients (ties: oak first, as a beginner has oak).
function bestRecipe (bot, recipes, times) {
  let best = null
  for (const recipe of recipes) {
    const missing = missingFor(bot, recipe, times)
    const total = missing.reduce((s, m) => s + m.count, 0)
    const oak = recipe.delta.some((d) => d.count < 0 && bot.registry.items[d.id].name.startsWith('oak_')) ? 0 : 1
    const key = [total, oak]
    if (!best || key[0] < best.key[0] || (key[0] === best.key[0] && key[1] < best.key[1])) best = { recipe, missing, key }
  }
  return best
}

async function craftItem (ctx, bot, name, count = 1) {
  checkBot(bot, 'craftItem', 'bot, name, count')
  name = checkName(name, 'craftItem')
  count = checkCount(count, 'craftItem', 'count', 576)
  const item = itemByName(bot, name, 'craftItem')

  const all = bot.recipesAll(item.id, null, true)
  if (!all.length) {
    return ctx.fail('craftItem', `${name} has no crafting recipe; mine, smelt or find it instead`)
  }
  let table = nearestBlock(bot, 'crafting_table', TABLE_RADIUS)
  const holdsTable = () => countItem(bot, 'crafting_table') > 0
  if (!table && holdsTable() && !bot.recipesAll(item.id, null, null).length) {
    // Only a table will do, and the bot carries one: put it down here.
    if (!await placeItem(ctx, bot, 'crafting_table')) {
      return ctx.fail('craftItem', `I cannot make ${name}: it needs a crafting table and I could not place mine`)
    }
    table = nearestBlock(bot, 'crafting_table', TABLE_RADIUS)
  }
  const usable = bot.recipesAll(item.id, null, table)
  if (!usable.length) {
    const best = bestRecipe(bot, all, count)
    const also = best.missing.length ? ` I also need: ${missingText(best.missing)}` : ''
    return ctx.fail('craftItem', `I cannot make ${name}: it needs a crafting table and there is no crafting table within ${TABLE_RADIUS} blocks; place one first (placeItem(bot, "crafting_table")).${also}`)
  }

  const best = bestRecipe(bot, usable, count)
  let times = count
  if (best.missing.length) {
    const possible = possibleTimes(bot, best.recipe)
    if (possible < 1) {
      return ctx.fail('craftItem', `I cannot make ${name} because I need: ${missingText(best.missing)}`)
    }
    ctx.say(`I can do the recipe for ${name} only ${possible} of ${count} times; for all I need: ${missingText(best.missing)}`)
    times = possible
  }

  let useTable = best.recipe.requiresTable ? table : null
  if (useTable) {
    try {
      await gotoBlock(ctx, bot, useTable.position, 'the crafting table')
    } catch (err) {
      ctx.check()
      if (!holdsTable()) return ctx.fail('craftItem', `I cannot make ${name}: ${err.message}`)
      ctx.say(`${err.message}; I place the crafting table I carry instead`)
      if (!await placeItem(ctx, bot, 'crafting_table')) return ctx.fail('craftItem', `I cannot make ${name}: I could not place my crafting table`)
      useTable = nearestBlock(bot, 'crafting_table', 6)
      if (!useTable) return ctx.fail('craftItem', `I cannot make ${name}: I placed a crafting table but cannot see it`)
    }
  }
  const before = countItem(bot, name)
  try {
    await ctx.within(bot.craft(best.recipe, times, useTable), 10000 + 2000 * times,
      `crafting ${name} took too long`, () => { if (bot.currentWindow) bot.closeWindow(bot.currentWindow) })
  } catch (err) {
    ctx.check()
    return ctx.fail('craftItem', `I cannot do the recipe for ${name} ${times} times: ${err.message || err}`)
  }
  // The inventory update can trail the window close by a tick.
  for (let i = 0; i < 10 && countItem(bot, name) <= before; i++) await ctx.sleep(50)
  const after = countItem(bot, name)
  if (after <= before) {
    return ctx.fail('craftItem', `I did the recipe for ${name} ${times} times but got no ${name} (the server did not craft)`)
  }
  ctx.say(`I did the recipe for ${name} ${times} times; I now have ${after} ${name}`)
  return times === count
}

module.exports = craftItem
module.exports.missingFor = missingFor
