'use strict'
// Dropping items from the hand (Q / bot.toss of the held stack) and player.throwItem.
//
// flying-squid's block_dig status 3/4 (drop stack / drop one) lowers the held count without
// telling the client and spawns the item at the player's feet with a 0.5 s pickup delay,
// so the thrower picks it straight back up. Here the item is thrown from eye height in the
// look direction at vanilla speed with vanilla's 2 s pickup delay, and the slot change is
// sent. player.throwItem(item) is also what window clicks use for "drop outside the window"
// (bot.toss, bot.tossStack). Other block_dig statuses still go to flying-squid's digging.

const Vec3 = require('vec3').Vec3
const { maker } = require('../lib/items')

module.exports.player = function (player, serv) {
  const { clone } = maker(serv.registry)

  player.throwItem = (item) => {
    if (!item || !(item.count > 0)) return null
    // flying-squid keeps yaw/pitch as protocol bytes (1/256 of a turn)
    const yaw = (Number(player.yaw) || 0) * Math.PI * 2 / 256
    const pitch = (Number(player.pitch) || 0) * Math.PI * 2 / 256
    const speed = 6 // blocks per second (0.3 per tick)
    const velocity = new Vec3(
      -Math.sin(yaw) * Math.cos(pitch) * speed,
      -Math.sin(pitch) * speed + 2,
      Math.cos(yaw) * Math.cos(pitch) * speed)
    return serv.dropItem(player.world, player.position.offset(0, 1.32, 0), { type: item.type, count: item.count, nbt: item.nbt }, { velocity, pickupDelayMs: 2000 })
  }

  const digListeners = player._client.listeners('block_dig')
  player._client.removeAllListeners('block_dig')
  player._client.on('block_dig', (packet) => {
    if (packet.status === 3 || packet.status === 4) {
      const slot = 36 + player.heldItemSlot
      const held = player.inventory.slots[slot]
      if (!held || player._dead) return
      const n = packet.status === 4 ? 1 : held.count
      player.inventory.updateSlot(slot, clone(held, held.count - n))
      player.throwItem(clone(held, n))
      return
    }
    for (const listener of digListeners) listener.call(player._client, packet)
  })
}
