'use strict'
// Helpers shared by the primitives: argument checks, names, inventory, movement.

const { Vec3 } = require('vec3')
const { goals } = require('mineflayer-pathfinder')

const fmt = (p) => `(${Math.floor(p.x)}, ${Math.floor(p.y)}, ${Math.floor(p.z)})`

function checkBot (bot, primitive, signature) {
  if (!bot || typeof bot !== 'object' || !bot.entity || !bot.inventory) {
    throw new Error(`${primitive}(${signature}): the first argument must be bot`)
  }
}

function checkName (value, primitive, what = 'name') {
  if (typeof value !== 'string' || !value) throw new Error(`${what} for ${primitive} must be a string`)
  return value.replace(/^minecraft:/, '')
}

function checkCount (value, primitive, what = 'count', max = 4096) {
  if (value === undefined || value === null) return 1
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
    throw new Error(`${what} for ${primitive} must be a positive number`)
  }
  return Math.min(Math.floor(value), max)
}

function editDistance (a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length]
}

// Names close to `name` (few edits, or sharing its words), to suggest in "No X named" errors.
function similarNames (names, name, n = 3) {
  const words = name.split('_').filter((w) => w.length > 2)
  const scored = []
  for (const candidate of names) {
    const d = editDistance(name, candidate)
    const shared = words.filter((w) => candidate.split('_').includes(w)).length
    if (d <= Math.max(2, Math.floor(name.length / 3)) || shared) scored.push([d - 2 * shared, candidate])
  }
  return scored.sort((a, b) => a[0] - b[0]).slice(0, n).map((s) => s[1])
}

function itemByName (bot, name, primitive) {
  const item = bot.registry.itemsByName[name]
  if (!item) {
    const close = similarNames(Object.keys(bot.registry.itemsByName), name)
    throw new Error(`No item named ${name}${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`)
  }
  return item
}

function blockByName (bot, name) {
  const block = bot.registry.blocksByName[name]
  if (!block) {
    const hints = []
    if (bot.registry.blocksByName[`${name}_ore`]) hints.push(`${name}_ore`)
    if (name.startsWith('raw_') && bot.registry.blocksByName[`${name.slice(4)}_ore`]) hints.push(`${name.slice(4)}_ore`)
    if (name === 'wood' || name === 'log') hints.push('oak_log')
    const close = similarNames(Object.keys(bot.registry.blocksByName), name)
    for (const c of close) if (!hints.includes(c)) hints.push(c)
    throw new Error(`No block named ${name}${hints.length ? ` (did you mean ${hints.slice(0, 3).join(', ')}?)` : ''}`)
  }
  return block
}

function countItem (bot, name) {
  let n = 0
  for (const item of bot.inventory.items()) if (item.name === name) n += item.count
  return n
}

function inventoryCounts (bot) {
  const counts = {}
  for (const item of bot.inventory.items()) counts[item.name] = (counts[item.name] || 0) + item.count
  return counts
}

function gainedText (before, after) {
  const parts = []
  for (const [name, count] of Object.entries(after)) {
    const d = count - (before[name] || 0)
    if (d > 0) parts.push(`${d} ${name}`)
  }
  return parts.join(', ')
}

// {x,y,z} (or [x,y,z]) -> Vec3, or null.
function toVec3 (p) {
  if (p == null) return null
  if (Array.isArray(p) && p.length === 3 && p.every((v) => typeof v === 'number')) return new Vec3(p[0], p[1], p[2])
  if (typeof p === 'object' && ['x', 'y', 'z'].every((k) => typeof p[k] === 'number' && Number.isFinite(p[k]))) {
    return new Vec3(p.x, p.y, p.z)
  }
  return null
}

function isPosition (p) { return toVec3(p) !== null }

function nearestBlock (bot, names, maxDistance = 32) {
  const ids = []
  for (const n of [].concat(names)) {
    const b = bot.registry.blocksByName[n]
    if (b) ids.push(b.id)
  }
  if (!ids.length) return null
  return bot.findBlock({ matching: ids, maxDistance })
}

// Stops what the bot is doing (pathing, digging, fighting, windows, controls).
function stopBot (bot) {
  const tryIt = (f) => { try { f() } catch (e) { /* best effort */ } }
  tryIt(() => bot.pathfinder && bot.pathfinder.stop())
  tryIt(() => bot.pathfinder && bot.pathfinder.setGoal(null))
  tryIt(() => { if (bot.targetDigBlock) bot.stopDigging() })
  tryIt(() => bot.pvp && bot.pvp.target && bot.pvp.stop())
  tryIt(() => bot.collectBlock && bot.collectBlock.targets && bot.collectBlock.targets.clear())
  tryIt(() => bot.clearControlStates())
  tryIt(() => { if (bot.currentWindow) bot.closeWindow(bot.currentWindow) })
}

// pathfinder.goto with a time limit (paths can loop) that also stops on cancellation.
async function goto (ctx, bot, goal, what = 'there') {
  const target = goal.x !== undefined && goal.z !== undefined ? new Vec3(goal.x, goal.y ?? bot.entity.position.y, goal.z) : null
  const dist = target ? target.distanceTo(bot.entity.position) : 32
  const ms = Math.round(15000 + dist * 1500)
  try {
    await ctx.within(bot.pathfinder.goto(goal), ms, `could not get to ${what} within ${Math.round(ms / 1000)} s`, () => {
      try { bot.pathfinder.stop(); bot.pathfinder.setGoal(null) } catch (e) { /* ignore */ }
    })
  } catch (err) {
    ctx.check()
    const msg = err && err.message ? err.message : String(err)
    throw new Error(msg.startsWith('could not') ? msg : `could not get to ${what}: ${msg}`)
  }
}

// Walks until the bot can reach `position` (a block) with its hand.
async function gotoBlock (ctx, bot, position, what) {
  if (bot.entity.position.distanceTo(position.offset(0.5, 0.5, 0.5)) <= 4) return
  await goto(ctx, bot, new goals.GoalNear(position.x, position.y, position.z, 3), what || fmt(position))
}

module.exports = {
  fmt,
  checkBot,
  checkName,
  checkCount,
  itemByName,
  blockByName,
  countItem,
  inventoryCounts,
  gainedText,
  toVec3,
  isPosition,
  nearestBlock,
  stopBot,
  goto,
  gotoBlock
}
