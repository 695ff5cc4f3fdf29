'use strict'
// The host side of a program's V8 isolate (isolated-vm): one isolate per /program run, with
// its own heap (MEMORY_MB), no Node.js at all inside, disposed when the run ends or is
// cancelled (which stops even a synchronous endless loop). The program reaches the world
// only through the operations below, each taking and returning plain JSON: the real `bot`,
// `require`, `process` and their constructors never cross into the isolate.

const fs = require('node:fs')
const path = require('node:path')
const v8 = require('node:v8')
const ivm = require('isolated-vm')

// Resizable ArrayBuffers and growable SharedArrayBuffers get their memory from V8's page
// allocator, not the allocator isolated-vm counts against memoryLimit: with them a program
// could fill gigabytes. Off for every context made from now on (the isolates'; the bridge's
// own context was made before); the prelude refuses to run if they are still there.
v8.setFlagsFromString('--no-harmony-rab-gsab')
const { Vec3 } = require('vec3')
const { goals } = require('mineflayer-pathfinder')
const { PRIMITIVES } = require('./primitives')
const { toVec3 } = require('./primitives/util')

const MEMORY_MB = 128
const PRELUDE = fs.readFileSync(path.join(__dirname, 'isolate_prelude.js'), 'utf8')
// Named as a primitive's file, so an error the facade raises reads "inside a primitive".
const PRELUDE_FILE = path.join(__dirname, 'primitives', 'facade.js')
const CONTROLS = new Set(['forward', 'back', 'left', 'right', 'jump', 'sprint', 'sneak'])
const MOVEMENT_FLAGS = ['canDig', 'allow1by1towers', 'allowParkour', 'allowSprinting',
  'allowFreeMotion', 'canOpenDoors', 'maxDropDown']
const MAX_TICKS = 20 * 3600
const CALLBACK_MS = 1000 // the host waits this long at most for an exploreUntil callback
// Host-side state a program can make without awaiting it: each costs the bridge memory
// outside the isolate's heap, so a loop of un-awaited calls or timers is cut off here.
const MAX_IN_FLIGHT = 1000
const MAX_TIMERS = 1000
const MAX_RESULT_CHARS = 1000000 // the entry's return value, as JSON

const registries = new WeakMap()

// The game data a program may read as mcData / bot.registry, copied once per registry.
function registryCopy (bot) {
  const reg = bot.registry
  let copy = registries.get(reg)
  if (!copy) {
    const block = (b) => ({ id: b.id, name: b.name, displayName: b.displayName, hardness: b.hardness, diggable: b.diggable, boundingBox: b.boundingBox, transparent: b.transparent, material: b.material || null, harvestTools: b.harvestTools || null, drops: b.drops || [] })
    const item = (i) => ({ id: i.id, name: i.name, displayName: i.displayName, stackSize: i.stackSize })
    const byName = (list, f) => Object.fromEntries(list.map((x) => [x.name, f(x)]))
    const blocks = Object.values(reg.blocks)
    const items = Object.values(reg.items)
    const entities = Object.values(reg.entities || {})
    const foods = Object.values(reg.foods || {})
    copy = new ivm.ExternalCopy({
      version: reg.version && reg.version.minecraftVersion,
      blocksByName: byName(blocks, block),
      blocks: Object.fromEntries(blocks.map((b) => [b.id, block(b)])),
      blocksArray: blocks.map(block),
      itemsByName: byName(items, item),
      items: Object.fromEntries(items.map((i) => [i.id, item(i)])),
      itemsArray: items.map(item),
      entitiesByName: byName(entities, (e) => ({ id: e.id, name: e.name, displayName: e.displayName, type: e.type })),
      foodsByName: byName(foods, (f) => ({ id: f.id, name: f.name, foodPoints: f.foodPoints, saturation: f.saturation }))
    })
    registries.set(reg, copy)
  }
  return copy
}

