'use strict'
// Dropped item entities.
//
// - On 1.20.2+ flying-squid never sends entity metadata (entity.sendMetadata is a no-op
//   there), so a client sees an item entity without knowing which item it is:
//   entity.getDroppedItem() is null, mineflayer never emits 'itemDrop' and collectblock never
//   goes to pick anything up. Here each player that is shown an item entity also gets its
//   item_stack metadata (index 8 for 'item' since 1.17).
// - flying-squid's pickup adds one item per entity whatever the entity holds, and adds to
//   whatever count the slot had (a string after /give -> "641" -> kick). Pickup here moves
//   the whole stack through player.addItem, leaves the rest on the ground when the
//   inventory is full, and sends collect with pickupItemCount. Dead players pick nothing up.
// - serv.dropItem(world, position, {type, count, nbt}, {velocity, pickupDelayMs}) is the
//   one way the other plugins (toss, block drops, mob loot, death drops) make items.

const Vec3 = require('vec3').Vec3

module.exports.server = function (serv) {
  const { registry } = serv
  const itemEntity = registry.entitiesByName.item
  const metaIndex = itemEntity?.metadataKeys ? itemEntity.metadataKeys.indexOf('item') : 8
  const newMetadata = registry.version['>=']('1.20.2')

  serv.itemMetadataPacket = (entity) => ({
    entityId: entity.id,
    metadata: [{
      key: metaIndex,
      type: 'item_stack',
      value: { present: true, itemId: entity.itemId, itemCount: entity.itemCount, nbtData: entity.itemNbt || undefined }
    }]
  })

  serv.sendItemMetadata = (entity, players) => {
    if (!newMetadata) return
    const packet = serv.itemMetadataPacket(entity)
    for (const p of players) {
      try { p._client.write('entity_metadata', packet) } catch (err) { serv.debug?.(err) }
    }
  }

  serv.dropItem = (world, position, { type, count = 1, nbt = null }, { velocity, pickupDelayMs = 500, lifetimeMs = 5 * 60 * 1000 } = {}) => {
    if (!(count > 0)) return null
    if (typeof type === 'string') type = registry.itemsByName[type].id
    const max = registry.items[type]?.stackSize ?? 64
    let first = null
    while (count > 0) {
      const n = Math.min(count, max)
      count -= n
      const v = velocity ? velocity.clone() : new Vec3((Math.random() - 0.5) * 2, 2 + Math.random(), (Math.random() - 0.5) * 2)
      const ent = serv.spawnObject(itemEntity.id, world, position.clone(), {
        velocity: v,
        itemId: type,
        itemCount: n,
        pickupTime: pickupDelayMs,
        deathTime: lifetimeMs
      })
      ent.itemNbt = nbt
      first = first || ent
    }
    return first
  }
}

module.exports.player = function (player, serv) {
  const newMetadata = serv.registry.version['>=']('1.20.2')

  const originalSpawnEntity = player.spawnEntity
  player.spawnEntity = (entity) => {
    originalSpawnEntity(entity)
    if (newMetadata && entity.itemId !== undefined && entity.type === 'object') {
      player._client.write('entity_metadata', serv.itemMetadataPacket(entity))
    }
  }

  player.collect = (entity) => {
    if (entity._collected || !serv.entities[entity.id]) return
    if (player.health <= 0 || player.gameMode === 3 || player._dead) return
    const want = Number(entity.itemCount) || 1
    const left = player.addItem(entity.itemId, want, entity.itemNbt)
    const taken = want - left
    if (taken <= 0) return
    const watchers = entity.getNearbyPlayers()
    if (!watchers.includes(player)) watchers.push(player)
    for (const p of watchers) {
      p._client.write('collect', { collectedEntityId: entity.id, collectorEntityId: player.id, pickupItemCount: taken })
    }
    if (left === 0) {
      entity._collected = true
      entity.destroy()
    } else {
      entity.itemCount = left
      serv.sendItemMetadata(entity, watchers)
    }
  }
}
