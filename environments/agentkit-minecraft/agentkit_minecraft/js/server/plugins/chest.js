'use strict'
// Chests (replaces flying-squid's chest plugin).
//
// flying-squid opens every chest as an empty 27-slot window that ignores clicks and refuses
// to open when any block (even air-like ones) sits on top. Here each chest, trapped chest
// and barrel has a 27-slot container kept per block position (in memory, for the server's
// lifetime), so bot.openContainer / deposit / withdraw work and contents persist across
// openings, bots and reconnects; several players can have it open at once. Breaking the block
// drops its contents (block_drops.js). Ender chests have one container per player name.
// Adjacent chests stay two single chests (no double chest).

const Vec3 = require('vec3').Vec3
const blockstore = require('../lib/blockstore')

module.exports.server = function (serv) {
  function getChest (world, pos) {
    let c = blockstore.get(serv, world, pos)
    if (!c || c.kind !== 'chest') {
      c = { kind: 'chest', world, pos: pos.clone(), container: serv.createContainer(27) }
      blockstore.set(serv, world, pos, c)
    }
    return c
  }
  serv.getChest = getChest

  const open = (title, containerOf) => ({ block, player }) => {
    const held = player.inventory.slots[36 + player.heldItemSlot]
    if (player.crouching && held) return false
    const pos = new Vec3(block.position.x, block.position.y, block.position.z)
    serv.openView(player, {
      type: 'minecraft:generic_9x3',
      title: { text: title },
      container: containerOf(player, pos)
    })
    return true
  }

  serv.onBlockInteraction('chest', open('Chest', (player, pos) => getChest(player.world, pos).container))
  if (serv.registry.blocksByName.trapped_chest) serv.onBlockInteraction('trapped_chest', open('Chest', (player, pos) => getChest(player.world, pos).container))
  if (serv.registry.blocksByName.barrel) serv.onBlockInteraction('barrel', open('Barrel', (player, pos) => getChest(player.world, pos).container))
  serv.onBlockInteraction('ender_chest', open('Ender Chest', (player) => {
    if (!serv._enderChests) serv._enderChests = new Map()
    if (!serv._enderChests.has(player.username)) serv._enderChests.set(player.username, serv.createContainer(27))
    return serv._enderChests.get(player.username)
  }))
}
