'use strict'
// mineBlock(bot, name, count = 1): find, path to, dig and collect `count` blocks of `name`
// within 32 blocks, with the best tool held (mineflayer-tool).
//
// Which block next: one the bot sees within reach from where it stands (never the block it
// stands on, nor one below the floor next to it: digging down is how a bot ends in a pit);
// else it walks to the cheapest one (near, not deep, not high, preferably with a face in the
// open) and, for a buried one, to a spot next to it, digging its way (a tunnel, a staircase).
// It digs only what it can see: a block hidden behind another is reached by digging that one.
// Digging waits until the bot stands (in the air it takes 5 times longer); the drops of the
// blocks it dug are picked up before it walks on.

const { goals } = require('mineflayer-pathfinder')
const {
  checkBot, checkName, checkCount, blockByName, inventoryCounts, gainedText, fmt, goto,
  REACH, FACES, eyePosition, isSolid, visibleFace, blockerOf, supportsBot, waitOnGround
} = require('./util')

const SEARCH_RADIUS = 32
const CANDIDATES = 400
const PICKUP_WAIT_MS = 2500
const PICKUP_RADIUS = 1.5

function toolNames (bot, block) {
  if (!block.harvestTools) return []
  return Object.keys(block.harvestTools).map((id) => bot.registry.items[id] && bot.registry.items[id].name).filter(Boolean)
}

const exposed = (bot, pos) => FACES.some((f) => !isSolid(bot.blockAt(pos.plus(f))))

// Blocks of the kind the bot can dig from where it stands, nearest first.
function diggableFromHere (bot, positions) {
  const eye = eyePosition(bot)
  const floor = Math.floor(bot.entity.position.y + 0.01)
  const out = []
  for (const pos of positions) {
    if (pos.y < floor - 1) continue
    const d = eye.distanceTo(pos.offset(0.5, 0.5, 0.5))
    if (d > REACH + 0.9 || supportsBot(bot, pos)) continue
    const block = bot.blockAt(pos)
    if (block && visibleFace(bot, block)) out.push({ pos, d })
  }
  return out.sort((a, b) => a.d - b.d).map((c) => c.pos)
}

// The block worth walking to: the fewest blocks to walk, dig down and climb.
function bestToWalkTo (bot, positions) {
  const p = bot.entity.position
  const floor = Math.floor(p.y + 0.01)
  let best = null
  for (const pos of positions) {
    const dy = pos.y - floor
    let cost = Math.hypot(pos.x + 0.5 - p.x, pos.z + 0.5 - p.z)
    if (dy < -1) cost += 3 * (-1 - dy)
    if (dy > 3) cost += 2 * (dy - 3)
    const open = exposed(bot, pos)
    if (!open) cost += 6
    if (!best || cost < best.cost) best = { pos, cost, open }
  }
  return best
}

// Standing next to `pos` (its feet or head level), for a block without an open face.
function besideGoal (pos) {
  const spots = []
  for (const [dx, dz] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
    spots.push(new goals.GoalBlock(pos.x + dx, pos.y, pos.z + dz))
    spots.push(new goals.GoalBlock(pos.x + dx, pos.y - 1, pos.z + dz))
  }
  return new goals.GoalCompositeAny(spots)
}

// Standing where the server hands over an item lying at `at` (it picks up within 1.75 blocks
// of the feet): at the edge of the hole it fell into is close enough, no need to step in.
class GoalPickup extends goals.Goal {
  constructor (at) {
    super()
    this.at = at.clone()
    Object.assign(this, { x: at.x, y: at.y, z: at.z }) // (for goto's time limit)
  }

  heuristic (node) {
    const dx = node.x + 0.5 - this.at.x
    const dz = node.z + 0.5 - this.at.z
    return Math.sqrt(dx * dx + dz * dz) + Math.abs(node.y - this.at.y)
  }

  isEnd (node) {
    return node.offset(0.5, 0, 0.5).distanceTo(this.at) <= PICKUP_RADIUS
  }
}

// Item entities that appear where the bot digs, to pick up.
class Drops {
  constructor (bot) {
    this.bot = bot
    this.dug = []
    this.items = new Map()
    this.onSpawn = (entity) => {
      if (entity.name !== 'item' || !entity.position) return
      const near = this.dug.some((d) => Date.now() - d.at < 5000 && d.center.distanceTo(entity.position) < 2)
      if (near) this.items.set(entity.id, entity)
    }
    bot.on('entitySpawn', this.onSpawn)
  }

  dugAt (pos) {
    this.dug.push({ center: pos.offset(0.5, 0.5, 0.5), at: Date.now() })
    if (this.dug.length > 50) this.dug.shift()
  }

  stop () { this.bot.removeListener('entitySpawn', this.onSpawn) }

  alive (entity) { return this.bot.entities[entity.id] === entity && entity.isValid !== false }

