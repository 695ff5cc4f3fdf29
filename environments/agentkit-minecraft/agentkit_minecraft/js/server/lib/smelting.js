'use strict'
// Furnace recipes and fuels (vanilla values; minecraft-data has no smelting data).

const SMELT = {
  raw_iron: 'iron_ingot',
  iron_ore: 'iron_ingot',
  deepslate_iron_ore: 'iron_ingot',
  raw_gold: 'gold_ingot',
  gold_ore: 'gold_ingot',
  deepslate_gold_ore: 'gold_ingot',
  nether_gold_ore: 'gold_ingot',
  raw_copper: 'copper_ingot',
  copper_ore: 'copper_ingot',
  deepslate_copper_ore: 'copper_ingot',
  coal_ore: 'coal',
  deepslate_coal_ore: 'coal',
  diamond_ore: 'diamond',
  deepslate_diamond_ore: 'diamond',
  emerald_ore: 'emerald',
  deepslate_emerald_ore: 'emerald',
  lapis_ore: 'lapis_lazuli',
  deepslate_lapis_ore: 'lapis_lazuli',
  redstone_ore: 'redstone',
  deepslate_redstone_ore: 'redstone',
  nether_quartz_ore: 'quartz',
  ancient_debris: 'netherite_scrap',
  cobblestone: 'stone',
  stone: 'smooth_stone',
  cobbled_deepslate: 'deepslate',
  sand: 'glass',
  red_sand: 'glass',
  sandstone: 'smooth_sandstone',
  red_sandstone: 'smooth_red_sandstone',
  clay_ball: 'brick',
  clay: 'terracotta',
  netherrack: 'nether_brick',
  cactus: 'green_dye',
  kelp: 'dried_kelp',
  wet_sponge: 'sponge',
  stone_bricks: 'cracked_stone_bricks',
  quartz_block: 'smooth_quartz',
  basalt: 'smooth_basalt',
  beef: 'cooked_beef',
  porkchop: 'cooked_porkchop',
  chicken: 'cooked_chicken',
  mutton: 'cooked_mutton',
  rabbit: 'cooked_rabbit',
  cod: 'cooked_cod',
  salmon: 'cooked_salmon',
  potato: 'baked_potato',
  chorus_fruit: 'popped_chorus_fruit',
  iron_sword: 'iron_nugget',
  iron_pickaxe: 'iron_nugget',
  iron_axe: 'iron_nugget',
  iron_shovel: 'iron_nugget',
  iron_hoe: 'iron_nugget',
  golden_sword: 'gold_nugget',
  golden_pickaxe: 'gold_nugget',
  golden_axe: 'gold_nugget',
  golden_shovel: 'gold_nugget',
  golden_hoe: 'gold_nugget'
}

const LOGS = ['oak', 'spruce', 'birch', 'jungle', 'acacia', 'dark_oak', 'mangrove', 'cherry']
for (const w of LOGS) {
  for (const form of ['_log', '_wood', '_log', 'stripped_']) {
    const name = form === 'stripped_' ? 'stripped_' + w + '_log' : w + form
    SMELT[name] = 'charcoal'
  }
  SMELT['stripped_' + w + '_wood'] = 'charcoal'
}

// burn time in ticks
function fuelTicks (name) {
  if (!name) return 0
  const fixed = {
    coal: 1600,
    charcoal: 1600,
    coal_block: 16000,
    lava_bucket: 20000,
    blaze_rod: 2400,
    dried_kelp_block: 4000,
    stick: 100,
    bamboo: 50,
    scaffolding: 50,
    bowl: 100,
    crafting_table: 300,
    chest: 300,
    trapped_chest: 300,
    barrel: 300,
    bookshelf: 300,
    lectern: 300,
    jukebox: 300,
    note_block: 300,
    ladder: 300,
    composter: 300,
    bow: 300,
    fishing_rod: 300,
    crossbow: 300,
    wooden_sword: 200,
    wooden_pickaxe: 200,
    wooden_axe: 200,
    wooden_shovel: 200,
    wooden_hoe: 200,
    dead_bush: 100
  }
  if (fixed[name] !== undefined) return fixed[name]
  if (name.endsWith('_planks') || name.endsWith('_log') || name.endsWith('_wood') || name.endsWith('_stem') || name.endsWith('_hyphae')) return 300
  if (name.endsWith('_fence') || name.endsWith('_fence_gate') || name.endsWith('_stairs') || name.endsWith('_trapdoor') || name.endsWith('_pressure_plate')) {
    return /(oak|spruce|birch|jungle|acacia|dark_oak|mangrove|cherry|bamboo|crimson|warped)/.test(name) ? 300 : 0
  }
  if (name.endsWith('_slab')) return /(oak|spruce|birch|jungle|acacia|dark_oak|mangrove|cherry|bamboo)/.test(name) ? 150 : 0
  if (name.endsWith('_door') || name.endsWith('_sign')) return /(oak|spruce|birch|jungle|acacia|dark_oak|mangrove|cherry|bamboo)/.test(name) ? 200 : 0
  if (name.endsWith('_button')) return /(oak|spruce|birch|jungle|acacia|dark_oak|mangrove|cherry|bamboo)/.test(name) ? 100 : 0
  if (name.endsWith('_sapling') || name === 'mangrove_propagule') return 100
  if (name.endsWith('_wool')) return 100
  if (name.endsWith('_carpet')) return 67
  if (name.endsWith('_boat') || name.endsWith('_raft')) return 1200
  return 0
}

module.exports = { SMELT, fuelTicks }
