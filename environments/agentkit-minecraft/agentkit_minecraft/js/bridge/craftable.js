'use strict'
// What the bot could craft right now, among the tech tree's items: the inventory holds the
// ingredients, and a crafting table is near (or held, since craftItem places a held one).
// The Python adapter offers exactly these as `craft` choices, so a small model is never
// shown a recipe it cannot make yet (the way Crafter's primitives are masked).

const CANDIDATES = ['stick', 'crafting_table', 'wooden_pickaxe', 'wooden_sword', 'wooden_axe',
  'stone_pickaxe', 'stone_sword', 'stone_axe', 'furnace', 'iron_pickaxe', 'iron_sword',
  'iron_axe', 'chest', 'torch']

function craftable (bot, tableNear) {
  const registry = bot.registry
  const held = bot.inventory.items()
  const woods = held.filter((i) => i.name.endsWith('_log')).map((i) => i.name.slice(0, -4))
  const names = [...woods.map((w) => `${w}_planks`), ...CANDIDATES]
  const table = tableNear || held.some((i) => i.name === 'crafting_table')
  const out = []
  for (const name of names) {
    const item = registry.itemsByName[name]
    if (!item) continue
    try {
      if (bot.recipesFor(item.id, null, 1, table || null).length > 0) out.push(name)
    } catch (err) {
      // a recipe the registry cannot express: leave it out rather than fail the observation
    }
  }
  return out
}

module.exports = { craftable }
