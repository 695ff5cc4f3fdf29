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
    // A goal reached along a partial path leaves the A* search running (pathfinder 2.4.5),
    // eating the CPU for up to thinkTimeout: clearing the goal ends it.
    bot.pathfinder.setGoal(null)
  } catch (err) {
    ctx.check()
    const msg = err && err.message ? err.message : String(err)
    throw new Error(msg.startsWith('could not') ? msg : `could not get to ${what}: ${msg}`)
  }
}

// Walks until the bot can reach `position` (a block) with its hand.
async function gotoBlock (ctx, bot, position, what) {
  if (eyePosition(bot).distanceTo(position.offset(0.5, 0.5, 0.5)) <= REACH - 0.5) return
  await goto(ctx, bot, new goals.GoalNear(position.x, position.y, position.z, 3), what || fmt(position))
}

// -- reach, sight and footing (vanilla survival: blocks within 4.5 of the eyes, seen, not through walls)

const REACH = 4.5
// Up first (Voyager's order): placeItem tries the block below a cell first.
const FACES = [new Vec3(0, 1, 0), new Vec3(0, -1, 0), new Vec3(1, 0, 0), new Vec3(-1, 0, 0),
  new Vec3(0, 0, 1), new Vec3(0, 0, -1)]

const eyePosition = (bot) => bot.entity.position.offset(0, bot.entity.eyeHeight || 1.62, 0)
const isSolid = (block) => Boolean(block && block.boundingBox === 'block')

// A face of `block` the bot sees from where it stands, within reach: {face, point}, or null.
function visibleFace (bot, block, reach = REACH) {
  const eye = eyePosition(bot)
  const center = block.position.offset(0.5, 0.5, 0.5)
  if (eye.distanceTo(center) > reach + 0.9) return null
  let best = null
  for (const face of FACES) {
    if (isSolid(bot.blockAt(block.position.plus(face)))) continue // covered
    const point = center.plus(face.scaled(0.5))
    const toEye = eye.minus(point)
    if (toEye.dot(face) <= 0.05) continue // faces away from the eyes
    const d = toEye.norm()
    if (d > reach) continue
    const hit = bot.world.raycast(eye, point.minus(eye).normalize(), reach + 1)
    if (hit && hit.position.equals(block.position) && (!best || d < best.d)) best = { face, point, d }
  }
  return best
}

// The first solid block between the eyes and `block` (what hides it), or null.
function blockerOf (bot, block) {
  const eye = eyePosition(bot)
  const center = block.position.offset(0.5, 0.5, 0.5)
  const hit = bot.world.raycast(eye, center.minus(eye).normalize(), eye.distanceTo(center) + 1)
  if (!hit || hit.position.equals(block.position)) return null
  return hit
}

// Whether the bot stands on the block at `pos` (its top just under the feet, under the body).
function supportsBot (bot, pos) {
  const p = bot.entity.position
  const w = (bot.entity.width || 0.6) / 2
  const top = pos.y + 1
  if (top > p.y + 0.01 || top < p.y - 0.6) return false
  return p.x + w > pos.x && p.x - w < pos.x + 1 && p.z + w > pos.z && p.z - w < pos.z + 1
}

// Waits (at most `ms`) until the bot stands on the ground: digging in the air takes 5 times longer.
async function waitOnGround (ctx, bot, ms = 1500) {
  const end = Date.now() + ms
  while (!bot.entity.onGround && !bot.entity.isInWater && Date.now() < end) await ctx.sleep(50)
}

// The movements every primitive uses: digging, 1x1 towers and bridges of dirt (or netherrack)
// to climb out of holes, never breaking the blocks a bot needs (crafting tables, furnaces,
// chests). Not cobblestone, pathfinder's other default: it is what the bot mines for tools and
// a furnace, and towers silently ate it (without dirt the bot digs steps up instead).
function makeMovements (bot) {
  const { Movements } = require('mineflayer-pathfinder')
  const movements = new Movements(bot)
  movements.canDig = true
  movements.allow1by1towers = true
  movements.allowParkour = false // parkour jumps across gaps are the moves that fail most
  movements.scafoldingBlocks = ['dirt', 'netherrack']
    .map((n) => bot.registry.itemsByName[n]).filter(Boolean).map((i) => i.id)
  for (const n of ['crafting_table', 'furnace', 'chest', 'trapped_chest', 'barrel', 'ender_chest']) {
    const b = bot.registry.blocksByName[n]
    if (b) movements.blocksCantBreak.add(b.id)
  }
  return movements
}

// Used by the pathfinder and by the plugins that set their own when they start (mineflayer-pvp
// in killMob; mineflayer-collectblock, which also relaxes two of its flags, gets a copy).
const MOVEMENTS = new WeakMap()

function setupMovements (bot) {
  const movements = makeMovements(bot)
  MOVEMENTS.set(bot, movements)
  bot.pathfinder.setMovements(movements)
  bot.pathfinder.thinkTimeout = 10000 // the A* search's whole budget (it runs in 40 ms slices per tick)
  if (bot.pvp) bot.pvp.movements = movements
  if (bot.collectBlock) bot.collectBlock.movements = makeMovements(bot)
  return movements
}

// After mineflayer-collectblock has put its own in place.
function restoreMovements (bot) {
  const movements = MOVEMENTS.get(bot)
  if (movements && bot.pathfinder.movements !== movements) bot.pathfinder.setMovements(movements)
}

// mineflayer-pathfinder 2.4.5 builds a 1x1 tower by jumping and placing the block under itself
// as soon as its feet are above the block below: still inside the cell it places into, which
// the server refuses (vanilla too: the player is in the way), so every step waited 5 s for a
// block update and retried, often planning the retry from mid-air against a block that is not
// there. Here a placement into the cell the bot is rising out of waits (a few ticks) until its
// feet have cleared that cell and then looks at once (a player's jump-and-place), and a
// placement against air fails at once (the pathfinder then plans again from the ground).
function guardTowerPlacement (bot) {
  const original = bot.placeBlock
  bot.placeBlock = async function (referenceBlock, faceVector) {
    const ref = referenceBlock && referenceBlock.position ? bot.blockAt(referenceBlock.position) : null
    if (ref && /(^|_)air$/.test(ref.name)) throw new Error(`there is no block at ${fmt(ref.position)} to place against`)
    const target = referenceBlock.position.plus(faceVector)
    const p = bot.entity.position
    const w = (bot.entity.width || 0.6) / 2
    const inColumn = p.x + w > target.x && p.x - w < target.x + 1 && p.z + w > target.z && p.z - w < target.z + 1
    if (!inColumn || p.y < target.y || p.y >= target.y + 1) return original.call(this, referenceBlock, faceVector)
    // (the pathfinder holds jump while it places: a bot that has landed jumps again)
    for (let i = 0; i < 30 && bot.entity.position.y < target.y + 1; i++) {
      if (bot.entity.onGround && !bot.getControlState('jump')) break // not jumping after all
      await bot.waitForTicks(1)
    }
    return bot._placeBlockWithOptions(referenceBlock, faceVector, { swingArm: 'right', forceLook: true })
  }
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
  gotoBlock,
  REACH,
  FACES,
  eyePosition,
  isSolid,
  visibleFace,
  blockerOf,
  supportsBot,
  waitOnGround,
  setupMovements,
  restoreMovements,
  guardTowerPlacement
}
