'use strict'
// Runs INSIDE the program's V8 isolate (isolated-vm), before the skills and the program.
// It builds what a program sees: `bot` (a facade of plain data and forwarding methods),
// the primitives, Vec3, mcData, the pathfinder goals, Movements, console and timers. Nothing
// here is a host object: every call goes out through three functions the host installed
// (__host: synchronous, __hostAsync: starts a promise the host settles later, __registry:
// the game data copied in), which this script takes into its closure and deletes from the
// global object, so a program cannot call them with arguments of its own choosing.
/* global __host, __hostAsync, __registry, __primitiveNames */
;(function () {
  const host = __host
  const hostAsync = __hostAsync
  const registry = __registry
  const primitiveNames = __primitiveNames
  delete globalThis.__host
  delete globalThis.__hostAsync
  delete globalThis.__registry
  delete globalThis.__primitiveNames
  // WebAssembly memories are allocated outside what the isolate's memory limit counts.
  delete globalThis.WebAssembly
  if (typeof ArrayBuffer.prototype.resize === 'function' || typeof SharedArrayBuffer.prototype.grow === 'function') {
    throw new Error('resizable ArrayBuffers are enabled in the isolate (their memory is not counted): refusing to run')
  }

  const pending = new Map()
  let nextId = 1
  function call (op, ...args) {
    const reply = host(op, JSON.stringify(args))
    const out = JSON.parse(reply)
    if (out.error !== undefined) throw new Error(out.error)
    return revive(out.value)
  }
  function callAsync (op, ...args) {
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      hostAsync(id, op, JSON.stringify(args))
    })
  }
  // The host settles async calls and fires timers and exploreUntil callbacks through these.
  const callbacks = new Map()
  const timers = new Map()
  Object.defineProperty(globalThis, '__settle', {
    configurable: true,
    value: (id, ok, json) => {
      const p = pending.get(id)
      if (!p) return
      pending.delete(id)
      if (ok) p.resolve(revive(JSON.parse(json)))
      else p.reject(new Error(json))
    }
  })
  Object.defineProperty(globalThis, '__fire', {
    configurable: true,
    value: (id) => {
      const t = timers.get(id)
      if (!t) return
      if (!t.repeat) timers.delete(id)
      try { t.fn(...t.args) } catch (e) { console.log(`Error in a timer callback: ${e && e.message ? e.message : e}`) }
    }
  })
  Object.defineProperty(globalThis, '__invoke', {
    configurable: true,
    value: (id) => {
      const fn = callbacks.get(id)
      return fn ? plain(fn()) : null
    }
  })

  class Vec3 {
    constructor (x, y, z) {
      if (x && typeof x === 'object') { y = x.y; z = x.z; x = x.x }
      this.x = x; this.y = y; this.z = z
    }

    set (x, y, z) { this.x = x; this.y = y; this.z = z; return this }
    offset (dx, dy, dz) { return new Vec3(this.x + dx, this.y + dy, this.z + dz) }
    plus (o) { return this.offset(o.x, o.y, o.z) }
    minus (o) { return this.offset(-o.x, -o.y, -o.z) }
    add (o) { this.x += o.x; this.y += o.y; this.z += o.z; return this }
    subtract (o) { this.x -= o.x; this.y -= o.y; this.z -= o.z; return this }
    scaled (s) { return new Vec3(this.x * s, this.y * s, this.z * s) }
    floored () { return new Vec3(Math.floor(this.x), Math.floor(this.y), Math.floor(this.z)) }
    floor () { this.x = Math.floor(this.x); this.y = Math.floor(this.y); this.z = Math.floor(this.z); return this }
    rounded () { return new Vec3(Math.round(this.x), Math.round(this.y), Math.round(this.z)) }
    abs () { return new Vec3(Math.abs(this.x), Math.abs(this.y), Math.abs(this.z)) }
    clone () { return new Vec3(this.x, this.y, this.z) }
    distanceSquared (o) { const dx = o.x - this.x; const dy = o.y - this.y; const dz = o.z - this.z; return dx * dx + dy * dy + dz * dz }
    distanceTo (o) { return Math.sqrt(this.distanceSquared(o)) }
    xzDistanceTo (o) { const dx = o.x - this.x; const dz = o.z - this.z; return Math.sqrt(dx * dx + dz * dz) }
    equals (o, e = 0) { return Math.abs(this.x - o.x) <= e && Math.abs(this.y - o.y) <= e && Math.abs(this.z - o.z) <= e }
    norm () { return Math.sqrt(this.x * this.x + this.y * this.y + this.z * this.z) }
    normalize () { const n = this.norm(); return n ? this.scaled(1 / n) : this.clone() }
    dot (o) { return this.x * o.x + this.y * o.y + this.z * o.z }
    toArray () { return [this.x, this.y, this.z] }
    toString () { return `(${this.x}, ${this.y}, ${this.z})` }
  }
  const vec3 = (x, y, z) => new Vec3(x, y, z)
  vec3.Vec3 = Vec3

  // Host data comes back as JSON; {__vec3: [x, y, z]} marks a vector.
  function revive (value) {
    if (Array.isArray(value)) return value.map(revive)
    if (value && typeof value === 'object') {
      if (Array.isArray(value.__vec3)) return new Vec3(...value.__vec3)
      const out = {}
      for (const [k, v] of Object.entries(value)) out[k] = revive(v)
      return out
    }
    return value
  }
  // Program values going out: vectors as {x, y, z}, the bot as a marker, goals by name.
  function plain (value, depth = 0) {
    if (depth > 8) return null
    if (value === bot) return { __bot: true }
    if (value instanceof Goal) return { __goal: value.__name, args: value.__args.map((a) => plain(a, depth + 1)) }
    if (value instanceof Vec3) return { x: value.x, y: value.y, z: value.z }
    if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1))
    if (value && typeof value === 'object') {
      const out = {}
      for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = plain(v, depth + 1)
      return out
    }
    return typeof value === 'function' ? undefined : value
  }
  const send = (op, ...args) => call(op, ...args.map((a) => plain(a)))
  const sendAsync = (op, ...args) => callAsync(op, ...args.map((a) => plain(a)))

  class Goal {
    constructor (name, args) { this.__name = name; this.__args = args }
  }
  const goals = {}
  for (const name of ['GoalBlock', 'GoalNear', 'GoalXZ', 'GoalNearXZ', 'GoalY', 'GoalGetToBlock',
    'GoalLookAtBlock', 'GoalPlaceBlock', 'GoalFollow', 'GoalInvert', 'GoalCompositeAny', 'GoalCompositeAll']) {
    goals[name] = ({ [name]: class extends Goal { constructor (...args) { super(name, args) } } })[name]
  }

  class Movements {
    constructor () {
      this.canDig = true
      this.allow1by1towers = true
      this.allowParkour = true
      this.allowSprinting = true
      this.allowFreeMotion = false
      this.canOpenDoors = false
      this.maxDropDown = 4
    }
  }

  // Block matchers that are functions are run here, over the game's block types.
  function matchingIds (matching) {
    const list = Array.isArray(matching) ? matching : [matching]
    const ids = []
    for (const m of list) {
      if (typeof m === 'number') ids.push(m)
      else if (typeof m === 'string' && registry.blocksByName[m]) ids.push(registry.blocksByName[m].id)
      else if (typeof m === 'function') {
        for (const b of registry.blocksArray) if (m({ ...b, type: b.id })) ids.push(b.id)
      }
    }
    return ids
  }

  const inventory = {
    items: () => send('items'),
    get slots () { return send('slots') },
    count: (type) => send('items').filter((i) => i.type === type || i.name === type).reduce((s, i) => s + i.count, 0),
    findInventoryItem: (type) => send('items').find((i) => i.type === type || i.name === type) || null,
    emptySlotCount: () => send('emptySlotCount')
  }
  const pathfinder = {
    goto: (goal) => sendAsync('goto', goal),
    setGoal: (goal, dynamic = false) => send('setGoal', goal, Boolean(dynamic)),
    isMoving: () => send('isMoving'),
    get goal () { return send('goal') },
    stop: () => send('stopPathing'),
    setMovements: (m) => send('setMovements', m)
  }
  const bot = {
    get entity () { return send('entity') },
    get health () { return send('state').health },
    get food () { return send('state').food },
    get foodSaturation () { return send('state').foodSaturation },
    get oxygenLevel () { return send('state').oxygenLevel },
    get username () { return send('state').username },
    get time () { return send('state').time },
    get game () { return send('state').game },
    get isRaining () { return send('state').isRaining },
    get heldItem () { return send('state').heldItem },
    get entities () { return send('entities') },
    get players () { return send('players') },
    get registry () { return registry },
    inventory,
    pathfinder,
    nearestEntity (filter = () => true) {
      const me = send('entity')
      let best = null
      let bestD = Infinity
      for (const e of Object.values(send('entities'))) {
        if (e.id === me.id || !filter(e)) continue
        const d = e.position.distanceTo(me.position)
        if (d < bestD) { best = e; bestD = d }
      }
      return best
    },
    findBlocks (options = {}) {
      return send('findBlocks', matchingIds(options.matching), options.maxDistance, options.count || 1, options.point || null)
    },
    findBlock (options = {}) { return bot.findBlocks({ ...options, count: 1 })[0] || null },
    blockAt: (pos) => send('blockAt', pos),
    chat: (message) => send('chat', String(message)),
    whisper: (user, message) => send('chat', `/tell ${user} ${message}`),
    setControlState: (control, state) => send('setControlState', control, Boolean(state)),
    clearControlStates: () => send('clearControlStates'),
    attack: (entity) => send('attack', entity && entity.id),
    waitForTicks: (n) => sendAsync('waitForTicks', n),
    equip: (item, destination = 'hand') => sendAsync('equip', item && typeof item === 'object' ? item.name : item, destination),
    unequip: (destination = 'hand') => sendAsync('unequip', destination),
    lookAt: (point, force = false) => sendAsync('lookAt', point, force),
    dig: (block) => sendAsync('dig', block && block.position),
    placeBlock: (reference, face) => sendAsync('placeBlock', reference && reference.position, face),
    consume: () => sendAsync('consume'),
    activateItem: () => send('activateItem'),
    deactivateItem: () => send('deactivateItem'),
    toss: (type, metadata, count) => sendAsync('toss', type, metadata, count)
  }
  Object.freeze(inventory)
  Object.freeze(pathfinder)
  Object.freeze(bot)

  const say = (...args) => send('say', args.map((a) => typeof a === 'string' ? a : format(a)).join(' ').slice(0, 20000))
  function format (v) {
    try { return JSON.stringify(plain(v)) ?? String(v) } catch (e) { return String(v) }
  }
  const console = { log: say, info: say, warn: say, error: say, debug: say, trace: say }

  let nextTimer = 1
  function addTimer (fn, ms, args, repeat) {
    if (typeof fn !== 'function') throw new TypeError('the timer callback must be a function')
    const id = nextTimer++
    timers.set(id, { fn, args, repeat })
    send('timer', id, Number(ms) || 0, repeat)
    return id
  }
  const clear = (id) => { if (timers.delete(id)) send('clearTimer', id) }

  const primitives = {}
  for (const name of primitiveNames) {
    primitives[name] = ({
      async [name] (b, ...args) {
        if (b !== bot) throw new Error(`${name}: the first argument must be bot`)
        if (name === 'exploreUntil' && typeof args[2] === 'function') {
          const id = nextId++
          callbacks.set(id, args[2])
          try {
            return await sendAsync('primitive', name, args[0], args[1], { __callback: id })
          } finally { callbacks.delete(id) }
        }
        return sendAsync('primitive', name, ...args)
      }
    })[name]
  }

  Object.assign(globalThis, {
    bot,
    Vec3,
    mcData: registry,
    Movements,
    console,
    setTimeout: (fn, ms, ...args) => addTimer(fn, ms, args, false),
    setInterval: (fn, ms, ...args) => addTimer(fn, Math.max(10, Number(ms) || 0), args, true),
    clearTimeout: clear,
    clearInterval: clear,
    ...goals,
    ...primitives
  })
})()
