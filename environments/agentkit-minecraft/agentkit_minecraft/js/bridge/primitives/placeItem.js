'use strict'
// placeItem(bot, name, position = null): place `name` from the inventory at `position`
// ({x, y, z} or Vec3), or on free ground next to the bot when no position is given.

const { Vec3 } = require('vec3')
const { goals } = require('mineflayer-pathfinder')
const { checkBot, checkName, itemByName, toVec3, goto, fmt } = require('./util')

const REPLACEABLE = new Set(['air', 'cave_air', 'void_air', 'water', 'lava', 'grass', 'short_grass',
  'tall_grass', 'fern', 'large_fern', 'snow', 'dead_bush', 'seagrass', 'tall_seagrass', 'vine',
  'glow_lichen', 'light', 'structure_void'])
// Reference faces in Voyager's order: the block below first, so the new block sits on it.
const FACES = [new Vec3(0, 1, 0), new Vec3(0, -1, 0), new Vec3(1, 0, 0), new Vec3(-1, 0, 0),
  new Vec3(0, 0, 1), new Vec3(0, 0, -1)]
const REACH = 4.5

const replaceable = (block) => block && REPLACEABLE.has(block.name)
const solid = (block) => block && block.boundingBox === 'block' && !REPLACEABLE.has(block.name)

function intersectsEntity (bot, cell) {
  for (const e of Object.values(bot.entities)) {
    if (!e || !e.position || e.type === 'object' || e.type === 'orb' || e.name === 'item') continue
    const w = (e.width || 0.6) / 2
    const h = e.height || 1.8
    const p = e.position
    if (p.x + w > cell.x && p.x - w < cell.x + 1 && p.z + w > cell.z && p.z - w < cell.z + 1 &&
        p.y + h > cell.y && p.y < cell.y + 1) return true
  }
  return false
}

// A free cell on solid ground near the bot (about 2 blocks away, reachable, not occupied).
function findSpot (bot) {
  const base = bot.entity.position.floored()
  const cells = []
  for (let dx = -3; dx <= 3; dx++) {
    for (let dz = -3; dz <= 3; dz++) {
      const h = Math.hypot(dx, dz)
      if (h < 1 || h > 3.2) continue
      for (const dy of [0, -1, 1]) cells.push({ cell: base.offset(dx, dy, dz), score: Math.abs(h - 2) + Math.abs(dy) * 0.5 })
    }
  }
  cells.sort((a, b) => a.score - b.score)
  for (const { cell } of cells) {
    if (!replaceable(bot.blockAt(cell)) || !solid(bot.blockAt(cell.offset(0, -1, 0)))) continue
    if (intersectsEntity(bot, cell)) continue
    return cell
  }
  return null
}

async function placeItem (ctx, bot, name, position = null) {
  checkBot(bot, 'placeItem', 'bot, name, position')
  name = checkName(name, 'placeItem')
  itemByName(bot, name, 'placeItem')
  const item = bot.inventory.items().find((it) => it.name === name)
  if (!item) return ctx.fail('placeItem', `No ${name} in inventory`)

  let target
  if (position !== null && position !== undefined) {
    const v = toVec3(position)
    if (!v) throw new Error('position for placeItem must be a Vec3 or {x, y, z}')
    target = v.floored()
  } else {
    target = findSpot(bot)
    if (!target) return ctx.fail('placeItem', `No free spot on solid ground next to me to place ${name}; move or give a position`)
  }
  const current = bot.blockAt(target)
  if (!current) return ctx.fail('placeItem', `${fmt(target)} is too far away (not loaded)`)
  if (!replaceable(current)) {
    return ctx.fail('placeItem', `There is already ${current.name} at ${fmt(target)}; choose another position`)
  }
  let reference = null
  let face = null
  for (const f of FACES) {
    const b = bot.blockAt(target.minus(f))
    if (solid(b)) { reference = b; face = f; break }
  }
  if (!reference) {
    return ctx.fail('placeItem', `No block to place ${name} on at ${fmt(target)}. You cannot place a floating block.`)
  }
  if (intersectsEntity(bot, target)) {
    return ctx.fail('placeItem', `Something is standing at ${fmt(target)}; choose another position`)
  }

  const center = target.offset(0.5, 0.5, 0.5)
  if (bot.entity.position.offset(0, 1.62, 0).distanceTo(center) > REACH) {
    try {
      await goto(ctx, bot, new goals.GoalPlaceBlock(target, bot.world, { range: 4 }), fmt(target))
    } catch (err) {
      ctx.check()
      return ctx.fail('placeItem', `Error placing ${name}: ${err.message}; please find another position to place`)
    }
  }
  const countBefore = item.count
  try {
    await ctx.race(bot.equip(item, 'hand'))
    await ctx.within(bot.placeBlock(reference, face), 8000, `placing ${name} took too long`)
  } catch (err) {
    ctx.check()
    const placed = bot.blockAt(target)
    if (!placed || replaceable(placed)) {
      const still = bot.inventory.items().filter((it) => it.name === name).reduce((s, it) => s + it.count, 0)
      if (still >= countBefore) {
        return ctx.fail('placeItem', `Error placing ${name}: ${err.message}; please find another position to place`)
      }
    }
  }
  const placed = bot.blockAt(target)
  if (!placed || replaceable(placed)) {
    return ctx.fail('placeItem', `Error placing ${name}: the block at ${fmt(target)} is still ${placed ? placed.name : 'unknown'}`)
  }
  ctx.say(`Placed ${name} at ${fmt(target)}`)
  return true
}

module.exports = placeItem
module.exports.findSpot = findSpot
