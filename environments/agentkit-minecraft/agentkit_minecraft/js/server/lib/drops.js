'use strict'
// What a broken block drops (vanilla basics: no silk touch, no fortune).

const SAPLING = {
  oak_leaves: 'oak_sapling',
  birch_leaves: 'birch_sapling',
  spruce_leaves: 'spruce_sapling',
  jungle_leaves: 'jungle_sapling',
  acacia_leaves: 'acacia_sapling',
  dark_oak_leaves: 'dark_oak_sapling',
  cherry_leaves: 'cherry_sapling',
  azalea_leaves: 'azalea',
  flowering_azalea_leaves: 'flowering_azalea'
}

const NOTHING = new Set(['glass', 'glass_pane', 'ice', 'tinted_glass', 'budding_amethyst', 'bedrock', 'spawner', 'infested_stone'])

function between (rand, a, b) { return a + Math.floor(rand() * (b - a + 1)) }

// Returns [{ name, count }]. held: the item in the main hand (or null).
function blockDrops (registry, block, held, rand = Math.random) {
  const name = block.name
  if (block.harvestTools && !(held && block.harvestTools[held.type])) return []
  if (NOTHING.has(name) || name.endsWith('_stained_glass') || name.endsWith('_stained_glass_pane')) return []
  const isShears = held && held.name === 'shears'
  if (name.endsWith('_leaves')) {
    if (isShears) return [{ name, count: 1 }]
    const out = []
    const sapling = SAPLING[name]
    if (sapling && rand() < (name === 'jungle_leaves' ? 0.025 : 0.05)) out.push({ name: sapling, count: 1 })
    if (rand() < 0.02) out.push({ name: 'stick', count: between(rand, 1, 2) })
    if ((name === 'oak_leaves' || name === 'dark_oak_leaves') && rand() < 0.005) out.push({ name: 'apple', count: 1 })
    return out
  }
  if (['short_grass', 'grass', 'tall_grass', 'fern', 'large_fern'].includes(name)) {
    if (isShears) return [{ name, count: 1 }]
    return rand() < 0.125 ? [{ name: 'wheat_seeds', count: 1 }] : []
  }
  const fixed = {
    stone: ['cobblestone', 1, 1],
    deepslate: ['cobbled_deepslate', 1, 1],
    grass_block: ['dirt', 1, 1],
    dirt_path: ['dirt', 1, 1],
    farmland: ['dirt', 1, 1],
    podzol: ['dirt', 1, 1],
    mycelium: ['dirt', 1, 1],
    coal_ore: ['coal', 1, 1],
    deepslate_coal_ore: ['coal', 1, 1],
    iron_ore: ['raw_iron', 1, 1],
    deepslate_iron_ore: ['raw_iron', 1, 1],
    gold_ore: ['raw_gold', 1, 1],
    deepslate_gold_ore: ['raw_gold', 1, 1],
    copper_ore: ['raw_copper', 2, 5],
    deepslate_copper_ore: ['raw_copper', 2, 5],
    diamond_ore: ['diamond', 1, 1],
    deepslate_diamond_ore: ['diamond', 1, 1],
    emerald_ore: ['emerald', 1, 1],
    deepslate_emerald_ore: ['emerald', 1, 1],
    lapis_ore: ['lapis_lazuli', 4, 9],
    deepslate_lapis_ore: ['lapis_lazuli', 4, 9],
    redstone_ore: ['redstone', 4, 5],
    deepslate_redstone_ore: ['redstone', 4, 5],
    nether_gold_ore: ['gold_nugget', 2, 6],
    nether_quartz_ore: ['quartz', 1, 1],
    clay: ['clay_ball', 4, 4],
    glowstone: ['glowstone_dust', 2, 4],
    melon: ['melon_slice', 3, 7],
    snow_block: ['snowball', 4, 4],
    bookshelf: ['book', 3, 3]
  }
  if (fixed[name]) {
    const [item, a, b] = fixed[name]
    return [{ name: item, count: between(rand, a, b) }]
  }
  if (name === 'gravel') return [{ name: rand() < 0.1 ? 'flint' : 'gravel', count: 1 }]
  if (block.drops && block.drops.length) {
    return block.drops.map(d => {
      const id = typeof d === 'number' ? d : d.drop?.id ?? d.id
      const item = registry.items[id]
      return item ? { name: item.name, count: 1 } : null
    }).filter(Boolean)
  }
  return registry.itemsByName[name] ? [{ name, count: 1 }] : []
}

module.exports = { blockDrops }
