'use strict'
// Block drops.
//
// flying-squid drops whatever minecraft-data's blockLoot lists for the block, every entry at
// once (stone gives stone and cobblestone, leaves give leaves, sapling, stick and apple)
// and ignores the tool, so bare hands mine stone and iron. Here drops follow vanilla basics
// (lib/drops.js): stone -> cobblestone, ores -> coal / raw_iron / ..., grass_block -> dirt,
// logs and planks drop themselves, leaves sometimes a sapling or sticks; blocks that need a
// tool tier (stone and ores need a pickaxe, iron ore a stone one) drop nothing without it.
// Breaking a chest or furnace also drops its contents and closes it for its viewers.

const Vec3 = require('vec3').Vec3
const { blockDrops } = require('../lib/drops')
const blockstore = require('../lib/blockstore')

module.exports.server = function (serv) {
  // Items and viewers of a container block at pos, which is being removed.
  serv.breakContainerAt = (world, pos) => {
    const entry = blockstore.get(serv, world, pos)
    if (!entry) return []
    blockstore.remove(serv, world, pos)
    entry.remove?.()
    for (const view of [...entry.container.views]) serv.closeView(view.player)
    return entry.container.items()
  }

  // Any other way a container block is replaced (/setblock, /fill, ...) loses its contents,
  // as in vanilla, instead of leaving them to reappear in a later block at that position.
  const CONTAINER_BLOCKS = { chest: ['chest', 'trapped_chest', 'barrel'], furnace: ['furnace'] }
  const setBlock = serv.setBlock
  serv.setBlock = async (world, position, stateId) => {
    const entry = blockstore.get(serv, world, position)
    if (entry && !(CONTAINER_BLOCKS[entry.kind] || []).includes(serv.registry.blocksByStateId[stateId]?.name)) {
      serv.breakContainerAt(world, position)
    }
    return setBlock(world, position, stateId)
  }
}

module.exports.player = function (player, serv) {
  const { registry } = serv
  player.on('dug', (data) => {
    if (!data || !data.dropBlock || !Array.isArray(data.drops)) return
    const pos = new Vec3(data.position.x, data.position.y, data.position.z)
    const held = player.inventory.slots[36 + player.heldItemSlot] ?? null
    const base = data.drops[0]
    const template = {
      blockDropPosition: pos.offset(0.5, 0.3, 0.5),
      blockDropWorld: player.world,
      blockDropDamage: 0,
      blockDropPickup: 500,
      blockDropDeath: 5 * 60 * 1000,
      ...(base ? { blockDropPickup: base.blockDropPickup, blockDropDeath: base.blockDropDeath } : {})
    }
    const velocity = () => new Vec3((Math.random() - 0.5) * 1.5, 2 + Math.random(), (Math.random() - 0.5) * 1.5)
    const drops = blockDrops(registry, data.block, held)
    for (const it of serv.breakContainerAt(player.world, pos)) {
      serv.dropItem(player.world, pos.offset(0.5, 0.3, 0.5), { type: it.type, count: it.count, nbt: it.nbt }, { velocity: velocity() })
    }
    data.drops.length = 0
    for (const d of drops) {
      const id = d.id ?? registry.itemsByName[d.name]?.id
      if (id === undefined || !(d.count > 0)) continue
      data.drops.push({ ...template, blockDropVelocity: velocity(), blockDropId: id, blockDropCount: d.count })
    }
  })
}
