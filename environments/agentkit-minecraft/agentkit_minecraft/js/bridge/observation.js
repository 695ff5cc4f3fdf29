'use strict'
// The observation of PROTOCOL.md, read from the bot's own world model (no server round trip).

const { Vec3 } = require('vec3')
const { craftable } = require('./craftable')

const BLOCK_RADIUS = 16
const ENTITY_RADIUS = 32
const CHEST_NAMES = new Set(['chest', 'trapped_chest'])
const NOT_ENTITIES = new Set(['item', 'experience_orb', 'arrow', 'spectral_arrow', 'snowball',
  'egg', 'ender_pearl', 'potion', 'fishing_bobber', 'falling_block', 'area_effect_cloud',
  'marker', 'text_display', 'item_display', 'block_display', 'interaction'])
const EQUIPMENT = ['head', 'chest', 'legs', 'feet', 'off_hand']
const UNKNOWN_CHEST = 'Unknown items inside'

const round = (v, digits) => { const f = 10 ** digits; return Math.round(v * f) / f }
const posKey = (p) => `(${p.x}, ${p.y}, ${p.z})`

// Distinct block names within `radius`, nearest first, and the chest positions seen.
function nearbyBlocks (bot, radius = BLOCK_RADIUS) {
  const registry = bot.registry
  const center = bot.entity.position.floored()
  const best = new Map() // name -> squared distance
  const chests = []
  const cursor = new Vec3(0, 0, 0)
  const minY = bot.game.minY ?? 0
  const maxY = minY + (bot.game.height ?? 256) - 1
  const r2 = radius * radius
  for (let dx = -radius; dx <= radius; dx++) {
    for (let dz = -radius; dz <= radius; dz++) {
      const h2 = dx * dx + dz * dz
      if (h2 > r2) continue
      cursor.x = center.x + dx
      cursor.z = center.z + dz
      if (!bot.world.getColumnAt(cursor)) continue
      for (let dy = -radius; dy <= radius; dy++) {
        const d2 = h2 + dy * dy
        if (d2 > r2) continue
        cursor.y = center.y + dy
        if (cursor.y < minY || cursor.y > maxY) continue
        const state = bot.world.getBlockStateId(cursor)
        if (!state) continue // air (state 0) or unloaded
        const block = registry.blocksByStateId[state]
        if (!block || block.name === 'air' || block.name === 'cave_air' || block.name === 'void_air') continue
        const prev = best.get(block.name)
        if (prev === undefined || d2 < prev) best.set(block.name, d2)
        if (CHEST_NAMES.has(block.name)) chests.push(cursor.clone())
      }
    }
  }
  const names = [...best.entries()].sort((a, b) => a[1] - b[1]).map(([name]) => name)
  return { names, chests }
}

function nearbyEntities (bot, radius = ENTITY_RADIUS) {
  const out = {}
  const me = bot.entity
  for (const entity of Object.values(bot.entities)) {
    if (!entity || entity === me || !entity.position) continue
    const name = entity.type === 'player' ? entity.username : entity.name
    if (!name || NOT_ENTITIES.has(name) || entity.type === 'object' || entity.type === 'orb') continue
    const d = entity.position.distanceTo(me.position)
    if (d > radius) continue
    if (out[name] === undefined || d < out[name]) out[name] = round(d, 1)
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => a[1] - b[1]))
}

function inventory (bot) {
  const counts = {}
  for (const item of bot.inventory.items()) counts[item.name] = (counts[item.name] || 0) + item.count
  return counts
}

function equipment (bot) {
  const out = { hand: bot.heldItem ? bot.heldItem.name : null }
  for (const slot of EQUIPMENT) {
    const dest = slot === 'off_hand' ? 'off-hand' : slot
    let item = null
    try { item = bot.inventory.slots[bot.getEquipmentDestSlot(dest)] } catch (e) { item = null }
    out[slot] = item ? item.name : null
  }
  return out
}

function biome (bot) {
  try {
    const block = bot.blockAt(bot.entity.position.floored())
    if (!block || !block.biome) return null
    if (block.biome.name) return block.biome.name
    const b = bot.registry.biomes && bot.registry.biomes[block.biome.id]
    return b ? b.name : null
  } catch (e) {
    return null
  }
}

// chestMemory: Map "(x, y, z)" -> {name: count} recorded when a primitive opened that chest.
function chestsObservation (bot, seen, chestMemory) {
  for (const [key, entry] of chestMemory) {
    const block = bot.blockAt(entry.position)
    if (block && !CHEST_NAMES.has(block.name)) chestMemory.delete(key) // broken
  }
  const out = {}
  for (const p of seen) {
    const key = posKey(p)
    if (!chestMemory.has(key)) out[key] = UNKNOWN_CHEST
  }
  for (const [key, entry] of chestMemory) out[key] = { ...entry.items }
  return out
}

function observe (bot, state) {
  const p = bot.entity.position
  const blocks = nearbyBlocks(bot)
  return {
    position: { x: round(p.x, 2), y: round(p.y, 2), z: round(p.z, 2) },
    health: round(bot.health ?? 0, 1),
    food: bot.food ?? 0,
    biome: biome(bot),
    time_of_day: bot.time ? bot.time.timeOfDay : null,
    is_day: bot.time ? Boolean(bot.time.isDay) : null,
    dead: Boolean(state.dead || (bot.health !== undefined && bot.health <= 0)),
    inventory: inventory(bot),
    equipment: equipment(bot),
    nearby_blocks: blocks.names,
    nearby_entities: nearbyEntities(bot),
    chests: chestsObservation(bot, blocks.chests, state.chests),
    craftable: craftable(bot, blocks.names.includes('crafting_table'))
  }
}

module.exports = { observe, nearbyBlocks, nearbyEntities, inventory, posKey, UNKNOWN_CHEST, CHEST_NAMES }
