'use strict'
// Shared by depositItemIntoChest and getItemFromChest: their arguments ({name: count}, or
// Voyager's (chestPosition, {name: count})), finding the chest (the nearest within 32
// blocks), opening it and moving the items either way; what the chest holds afterwards is
// remembered for the observation's `chests`.

const { toVec3, isPosition, nearestBlock, countItem, gotoBlock, fmt } = require('./util')
const { posKey, CHEST_NAMES } = require('../observation')
const placeItem = require('./placeItem')

const CHEST_RADIUS = 32

function parseArgs (primitive, a, b) {
  let position = null
  let items = a
  if (isPosition(a) && b !== undefined) { position = toVec3(a).floored(); items = b }
  if (typeof items === 'string') items = { [items]: 1 }
  if (!items || typeof items !== 'object' || Array.isArray(items)) {
    throw new Error(`${primitive}(bot, items): items must be an object {name: count}`)
  }
  for (const [name, count] of Object.entries(items)) {
    if (typeof count !== 'number' || !(count > 0)) throw new Error(`${primitive}: the count for ${name} must be a positive number`)
  }
  return { position, items }
}

function contents (window) {
  const out = {}
  for (const it of window.containerItems()) out[it.name] = (out[it.name] || 0) + it.count
  return out
}

async function findChest (ctx, bot, primitive, position, mayPlace) {
  if (position) {
    const b = bot.blockAt(position)
    if (!b || !CHEST_NAMES.has(b.name)) throw new Error(`No chest at ${fmt(position)}, it is ${b ? b.name : 'not loaded'}`)
    return b
  }
  let b = nearestBlock(bot, [...CHEST_NAMES], CHEST_RADIUS)
  if (!b && mayPlace && countItem(bot, 'chest') > 0) {
    ctx.say('No chest nearby: placing one from my inventory')
    if (await placeItem(ctx, bot, 'chest')) b = nearestBlock(bot, [...CHEST_NAMES], CHEST_RADIUS)
  }
  return b
}

async function withChest (ctx, bot, block, fn) {
  await gotoBlock(ctx, bot, block.position, 'the chest')
  const window = await ctx.within(bot.openContainer(block), 10000, 'opening the chest took too long')
  try {
    return await fn(window)
  } finally {
    try {
      ctx.session.chests.set(posKey(block.position), { position: block.position.clone(), items: contents(window) })
    } catch (e) { /* ignore */ }
    try { window.close() } catch (e) { /* already closed */ }
  }
}

// Moves each {name: count} of `items` one `way` (into or out of the chest at `block`); the
// shortfalls and failures, as sentences (empty: everything moved).
async function transferItems (ctx, bot, block, items, way) {
  const problems = []
  await withChest(ctx, bot, block, async (chest) => {
    for (const [name, want] of Object.entries(items)) {
      const item = bot.registry.itemsByName[name]
      if (!item) { problems.push(`No item named ${name}`); continue }
      const have = way.available(bot, chest, name)
      if (have === 0) { problems.push(way.none(name)); continue }
      const n = Math.min(have, Math.floor(want))
      if (n < want) problems.push(`Not enough ${name} ${way.from}: ${way.verb} ${n} of ${want}`)
      try {
        await ctx.within(way.move(chest, item.id, n), 10000, `${way.verb} ${name} took too long`)
        ctx.say(way.done(n, name, fmt(block.position)))
      } catch (err) {
        ctx.check()
        problems.push(`Could not ${way.infinitive} ${name}: ${err.message}`)
      }
    }
  })
  return problems
}

const INTO_CHEST = {
  from: 'in inventory',
  verb: 'depositing',
  infinitive: 'deposit',
  available: (bot, chest, name) => countItem(bot, name),
  none: (name) => `No ${name} in inventory`,
  move: (chest, id, n) => chest.deposit(id, null, n),
  done: (n, name, where) => `Deposited ${n} ${name} into the chest at ${where}`
}

const OUT_OF_CHEST = {
  from: 'in chest',
  verb: 'taking',
  infinitive: 'take',
  available: (bot, chest, name) => contents(chest)[name] || 0,
  none: (name) => `I don't see ${name} in this chest`,
  move: (chest, id, n) => chest.withdraw(id, null, n),
  done: (n, name, where) => `Took ${n} ${name} from the chest at ${where}`
}

module.exports = { parseArgs, contents, findChest, withChest, transferItems, INTO_CHEST, OUT_OF_CHEST, CHEST_RADIUS }