const vec = (v) => v ? { __vec3: [v.x, v.y, v.z] } : null
function itemData (i) {
  return i ? { name: i.name, count: i.count, type: i.type, slot: i.slot, displayName: i.displayName, stackSize: i.stackSize, metadata: i.metadata } : null
}
function blockData (b) {
  return b ? { name: b.name, type: b.type, displayName: b.displayName, position: vec(b.position), hardness: b.hardness, diggable: b.diggable, boundingBox: b.boundingBox, metadata: b.metadata } : null
}
function entityData (e) {
  return e ? { id: e.id, name: e.name || null, type: e.type, username: e.username || null, displayName: e.displayName || null, kind: e.kind || null, position: vec(e.position), velocity: vec(e.velocity), yaw: e.yaw, pitch: e.pitch, onGround: e.onGround, height: e.height, health: e.health ?? null } : null
}

// Any value a primitive returns, as JSON the prelude revives (vectors, blocks, entities).
function toPlain (v, depth = 0) {
  if (v === undefined || v === null) return null
  if (typeof v === 'function' || typeof v === 'symbol') return null
  if (typeof v === 'bigint') return Number(v)
  if (typeof v !== 'object') return v
  if (v instanceof Vec3) return vec(v)
  if (Array.isArray(v.__vec3)) return v // already converted
  const kind = v.constructor && v.constructor.name
  if (kind === 'Block') return blockData(v)
  if (kind === 'Entity') return entityData(v)
  if (kind === 'Item') return itemData(v)
  if (depth > 4) return null
  if (Array.isArray(v)) return v.slice(0, 1000).map((x) => toPlain(x, depth + 1))
  const out = {}
  for (const [k, x] of Object.entries(v).slice(0, 200)) if (!k.startsWith('_')) out[k] = toPlain(x, depth + 1)
  return out
}

