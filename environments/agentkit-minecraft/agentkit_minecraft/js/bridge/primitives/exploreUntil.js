'use strict'
// exploreUntil(bot, target, max_time_s = 60): walk in a random horizontal direction until
// a block or entity named `target` is within 32 blocks; returns it (a Block or an Entity).
// Voyager's form also works: exploreUntil(bot, new Vec3(1, 0, 1), 60, () => found).

const { goals } = require('mineflayer-pathfinder')
const { checkBot, checkName, toVec3, isPosition, fmt } = require('./util')

const SEE_RADIUS = 32

function finder (bot, name) {
  const block = bot.registry.blocksByName[name]
  const mob = bot.registry.entitiesByName[name]
  if (!block && !mob) throw new Error(`exploreUntil: ${name} is neither a block nor an entity name`)
  return () => {
    if (block) {
      const b = bot.findBlock({ matching: block.id, maxDistance: SEE_RADIUS })
      if (b) return b
    }
    if (mob) {
      return bot.nearestEntity((e) => e.name === name && e.position.distanceTo(bot.entity.position) <= SEE_RADIUS)
    }
    return null
  }
}

function randomDirection () {
  for (;;) {
    const dx = Math.floor(Math.random() * 3) - 1
    const dz = Math.floor(Math.random() * 3) - 1
    if (dx || dz) return { x: dx, y: 0, z: dz }
  }
}

async function exploreUntil (ctx, bot, target, maxTime = 60, callback = null) {
  checkBot(bot, 'exploreUntil', 'bot, target, max_time_s')
  let check
  let dir
  let label
  if (isPosition(target)) {
    dir = toVec3(target)
    if (!dir.x && !dir.y && !dir.z) throw new Error('direction cannot be 0, 0, 0')
    if (![dir.x, dir.y, dir.z].every((v) => v === 0 || v === 1 || v === -1)) {
      throw new Error('direction must be a Vec3 only with value of -1, 0 or 1')
    }
    if (callback !== null && typeof callback !== 'function') throw new Error('callback must be a function')
    check = callback || (() => null)
    label = 'the target'
  } else {
    label = checkName(target, 'exploreUntil', 'target')
    check = finder(bot, label)
    dir = randomDirection()
  }
  if (maxTime == null) maxTime = 60
  if (typeof maxTime !== 'number' || !(maxTime > 0)) throw new Error('max_time_s for exploreUntil must be a positive number')
  maxTime = Math.min(maxTime, 1200)

  const describe = (found) => found && found.position ? ` at ${fmt(found.position)}` : ''
  let found = check()
  if (found) { ctx.say(`Found ${label}${describe(found)} without exploring`); return found }

  const started = Date.now()
  let lastGoal = 0
  try {
    while (Date.now() - started < maxTime * 1000) {
      ctx.check()
      const now = Date.now()
      if (!bot.pathfinder.isMoving() || now - lastGoal > 10000) {
        const p = bot.entity.position
        const step = () => Math.floor(Math.random() * 20 + 10)
        const x = p.x + step() * dir.x
        const z = p.z + step() * dir.z
        const goal = dir.y ? new goals.GoalNear(x, p.y + step() * dir.y, z, 2) : new goals.GoalNearXZ(x, z, 2)
        bot.pathfinder.setGoal(goal)
        lastGoal = now
      }
      await ctx.sleep(500)
      found = check()
      if (found) break
    }
  } finally {
    try { bot.pathfinder.setGoal(null) } catch (e) { /* ignore */ }
    try { bot.clearControlStates() } catch (e) { /* ignore */ }
  }
  const secs = Math.round((Date.now() - started) / 1000)
  if (found) {
    ctx.say(`Found ${label}${describe(found)} after exploring ${secs} s`)
    return found
  }
  if (isPosition(target)) { ctx.say('Max exploration time reached'); return null }
  return ctx.fail('exploreUntil', `Explored for ${secs} s and found no ${label} within ${SEE_RADIUS} blocks`)
}

module.exports = exploreUntil
