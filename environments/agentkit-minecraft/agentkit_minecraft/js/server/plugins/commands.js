'use strict'
// Commands flying-squid lacks or gets wrong: /clear, /gamerule, /fill, /spreadplayers, /kill.
//
// - /clear [targets] [item] [maxCount]: flying-squid has none.
// - /gamerule <rule> [value]: flying-squid has none. Rules are kept in serv.gamerules;
//   keepInventory is honoured on death (respawn.js), doDaylightCycle stops the clock,
//   doMobSpawning false stops animals appearing in newly visited chunks (animals.js).
// - /fill <from> <to> <block>[state] [replace [filter]|destroy|keep|hollow|outline]:
//   flying-squid has none. Up to 32768 blocks; large fills resend whole chunks.
// - /spreadplayers <x> <z> <spreadDistance> <maxRange> [under <maxHeight>] <respectTeams>
//   <targets>: flying-squid has none. Targets land on the highest solid block.
// - /kill [targets]: flying-squid's only takes a player name or a selector without a
//   position, and a mob it "kills" stays on every client. This one kills players (death and
//   respawn as usual), mobs (with loot) and removes other entities.

const Vec3 = require('vec3').Vec3
const UserError = require('flying-squid').UserError
const { resolveTargets, feedback } = require('../lib/targets')

const DEFAULT_RULES = {
  keepInventory: false,
  doDaylightCycle: true,
  doMobSpawning: true,
  doImmediateRespawn: false,
  doWeatherCycle: true,
  doMobLoot: true,
  doTileDrops: true,
  mobGriefing: true,
  naturalRegeneration: true,
  fallDamage: true,
  showDeathMessages: true,
  sendCommandFeedback: true,
  randomTickSpeed: 3,
  spawnRadius: 10
}