function number (v, what) {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what} must be a number`)
  return v
}

function position (p, what = 'position') {
  const v = toVec3(p)
  if (!v) throw new Error(`${what} must be a Vec3`)
  return v
}

// A goal the program built ({__goal, args}) as the pathfinder's own goal object.
function makeGoal (bot, g, depth = 0) {
  if (!g || typeof g !== 'object' || typeof g.__goal !== 'string' || depth > 4) throw new Error('expected a goal, e.g. new GoalNear(x, y, z, 2)')
  const args = Array.isArray(g.args) ? g.args : []
  const Goal = Object.prototype.hasOwnProperty.call(goals, g.__goal) ? goals[g.__goal] : null
  if (!Goal) throw new Error(`unknown goal ${g.__goal}`)
  switch (g.__goal) {
    case 'GoalFollow': {
      const e = args[0] && bot.entities[args[0].id]
      if (!e) throw new Error('GoalFollow: no such entity')
      return new Goal(e, number(args[1] ?? 1, 'range'))
    }
    case 'GoalLookAtBlock':
    case 'GoalPlaceBlock':
      return new Goal(position(args[0]), bot.world, args[2] && typeof args[2] === 'object' ? { range: args[2].range, reach: args[2].reach, LOS: args[2].LOS, faces: args[2].faces } : {})
    case 'GoalInvert':
      return new Goal(makeGoal(bot, args[0], depth + 1))
    case 'GoalCompositeAny':
    case 'GoalCompositeAll':
      return new Goal((Array.isArray(args[0]) ? args[0] : []).map((x) => makeGoal(bot, x, depth + 1)))
    default:
      return new Goal(...args.map((a, i) => number(a, `${g.__goal} argument ${i + 1}`)))
  }
}

function inventoryItem (bot, ref) {
  const item = bot.inventory.items().find((i) => i.name === ref || i.type === ref)
  if (!item) throw new Error(`no ${ref} in the inventory`)
  return item
}

// Operations answered at once (the isolate waits for the reply).
function syncOps (ctx, bot, run) {
  return {
    entity: () => entityData(bot.entity),
    state: () => ({
      health: bot.health, food: bot.food, foodSaturation: bot.foodSaturation, oxygenLevel: bot.oxygenLevel,
      username: bot.username, isRaining: bot.isRaining, heldItem: itemData(bot.heldItem),
      time: bot.time ? { timeOfDay: bot.time.timeOfDay, day: bot.time.day, isDay: bot.time.isDay } : null,
      game: bot.game ? { dimension: bot.game.dimension, gameMode: bot.game.gameMode } : null
    }),
    items: () => bot.inventory.items().map(itemData),
    slots: () => bot.inventory.slots.map(itemData),
    emptySlotCount: () => bot.inventory.emptySlotCount(),
    entities: () => Object.fromEntries(Object.values(bot.entities).map((e) => [e.id, entityData(e)])),
    players: () => Object.fromEntries(Object.values(bot.players).map((p) => [p.username, { username: p.username, ping: p.ping, entity: entityData(p.entity) }])),
    findBlocks: (ids, maxDistance, count, point) => {
      if (!Array.isArray(ids) || !ids.length) return []
      const found = bot.findBlocks({
        matching: ids.filter((i) => Number.isInteger(i)),
        maxDistance: Math.min(number(maxDistance ?? 16, 'maxDistance'), 64),
        count: Math.min(number(count ?? 1, 'count'), 1000),
        point: point ? position(point, 'point') : undefined
      })
      return found.map((p) => blockData(bot.blockAt(p)))
    },
    blockAt: (p) => blockData(bot.blockAt(position(p))),
    setGoal: (goal, dynamic) => { bot.pathfinder.setGoal(goal ? makeGoal(bot, goal) : null, Boolean(dynamic)); return null },
    isMoving: () => bot.pathfinder.isMoving(),
    goal: () => bot.pathfinder.goal ? { name: bot.pathfinder.goal.constructor.name } : null,
    stopPathing: () => { bot.pathfinder.stop(); return null },
    setMovements: (flags) => {
      const m = bot.pathfinder.movements
      for (const k of MOVEMENT_FLAGS) if (flags && typeof flags[k] === typeof m[k]) m[k] = flags[k]
      bot.pathfinder.setMovements(m)
      return null
    },
    chat: (message) => { bot.chat(String(message).slice(0, 256)); return null },
    setControlState: (control, state) => {
      if (!CONTROLS.has(control)) throw new Error(`unknown control ${control}`)
      bot.setControlState(control, Boolean(state))
      return null
    },
    clearControlStates: () => { bot.clearControlStates(); return null },
    attack: (id) => { const e = bot.entities[id]; if (!e) throw new Error('no such entity'); bot.attack(e); return null },
    activateItem: () => { bot.activateItem(); return null },
    deactivateItem: () => { bot.deactivateItem(); return null },
    say: (text) => { ctx.say(String(text)); return null },
    timer: (id, ms, repeat) => { run.timer(id, number(ms, 'the delay'), Boolean(repeat)); return null },
    clearTimer: (id) => { run.clearTimer(id); return null }
  }
}

// Operations that take time: started now, settled into the isolate later.
function asyncOps (ctx, bot, run) {
  return {
    primitive: (name, ...args) => {
      const prim = Object.prototype.hasOwnProperty.call(PRIMITIVES, name) ? PRIMITIVES[name] : null
      if (!prim) throw new Error(`unknown primitive ${name}`)
      ctx.check()
      if (name === 'exploreUntil' && args[2] && typeof args[2].__callback === 'number') {
        args[2] = run.callback(args[2].__callback)
      }
      return prim(ctx, bot, ...args)
    },
    goto: (goal) => bot.pathfinder.goto(makeGoal(bot, goal)),
    waitForTicks: (n) => bot.waitForTicks(Math.min(Math.max(1, Math.floor(number(n, 'ticks'))), MAX_TICKS)),
    equip: (ref, destination) => bot.equip(inventoryItem(bot, ref), String(destination || 'hand')),
    unequip: (destination) => bot.unequip(String(destination || 'hand')),
    lookAt: (p, force) => bot.lookAt(position(p), Boolean(force)),
    dig: (p) => { const b = bot.blockAt(position(p)); if (!b) throw new Error('no block there'); return bot.dig(b) },
    placeBlock: (p, face) => { const b = bot.blockAt(position(p)); if (!b) throw new Error('no block there'); return bot.placeBlock(b, position(face, 'face')) },
    consume: () => bot.consume(),
    toss: (type, metadata, count) => bot.toss(number(type, 'item type'), metadata ?? null, count ?? null)
  }
}

// One isolate for one run; dispose() is safe to call any time, more than once.
class IsolateRun {
  constructor (ctx, bot) {
    this.ctx = ctx
    this.bot = bot
    this.isolate = new ivm.Isolate({ memoryLimit: MEMORY_MB })
    this.disposed = false
    this.timers = new Map()
    this.inFlight = 0
    ctx.onCancel(() => this.dispose())
  }

  dispose () {
    if (this.disposed) return
    this.disposed = true
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
    try { this.isolate.dispose() } catch (e) { /* already gone */ }
  }

  async setup () {
    const context = this.context = await this.isolate.createContext()
    const jail = context.global
    const sync = syncOps(this.ctx, this.bot, this)
    const later = asyncOps(this.ctx, this.bot, this)
    await jail.set('__host', new ivm.Callback((op, json) => {
      if (!Object.prototype.hasOwnProperty.call(sync, op)) return JSON.stringify({ error: `unknown operation ${op}` })
      try {
        this.ctx.check()
        return JSON.stringify({ value: toPlain(sync[op](...JSON.parse(json))) })
      } catch (err) {
        return JSON.stringify({ error: err && err.message ? err.message : String(err) })
      }
    }))
    await jail.set('__hostAsync', new ivm.Callback((id, op, json) => {
      if (this.inFlight >= MAX_IN_FLIGHT) throw new Error(`over ${MAX_IN_FLIGHT} bot calls at once: await them`)
      this.inFlight++
      const start = async () => {
        if (!Object.prototype.hasOwnProperty.call(later, op)) throw new Error(`unknown operation ${op}`)
        return this.ctx.race(later[op](...JSON.parse(json)))
      }
      start().finally(() => { this.inFlight-- }).then(
        (value) => this.settle(id, true, JSON.stringify(toPlain(value))),
        (err) => this.settle(id, false, err && err.message ? err.message : String(err)))
    }))
    await jail.set('__registry', registryCopy(this.bot).copyInto())
    await jail.set('__primitiveNames', new ivm.ExternalCopy(Object.keys(PRIMITIVES)).copyInto())
    const prelude = await this.isolate.compileScript(PRELUDE, { filename: PRELUDE_FILE })
    await prelude.run(context)
    this.settleRef = await jail.get('__settle', { reference: true })
    this.fireRef = await jail.get('__fire', { reference: true })
    this.invokeRef = await jail.get('__invoke', { reference: true })
    await context.eval('delete globalThis.__settle; delete globalThis.__fire; delete globalThis.__invoke')
  }

  settle (id, ok, text) {
    if (this.disposed) return
    this.settleRef.apply(undefined, [id, ok, text], { arguments: { copy: true } }).catch(() => {})
  }

  timer (id, ms, repeat) {
    const fire = () => {
      if (this.disposed || this.ctx.cancelled) return
      if (!repeat) this.timers.delete(id)
      this.fireRef.apply(undefined, [id], { arguments: { copy: true } }).catch(() => {})
    }
    this.clearTimer(id)
    if (this.timers.size >= MAX_TIMERS) throw new Error(`over ${MAX_TIMERS} timers at once`)
    this.timers.set(id, repeat ? setInterval(fire, Math.max(10, ms)) : setTimeout(fire, Math.max(0, ms)))
  }

  clearTimer (id) {
    const t = this.timers.get(id)
    if (t) { clearTimeout(t); clearInterval(t); this.timers.delete(id) }
  }

  // exploreUntil's callback, run in the isolate each time the primitive checks.
  callback (id) {
    return () => {
      if (this.disposed) return null
      return this.invokeRef.applySync(undefined, [id], { arguments: { copy: true }, result: { copy: true }, timeout: CALLBACK_MS })
    }
  }

  async runScript (source, filename, timeoutMs) {
    const script = await this.isolate.compileScript(source, { filename })
    await script.run(this.context, { timeout: timeoutMs })
  }

  async hasFunction (name) {
    return this.context.eval(`typeof ${name} === 'function'`, { timeout: 1000 })
  }

  // Calls entry(bot); the value comes back as JSON (vectors as {x, y, z}).
  async callEntry (name) {
    const json = await this.context.eval(
      `(async () => { const r = await ${name}(bot); return JSON.stringify({ value: r }) })()`,
      { promise: true, copy: true, filename: 'entry.js' })
    if (typeof json !== 'string') return null // JSON.stringify replaced by the program
    if (json.length > MAX_RESULT_CHARS) throw new RangeError(`the return value is over ${MAX_RESULT_CHARS} characters as JSON`)
    return JSON.parse(json).value
  }
}

module.exports = { IsolateRun, MEMORY_MB, MAX_IN_FLIGHT, MAX_TIMERS, PRELUDE_FILE, toPlain }
