'use strict'
// placeItem(bot, name, position = null): place `name` from the inventory at `position`
// ({x, y, z} or Vec3), or next to the bot when no position is given: on free ground, else
// against a wall, else (in a 1x1 hole) under its own feet.

const { Vec3 } = require('vec3')
const { goals } = require('mineflayer-pathfinder')
// FACES in Voyager's order: cell.minus(FACES[0]) is the block below, so a new block sits on it.
const { checkBot, checkName, itemByName, toVec3, goto, fmt, eyePosition, REACH, FACES } = require('./util')

const REPLACEABLE = new Set(['air', 'cave_air', 'void_air', 'water', 'lava', 'grass', 'short_grass',
  'tall_grass', 'fern', 'large_fern', 'snow', 'dead_bush', 'seagrass', 'tall_seagrass', 'vine',
  'glow_lichen', 'light', 'structure_void'])

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

// The block to place against for `cell` (below first, as placeBlock below will) and whether
// the bot sees that face from where it stands, within reach: it places only what it could
// place by hand, never through a wall.
function referenceFor (bot, cell) {
  for (const f of FACES) {
    const ref = bot.blockAt(cell.minus(f))
    if (solid(ref)) return { ref, face: f }
  }
  return null
}

function seesFace (bot, cell, { ref, face }) {
  const eye = eyePosition(bot)
  const point = cell.offset(0.5, 0.5, 0.5).minus(face.scaled(0.5))
  if (eye.minus(point).dot(face) <= 0.05 || eye.distanceTo(point) > REACH) return false
  const hit = bot.world.raycast(eye, point.minus(eye).normalize(), REACH + 1)
  return Boolean(hit && hit.position.equals(ref.position))
}

// A free cell near the bot to place a block in: on solid ground about 2 blocks away first,
// else any free cell with a solid block beside or above it (a wall of a pit or tunnel); always
// one whose supporting face the bot sees within reach. Null when there is none (then the bot
// can still place under itself: see below).
function findSpot (bot) {
  const base = bot.entity.position.floored()
  const ground = []
  const wall = []
  for (let dx = -3; dx <= 3; dx++) {
    for (let dz = -3; dz <= 3; dz++) {
      const h = Math.hypot(dx, dz)
      if (h < 1 || h > 3.2) continue // (not above the bot either: that would shut a hole it stands in)
      for (const dy of [0, -1, 1, 2]) {
        const cell = base.offset(dx, dy, dz)
        if (!replaceable(bot.blockAt(cell)) || intersectsEntity(bot, cell)) continue
        const support = referenceFor(bot, cell)
        if (!support || !seesFace(bot, cell, support)) continue
        if (support.face.y === 1) {
          ground.push({ cell, score: Math.abs(h - 2) + Math.abs(dy) * 0.5 + (dy === 2 ? 3 : 0) })
        } else {
          wall.push({ cell, score: h + Math.abs(dy - 0.5) })
        }
      }
    }
  }
  for (const list of [ground, wall]) {
    list.sort((a, b) => a.score - b.score)
    if (list.length) return list[0].cell
  }
  return null
}

// In a 1x1 hole there is no free cell but the bot's own: it jumps and places the block under
// its feet (a block of a 1x1 tower), and ends up standing on it.
function canPlaceUnderSelf (bot) {
  const feet = bot.entity.position.floored()
  return bot.entity.onGround && solid(bot.blockAt(feet.offset(0, -1, 0))) && replaceable(bot.blockAt(feet)) &&
    replaceable(bot.blockAt(feet.offset(0, 1, 0))) && replaceable(bot.blockAt(feet.offset(0, 2, 0)))
}

async function placeUnderSelf (ctx, bot, item, name) {
  const feet = bot.entity.position.floored()
  const reference = bot.blockAt(feet.offset(0, -1, 0))
  try {
    await ctx.race(bot.equip(item, 'hand'))
    bot.setControlState('jump', true)
    await ctx.within(bot.placeBlock(reference, new Vec3(0, 1, 0)), 8000, `placing ${name} took too long`)
  } catch (err) {
    ctx.check()
  } finally {
    bot.setControlState('jump', false)
  }
  const placed = bot.blockAt(feet)
  if (!placed || replaceable(placed)) {
    return ctx.fail('placeItem', `Error placing ${name} under me at ${fmt(feet)}; please move or give a position`)
  }
  ctx.say(`Placed ${name} at ${fmt(feet)} (under me: there was no free spot around)`)
  return true
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
    if (!target) {
      if (canPlaceUnderSelf(bot)) return placeUnderSelf(ctx, bot, item, name)
      return ctx.fail('placeItem', `No free spot next to me to place ${name}; move or give a position`)
    }
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
