'use strict'
// Crafting: the 2x2 grid of the inventory and the 3x3 crafting table.
//
// flying-squid has no crafting at all: the result slot never fills, so mineflayer's
// bot.craft waits for a result that never comes. Recipes come from minecraft-data (the same
// data mineflayer uses to plan a craft); shaped recipes match anywhere in the grid and
// mirrored. The result slot is recomputed after every click (window_clicks.js sends it);
// taking the result consumes one item per filled grid slot. Right-clicking a crafting
// table opens a crafting window whose grid goes back into the inventory when it closes.

const { createMatcher } = require('../lib/recipes')
const { maker, isEmpty } = require('../lib/items')

module.exports.server = function (serv) {
  const { registry } = serv
  const { make, clone } = maker(registry)
  const match = createMatcher(registry)
  serv.matchRecipe = match

  serv.makeCraft = (getGrid, setGridSlot, size, resultSlot) => ({
    resultSlot,
    compute () {
      const grid = getGrid()
      const r = match(grid.map(it => isEmpty(it) ? null : it.type), size)
      return r ? make(r.id, r.count) : null
    },
    consume () {
      const grid = getGrid()
      grid.forEach((it, i) => { if (!isEmpty(it)) setGridSlot(i, clone(it, it.count - 1)) })
    }
  })

  serv.onBlockInteraction('crafting_table', ({ player }) => {
    const held = player.inventory.slots[36 + player.heldItemSlot]
    if (player.crouching && held) return false
    const container = serv.createContainer(10)
    serv.openView(player, {
      type: 'minecraft:crafting',
      title: { text: 'Crafting' },
      container,
      craft: serv.makeCraft(
        () => container.slots.slice(1, 10),
        (i, item) => container.set(1 + i, item),
        3, 0),
      onClose (p) {
        for (let i = 1; i < 10; i++) {
          const it = container.slots[i]
          if (it) {
            container.slots[i] = null
            p.addItemOrDrop(it.type, it.count, it.nbt)
          }
        }
        container.slots[0] = null
      }
    })
    return true
  })
}

module.exports.player = function (player, serv) {
  const inv = player.inventory
  player._invView.craft = serv.makeCraft(
    () => [1, 2, 3, 4].map(i => inv.slots[i] ?? null),
    (i, item) => inv.updateSlot(1 + i, isEmpty(item) ? null : item),
    2, 0)
}