module.exports.server = function (serv) {
  const { registry } = serv
  const Block = require('prismarine-block')(registry)
  serv.gamerules = { ...DEFAULT_RULES, ...(serv.gamerules || {}) }

  // ---------- helpers ----------
  function origin (ctx) { return ctx.player ? ctx.player.position : (serv.worldSpawn || new Vec3(0, 64, 0)) }
  function worldOf (ctx) { return ctx.player ? ctx.player.world : serv.overworld }
  function coord (str, base) {
    const v = serv.posFromString(str, base)
    if (!Number.isFinite(v)) throw new UserError('Invalid coordinate ' + str)
    return v
  }

  function stateFor (spec) {
    const m = spec.replace(/^minecraft:/, '').match(/^([a-z0-9_]+)(?:\[(.*)\])?$/)
    if (!m) throw new UserError('Invalid block ' + spec)
    const block = registry.blocksByName[m[1]]
    if (!block) throw new UserError(`Unknown block '${m[1]}'`)
    if (!m[2] || !block.states || block.states.length === 0) return block.defaultState
    const props = Block.fromStateId(block.defaultState, 0).getProperties()
    for (const kv of m[2].split(',')) {
      const [k, v] = kv.split('=').map(s => s && s.trim())
      if (!k) continue
      if (!block.states.some(s => s.name === k)) throw new UserError(`Block ${m[1]} has no property ${k}`)
      props[k] = v
    }
    let data = 0
    for (const st of block.states) {
      const v = String(props[st.name])
      let idx
      if (st.type === 'bool') idx = v === 'true' ? 0 : 1
      else if (st.values) idx = st.values.indexOf(v)
      else idx = Number(v)
      if (idx < 0 || idx >= st.num_values || Number.isNaN(idx)) throw new UserError(`Bad value ${v} for ${st.name}`)
      data = data * st.num_values + idx
    }
    return block.minStateId + data
  }

  async function topSolid (world, x, z, maxY = 319) {
    for (let y = maxY; y > -64; y--) {
      const id = await world.getBlockStateId(new Vec3(x, y, z))
      const b = registry.blocksByStateId[id]
      if (b && b.boundingBox === 'block') return y
    }
    return null
  }

  // Move an entity (player or not), sending chunks first so the client has ground there.
  serv.teleportEntity = async (entity, pos) => {
    if (entity.type !== 'player') {
      await entity.sendPosition(pos, false, true)
      return
    }
    entity.position = pos.clone()
    entity.knownPosition = undefined
    await entity.worldSendInitialChunks()
    entity.sendSelfPosition(pos.clone())
    entity.updateAndSpawn()
    for (const other of serv.players) {
      if (other !== entity && other.nearbyEntities?.includes(entity)) {
        other._client.write('entity_teleport', { entityId: entity.id, x: pos.x, y: pos.y, z: pos.z, yaw: entity.yaw ?? 0, pitch: entity.pitch ?? 0, onGround: false })
      }
    }
    entity.worldSendRestOfChunks()
  }

  // ---------- /clear ----------
  serv.commands.add({
    base: 'clear',
    info: 'Clears items from player inventory',
    usage: '/clear [targets] [item] [maxCount]',
    op: true,
    parse (str) { return { args: str.trim() ? str.trim().split(/\s+/) : [] } },
    action ({ args }, ctx) {
      const players = resolveTargets(serv, args[0] || '', ctx).filter(e => e.type === 'player')
      if (!players.length) throw new UserError('No player was found')
      let type = null
      if (args[1]) {
        const item = registry.itemsByName[args[1].replace(/^minecraft:/, '')]
        if (!item) throw new UserError(`Unknown item '${args[1]}'`)
        type = item.id
      }
      const max = args[2] !== undefined ? Number(args[2]) : Infinity
      if (Number.isNaN(max) || max < 0) throw new UserError('Invalid maxCount')
      let total = 0
      for (const p of players) {
        if (type === null && max === Infinity) total += p.clearInventory()
        else total += p.removeItem(type, max)
      }
      const who = players.length === 1 ? `player ${players[0].username}` : `${players.length} players`
      if (total === 0) throw new UserError(`No items were found on ${who}`)
      feedback(serv, ctx, `Removed ${total} item(s) from ${who}`)
    }
  })

  // ---------- /gamerule ----------
  serv.commands.add({
    base: 'gamerule',
    info: 'Sets or queries a game rule value',
    usage: '/gamerule <rule> [value]',
    op: true,
    parse (str) {
      const args = str.trim().split(/\s+/)
      if (!args[0] || args.length > 2) return false
      return args
    },
    action ([rule, value], ctx) {
      if (!(rule in serv.gamerules)) throw new UserError(`Unknown game rule '${rule}'`)
      if (value === undefined) {
        feedback(serv, ctx, `Gamerule ${rule} is currently set to: ${serv.gamerules[rule]}`)
        return
      }
      let v
      if (typeof DEFAULT_RULES[rule] === 'boolean') {
        if (value !== 'true' && value !== 'false') throw new UserError(`Invalid boolean '${value}'`)
        v = value === 'true'
      } else {
        v = Number(value)
        if (!Number.isInteger(v)) throw new UserError(`Invalid integer '${value}'`)
      }
      serv.gamerules[rule] = v
      if (rule === 'doDaylightCycle') serv.doDaylightCycle = v
      feedback(serv, ctx, `Gamerule ${rule} is now set to: ${v}`)
    }
  })

  // ---------- /fill ----------
  serv.commands.add({
    base: 'fill',
    info: 'Fills a region with a block',
    usage: '/fill <x1> <y1> <z1> <x2> <y2> <z2> <block> [replace [filter]|destroy|keep|hollow|outline]',
    op: true,
    parse (str) {
      const args = str.trim().split(/\s+/)
      if (args.length < 7) return false
      return args
    },
    async action (args, ctx) {
      const o = origin(ctx)
      const world = worldOf(ctx)
      const a = new Vec3(coord(args[0], o.x), coord(args[1], o.y), coord(args[2], o.z)).floored()
      const b = new Vec3(coord(args[3], o.x), coord(args[4], o.y), coord(args[5], o.z)).floored()
      const state = stateFor(args[6])
      const mode = args[7] || 'replace'
      if (!['replace', 'destroy', 'keep', 'hollow', 'outline'].includes(mode)) throw new UserError('Unknown mode ' + mode)
      const filter = mode === 'replace' && args[8] ? registry.blocksByName[args[8].replace(/^minecraft:/, '')] : null
      if (mode === 'replace' && args[8] && !filter) throw new UserError(`Unknown block '${args[8]}'`)
      const min = new Vec3(Math.min(a.x, b.x), Math.max(-64, Math.min(a.y, b.y)), Math.min(a.z, b.z))
      const max = new Vec3(Math.max(a.x, b.x), Math.min(319, Math.max(a.y, b.y)), Math.max(a.z, b.z))
      const volume = (max.x - min.x + 1) * (max.y - min.y + 1) * (max.z - min.z + 1)
      if (volume > 32768) throw new UserError(`Too many blocks in the specified area (maximum 32768, specified ${volume})`)
      const changed = []
      for (let x = min.x; x <= max.x; x++) {
        for (let y = min.y; y <= max.y; y++) {
          for (let z = min.z; z <= max.z; z++) {
            const pos = new Vec3(x, y, z)
            const edge = x === min.x || x === max.x || y === min.y || y === max.y || z === min.z || z === max.z
            let target = state
            if ((mode === 'hollow' || mode === 'outline') && !edge) {
              if (mode === 'outline') continue
              target = 0
            }
            const cur = await world.getBlockStateId(pos)
            if (mode === 'keep' && cur !== 0) continue
            if (filter && registry.blocksByStateId[cur]?.id !== filter.id) continue
            if (cur === target) continue
            if (serv.breakContainerAt) serv.breakContainerAt(world, pos)
            await world.setBlockStateId(pos, target)
            changed.push(pos)
          }
        }
      }
      if (changed.length <= 256) {
        for (const pos of changed) {
          const id = await world.getBlockStateId(pos)
          for (const p of serv.players) if (p.world === world) p.sendBlock(pos, id)
        }
      } else {
        const columns = new Set(changed.map(p => Math.floor(p.x / 16) + ',' + Math.floor(p.z / 16)))
        for (const key of columns) {
          const [cx, cz] = key.split(',').map(Number)
          const column = await world.getColumn(cx, cz)
          for (const p of serv.players) {
            if (p.world === world && p.loadedChunks && p.loadedChunks[key]) p.sendChunk(cx, cz, column)
          }
        }
      }
      if (changed.length === 0) throw new UserError('No blocks were filled')
      feedback(serv, ctx, `Successfully filled ${changed.length} block(s)`)
    }
  })

  // ---------- /spreadplayers ----------
  serv.commands.add({
    base: 'spreadplayers',
    info: 'Teleports entities to random locations',
    usage: '/spreadplayers <x> <z> <spreadDistance> <maxRange> [under <maxHeight>] <respectTeams> <targets>',
    op: true,
    parse (str) {
      const args = str.trim().split(/\s+/)
      if (args.length < 6) return false
      return args
    },
    async action (args, ctx) {
      const o = origin(ctx)
      const world = worldOf(ctx)
      const cx = coord(args[0], o.x)
      const cz = coord(args[1], o.z)
      const spread = Number(args[2])
      const range = Number(args[3])
      if (!(spread >= 0) || !(range >= 1) || range < spread) throw new UserError('Invalid spread distance or range')
      let i = 4
      let maxHeight = 319
      if (args[i] === 'under') { maxHeight = Number(args[i + 1]); i += 2 }
      if (args[i] !== 'true' && args[i] !== 'false') throw new UserError('respectTeams must be true or false')
      i++
      const targets = resolveTargets(serv, args.slice(i).join(' '), ctx)
      if (!targets.length) throw new UserError('No entity was found')
      const placed = []
      for (const t of targets) {
        let chosen = null
        for (let tries = 0; tries < 200 && !chosen; tries++) {
          const x = Math.floor(cx - range + Math.random() * (2 * range + 1))
          const z = Math.floor(cz - range + Math.random() * (2 * range + 1))
          if (placed.some(p => Math.hypot(p.x - x, p.z - z) < spread)) continue
          const y = await topSolid(world, x, z, maxHeight)
          if (y === null) continue
          chosen = new Vec3(x + 0.5, y + 1, z + 0.5)
        }
        if (!chosen) throw new UserError('Could not spread entities (too many for the area)')
        placed.push(chosen)
        await serv.teleportEntity(t, chosen)
      }
      feedback(serv, ctx, `Spread ${targets.length} entities around ${cx}, ${cz}`)
    }
  })

  // ---------- /kill ----------
  serv.commands.add({
    base: 'kill',
    info: 'Kills entities',
    usage: '/kill [targets]',
    tab: ['player'],
    op: true,
    parse (str) { return { sel: str } },
    action ({ sel }, ctx) {
      const targets = resolveTargets(serv, sel, ctx)
      if (!targets.length) throw new UserError('No entity was found')
      for (const e of targets) {
        if (e.type === 'player') {
          e.updateHealth(0)
          e._writeOthers('entity_status', { entityId: e.id, entityStatus: 3 })
        } else if (e.type === 'mob' && e.takeDamage) {
          e.takeDamage({ damage: 1e9 })
        } else {
          e.destroy()
        }
      }
      const name = (e) => e.type === 'player' ? e.username : e.name
      feedback(serv, ctx, targets.length === 1 ? `Killed ${name(targets[0])}` : `Killed ${targets.length} entities`)
    }
  })
}