  // Walks to the tracked drops (nearest first) and waits until each is picked up.
  async collect (ctx) {
    const bot = this.bot
    const last = this.dug.length ? this.dug[this.dug.length - 1].at : 0
    if (Date.now() - last < 800) await ctx.sleep(800 - (Date.now() - last)) // the drop is on its way
    for (let round = 0; round < 64 && this.items.size; round++) {
      ctx.check()
      for (const [id, e] of this.items) if (!this.alive(e)) this.items.delete(id)
      if (!this.items.size) break
      const feet = bot.entity.position
      const [id, item] = [...this.items].sort((a, b) => a[1].position.distanceTo(feet) - b[1].position.distanceTo(feet))[0]
      if (item.position.distanceTo(bot.entity.position) > PICKUP_RADIUS) {
        try {
          await goto(ctx, bot, new GoalPickup(item.position), `the dropped item at ${fmt(item.position)}`)
        } catch (err) {
          ctx.check()
          this.items.delete(id)
          continue
        }
      }
      const end = Date.now() + PICKUP_WAIT_MS
      while (this.alive(item) && Date.now() < end) await ctx.sleep(50)
      this.items.delete(id) // picked up, or out of reach: not worth another walk
    }
  }
}

async function digBlock (ctx, bot, block, face) {
  await waitOnGround(ctx, bot)
  try {
    await ctx.race(bot.tool.equipForBlock(block, {}))
  } catch (err) {
    ctx.check() // no better tool: dig with what is in hand
  }
  const ms = Math.round(bot.digTime(block) * 1.5 + 5000)
  await ctx.within(bot.dig(block, true, face), ms, `digging ${block.name} at ${fmt(block.position)} took longer than ${Math.round(ms / 1000)} s`,
    () => { try { if (bot.targetDigBlock) bot.stopDigging() } catch (e) { /* ignore */ } })
}

// Digs the block of type `id` at `pos`, first digging what hides it; 'dug', 'gone' or a reason.
async function digThrough (ctx, bot, pos, id, drops) {
  for (let i = 0; i < 4; i++) {
    ctx.check()
    const block = bot.blockAt(pos)
    if (!block || block.type !== id) return i === 0 ? 'gone' : 'dug'
    const seen = visibleFace(bot, block)
    if (seen) {
      await digBlock(ctx, bot, block, seen.face)
      drops.dugAt(pos)
      return 'dug'
    }
    const blocker = blockerOf(bot, block)
    if (!blocker) return 'I cannot see it'
    if (supportsBot(bot, blocker.position)) return 'it lies under me'
    const keep = bot.pathfinder.movements && bot.pathfinder.movements.blocksCantBreak
    if (!blocker.diggable || (keep && keep.has(blocker.type)) ||
        eyePosition(bot).distanceTo(blocker.position.offset(0.5, 0.5, 0.5)) > REACH + 0.9) {
      return `${blocker.name} is in the way`
    }
    const face = visibleFace(bot, blocker)
    await digBlock(ctx, bot, blocker, face ? face.face : undefined)
    drops.dugAt(blocker.position)
    if (blocker.type === id) return 'dug' // one of the kind in front of it: that one counts
  }
  return 'too much is in the way'
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
  const drops = new Drops(bot)
  let mined = 0
  let failures = 0
  let seenAny = false
  try {
    while (mined < count && failures < count + 6) {
      ctx.check()
      const positions = bot.findBlocks({ matching: block.id, maxDistance: SEARCH_RADIUS, count: CANDIDATES })
        .filter((p) => !skipped.has(p.toString()))
      if (!positions.length) break
      seenAny = true
      let target = diggableFromHere(bot, positions)[0]
      if (!target) {
        await drops.collect(ctx) // before walking away from them
        const best = bestToWalkTo(bot, positions)
        target = best.pos
        try {
          const goal = best.open ? new goals.GoalLookAtBlock(target, bot.world, { reach: REACH - 0.5 }) : besideGoal(target)
          await goto(ctx, bot, goal, `the ${name} at ${fmt(target)}`)
        } catch (err) {
          ctx.check()
          if (best.open) { // the open face may be in a closed pocket: go next to it instead
            try {
              await goto(ctx, bot, besideGoal(target), `the ${name} at ${fmt(target)}`)
              err = null
            } catch (err2) { ctx.check() }
          }
          if (err) {
            ctx.say(`Could not mine ${name} at ${fmt(target)}: ${err.message || err}`)
            skipped.add(target.toString())
            failures++
            continue
          }
        }
      }
      let outcome
      try {
        outcome = await digThrough(ctx, bot, target, block.id, drops)
      } catch (err) {
        ctx.check()
        outcome = err.message || String(err)
      }
      if (outcome === 'dug') {
        mined++
      } else if (outcome === 'gone') { // dug by someone else: not ours, look again
        skipped.add(target.toString())
      } else {
        ctx.say(`Could not mine ${name} at ${fmt(target)}: ${outcome}`)
        skipped.add(target.toString())
        failures++
      }
    }
    await drops.collect(ctx)
  } finally {
    drops.stop()
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
